/**
 * What AICC says about a call (queryCallState, call records, release and connection
 * callbacks), made readable: state and reason codes in words, timestamps also as ISO 8601,
 * durations as numbers. AICC's `caller` becomes `callerNumber`, because n8n 2.x expressions
 * refuse `$json.caller`.
 */
const STATE_TEXT: Record<string, string> = {
	'0': 'waiting',
	'1': 'calling',
	'2': 'talking',
	'3': 'ended',
};

export const REASON_TEXT: Record<string, string> = {
	'0': 'the called party hung up',
	'1': 'the caller hung up',
	'2': 'the call to the caller failed',
	'3': 'the call to the called party failed',
	'4': 'the caller did not answer',
	'5': 'the called party did not answer',
	'6': 'the call could not start',
};

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * A timestamp AICC sent (ms or s since 1970, or a date text) as ISO 8601, or null. AICC sends 0
 * for a moment that never came (an unanswered call's talkingTime); other bare numbers are no
 * date either, though Date.parse would make '0' the year 2000.
 */
function isoTime(value: unknown): string | null {
	if (!present(value)) return null;
	const text = String(value).trim();
	let ms: number;
	if (/^\d+$/.test(text) && Number(text) === 0) return null;
	if (/^\d{13}$/.test(text)) ms = Number(text);
	else if (/^\d{10}$/.test(text)) ms = Number(text) * 1000;
	else if (/^\d+$/.test(text)) return null;
	else
		ms = Date.parse(
			text.includes('T') || !/^\d{4}-\d{2}-\d{2} /.test(text) ? text : text.replace(' ', 'T'),
		);
	return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** A number AICC sent as text, or null. */
function numberOrNull(value: unknown): number | null {
	if (!present(value)) return null;
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

/** A value AICC sent (a code, a time) as text, or null when it sent none. */
export function textOrNull(value: unknown): string | null {
	return present(value) ? String(value) : null;
}

/** A state code in words (an undocumented one as "state N"), or null for none. */
export function stateText(code: string | null): string | null {
	return code === null ? null : (STATE_TEXT[code] ?? `state ${code}`);
}

/** A voice notification's release reasons (its release callback's page, cec_07_2805). */
export const VOICE_REASON_TEXT: Record<string, string> = {
	'0': 'the called party answered, then hung up',
	'1': 'the called party hung up after the notice was played',
	'4': 'the called party rejected the call or did not answer',
	'6': 'the call failed before it rang',
	'8': 'no resources were available',
	'9': 'the call timed out in the queue',
	'10': 'the call was restricted',
	'999': 'the platform (UAP) failed to start recording',
};

/** Codes both tables have with the same meaning, put either way: the two-way text is used. */
const SAME_IN_BOTH = ['0', '6'];

/**
 * A reason code of a call whose kind is unknown (call records of several kinds): the one meaning
 * where the tables agree or only one has the code, both readings where they differ (1 and 4).
 */
const ANY_KIND_REASON_TEXT: Record<string, string> = Object.fromEntries(
	[...new Set([...Object.keys(REASON_TEXT), ...Object.keys(VOICE_REASON_TEXT)])].map((code) => {
		const twoWay = REASON_TEXT[code];
		const voice = VOICE_REASON_TEXT[code];
		if (voice === undefined || SAME_IN_BOTH.includes(code)) return [code, twoWay];
		if (twoWay === undefined) return [code, `${voice} (a voice notification)`];
		return [code, `${twoWay}; in a voice notification: ${voice}`];
	}),
);

/**
 * The kinds of calls AICC keeps records of. ITA calls are bidirectional calls on another back end
 * (their records are read as bidirectional ones).
 */
export type RecordCallType = 'bidirectional' | 'anonymous' | 'voiceNotification';

const REASON_TABLE: Record<RecordCallType | 'unknown', Record<string, string>> = {
	bidirectional: REASON_TEXT,
	anonymous: REASON_TEXT,
	voiceNotification: VOICE_REASON_TEXT,
	unknown: ANY_KIND_REASON_TEXT,
};

/**
 * A release reason code in words (an undocumented one as "reason N"), or null for none: by the
 * table of the call's kind (by default a bidirectional call's); `unknown` when the call may be of
 * any kind.
 */
export function reasonText(
	code: string | null,
	callType: RecordCallType | 'unknown' = 'bidirectional',
): string | null {
	return code === null ? null : (REASON_TABLE[callType][code] ?? `reason ${code}`);
}

/** The times a call record and a release callback carry; each gains an `…Iso` twin. */
export const CALL_TIME_FIELDS = [
	'alertingTime',
	'talkingTime',
	'releaseTime',
	'agentAlertingTime',
	'agentTalkingTime',
	'agentReleaseTime',
];

/** The durations a call record and a release callback carry, as numbers. */
export const CALL_DURATION_FIELDS = ['talkDuration', 'agentTalkDuration'];

/**
 * A call as AICC describes it, readable: `timeFields` gain an `…Iso` twin, `durationFields`
 * become numbers, `caller` becomes `callerNumber`. Other fields pass through.
 */
export function readableCall(
	raw: Record<string, unknown>,
	timeFields: string[],
	durationFields: string[],
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(raw)) {
		if (key === 'caller') out.callerNumber = value ?? '';
		else out[key] = value;
	}
	if (out.callSerialNo !== undefined) out.callSerialNo = String(out.callSerialNo);
	for (const field of timeFields) {
		if (field in raw) out[`${field}Iso`] = isoTime(raw[field]);
	}
	for (const field of durationFields) {
		if (field in raw) out[field] = numberOrNull(raw[field]);
	}
	return out;
}

/**
 * The item with the `leading` keys it has first, in that order, then its other keys as they
 * were: a node's readable fields lead the editor's table instead of ending some 30 columns.
 */
export function leadingFirst<T extends Record<string, unknown>>(
	item: T,
	leading: readonly string[],
): T {
	return Object.fromEntries([
		...leading.filter((key) => key in item).map((key) => [key, item[key]]),
		...Object.entries(item).filter(([key]) => !leading.includes(key)),
	]) as T;
}
