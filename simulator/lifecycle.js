'use strict';

/**
 * How a simulated bidirectional call progresses: waiting, then calling (ringing) for `ringMs`;
 * if the customer answers, talking for `talkMs`; then ended. State is computed from the call's
 * timestamps when asked; when the call ends, a release callback is pushed to its callBackUrl
 * (or the tenant-wide `callbackUrl`), as AICC does.
 *
 * Reason codes (queryCallState, releaseReason): 0 called party hung up, 1 caller hung up,
 * 2 call to caller failed, 3 call to called failed, 4 caller did not answer, 5 called did not
 * answer, 6 call could not start.
 */
const { callbackDeliveries } = require('./signing');

const STATE = { waiting: 0, calling: 1, talking: 2, ended: 3 };

/**
 * Voice notification release reasons (callback page 2805): 0 the callee hung up after answering
 * (before the message ended), 1 hung up after the message played, 4 rejected or no answer,
 * 6 failed before ringing, 8 no resources, 9 queue timeout, 10 call restricted, 999 the recording
 * conference could not start. `voiceOutcomes` ({ number: reason }) forces one per called number;
 * otherwise an answered notification plays to the end (1) and an unanswered one gives 4.
 */
const VOICE_NEVER_RANG = [6, 8, 9, 10];
const VOICE_ANSWERED = [0, 1, 999];

function planVoice(sim, call) {
	const { ringMs = 300, talkMs = 500, unansweredNumbers = [], voiceOutcomes = {} } = sim.config;
	const picks = sim.config.answer !== false && !unansweredNumbers.includes(call.called);
	const reason = Number(voiceOutcomes[call.called] ?? (picks ? 1 : 4));
	const answered = VOICE_ANSWERED.includes(reason);
	const created = call.createdAt;
	const alerting = VOICE_NEVER_RANG.includes(reason) ? undefined : created + 20;
	const talking = answered ? alerting + ringMs : undefined;
	const listened = { 0: Math.round(talkMs / 2), 1: talkMs }[reason] ?? 0;
	let released = created + 20;
	if (answered) released = talking + listened;
	else if (alerting !== undefined) released = alerting + ringMs;
	return {
		...call,
		answered,
		alertingAt: alerting,
		talkingAt: talking,
		releasedAt: released,
		reasonCode: reason,
	};
}

/** Plans a new call's timeline from the simulator's configuration. */
function plan(sim, call) {
	if (call.kind === 'voiceNotification') return planVoice(sim, call);
	const { ringMs = 300, talkMs = 500, unansweredNumbers = [] } = sim.config;
	const answered = sim.config.answer !== false && !unansweredNumbers.includes(call.called);
	const created = call.createdAt;
	const alerting = created + 20;
	const talking = answered ? alerting + ringMs : undefined;
	const released = answered ? talking + talkMs : alerting + ringMs;
	return {
		...call,
		answered,
		alertingAt: alerting,
		talkingAt: talking,
		releasedAt: released,
		reasonCode: answered ? 0 : 5,
	};
}

function stateOf(call, now = Date.now()) {
	if (now < call.alertingAt) return STATE.waiting;
	if (call.talkingAt === undefined ? now < call.releasedAt : now < call.talkingAt)
		return STATE.calling;
	if (now < call.releasedAt) return STATE.talking;
	return STATE.ended;
}

const asText = (value) => (value === undefined || value === null ? '' : String(value));

/** AICC's createCallTime as the voice notification callback sample writes it (UTC here). */
function consoleTime(ms) {
	const date = new Date(ms);
	const pad = (value, length = 2) => String(value).padStart(length, '0');
	return (
		`${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())},` +
		`${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}:` +
		pad(date.getUTCMilliseconds(), 3)
	);
}

/**
 * A voice notification's release callback body (page 2805): no serviceNo, caller, callData or
 * agent fields; createCallTime as in the page's sample, the other times in ms like a call's.
 */
function voiceReleaseBody(call) {
	return {
		callSerialNo: call.callSerialNo,
		called: asText(call.called),
		callerPresent: asText(call.callerPresent),
		createCallTime: consoleTime(call.createdAt),
		alertingTime: asText(call.alertingAt),
		talkingTime: asText(call.talkingAt),
		releaseTime: asText(call.releasedAt),
		talkDuration: asText(
			call.talkingAt === undefined ? 0 : Math.round((call.releasedAt - call.talkingAt) / 1000),
		),
		recordfile: '',
		locationId: '1',
		releaseReason: asText(call.reasonCode),
	};
}

/** The release callback body: every value a string, as the documentation lists them. */
function releaseBody(call) {
	if (call.kind === 'voiceNotification') return voiceReleaseBody(call);
	const talkSeconds =
		call.talkingAt === undefined ? 0 : Math.round((call.releasedAt - call.talkingAt) / 1000);
	return {
		callSerialNo: call.callSerialNo,
		serviceNo: asText(call.agentWorkNo || '10086'),
		called: asText(call.called),
		caller: asText(call.caller),
		callerPresent: asText(call.callerPresent),
		callData: asText(call.callData),
		createCallTime: asText(call.createdAt),
		alertingTime: asText(call.alertingAt),
		talkingTime: asText(call.talkingAt),
		releaseTime: asText(call.releasedAt),
		talkDuration: asText(talkSeconds),
		recordfile: call.answered ? `/record/${call.callSerialNo}.wav` : '',
		locationId: '1',
		releaseReason: asText(call.reasonCode),
		agentAlertingTime: asText(call.createdAt + 5),
		agentTalkingTime: asText(call.alertingAt),
		agentReleaseTime: asText(call.releasedAt),
		agentTalkDuration: asText(Math.round((call.releasedAt - call.alertingAt) / 1000)),
	};
}

/** Registers a call and schedules its release callback; returns the planned call. */
function startCall(sim, call) {
	const planned = plan(sim, call);
	sim.calls.set(planned.callSerialNo, planned);
	const target = planned.callBackUrl ?? sim.config.callbackUrl;
	if (target) {
		const timer = setTimeout(
			() => pushCallback(sim, target, releaseBody(planned)),
			Math.max(0, planned.releasedAt - Date.now()),
		);
		sim.timers.add(timer);
		timer.unref?.();
	}
	return planned;
}

/**
 * Sends a callback body to `url` as AICC would: signed when the simulator has a `callbackKey`,
 * and as a queued callback fault says (see ./signing). Resolves with what each delivery got.
 */
async function pushCallback(sim, url, body) {
	const records = [];
	for (const sent of callbackDeliveries(sim, body)) records.push(await deliver(sim, url, sent));
	return records;
}

async function deliver(sim, url, body) {
	const record = { url, body, status: null, response: null, at: new Date().toISOString() };
	sim.callbacks.push(record);
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		record.status = response.status;
		record.response = await response.text();
	} catch (error) {
		record.status = 0;
		record.response = String(error.cause?.code ?? error.message);
	}
	if (typeof sim.config.onCallback === 'function') sim.config.onCallback(record);
	return record;
}

/**
 * A delivered callback in one line, for a console: the URL without its query (which may hold the
 * trigger's secret), the HTTP status and, when the trigger left a test event out, why.
 */
function describeCallback(record) {
	let where = record.url;
	try {
		const url = new URL(record.url);
		where = `${url.origin}${url.pathname}`;
	} catch {
		where = String(record.url).split('?')[0];
	}
	// n8n answers 404 to a Test URL it is not listening on: a newcomer placed the call minutes
	// after clicking Execute step, and n8n had stopped listening.
	const notListening =
		record.status === 404 && /\/webhook-test\//.test(where)
			? ": n8n was not listening. Click the AICC Trigger's Execute step, then place the call " +
				'within 2 minutes (n8n listens that long, for one event)'
			: '';
	let ignored = '';
	try {
		const answer = JSON.parse(record.response);
		if (typeof answer?.ignored === 'string') ignored = `: ${answer.ignored}`;
	} catch {
		// Not JSON (e.g. n8n's 404 page): nothing to add.
	}
	const answered =
		record.status === 0
			? `not delivered (${record.response}): nothing received it. Put an AICC Trigger's Test or ` +
				"Production URL into the call's Callback URL (the examples' n8n.example.com is a " +
				'placeholder)'
			: `HTTP ${record.status}${notListening}`;
	return `callback for ${record.body.callSerialNo} to ${where}: ${answered}${ignored}`;
}

module.exports = {
	STATE,
	plan,
	startCall,
	stateOf,
	releaseBody,
	pushCallback,
	describeCallback,
};
