'use strict';

/**
 * The package in a real n8n: n8n lists the node and the credential, the example workflows run
 * against the simulator and give the expected items, one token exchange serves two executions,
 * an expired token is renewed, failures reach the error output, the webhook example answers,
 * and the credential test makes a real token exchange. For n8n 2.x and the 1.x line.
 */
const { createSimulator } = require('../simulator');
const { ensureInstalled, createInstance, freePort, nodeOutput } = require('../scripts/local-n8n');

const INSTALL_TIME = 20 * 60 * 1000;
const SIM_KEYS = { appKey: 'sim-app-key', appSecret: 'sim-app-secret' };

describe.each([2, 1])('n8n %s.x', (line) => {
	let sim;
	let n8n;

	beforeAll(async () => {
		await ensureInstalled(line);
		sim = await createSimulator(SIM_KEYS).start();
		n8n = createInstance({ line, name: 'e2e', port: await freePort(), brokerPort: await freePort(), simulatorUrl: sim.url });
		await n8n.prepare();
	}, INSTALL_TIME);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	const expectNoSecrets = (value) => {
		const text = JSON.stringify(value);
		for (const secret of [SIM_KEYS.appSecret, ...sim.tokens.keys()]) expect(text).not.toContain(secret);
	};

	test('the bidirectional example places the call; one token exchange serves two executions', async () => {
		const first = await n8n.execute('aiccExampleLead1');
		expect(first.run.status).toBe('success');
		const [[item]] = nodeOutput(first.run, 'Agent Calls The Lead');
		const [call] = sim.log.for('createCallV1');
		expect(item).toEqual({
			success: true,
			retCode: '0',
			message: 'Add CallOutInfo in DB successfully',
			callSerialNo: /"callSerialNo":(\d{19})/.exec(call.response)[1],
		});
		expect(call.body).toEqual({ caller: '88889050', called: '01088889060', callData: 'lead-4711' });
		expect(nodeOutput(first.run, 'Respond With Serial Number')[0][0].callSerialNo).toBe(item.callSerialNo);

		const second = await n8n.execute('aiccExampleLead1');
		expect(second.run.status).toBe('success');
		expect(sim.log.for('token')).toHaveLength(1);
		expect(sim.log.for('createCallV1')).toHaveLength(2);
		expectNoSecrets([first.run, second.run]);
	});

	test('a token expired at the simulator is renewed and the call placed once', async () => {
		sim.log.clear();
		sim.expireTokens();
		const { run } = await n8n.execute('aiccExampleLead1');
		expect(run.status).toBe('success');
		expect(nodeOutput(run, 'Agent Calls The Lead')[0][0].success).toBe(true);
		expect(sim.log.for('token')).toHaveLength(1);
		expect(sim.log.for('createCallV1').map((entry) => entry.status)).toEqual([401, 200]);
	});

	test('the contact-list example sends failures to the error output', async () => {
		sim.log.clear();
		const { run } = await n8n.execute('aiccExampleList2');
		expect(run.status).toBe('success');
		const [placed, failed] = nodeOutput(run, 'Anonymous Call');
		expect(placed.map((item) => [item.success, item.retCode])).toEqual([[true, '0'], [true, '0']]);
		expect(placed.every((item) => /^\d{19}$/.test(item.callSerialNo) && item.sipServiceAddress && item.accessCode)).toBe(true);
		expect(failed).toEqual([
			expect.objectContaining({
				name: 'Ben',
				message: 'Called (called) in item 1 is empty. Enter a phone number, e.g. 13800138000, or map one from an earlier node.',
				error: {
					success: false,
					outcome: 'notPlaced',
					retCode: null,
					description: 'Enter a phone number, e.g. 13800138000, or map one from an earlier node.',
				},
			}),
		]);
		expect(nodeOutput(run, 'Calls That Failed')[0]).toHaveLength(1);
		expect(sim.log.for('createCallAnonymous').map((entry) => entry.body.called)).toEqual(['13800138000', '13900139000']);
	});

	test('n8n lists the node and the credential; the webhook example and the credential test work', async () => {
		await n8n.activate('aiccExampleLead1');
		await n8n.start();
		const cookie = await n8n.login();
		const get = async (route) => await (await fetch(`${n8n.url}${route}`, { headers: { cookie } })).json();
		const nodes = await get('/types/nodes.json');
		expect(nodes.map((node) => node.name)).toContain('n8n-nodes-aicc.aiccCall');
		const credentials = await get('/types/credentials.json');
		expect(credentials.map((credential) => credential.name)).toContain('aiccApi');

		sim.log.clear();
		const response = await fetch(`${n8n.url}/webhook/aicc-new-lead`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ leadId: 'lead-9', agentPhone: '88889050', customerPhone: '13800138009' }),
		});
		const answer = await response.json();
		expect(answer).toEqual({ callSerialNo: expect.stringMatching(/^\d{19}$/), retCode: '0', message: 'Add CallOutInfo in DB successfully' });
		expect(sim.log.for('createCallV1')[0].body).toEqual({ caller: '88889050', called: '13800138009', callData: 'lead-9' });

		const test = async (appSecret) => {
			const result = await fetch(`${n8n.url}/rest/credentials/test`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', cookie },
				body: JSON.stringify({
					credentials: { id: 'aiccSimulator001', name: 'AICC Simulator', type: 'aiccApi', data: { baseUrl: sim.url, appKey: SIM_KEYS.appKey, appSecret, expiresIn: 600 } },
				}),
			});
			return (await result.json()).data;
		};
		sim.log.clear();
		expect(await test(SIM_KEYS.appSecret)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await test('wrong-secret')).toEqual({ status: 'Error', message: 'AICC rejected the App Key or App Secret (HTTP 401 from tokenByAkSk)' });
		expect(sim.log.entries.every((entry) => entry.endpoint === 'token')).toBe(true);
	});
});
