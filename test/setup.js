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
	const sim = await createSimulator({
		appKey: APP_KEY,
		appSecret: APP_SECRET,
		...simOptions,
	}).start();
	const harness = await createHarness();
	harness.credentials.add('aicc', {
		baseUrl: sim.url,
		appKey: APP_KEY,
		appSecret: APP_SECRET,
		expiresIn: 600,
		...credentialOverrides,
	});
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
	return [sim.config.appKey, sim.config.appSecret, ...sim.tokens.keys(), ...sim.revokedTokens];
}

/** The 8-character runs of a secret: none may appear anywhere, so not even part of a secret shows. */
function runsOf(secret, length = 8) {
	return Array.from({ length: Math.max(1, secret.length - length + 1) }, (_, index) =>
		secret.slice(index, index + length),
	);
}

/** Fails when any 8 characters of a secret appear anywhere in what the run produced (items, errors, run data) or in the logs. */
function expectNoSecrets(result, sim, extraSecrets = []) {
	const text =
		JSON.stringify(result.run) +
		JSON.stringify(result.items) +
		String(result.error?.message) +
		String(result.error?.description) +
		logged.join('');
	for (const secret of [...secretsOf(sim), ...extraSecrets]) {
		for (const run of runsOf(secret)) {
			if (text.includes(run))
				throw new Error(`"${run}" (part of a secret) appears in what the run produced`);
		}
	}
}

module.exports = { setup, bidirectional, anonymous, expectNoSecrets, logged, APP_KEY, APP_SECRET };
