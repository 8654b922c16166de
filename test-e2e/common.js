'use strict';

/** What the end-to-end tests share. */

/** For a beforeAll that may install n8n first. */
const INSTALL_TIME = 20 * 60 * 1000;
const SIM_KEYS = { appKey: 'sim-app-key', appSecret: 'sim-app-secret' };
/** The node's advice when Called is empty. */
const EMPTY_CALLED = 'Enter a phone number, e.g. 13800138000, or map one from an earlier node.';

/** Fails when `value` holds the App Secret, a token the simulator issued, or one of `more`. */
function expectNoSecrets(sim, value, more = []) {
	const text = JSON.stringify(value);
	for (const secret of [SIM_KEYS.appSecret, ...more, ...sim.tokens.keys()])
		expect(text).not.toContain(secret);
}

module.exports = { INSTALL_TIME, SIM_KEYS, EMPTY_CALLED, expectNoSecrets };
