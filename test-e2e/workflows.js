'use strict';

/**
 * Workflows the end-to-end tests import besides the examples: a webhook that places a call
 * with a given callBackUrl, and AICC Triggers with different filters, each
 * reporting what it received to the simulator (POST /__sim, action "note"); and the parts the
 * benchmark shares.
 */
const { CREDENTIAL } = require('../scripts/local-n8n');

const CALLBACK_SECRET = 'e2eSecret42';
/** A secret holding what n8n's query parser splits or decodes: = & + % [ */
const AWKWARD_SECRET = 'e2e=Se&cr+et%1[x';
/** The AICC Callback Key credential the signed trigger uses, and its shared key. */
const CALLBACK_KEY = {
	id: 'aiccCallbackKey1',
	name: 'AICC Callback Key',
	key: 'e2e-shared-key-0123456',
};
const AICC_CREDENTIALS = { aiccApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
const SETTINGS = { executionOrder: 'v1' };

/** Makes nodes whose ids are `idPrefix` and a two-digit suffix. */
function nodeMaker(idPrefix) {
	return (suffix, name, type, typeVersion, position, parameters, extra = {}) => ({
		id: `${idPrefix}${suffix}`,
		name,
		type,
		typeVersion,
		position,
		parameters,
		...extra,
	});
}

/** Connections that pass each node's items to the next, in order. */
function chain(names) {
	return Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, index) => [
				name,
				{ main: [[{ node: names[index + 1], type: 'main', index: 0 }]] },
			]),
	);
}

/** AICC Call parameters that call each item's `phone` from agent 88889050. */
function callEachPhone(options) {
	return {
		resource: 'call',
		operation: 'createBidirectional',
		caller: '88889050',
		called: '={{ $json.phone }}',
		options,
	};
}

/**
 * Manual Trigger → a list of `phones` → one item each → `call`, the node under test, named
 * "Call": { type, typeVersion, parameters, extra }.
 */
function phonesToCall({ id, name, idPrefix, phones, call }) {
	const node = nodeMaker(idPrefix);
	const list = JSON.stringify({ phones: phones.map((phone) => ({ phone })) });
	const split = { fieldToSplitOut: 'phones', options: {} };
	return {
		id,
		name,
		nodes: [
			node('01', 'Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node('02', 'Numbers', 'n8n-nodes-base.set', 3.4, [220, 0], {
				mode: 'raw',
				jsonOutput: list,
				options: {},
			}),
			node('03', 'One Item Each', 'n8n-nodes-base.splitOut', 1, [440, 0], split),
			node('04', 'Call', call.type, call.typeVersion, [660, 0], call.parameters, call.extra),
		],
		connections: chain(['Start', 'Numbers', 'One Item Each', 'Call']),
		settings: SETTINGS,
		active: false,
	};
}

function trigger(name, webhookId, parameters, credentials) {
	const report = `{ action: 'note', note: { workflow: '${name}', event: $json } }`;
	return {
		id: `aiccE2eTrig${name.padEnd(5, 'x').slice(0, 5)}`,
		name: `E2E trigger ${name}`,
		nodes: [
			{
				id: `${webhookId}-t`,
				name: 'Call Event',
				type: 'n8n-nodes-aicc.aiccCallEventTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters,
				...(credentials ? { credentials } : {}),
			},
			{
				id: `${webhookId}-r`,
				name: 'Report',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: 'SIMULATOR_URL/__sim',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: `={{ JSON.stringify(${report}) }}`,
					options: {},
				},
			},
		],
		connections: chain(['Call Event', 'Report']),
		settings: SETTINGS,
		active: false,
	};
}

const TRIGGERS = {
	all: trigger('all', '0a1c2e3f-0000-4000-8000-00000000a11a', { secret: CALLBACK_SECRET }),
	answered: trigger('answered', '0a1c2e3f-0000-4000-8000-0000000000a2', { answered: 'answered' }),
	unanswered: trigger('unanswered', '0a1c2e3f-0000-4000-8000-0000000000a3', {
		answered: 'unanswered',
	}),
	reason5: trigger('reason5', '0a1c2e3f-0000-4000-8000-0000000000a4', { releaseReasons: ['5'] }),
	connected: trigger('connected', '0a1c2e3f-0000-4000-8000-0000000000a5', {
		events: ['connected'],
	}),
	awkward: trigger('awkward', '0a1c2e3f-0000-4000-8000-0000000000a6', { secret: AWKWARD_SECRET }),
	signed: trigger(
		'signed',
		'0a1c2e3f-0000-4000-8000-0000000000a7',
		{},
		{ aiccCallbackKeyApi: { id: CALLBACK_KEY.id, name: CALLBACK_KEY.name } },
	),
};

/**
 * A webhook (POST /webhook/<path>, answering with the last node's item) that places a
 * bidirectional call with the given AICC Call parameters.
 */
function webhookCall({ id, name, path, uuid, parameters }) {
	return {
		id,
		name,
		nodes: [
			{
				id: `${uuid}01`,
				name: 'Place Call Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${uuid}aa`,
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
			},
			{
				id: `${uuid}02`,
				name: 'Place Call',
				type: 'n8n-nodes-aicc.aiccCall',
				typeVersion: 1,
				position: [220, 0],
				credentials: AICC_CREDENTIALS,
				parameters: { resource: 'call', operation: 'createBidirectional', ...parameters },
			},
		],
		connections: chain(['Place Call Webhook', 'Place Call']),
		settings: SETTINGS,
		active: false,
	};
}

const PLACE_CALL = webhookCall({
	id: 'aiccE2ePlaceCall',
	name: 'E2E place a call with a callback URL',
	path: 'e2e-place-call',
	uuid: '5e1f0000-0000-4000-8000-0000000000',
	parameters: {
		caller: '={{ $json.body.agent }}',
		called: '={{ $json.body.customer }}',
		additionalFields: { callBackUrl: '={{ $json.body.callBackUrl }}' },
		options: {},
	},
});

/** A call the simulator knows as answered, whose recording RECORDING downloads. */
const RECORDED_SERIAL = '1795322914835007777';

/** Manual Trigger → the serial number → Get Recording URL with Download Recording. */
const RECORDING = (() => {
	const node = nodeMaker('7ec0d000-0000-4000-8000-0000000000');
	return {
		id: 'aiccE2eRecording',
		name: 'E2E download a recording',
		nodes: [
			node('01', 'Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node('02', 'Serial', 'n8n-nodes-base.set', 3.4, [220, 0], {
				mode: 'raw',
				jsonOutput: JSON.stringify({ callSerialNo: RECORDED_SERIAL }),
				options: {},
			}),
			node(
				'03',
				'Recording',
				'n8n-nodes-aicc.aiccCall',
				1,
				[440, 0],
				{
					resource: 'call',
					operation: 'getRecordingUrl',
					callSerialNo: '={{ $json.callSerialNo }}',
					download: true,
					binaryPropertyName: 'recording',
					options: {},
				},
				{ credentials: AICC_CREDENTIALS },
			),
		],
		connections: chain(['Start', 'Serial', 'Recording']),
		settings: SETTINGS,
		active: false,
	};
})();

/** The production URL of a trigger workflow's webhook. */
function triggerUrl(baseUrl, name) {
	return `${baseUrl}/webhook/${TRIGGERS[name].nodes[0].webhookId}/aicc-call-events`;
}

module.exports = {
	TRIGGERS,
	PLACE_CALL,
	RECORDING,
	RECORDED_SERIAL,
	CALLBACK_SECRET,
	AWKWARD_SECRET,
	CALLBACK_KEY,
	AICC_CREDENTIALS,
	SETTINGS,
	triggerUrl,
	webhookCall,
	nodeMaker,
	chain,
	phonesToCall,
	callEachPhone,
};
