'use strict';

/**
 * POST /apiaccess/CC-Management/v1/mobileAgent/createCall: the bidirectional call, V1; and
 * POST /apiaccess/CC-Management/v3/mobileAgent/createCall: V3, which adds softPhone (required),
 * makes caller optional, and takes no agentPresent or callBackUrl.
 */
const { startCall } = require('../lifecycle');
const { authorize, isText, present, digits } = require('./common');

const MESSAGES = {
	0: 'Add CallOutInfo in DB successfully',
	1: 'Failed to add the outbound call task',
	2: 'Call data information error',
	3: 'The call SN field is not queried',
	5: 'The format of the calling number, called number, or CLIP number is incorrect',
	6: 'The VDN is unavailable',
	8: 'The calling number is not in the softphone number range used by the mobile agent',
	9: 'The value of callBackUrl does not meet the requirements',
	16: 'The agent-side number of the trial tenant is not in the trustlist',
	21:
		'The number of one-click bidirectional calls of the trial tenant exceeds the upper limit' +
		' 10 per day',
	90100100: 'Invalid Input Parameter',
	90100200: 'Auth Failed',
	90100300: 'Bad Request',
	90100400: 'Not found',
	90100600: 'Internal Server Error',
	90102001: 'Insufficient Balance',
	90102002: 'Request Restriction',
	90104001: 'Insufficient Permission',
	90104003: 'Request Forbidden',
	90104004: 'Service Unavailable',
	90104008: 'Service Process Failure',
	90104029: 'Too Many Requests',
	90106001: 'Binding relationship already exists',
	90106002: 'Binding relationship not exists',
	90106003: 'Insufficient Number resources',
	90106004: 'No corresponding number found',
	90106005: 'Inconsistent binding data',
	90106006: 'Other Error',
	90106010: 'Policy Forbid',
	90106011: 'Caller Forbid',
	90106012: 'Callee forbid',
};

const CALLBACK_URL = /^https?:\/\/[a-zA-Z0-9\-:./_#?&]+$/;

function decodeCallback(value) {
	if (!isText(value)) return undefined;
	const plain = Buffer.from(value, 'base64').toString('utf8');
	return Buffer.from(plain, 'utf8').toString('base64') === value ? plain : undefined;
}

const NUMBER = /^\+?[0-9*#]+$/;
const isNumber = (value) => isText(value) && value.length <= 32 && NUMBER.test(value);

/** The return code AICC would give this body, or 0 when it is acceptable. */
function check(sim, body, version) {
	const ita = sim.config.backEnd === 'ita';
	const fail = (code) => (ita && code < 90000000 ? 90100100 : code);
	if (!isNumber(body.called)) return fail(5);
	if (version === 1 ? !isNumber(body.caller) : present(body.caller) && !isNumber(body.caller))
		return fail(5);
	if (version === 3 && !isNumber(body.softPhone)) return fail(5);
	if (ita && (present(body.callData) || present(body.callerPresent) || present(body.agentPresent)))
		return 90100100;
	if (present(body.agentWorkNo) && !/^[0-9]{1,5}$/.test(String(body.agentWorkNo))) return fail(5);
	if (present(body.callData) && (!isText(body.callData) || body.callData.length > 1024))
		return fail(2);
	for (const name of ['callerPresent', 'agentPresent']) {
		if (present(body[name]) && (!digits(body[name]) || body[name].length > 32)) return fail(5);
	}
	if (present(body.callBackUrl)) {
		const plain = decodeCallback(body.callBackUrl);
		if (!plain || !CALLBACK_URL.test(plain)) return fail(9);
		const trusted = sim.config.callbackTrustList;
		if (trusted && !trusted.includes(new URL(plain).host)) return fail(9);
	}
	const trial = sim.config.trial;
	if (trial) {
		if (trial.trustList && !trial.trustList.includes(body.caller)) return 16;
		trial.used = (trial.used ?? 0) + 1;
		if (trial.used > (trial.dailyLimit ?? 10)) return 21;
	}
	return 0;
}

function answer(reply, code, message) {
	return reply(200, { retCode: String(code), retMsg: message ?? MESSAGES[code] ?? 'Failure' });
}

function createCall(version) {
	const mandatory = version === 1 ? ['caller', 'called'] : ['softPhone', 'called'];
	return {
		name: `createCallV${version}`,
		method: 'POST',
		path: `/apiaccess/CC-Management/v${version}/mobileAgent/createCall`,
		handle: (ctx) => handle(ctx, version, mandatory),
	};
}

function handle(ctx, version, mandatory) {
	const { sim, body, reply, res, entry } = ctx;
	if (!authorize(ctx, { appKeyRequired: false })) return undefined;
	if (!mandatory.every((name) => present(body[name]))) {
		return reply(400, {
			error_code: 'APIGW.0101',
			error_msg: `Incorrect request: ${mandatory.join(' and ')} are mandatory`,
		});
	}
	if (version === 3 && (present(body.agentPresent) || present(body.callBackUrl))) {
		return reply(400, {
			error_code: 'APIGW.0101',
			error_msg: 'Incorrect request: V3 takes no agentPresent or callBackUrl',
		});
	}
	if (ctx.forced) return answer(reply, ctx.forced.code, ctx.forced.message);
	const code = check(sim, body, version);
	if (code !== 0) return answer(reply, code);
	const serial = sim.nextSerial();
	startCall(sim, {
		callSerialNo: serial,
		kind: 'bidirectional',
		version,
		caller: body.caller ?? body.softPhone,
		called: body.called,
		softPhone: body.softPhone,
		agentWorkNo: body.agentWorkNo,
		callerPresent: body.callerPresent,
		agentPresent: body.agentPresent,
		callData: body.callData ?? '',
		callBackUrl: present(body.callBackUrl) ? decodeCallback(body.callBackUrl) : undefined,
		createdAt: Date.now(),
	});
	// One version of the page types callSerialNo as a Number: then its 19 digits go out as a bare
	// JSON number, which JSON.parse would round.
	const serialJson = sim.config.serialAsNumber ? serial : JSON.stringify(serial);
	const text = `{"retCode":"0","retMsg":"${MESSAGES[0]}","result":{"callSerialNo":${serialJson}}}`;
	entry.status = 200;
	entry.response = text;
	res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
	res.end(text);
	return undefined;
}

module.exports = [createCall(1), createCall(3)];
