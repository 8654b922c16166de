'use strict';

/**
 * A credential edited in a real n8n (2.x and the 1.x line), as the editor saves it: the App
 * Secret changed through n8n's REST API, the stored token kept (n8n restores the fields it shows
 * redacted, the hidden token among them). The node must not place a call with the token issued
 * for the old App Secret: with a wrong one the item fails with the credential error and AICC sees
 * one token request and no call; with the right one again, the stored token serves as before.
 */
const { createSimulator } = require('../simulator');
const { CREDENTIAL } = require('../scripts/local-n8n');
const { webhookCall } = require('./workflows');
const {
	SIM_KEYS,
	E2E_LINES,
	expectNoSecrets,
	postJson: post,
	publishedAlone,
} = require('./common');

const WRONG_SECRET = 'sim-app-secret-typo';
const REJECTED = 'AICC rejected the App Key or App Secret (HTTP 401 from tokenByAkSk)';
/** What n8n shows the editor in place of a secret it holds (n8n-workflow's constant). */
const REDACTED = /^__n8n_BLANK_VALUE_/;

const WORKFLOW = webhookCall({
	id: 'aiccE2eCredentialEdit',
	name: 'E2E a call after the credential was edited',
	path: 'e2e-credential-edit',
	uuid: '4c7e0000-0000-4000-8000-0000000000',
	parameters: { caller: '88889050', called: '={{ $json.body.customer }}', options: {} },
});
WORKFLOW.nodes[1].onError = 'continueRegularOutput';

describe.each(E2E_LINES)('n8n %s.x: the credential edited', (line) => {
	const live = publishedAlone(line, 'credential', WORKFLOW, () =>
		createSimulator(SIM_KEYS).start(),
	);

	test('a wrong App Secret fails before any call; the right one again uses the token', async () => {
		const { sim, n8n } = live;
		const cookie = await n8n.login();
		const rest = async (method, body) => {
			const query = method === 'GET' ? '?includeData=true' : '';
			const response = await fetch(`${n8n.url}/rest/credentials/${CREDENTIAL.id}${query}`, {
				method,
				headers: { 'Content-Type': 'application/json', cookie },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			if (!response.ok) throw new Error(`${method} credential: HTTP ${response.status} ${text}`);
			return JSON.parse(text).data;
		};
		// The editor's Save: the credential as n8n shows it (secrets redacted), one field changed.
		const saveWith = async (appSecret) => {
			const { id, name, type, data } = await rest('GET');
			await rest('PATCH', { id, name, type, data: { ...data, appSecret } });
			return data;
		};
		const url = `${n8n.url}/webhook/e2e-credential-edit`;
		const call = async (customer) => await (await post(url, { customer })).json();
		// n8n registers production webhooks just after the editor is up; a probe without a number
		// fails validation, so it sends nothing.
		for (let waited = 0; (await post(url, {})).status === 404 && waited < 30_000; waited += 250) {
			await new Promise((resolve) => setTimeout(resolve, 250));
		}

		sim.log.clear();
		expect(await call('13800138001')).toMatchObject({ success: true });
		expect(sim.log.for('token')).toHaveLength(1);

		const shown = await saveWith(WRONG_SECRET);
		// n8n stored the token and what it was issued for, and keeps both through the edit.
		expect(shown).toMatchObject({ accessToken: REDACTED, tokenIssuedFor: REDACTED });
		const failed = await call('13800138002');
		expect(failed).toMatchObject({ success: false, outcome: 'notPlaced', message: REJECTED });
		expect(sim.log.for('token').map((entry) => entry.status)).toEqual([200, 401]);
		expect(sim.log.for('createCallV1').map((entry) => entry.body.called)).toEqual(['13800138001']);

		// The App Secret the token was issued for: the stored token serves, no exchange.
		await saveWith(SIM_KEYS.appSecret);
		expect(await call('13800138003')).toMatchObject({ success: true });
		expect(sim.log.for('token')).toHaveLength(2);
		expect(sim.log.for('createCallV1').map((entry) => entry.status)).toEqual([200, 200]);
		expectNoSecrets(sim, [failed, shown], [WRONG_SECRET]);
	});
});
