'use strict';

/**
 * Workflows the end-to-end tests import besides the examples: a webhook that places a call
 * with a given callBackUrl, and AICC Call Event Triggers with different filters, each
 * reporting what it received to the simulator (POST /__sim, action "note").
 */
const CALLBACK_SECRET = 'e2eSecret42';

function trigger(name, webhookId, parameters) {
	return {
		id: `aiccE2eTrig${name.padEnd(5, 'x').slice(0, 5)}`,
		name: `E2E trigger ${name}`,
		nodes: [
			{
				id: `${webhookId}-t`,
				name: 'Call Event',
				type: 'n8n-nodes-aicc.aiccCallTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters,
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
					jsonBody: `={{ JSON.stringify({ action: 'note', note: { workflow: '${name}', event: $json } }) }}`,
					options: {},
				},
			},
		],
		connections: { 'Call Event': { main: [[{ node: 'Report', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
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
				credentials: { aiccApi: { id: 'aiccSimulator001', name: 'AICC Simulator' } },
				parameters: { resource: 'call', operation: 'createBidirectional', ...parameters },
			},
		],
		connections: {
			'Place Call Webhook': { main: [[{ node: 'Place Call', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
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

/** The production URL of a trigger workflow's webhook. */
function triggerUrl(baseUrl, name) {
	return `${baseUrl}/webhook/${TRIGGERS[name].nodes[0].webhookId}/aicc-call-events`;
}

module.exports = { TRIGGERS, PLACE_CALL, CALLBACK_SECRET, triggerUrl, webhookCall };
