import type { IDataObject } from 'n8n-workflow';

import {
	CALL_DURATION_FIELDS,
	CALL_TIME_FIELDS,
	leadingFirst,
	readableCall,
	reasonText,
	textOrNull,
} from '../../shared/callRecord';
import { zonedTime } from '../../shared/time';

/**
 * What a callback body means, made readable. Two kinds of calls call back:
 * - a bidirectional (two-way) call: a release callback (callSerialNo, serviceNo, called, caller,
 *   callData, times, releaseReason 0-6, agent times) and a connection callback (callSerialNo,
 *   serviceNo, called, callData);
 * - a voice notification: a release callback only (callSerialNo, called, callerPresent, times,
 *   recordfile, locationId, releaseReason 0/1/4/6/8/9/10/999), with no serviceNo, caller,
 *   callData or agent fields.
 */

export type CallType = 'bidirectional' | 'voiceNotification';

/** Fields only a bidirectional call's callbacks carry: any one of them tells the kind. */
const BIDIRECTIONAL_ONLY = [
	'serviceNo',
	'caller',
	'callData',
	'agentAlertingTime',
	'agentTalkingTime',
	'agentReleaseTime',
	'agentTalkDuration',
];

/**
 * Which kind of call a callback is about: as the trigger's "Callbacks From" says, or, when it says
 * "detect", a bidirectional call when the body has any field only bidirectional callbacks carry
 * (AICC documents serviceNo as always sent), else a voice notification.
 */
export function callTypeOf(body: IDataObject, setting: string): CallType {
	if (setting === 'bidirectional' || setting === 'voiceNotification') return setting;
	return BIDIRECTIONAL_ONLY.some((field) => field in body) ? 'bidirectional' : 'voiceNotification';
}

export type VoiceOutcome = 'answered' | 'playedToEnd' | 'rejectedOrNoAnswer' | 'failed' | 'unknown';

/** What a voice notification's release reason means for the notice. */
const VOICE_OUTCOME: Record<string, VoiceOutcome> = {
	'0': 'answered',
	'1': 'playedToEnd',
	'4': 'rejectedOrNoAnswer',
	'6': 'failed',
	'8': 'failed',
	'9': 'failed',
	'10': 'failed',
	'999': 'failed',
};

export const VOICE_OUTCOME_TEXT: Record<VoiceOutcome, string> = {
	answered: 'answered, but hung up before the notice may have ended',
	playedToEnd: 'answered, and the notice was played to the end',
	rejectedOrNoAnswer: 'rejected, or not answered before the ringing timed out',
	failed: 'the call failed',
	unknown: 'an undocumented release reason',
};

/** Keys the node computes: a callback body's own copies are dropped, never passed for them. */
const TIME_FIELDS = ['createCallTime', ...CALL_TIME_FIELDS];
export const COMPUTED_KEYS = new Set([
	'event',
	'callType',
	'answered',
	'outcome',
	'outcomeText',
	'releaseReasonText',
	'callerNumber',
	...TIME_FIELDS.map((field) => `${field}Iso`),
]);

/** `2022/02/17,13:10:06:836`: how the voice-notification page writes createCallTime. */
const AICC_LOCAL_TIME =
	/^(\d{4})\/(\d{1,2})\/(\d{1,2})[, T](\d{1,2}):(\d{2}):(\d{2})(?:[:.](\d{1,3}))?$/;

/**
 * A time written as `YYYY/MM/DD,HH:MM:SS:mmm` (no zone: read in the workflow's time zone, the
 * tenant's own being unknown), as ISO 8601; null for any other text.
 */
export function localTimeIso(value: unknown, timeZone: string): string | null {
	const match = typeof value === 'string' ? AICC_LOCAL_TIME.exec(value.trim()) : null;
	if (!match) return null;
	const parts = [...match.slice(1, 7).map(Number), Number((match[7] ?? '0').padEnd(3, '0'))];
	// An unknown time zone name: the time stays unread rather than read in the wrong zone.
	const utc = zonedTime(parts, timeZone);
	return utc !== undefined && Number.isFinite(utc) ? new Date(utc).toISOString() : null;
}

/** The body without the node's own keys (and without what signed it, once checked). */
function sentFields(body: IDataObject, drop: string[]): IDataObject {
	return Object.fromEntries(
		Object.entries(body).filter(([key]) => !COMPUTED_KEYS.has(key) && !drop.includes(key)),
	);
}

/**
 * The `…Iso` twins of times in AICC's `YYYY/MM/DD,HH:MM:SS:mmm` form, read in the workflow's time
 * zone (JavaScript's Date.parse reads some of them in the n8n process's zone, others not at all).
 */
function withLocalTimes(event: IDataObject, sent: IDataObject, timeZone: string): IDataObject {
	for (const field of TIME_FIELDS) {
		const value = sent[field];
		if (typeof value === 'string' && AICC_LOCAL_TIME.test(value.trim()))
			event[`${field}Iso`] = localTimeIso(value, timeZone);
	}
	return event;
}

/** Whether a talking time is a moment (AICC sends 0 or nothing when there was none). */
const talked = (sent: IDataObject) => {
	const talking = textOrNull(sent.talkingTime);
	return talking !== null && talking !== '0';
};

/** The fields an item starts with, when it has them; AICC's fields and `…Iso` twins follow. */
const LEADING = [
	'event',
	'callType',
	'callSerialNo',
	'outcome',
	'outcomeText',
	'answered',
	'releaseReason',
	'releaseReasonText',
];

/** AICC's fields made readable with the node's own, the LEADING ones first. */
function readableEvent(own: IDataObject, sent: IDataObject, timeZone: string): IDataObject {
	const fields = readableCall(sent, TIME_FIELDS, CALL_DURATION_FIELDS) as IDataObject;
	return leadingFirst(withLocalTimes({ ...fields, ...own }, sent, timeZone), LEADING);
}

/** A bidirectional call's release (hang-up) or connection callback, readable. */
function bidirectionalEvent(sent: IDataObject, timeZone: string): IDataObject {
	const released = 'releaseReason' in sent || 'releaseTime' in sent;
	const reason = released ? textOrNull(sent.releaseReason) : null;
	return readableEvent(
		{
			event: released ? 'released' : 'connected',
			callType: 'bidirectional',
			answered: released ? talked(sent) : true,
			releaseReason: reason,
			releaseReasonText: reasonText(reason),
		},
		sent,
		timeZone,
	);
}

/** A voice notification's release callback, readable, with what became of the notice. */
function voiceEvent(sent: IDataObject, timeZone: string): IDataObject {
	const reason = textOrNull(sent.releaseReason);
	const outcome: VoiceOutcome = reason === null ? 'unknown' : (VOICE_OUTCOME[reason] ?? 'unknown');
	const answered =
		outcome === 'answered' || outcome === 'playedToEnd' || (outcome === 'unknown' && talked(sent));
	return readableEvent(
		{
			event: 'released',
			callType: 'voiceNotification',
			outcome,
			outcomeText: VOICE_OUTCOME_TEXT[outcome],
			answered,
			releaseReason: reason,
			releaseReasonText: reasonText(reason, 'voiceNotification'),
		},
		sent,
		timeZone,
	);
}

/**
 * One readable event from a callback body. `drop`: body fields to leave out (the signature
 * fields, once the signature was checked). `timeZone`: the workflow's, for times without a zone.
 */
export function eventOf(
	body: IDataObject,
	callType: CallType,
	timeZone: string,
	drop: string[] = [],
): IDataObject {
	const sent = sentFields(body, drop);
	return callType === 'voiceNotification'
		? voiceEvent(sent, timeZone)
		: bidirectionalEvent(sent, timeZone);
}
