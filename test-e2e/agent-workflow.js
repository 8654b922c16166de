'use strict';

/**
 * Workflows for the AI Agent end-to-end test: Manual Trigger → n8n's AI Agent with the OpenAI
 * Chat Model (its credential points at the scripted stub) and the AICC Call node as a tool,
 * whose numbers the model fills in through $fromAI; and an HTTP Request node that tries to
 * use the AICC credential as a predefined credential type.
 */
const { AICC_CREDENTIALS, SETTINGS, chain, nodeMaker } = require('./workflows');

const OPENAI_CREDENTIAL = { id: 'openAiStub000001', name: 'OpenAI Stub' };
const TOOL_NODE = 'Place Call';

/** The OpenAI credential for import, pointing at the stub. */
function openAiCredential(stubUrl) {
	return {
		...OPENAI_CREDENTIAL,
		type: 'openAiApi',
		data: { apiKey: 'stub-openai-key', url: stubUrl },
	};
}

const node = nodeMaker('a9e70000-0000-4000-8000-0000000000');

/**
 * The chat trigger of a public chat (embedded mode): POST /webhook/<webhookId>/chat with
 * { action: 'sendMessage', sessionId, chatInput } starts an execution and answers with the
 * agent's output.
 */
function chatTrigger(webhookId) {
	return node(
		'01',
		'Chat',
		'@n8n/n8n-nodes-langchain.chatTrigger',
		1.1,
		[0, 0],
		{ public: true, mode: 'webhook', options: { responseMode: 'lastNode' } },
		{ webhookId },
	);
}

/**
 * The agent workflow; `callOptions` is the AICC Call tool's Options collection. With
 * `chatWebhookId`, a chat message starts it (the message is the prompt) instead of the Manual
 * Trigger and `prompt`.
 */
function agentWorkflow({ id, prompt, callOptions = {}, chatWebhookId }) {
	const start = chatWebhookId
		? chatTrigger(chatWebhookId)
		: node('01', 'Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {});
	return {
		id,
		name: `E2E agent ${id}`,
		nodes: [
			start,
			node('02', 'AI Agent', '@n8n/n8n-nodes-langchain.agent', 3.1, [220, 0], {
				...(chatWebhookId
					? { promptType: 'auto', text: '={{ $json.chatInput }}' }
					: { promptType: 'define', text: prompt }),
				options: {
					systemMessage: 'You place phone calls for sales agents with the tools you have.',
				},
			}),
			node(
				'03',
				'OpenAI Chat Model',
				'@n8n/n8n-nodes-langchain.lmChatOpenAi',
				1.2,
				[140, 220],
				{ model: { __rl: true, mode: 'id', value: 'aicc-stub-model' }, options: {} },
				{ credentials: { openAiApi: OPENAI_CREDENTIAL } },
			),
			node(
				'04',
				TOOL_NODE,
				'n8n-nodes-aicc.aiccCallTool',
				1,
				[360, 220],
				{
					resource: 'call',
					operation: 'createBidirectional',
					caller: "={{ $fromAI('agentNumber', 'The agent phone number, called first', 'string') }}",
					called: "={{ $fromAI('customerNumber', 'The customer phone number', 'string') }}",
					options: callOptions,
				},
				{ credentials: AICC_CREDENTIALS },
			),
		],
		connections: {
			...chain([start.name, 'AI Agent']),
			'OpenAI Chat Model': {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			[TOOL_NODE]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: SETTINGS,
		active: false,
	};
}

/** An HTTP Request node that tries the AICC credential as a predefined credential type. */
const HTTP_WITH_AICC_CREDENTIAL = {
	id: 'aiccE2eHttpCred1',
	name: 'E2E HTTP Request with the AICC credential',
	nodes: [
		node('11', 'Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
		node(
			'12',
			'HTTP Request',
			'n8n-nodes-base.httpRequest',
			4.2,
			[220, 0],
			{
				method: 'POST',
				url: 'SIMULATOR_URL/apiaccess/CC-Management/v1/mobileAgent/createCall',
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'aiccApi',
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '{"caller":"88889050","called":"13800138000"}',
				options: {},
			},
			{ credentials: AICC_CREDENTIALS },
		),
	],
	connections: chain(['Start', 'HTTP Request']),
	settings: SETTINGS,
	active: false,
};

module.exports = {
	agentWorkflow,
	openAiCredential,
	HTTP_WITH_AICC_CREDENTIAL,
	TOOL_NODE,
	OPENAI_CREDENTIAL,
};
