'use strict';

/** What the end-to-end tests share. */
const { ensureInstalled, createInstance, freePort } = require('../scripts/local-n8n');

/** For a beforeAll that may install n8n first. */
const INSTALL_TIME = 20 * 60 * 1000;
const SIM_KEYS = { appKey: 'sim-app-key', appSecret: 'sim-app-secret' };
/** The node's advice when Called is empty. */
const EMPTY_CALLED = 'Enter a phone number, e.g. 13800138000, or map one from an earlier node.';

/**
 * The n8n lines this run tests: AICC_N8N_LINES ("2,1" unless scripts/test-e2e.js leaves out a
 * line whose release could not be installed, or --lines picks one). AICC_N8N picks the releases.
 */
const E2E_LINES = (process.env.AICC_N8N_LINES || '2,1').split(',').map(Number);
if (!E2E_LINES.length || E2E_LINES.some((line) => line !== 2 && line !== 1))
	throw new Error(`AICC_N8N_LINES must list 2 and/or 1, not "${process.env.AICC_N8N_LINES}"`);

/** `describe` for a line this run tests, `describe.skip` (reported as skipped) for another. */
const describeLine = (line) => (E2E_LINES.includes(line) ? describe : describe.skip);

/** Fails when `value` holds the App Secret, a token the simulator issued, or one of `more`. */
function expectNoSecrets(sim, value, more = []) {
	const text = JSON.stringify(value);
	for (const secret of [SIM_KEYS.appSecret, ...more, ...sim.tokens.keys()])
		expect(text).not.toContain(secret);
}

/**
 * A real n8n of `line` with the simulator's credential and `workflow` alone, published, against
 * the simulator `startSimulator()` starts; both stop after the file's tests. The tests read
 * `live.sim` and `live.n8n`, set once beforeAll ran.
 */
function publishedAlone(line, name, workflow, startSimulator) {
	const live = {};
	beforeAll(async () => {
		await ensureInstalled(line);
		live.sim = await startSimulator();
		const ports = { port: await freePort(), brokerPort: await freePort() };
		live.n8n = createInstance({ line, name, ...ports, simulatorUrl: live.sim.url });
		await live.n8n.prepare({ imports: false });
		await live.n8n.resetCredential();
		await live.n8n.importWorkflow(workflow);
		await live.n8n.activate(workflow.id);
		await live.n8n.start();
	}, INSTALL_TIME);
	afterAll(async () => {
		await live.n8n?.stop();
		await live.sim?.stop();
	});
	return live;
}

/** POSTs `body` as JSON. */
function postJson(url, body) {
	const headers = { 'Content-Type': 'application/json' };
	return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

/**
 * GETs JSON from n8n. Node's fetch reuses a kept-alive connection, which n8n may close at that
 * moment after an idle pause (a CI run under load failed with "other side closed"): a GET is
 * read-only, so it is sent once more then. Never used for a request that changes anything.
 */
async function getJson(url, headers = {}) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await (await fetch(url, { headers })).json();
		} catch (error) {
			if (attempt > 1 || !/other side closed/.test(String(error.cause?.message))) throw error;
		}
	}
}

module.exports = {
	getJson,
	postJson,
	publishedAlone,
	INSTALL_TIME,
	SIM_KEYS,
	EMPTY_CALLED,
	E2E_LINES,
	describeLine,
	expectNoSecrets,
};
