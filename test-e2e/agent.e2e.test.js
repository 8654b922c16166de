'use strict';

/**
 * The AICC Call node as a tool of n8n's AI Agent, in a real n8n 2.x: a scripted
 * OpenAI-compatible model asks for the call, the tool places it once at the simulator and the
 * agent's answer quotes its callSerialNo; the Allowed Called Numbers guard refuses a number
 * the model chose outside the list and the model is told why; and the AICC credential is
 * refused to the HTTP Request node (at run time and on save) while the tool variant may use it.
 */
const fs = require('node:fs');
const path = require('node:path');

const { createSimulator } = require('../simulator');
const {
	CREDENTIAL,
	ensureInstalled,
	createInstance,
	freePort,
	nodeOutput,
} = require('../scripts/local-n8n');
const { createOpenAiStub } = require('./openai-stub');
const {
	agentWorkflow,
	openAiCredential,
	HTTP_WITH_AICC_CREDENTIAL,
	TOOL_NODE,
} = require('./agent-workflow');
const { INSTALL_TIME, SIM_KEYS, describeLine, expectNoSecrets } = require('./common');

const TOOL_NAME = TOOL_NODE.replace(/ /g, '_');

const PLACE = agentWorkflow({
	id: 'aiccE2eAgent0001',
	prompt: 'Connect sales agent 88889050 with the customer on 13800138000.',
});
const GUARDED = agentWorkflow({
	id: 'aiccE2eAgent0002',
	prompt: 'Connect sales agent 88889050 with the customer on 13900139000.',
	callOptions: { allowedCalledNumbers: '+86138,0755' },
});

/** What the scripted model does: call the tool with `args`, then report what the tool said. */
let args;
function reply(body) {
	const result = body.messages.find((message) => message.role === 'tool');
	if (!result) return { toolCall: { name: body.tools[0].function.name, arguments: args } };
	const serial = /callSerialNo\\?"\s*:\s*\\?"?(\d{19})/.exec(result.content);
	return {
		content: serial
			? `Done: the call is placed, callSerialNo ${serial[1]}.`
			: `The call was not placed: ${result.content}`,
	};
}

describeLine(2)('n8n 2.x: the AICC Call node as an AI Agent tool', () => {
	let sim;
	let stub;
	let n8n;

	beforeAll(async () => {
		await ensureInstalled(2);
		sim = await createSimulator({ ...SIM_KEYS, ringMs: 300, talkMs: 300 }).start();
		stub = await createOpenAiStub({ reply }).start();
		n8n = createInstance({
			line: 2,
			name: 'agent',
			port: await freePort(),
			brokerPort: await freePort(),
			simulatorUrl: sim.url,
		});
		await n8n.prepare();
		const credentials = path.join(n8n.userFolder, 'openai-credential.json');
		fs.writeFileSync(credentials, JSON.stringify([openAiCredential(stub.url)]));
		await n8n.cli(['import:credentials', `--input=${credentials}`]);
		for (const workflow of [PLACE, GUARDED, HTTP_WITH_AICC_CREDENTIAL])
			await n8n.importWorkflow(workflow);
	}, INSTALL_TIME);

	afterAll(async () => {
		await n8n?.stop();
		await stub?.stop();
		await sim?.stop();
	});

	beforeEach(() => {
		sim.log.clear();
		stub.requests.length = 0;
	});

	const OTHER_SECRETS = [SIM_KEYS.appKey, 'stub-openai-key'];

	test('the model asks for a call: placed once, the answer quotes its callSerialNo', async () => {
		args = { agentNumber: '88889050', customerNumber: '13800138000' };
		const { run } = await n8n.execute(PLACE.id);
		expect(run.status).toBe('success');

		const calls = sim.log.for('createCallV1');
		expect(calls).toHaveLength(1);
		expect(calls[0].body).toEqual({ caller: '88889050', called: '13800138000' });
		const callSerialNo = /"callSerialNo":(\d{19})/.exec(calls[0].response)[1];

		expect(stub.requests).toHaveLength(2);
		const [tool] = stub.requests[0].tools;
		expect(tool).toMatchObject({
			type: 'function',
			function: {
				name: TOOL_NAME,
				description: expect.any(String),
				parameters: {
					type: 'object',
					properties: { agentNumber: { type: 'string' }, customerNumber: { type: 'string' } },
				},
			},
		});
		const toolResult = stub.requests[1].messages.find((message) => message.role === 'tool');
		expect(toolResult.content).toContain(callSerialNo);

		const [[answer]] = nodeOutput(run, 'AI Agent');
		expect(answer.output).toContain(`callSerialNo ${callSerialNo}`);
		expectNoSecrets(sim, [run, stub.requests], OTHER_SECRETS);
	});

	test('Allowed Called Numbers refuses a number unsent; the model is told why', async () => {
		args = { agentNumber: '88889050', customerNumber: '13900139000' };
		const { run } = await n8n.execute(GUARDED.id);
		expect(run.status).toBe('success');

		expect(sim.log.entries).toEqual([]);
		expect(stub.requests).toHaveLength(2);
		// A tool node's error reaches the model as the tool result: [{"error":"<message>"}].
		const toolResult = stub.requests[1].messages.find((message) => message.role === 'tool');
		const [{ error }] = JSON.parse(toolResult.content);
		// As a tool the node gets one item per call: the message names no item.
		expect(error).toBe(
			'Called (called) is 13900139000, which matches none of the Allowed Called Numbers' +
				' (+86138, 0755). Check the number. If it should be callable, add its prefix to' +
				" the node's Allowed Called Numbers option.",
		);
		expect(nodeOutput(run, 'AI Agent')[0][0].output).toContain('The call was not placed');
		expectNoSecrets(sim, [run, stub.requests], OTHER_SECRETS);
	});

	test('the HTTP Request node cannot use the AICC credential; the tool variant can', async () => {
		const { run } = await n8n.execute(HTTP_WITH_AICC_CREDENTIAL.id);
		expect(run.status).toBe('error');
		expect(run.data.resultData.error.message).toBe(
			'Credential type "aiccApi" is restricted to specific nodes',
		);
		expect(sim.log.entries).toEqual([]);

		await n8n.start();
		const cookie = await n8n.login();
		// The editor's credential type list (HTTP Request, predefined credential type) leaves out
		// restricted types whose supportedNodes lack the node.
		const credentials = await (
			await fetch(`${n8n.url}/types/credentials.json`, { headers: { cookie } })
		).json();
		expect(credentials.find((credential) => credential.name === 'aiccApi')).toMatchObject({
			restrictToSupportedNodes: true,
			supportedNodes: ['n8n-nodes-aicc.aiccCall'],
		});
		const save = async ({ id, ...workflow }) => {
			const response = await fetch(`${n8n.url}/rest/workflows`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', cookie },
				body: JSON.stringify({ ...workflow, name: `${workflow.name} (${id}, saved)` }),
			});
			return { status: response.status, body: await response.json() };
		};
		const refused = await save(HTTP_WITH_AICC_CREDENTIAL);
		expect(refused.status).toBe(400);
		expect(refused.body.message).toContain(
			'Node "HTTP Request" (n8n-nodes-base.httpRequest) cannot use credential type "aiccApi"',
		);
		expect((await save(PLACE)).status).toBe(200);

		// The restriction leaves the credential test alone.
		const tested = await fetch(`${n8n.url}/rest/credentials/test`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', cookie },
			body: JSON.stringify({
				credentials: {
					...CREDENTIAL,
					type: 'aiccApi',
					data: { baseUrl: sim.url, ...SIM_KEYS, expiresIn: 600 },
				},
			}),
		});
		expect((await tested.json()).data).toEqual({ status: 'OK', message: 'Connection successful!' });
	});
});
