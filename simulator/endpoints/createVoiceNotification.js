'use strict';

/**
 * POST /apiaccess/rest/voiceNotification/v1/createVoiceNotification (V1): `voiceContent`, the
 * message as voice IDs and texts (`$text$`) joined by `~`; and
 * POST /apiaccess/rest/voiceNotification/v2/createVoiceNotification (V2): a `playList` of 1 to 5
 * entries (voiceId, voiceFileName, or templateId with templateParams) played `playTimes` times.
 * Both take called, callerPresent, callBackUrl (Base64) and priority, flat in the body (as
 * Huawei's samples send them), and answer with the return codes their pages document. A placed
 * notification rings, plays and ends like a call (lifecycle.js, kind 'voiceNotification').
 */
const { startCall } = require('../lifecycle');
const { voiceCheck, variablesOf, voicesOf } = require('../voices');
const { authorize, isText, present, digits } = require('./common');

const MESSAGES = {
	0: 'Created successfully.',
	1: 'There is an unfinished task. Try again later.',
	2: 'The callData exceeds 1024 characters.',
	3: 'Failed to create the voice notification.',
	4: 'The softPhone is incorrect.',
	5: 'The called number is empty or incorrect.',
	6: 'The VDN is disabled.',
	7: 'The callerPresent check failed.',
	8: 'The voiceContent is empty, too long, or the recording does not exist.',
	9: 'The value of callBackUrl does not meet the requirements.',
	10: 'The playTimes is not 1 to 5.',
	11: 'The playList is empty or has more than 5 entries.',
	12: 'The voiceId and templateId are both empty.',
	13: 'A template parameter exceeds 32 bytes.',
	14: 'A template parameter contains $, { or }.',
	15: 'The templateParams is empty or has more than 10 entries.',
	16: 'The called number of the trial tenant is not in the trustlist.',
	17: 'The voice or TTS data does not exist.',
	18: 'The voice is not for the voice notification scene.',
	19: 'The voice has not been submitted for review.',
	20: 'The voice has not been reviewed.',
	21: 'The voice was rejected.',
	22: 'The templateId is not a text template.',
	23: 'The voiceId is not an audio recording.',
	36: 'The priority is incorrect.',
};

const MAX_VOICE_CONTENT = 1000;
const CALLBACK_URL = /^https?:\/\/[a-zA-Z0-9\-:./_#?&]+$/;
const NUMBER = /^\+?[0-9*#]+$/;
const isNumber = (value) => isText(value) && value.length <= 32 && NUMBER.test(value);

function decodeCallback(value) {
	if (!isText(value)) return undefined;
	const plain = Buffer.from(value, 'base64').toString('utf8');
	return Buffer.from(plain, 'utf8').toString('base64') === value ? plain : undefined;
}

const inRange = (value, min, max) => {
	const number = Number(value);
	return (isText(value) || typeof value === 'number') && Number.isInteger(number)
		? number >= min && number <= max
		: false;
};

/** The codes both versions check alike: called, callerPresent, callBackUrl, the trial tenant. */
function commonCheck(sim, body) {
	if (!isNumber(body.called)) return 5;
	if (
		present(body.callerPresent) &&
		(!digits(body.callerPresent) || body.callerPresent.length > 32)
	)
		return 7;
	if (present(body.callBackUrl)) {
		const plain = decodeCallback(body.callBackUrl);
		if (!plain || !CALLBACK_URL.test(plain)) return 9;
		const trusted = sim.config.callbackTrustList;
		if (trusted && !trusted.includes(new URL(plain).host)) return 9;
	}
	return 0;
}

function trialCheck(sim, body) {
	const trial = sim.config.trial;
	if (trial?.trustList && !trial.trustList.includes(body.called)) return 16;
	return 0;
}

/** V1: voiceContent is voice IDs and `$text$` parts joined by `~`, at most 1000 characters. */
function checkV1(sim, body) {
	const common = commonCheck(sim, body);
	if (common) return common;
	const content = body.voiceContent;
	if (!isText(content) || content === '' || [...content].length > MAX_VOICE_CONTENT) return 8;
	for (const part of content.split('~')) {
		if (/^\$[^$~]+\$$/.test(part)) continue;
		if (part === '' || voiceCheck(sim, part) !== 0) return 8;
	}
	if (present(body.priority) && !inRange(body.priority, 1, 9)) return 36;
	return trialCheck(sim, body);
}

function checkEntry(sim, entry) {
	if (!entry || typeof entry !== 'object') return 12;
	if (present(entry.voiceId)) return voiceCheck(sim, String(entry.voiceId), 0);
	if (present(entry.voiceFileName)) return 0;
	if (!present(entry.templateId)) return 12;
	const template = String(entry.templateId);
	const found = voiceCheck(sim, template, 2);
	if (found) return found;
	const params = entry.templateParams;
	if (params === undefined) {
		const voice = voicesOf(sim).find((item) => item.voice_id === template);
		return variablesOf(voice).length > 0 ? 15 : 0;
	}
	if (!Array.isArray(params) || params.length === 0 || params.length > 10) return 15;
	for (const param of params) {
		if (!isText(param)) return 15;
		if (/[${}]/.test(param)) return 14;
		if (Buffer.byteLength(param, 'utf8') > 32) return 13;
	}
	return 0;
}

/** V2: a playList of 1 to 5 entries, each a voiceId, voiceFileName or templateId. */
function checkV2(sim, body) {
	const common = commonCheck(sim, body);
	if (common) return common;
	const list = body.playList;
	if (!Array.isArray(list) || list.length === 0 || list.length > 5) return 11;
	for (const entry of list) {
		const code = checkEntry(sim, entry);
		if (code) return code;
	}
	if (present(body.playTimes) && !inRange(body.playTimes, 1, 5)) return 10;
	return trialCheck(sim, body);
}

function answer(reply, code, message) {
	return reply(200, { retCode: String(code), retMsg: message ?? MESSAGES[code] ?? 'Failure' });
}

function createVoiceNotification(version) {
	return {
		name: `createVoiceNotificationV${version}`,
		method: 'POST',
		path: `/apiaccess/rest/voiceNotification/v${version}/createVoiceNotification`,
		handle(ctx) {
			const { sim, body, reply, res, entry } = ctx;
			if (!authorize(ctx, { appKeyRequired: true })) return undefined;
			if (ctx.forced) return answer(reply, ctx.forced.code, ctx.forced.message);
			const code = version === 1 ? checkV1(sim, body) : checkV2(sim, body);
			if (code !== 0) return answer(reply, code);
			const serial = sim.nextSerial();
			startCall(sim, {
				callSerialNo: serial,
				kind: 'voiceNotification',
				version,
				caller: present(body.callerPresent) ? body.callerPresent : sim.config.accessCode,
				called: body.called,
				callerPresent: body.callerPresent,
				voiceContent: body.voiceContent,
				playList: body.playList,
				playTimes: body.playTimes,
				priority: body.priority,
				callData: '',
				callBackUrl: present(body.callBackUrl) ? decodeCallback(body.callBackUrl) : undefined,
				createdAt: Date.now(),
			});
			// As createCall: callSerialNo may come as a bare 19-digit JSON number.
			const serialJson = sim.config.serialAsNumber ? serial : JSON.stringify(serial);
			const result = `{"callSerialNo":${serialJson}}`;
			const text = `{"retCode":"0","retMsg":"${MESSAGES[0]}","result":${result}}`;
			entry.status = 200;
			entry.response = text;
			res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
			res.end(text);
			return undefined;
		},
	};
}

module.exports = [createVoiceNotification(1), createVoiceNotification(2)];
