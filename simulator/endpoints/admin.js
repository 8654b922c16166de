'use strict';

/**
 * Scenario controls over HTTP, for the CLI, the demo and end-to-end tests (tests in the same
 * process call the simulator's methods directly). POST /__sim with one of:
 * { action: 'fault', fault: {...} }, { action: 'expireTokens' }, { action: 'reset' },
 * { action: 'config', config: {...} }, { action: 'log' },
 * { action: 'stats' } (requests per endpoint, and the most in any one second),
 * { action: 'note', note: {...} } (keeps what a workflow reports, for end-to-end tests),
 * { action: 'callbacks' } (the release callbacks pushed, and what they got back),
 * { action: 'callback', url, body } (sends a callback body to url now, signed as the simulator
 * signs callbacks; answers with what each delivery got).
 */
module.exports = {
	name: 'admin',
	method: 'POST',
	path: '/__sim',
	async handle({ sim, body, reply }) {
		const action = body?.action;
		if (action === 'fault') {
			sim.inject(body.fault ?? {});
			return reply(200, { ok: true, faults: sim.faults.length });
		}
		if (action === 'expireTokens') {
			sim.expireTokens();
			return reply(200, { ok: true });
		}
		if (action === 'reset') {
			sim.reset();
			return reply(200, { ok: true });
		}
		if (action === 'config') {
			Object.assign(sim.config, body.config ?? {});
			return reply(200, { ok: true });
		}
		if (action === 'log') {
			return reply(200, { entries: sim.log.entries.filter((entry) => entry.endpoint !== 'admin') });
		}
		if (action === 'note') {
			sim.notes.push(body.note);
			return reply(200, { ok: true });
		}
		if (action === 'callbacks') {
			return reply(200, { callbacks: sim.callbacks });
		}
		if (action === 'callback') {
			return reply(200, { deliveries: await sim.sendCallback(body.url, body.body) });
		}
		if (action === 'stats') {
			const requests = {};
			for (const entry of sim.log.entries) {
				if (entry.endpoint !== 'admin')
					requests[entry.endpoint] = (requests[entry.endpoint] ?? 0) + 1;
			}
			const busiestSecond = Object.fromEntries(
				Object.keys(requests).map((endpoint) => [endpoint, sim.log.busiestSecond(endpoint)]),
			);
			return reply(200, { requests, maxInFlight: sim.maxInFlight, busiestSecond });
		}
		return reply(400, {
			error:
				'unknown action; use fault, expireTokens, reset, config, log, stats, note, callbacks ' +
				'or callback',
		});
	},
};
