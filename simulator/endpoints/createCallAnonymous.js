'use strict';

/**
 * POST /apiaccess/ccmessaging/v1/mobileagent/createcall: the anonymous (masked) outbound call
 * task.
 */
const { plan } = require('../lifecycle');
const { authorize, isText, present, digits } = require('./common');

const MESSAGES = {
	0: 'Success',
	30010000001: 'The feature is not enabled and cannot be used',
	30010000002: 'No SIP server information is found',
	30010000003: 'Input parameter verification failed',
	30010010001: 'Failure to add an outbound call task',
	30010010002: 'The VDN is unavailable',
	30010010003: 'The VDN configuration is abnormal, and the recording path fails to be generated',
	30010019999: 'Other CCM exceptions occur',
	30011010001: 'The call fails to be created because the call setup success event is not received',
	30011019999: 'Other CCUCS exceptions occur',
	30010009999: 'The chat module is abnormal',
};

function valid(body) {
	if (!isText(body.called) || body.called.length > 32 || !/^\+?[0-9*#]+$/.test(body.called))
		return false;
	if (present(body.callData) && (!isText(body.callData) || body.callData.length > 1024))
		return false;
	if (
		present(body.callerPresent) &&
		(!digits(body.callerPresent) || body.callerPresent.length > 32)
	)
		return false;
	return true;
}

function answer(reply, code, message) {
	return reply(200, {
		resultCode: String(code),
		resultDesc: message ?? MESSAGES[code] ?? 'Failure',
	});
}

module.exports = {
	name: 'createCallAnonymous',
	method: 'POST',
	path: '/apiaccess/ccmessaging/v1/mobileagent/createcall',
	handle(ctx) {
		const { sim, body, reply } = ctx;
		if (!authorize(ctx, { appKeyRequired: true })) return undefined;
		if (ctx.forced) return answer(reply, ctx.forced.code, ctx.forced.message);
		if (!valid(body)) return answer(reply, 30010000003);
		const serial = sim.nextSerial();
		const uvid = String(1000000 + (sim.serialCounter % 9000000));
		sim.calls.set(
			serial,
			plan(sim, {
				callSerialNo: serial,
				kind: 'anonymous',
				called: body.called,
				callData: body.callData ?? '',
				createdAt: Date.now(),
			}),
		);
		return reply(200, {
			resultCode: '0',
			resultDesc: MESSAGES[0],
			resultData: {
				callSerialNo: serial,
				sipServiceAddress: sim.config.sipServiceAddress,
				accesscode: `${sim.config.accessCode}${uvid}`,
			},
		});
	},
};
