'use strict';

/**
 * POST /apiaccess/CC-Management/v1/mobileAgent/queryCallState: a call's state and reason. Huawei's
 * page does not say it knows voice-notification serials, so the simulator takes the cautious
 * reading: it answers 3 (incorrect serial) for them.
 */
const { stateOf, STATE } = require('../lifecycle');
const { queryEndpoint } = require('./common');

module.exports = queryEndpoint(
	'queryCallState',
	{ failure: 'Query failed' },
	({ sim, body, reply }) => {
		const call = sim.calls.get(String(body.callSerialNo ?? ''));
		if (!call || call.kind === 'voiceNotification')
			return reply(200, { retCode: '3', retMsg: 'The call serial number is incorrect' });
		const state = stateOf(call);
		return reply(200, {
			retCode: '0',
			retMsg: 'success',
			result: {
				state,
				reasonCode: state === STATE.ended ? call.reasonCode : undefined,
				callData: call.callData,
				caller: call.caller,
				called: call.called,
				callerPresent: call.callerPresent ?? '',
				agentPresent: call.agentPresent ?? '',
				startTime: call.createdAt,
				endTime: state === STATE.ended ? call.releasedAt : undefined,
			},
		});
	},
);
