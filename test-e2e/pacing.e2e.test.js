'use strict';

/**
 * A CRM burst in a real n8n (2.x and the 1.x line): 100 webhook executions of one call each,
 * fired at once, with Max Calls Per Second 10. Pacing is per credential across executions, so
 * the simulator sees at most 10 calls start in any second, and every call is placed once.
 */
const { startSimulatorProcess } = require('../simulator/process');
const { webhookCall } = require('./workflows');
const { SIM_KEYS, E2E_LINES, postJson: post, publishedAlone } = require('./common');

const BURST = 100;
const LIMIT = 10;

const WORKFLOW = webhookCall({
	id: 'aiccE2ePacing100',
	name: 'E2E CRM burst, 10 calls a second',
	path: 'e2e-burst',
	uuid: '3c5d0000-0000-4000-8000-0000000000',
	parameters: {
		caller: '88889050',
		called: '={{ $json.body.customer }}',
		options: { callsPerSecond: LIMIT },
	},
});

describe.each(E2E_LINES)('n8n %s.x: a CRM burst', (line) => {
	// The simulator in a process of its own: the arrival times it logs must not wait for this
	// process's work.
	const live = publishedAlone(line, 'pacing', WORKFLOW, () =>
		startSimulatorProcess({ ...SIM_KEYS, latencyMs: 20 }),
	);

	const title =
		`${BURST} executions at once with a limit of ${LIMIT} a second:` +
		` at most ${LIMIT} starts in any second, each call placed once`;
	test(
		title,
		async () => {
			const { sim, n8n } = live;
			const url = `${n8n.url}/webhook/e2e-burst`;
			// n8n registers production webhooks just after the editor is up; a probe without a number
			// fails validation, so it places no call.
			for (let waited = 0; (await post(url, {})).status === 404 && waited < 30_000; waited += 250) {
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			const before = (await sim.admin('log')).entries.length;
			const customers = Array.from(
				{ length: BURST },
				(_, index) => `1370013${String(index).padStart(4, '0')}`,
			);
			const answers = await Promise.all(
				customers.map(async (customer) => (await post(url, { customer })).json()),
			);

			expect(
				answers.every((answer) => answer.success === true && /^\d{19}$/.test(answer.callSerialNo)),
			).toBe(true);
			const calls = (await sim.admin('log')).entries
				.slice(before)
				.filter((entry) => entry.endpoint === 'createCallV1');
			const placed = calls.filter((entry) => entry.status === 200);
			expect(placed.map((entry) => entry.body.called).sort()).toEqual(customers);
			expect(calls.every((entry) => entry.status === 200 || entry.status === 401)).toBe(true);
			// The probe placed no call: every createCall the simulator logged is the burst's.
			expect((await sim.admin('stats')).busiestSecond.createCallV1).toBeLessThanOrEqual(LIMIT);
		},
		120_000,
	);
});
