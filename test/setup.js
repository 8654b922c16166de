'use strict';

/**
 * What most tests need: a fresh simulator on 127.0.0.1, the harness with a credential
 * pointing at it, and a secret scan over everything a run produced.
 */
const { createSimulator } = require('../simulator');
const { createHarness } = require('./harness');

const logged = globalThis.aiccTestLogs;

const APP_KEY = 'AK-7f3e9a1c-test-app-key';
const APP_SECRET = 'SK-2b8d4e6f-test-app-secret';

async function setup(simOptions = {}, credentialOverrides = {}) {
	const sim = await createSimulator({ appKey: APP_KEY, appSecret: APP_SECRET, ...simOptions }).start();
	const harness = await createHarness();
	harness.credentials.add('aicc', { baseUrl: sim.url, appKey: APP_KEY, appSecret: APP_SECRET, expiresIn: 600, ...credentialOverrides });
	const context = {
		sim,
		harness,
		run: (options) => harness.run(options),
		calls: (endpoint = 'createCallV1') => sim.log.for(endpoint),
		tokenRequests: () => sim.log.for('token'),
		stop: () => sim.stop(),
	};
	return context;
}

function bidirectional(fields = {}, options = {}) {
	return {
		resource: 'call',
		operation: 'createBidirectional',
		caller: '88889050',
		called: '13800138000',
		...fields,
		...(Object.keys(options).length > 0 ? { options } : {}),
	};
}

function anonymous(fields = {}, options = {}) {
	return {
		resource: 'call',
		operation: 'createAnonymous',
		called: '13800138000',
		...fields,
		...(Object.keys(options).length > 0 ? { options } : {}),
	};
}

/** Every secret the run could have leaked: the AK, the SK and every token the simulator issued. */
function secretsOf(sim) {
	return [APP_KEY, APP_SECRET, ...sim.tokens.keys()];
}

/** Fails when any secret appears anywhere in what the run produced (items, errors, run data) or in the logs. */
function expectNoSecrets(result, sim) {
	const text =
		JSON.stringify(result.run) +
		JSON.stringify(result.items) +
		String(result.error?.message) +
		String(result.error?.description) +
		logged.join('');
	for (const secret of secretsOf(sim)) {
		expect(text.includes(secret)).toBe(false);
	}
}

module.exports = { setup, bidirectional, anonymous, expectNoSecrets, logged, APP_KEY, APP_SECRET };
