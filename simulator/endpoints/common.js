'use strict';

/**
 * What the call endpoints share: the gateway's token check (401 for a missing, unknown or
 * expired token, and for every token of an App not subscribed to the API), the X-APP-Key
 * check, what every query endpoint does first, and the documented field limits.
 */
function authorize(ctx, { appKeyRequired }) {
	const { sim, headers, reply, entry } = ctx;
	const auth = sim.authenticate(headers);
	const appKeyHeader = headers['x-app-key'];
	const appKey =
		appKeyHeader === undefined ? 'missing' : appKeyHeader === auth.appKey ? 'match' : 'mismatch';
	entry.auth = { token: auth.status, appKey };
	if (auth.status !== 'valid') {
		reply(401, {
			error_code: 'APIGW.0307',
			error_msg: `Unauthorized operation: the token is ${auth.status}`,
		});
		return false;
	}
	if (sim.config.unsubscribed) {
		entry.auth.token = 'unsubscribed';
		reply(401, {
			error_code: 'APIGW.0305',
			error_msg: 'Unauthorized operation: the App is not subscribed to this API',
		});
		return false;
	}
	if ((appKeyRequired && appKey === 'missing') || appKey === 'mismatch') {
		reply(400, {
			error_code: 'APIGW.0106',
			error_msg: 'Incorrect request: X-APP-Key is missing or does not match the token',
		});
		return false;
	}
	if (!ctx.body || typeof ctx.body !== 'object' || Array.isArray(ctx.body)) {
		reply(400, {
			error_code: 'APIGW.0101',
			error_msg: 'Incorrect request: the body must be a JSON object',
		});
		return false;
	}
	return true;
}

/**
 * A mobileAgent query (POST /apiaccess/CC-Management/v1/mobileAgent/<name>): the token check,
 * then a return code a scenario forced, else `answer(ctx)`. `numericCode`: the documentation
 * types this endpoint's retCode as a number.
 */
function queryEndpoint(name, { failure, numericCode = false }, answer) {
	return {
		name,
		method: 'POST',
		path: `/apiaccess/CC-Management/v1/mobileAgent/${name}`,
		handle(ctx) {
			if (!authorize(ctx, { appKeyRequired: false })) return undefined;
			if (!ctx.forced) return answer(ctx);
			const { code, message } = ctx.forced;
			return ctx.reply(200, {
				retCode: numericCode ? Number(code) : String(code),
				retMsg: message ?? failure,
			});
		},
	};
}

const isText = (value) => typeof value === 'string';
const present = (value) => value !== undefined && value !== null && value !== '';
const digits = (value) => isText(value) && /^[0-9]+$/.test(value);

module.exports = { authorize, queryEndpoint, isText, present, digits };
