'use strict';

/** POST /apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress: a recording URL valid for 5 minutes. */
const { authorize } = require('./common');

module.exports = {
	name: 'getRecordingAddress',
	method: 'POST',
	path: '/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress',
	handle(ctx) {
		const { sim, body, reply } = ctx;
		if (!authorize(ctx, { appKeyRequired: false })) return undefined;
		if (ctx.forced)
			return reply(200, {
				retCode: Number(ctx.forced.code),
				retMsg: ctx.forced.message ?? 'Failure',
			});
		const call = sim.calls.get(String(body.callSerialNo ?? ''));
		if (!call || !call.answered)
			return reply(200, { retCode: 1, retMsg: 'No recording for this call' });
		// Here the documentation types retCode as a number.
		return reply(200, {
			retCode: 0,
			retMsg: 'success',
			result: {
				url: `${sim.url}/recordings/${call.callSerialNo}.wav?expires=${Date.now() + 300_000}`,
			},
		});
	},
};
