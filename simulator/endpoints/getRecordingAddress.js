'use strict';

/**
 * POST /apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress: a pre-signed recording URL,
 * valid for 5 minutes (`recordingValidMs`), served by ./recording. Here the documentation types
 * retCode as a number.
 */
const { queryEndpoint } = require('./common');
const { recordingUrl } = require('./recording');

module.exports = queryEndpoint(
	'getRecordingAddress',
	{ failure: 'Failure', numericCode: true },
	({ sim, body, reply }) => {
		const call = sim.calls.get(String(body.callSerialNo ?? ''));
		if (!call || !call.answered)
			return reply(200, { retCode: 5, retMsg: 'No corresponding history record' });
		return reply(200, {
			retCode: 0,
			retMsg: 'success',
			result: { url: recordingUrl(sim, call.callSerialNo) },
		});
	},
);
