'use strict';

/**
 * The AICC Call node as a tool of n8n's AI Agent, in a real n8n 2.x: a scripted
 * OpenAI-compatible model asks for the call, the tool places it once at the simulator and the
 * agent's answer quotes its callSerialNo; a model that asks for the same call again and again
 * (in a loop, three tool calls at once, or in a second chat message) gets one call placed, and
 * each repeat is told it was not placed again and which call it repeats; the Allowed Called
 * Numbers guard refuses a number the model chose outside the list and the model is told why;
 * and the AICC credential is refused to the HTTP Request node (at run time and on save) while
 * the tool variant may use it.
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
const { INSTALL_TIME, SIM_KEYS, describeLine, expectNoSecrets, getJson } = require('./common');
const { restOf } = require('./rest');

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

const LOOP = agentWorkflow({
	id: 'aiccE2eAgent0003',
	prompt: 'Connect sales agent 88889050 with the customer on 13700137001.',
});
const CHAT_HOOK = 'a9e7c4a7-0000-4000-8000-000000000001';
const CHAT = agentWorkflow({ id: 'aiccE2eAgent0004', chatWebhookId: CHAT_HOOK });

/** The tool results the agent has passed back to the model so far. */
const toolResults = (body) => body.messages.filter((message) => message.role === 'tool');

/** The item a tool result holds (a tool node answers with its items' JSON). */
const itemOf = (result) => JSON.parse(result.content)[0];

/** What the scripted model does next; `args` are the numbers it asks the tool to call. */
let args;
let script;
const toolCall = (body) => ({ name: body.tools[0].function.name, arguments: args });

/** Calls the tool once, then reports what the tool said. */
function callOnce(body) {
	const [result] = toolResults(body);
	if (!result) return { toolCall: toolCall(body) };
	const serial = /callSerialNo\\?"\s*:\s*\\?"?(\d{19})/.exec(result.content);
	if (/"skipped":true/.test(result.content))
		return { content: `The call was not placed again: ${itemOf(result).message}` };
	return {
		content: serial
			? `Done: the call is placed, callSerialNo ${serial[1]}.`
			: `The call was not placed: ${result.content}`,
	};
}

const reply = (body) => script(body);

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
		await n8n.importWorkflows([PLACE, GUARDED, LOOP, CHAT, HTTP_WITH_AICC_CREDENTIAL]);
		await n8n.activate(CHAT.id);
	}, INSTALL_TIME);

	afterAll(async () => {
		await n8n?.stop();
		await stub?.stop();
		await sim?.stop();
	});

	beforeEach(() => {
		sim.log.clear();
		stub.requests.length = 0;
		script = callOnce;
	});

	/** Starts n8n's server once, for the tests that need it. */
	async function started() {
		if (!n8n.process || n8n.process.exitCode !== null) await n8n.start();
	}

	/** Sends a message to the public chat (once n8n has registered its webhook): its answer. */
	async function chat(sessionId, chatInput) {
		for (let tries = 0; tries < 100; tries++) {
			const response = await fetch(`${n8n.url}/webhook/${CHAT_HOOK}/chat`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ action: 'sendMessage', sessionId, chatInput }),
			});
			if (response.status !== 404) {
				expect(response.status).toBe(200);
				return await response.json();
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error('the chat webhook never registered');
	}

	/** The one call the simulator got: its callSerialNo. */
	function onlyCall(called) {
		const calls = sim.log.for('createCallV1');
		expect(calls.map((call) => call.body)).toEqual([{ caller: '88889050', called }]);
		return /"callSerialNo":(\d{19})/.exec(calls[0].response)[1];
	}

	/** What a repeat's tool result must say: not placed again, and which call it repeats. */
	function expectRepeat(item, callSerialNo, executionId) {
		expect(item).toMatchObject({
			skipped: true,
			skipReason: 'duplicate',
			success: true,
			callSerialNo,
			repeats: { callSerialNo, outcome: 'placed', placedAt: expect.any(String) },
		});
		expect(item.repeats.executionId).toEqual(executionId ?? expect.stringMatching(/^\d+$/));
		expect(item.message).toMatch(
			new RegExp(
				'^Skipped as a duplicate, not placed again: ' +
					`execution ${item.repeats.executionId} placed this call at \\S+ ` +
					`\\(callSerialNo ${callSerialNo}\\), with the same called number, agent and call ` +
					'data\\. That was [a-z0-9 ]+ ago\\. The Duplicate Window of 10 minutes holds the ' +
					'same call back for 10 to 20 minutes',
			),
		);
	}

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
			'Called is 13900139000, which matches none of the Allowed Called Numbers' +
				' (+86138, 0755). Check the number. If it should be callable, add its prefix to' +
				" the node's Allowed Called Numbers option.",
		);
		expect(nodeOutput(run, 'AI Agent')[0][0].output).toContain('The call was not placed');
		expectNoSecrets(sim, [run, stub.requests], OTHER_SECRETS);
	});

	test('the model calls the same number in a loop: one call; each repeat is told so', async () => {
		args = { agentNumber: '88889050', customerNumber: '13700137001' };
		// The model keeps asking for the same call until it has three answers.
		script = (body) =>
			toolResults(body).length < 3
				? { toolCall: toolCall(body) }
				: { content: `Asked ${toolResults(body).length} times.` };
		const { run } = await n8n.execute(LOOP.id);
		expect(run.status).toBe('success');

		const callSerialNo = onlyCall('13700137001');
		expect(stub.requests).toHaveLength(4);
		const [first, ...repeats] = toolResults(stub.requests[3]).map(itemOf);
		expect(first).toMatchObject({ success: true, callSerialNo });
		expect(first.skipped).toBeUndefined();
		expect(repeats).toHaveLength(2);
		for (const item of repeats) expectRepeat(item, callSerialNo);
		// Both repeats name the same earlier call: the one this execution placed first.
		expect(repeats[1].repeats).toEqual(repeats[0].repeats);
		expectNoSecrets(sim, [run, stub.requests], OTHER_SECRETS);
	});

	test('the model asks for the same call three times at once: one call', async () => {
		args = { agentNumber: '88889050', customerNumber: '13700137002' };
		script = (body) =>
			toolResults(body).length === 0
				? { toolCalls: [toolCall(body), toolCall(body), toolCall(body)] }
				: { content: 'Asked three times at once.' };
		const { run } = await n8n.execute(LOOP.id);
		expect(run.status).toBe('success');

		const callSerialNo = onlyCall('13700137002');
		expect(stub.requests).toHaveLength(2);
		const items = toolResults(stub.requests[1]).map(itemOf);
		expect(items).toHaveLength(3);
		const placed = items.filter((item) => !item.skipped);
		expect(placed).toEqual([expect.objectContaining({ success: true, callSerialNo })]);
		const repeats = items.filter((item) => item.skipped);
		expect(repeats).toHaveLength(2);
		for (const item of repeats) expectRepeat(item, callSerialNo);
	});

	test('the HTTP Request node cannot use the AICC credential; the tool variant can', async () => {
		const { run } = await n8n.execute(HTTP_WITH_AICC_CREDENTIAL.id);
		expect(run.status).toBe('error');
		expect(run.data.resultData.error.message).toBe(
			'Credential type "aiccApi" is restricted to specific nodes',
		);
		expect(sim.log.entries).toEqual([]);

		await started();
		const cookie = await n8n.login();
		// The editor's credential type list (HTTP Request, predefined credential type) leaves out
		// restricted types whose supportedNodes lack the node.
		const credentials = await getJson(`${n8n.url}/types/credentials.json`, { cookie });
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

	test('two chat messages ask for the same call within the window: one call', async () => {
		await started();
		args = { agentNumber: '88889050', customerNumber: '13700137003' };
		const first = await chat('session-1', 'Call the customer on 13700137003 for agent 88889050.');
		const again = await chat('session-2', 'Please call 13700137003 for agent 88889050 again.');

		const callSerialNo = onlyCall('13700137003');
		expect(first.output).toBe(`Done: the call is placed, callSerialNo ${callSerialNo}.`);
		const executions = await restOf(n8n).settled(CHAT.id, 2);
		expect(executions.map((execution) => execution.status)).toEqual(['success', 'success']);
		const firstId = executions[1].id;
		// Each message is a conversation of its own: a tool call, then the answer.
		expect(stub.requests).toHaveLength(4);
		const repeat = itemOf(toolResults(stub.requests[3])[0]);
		expectRepeat(repeat, callSerialNo, firstId);
		expect(again.output).toBe(`The call was not placed again: ${repeat.message}`);
	});
});
