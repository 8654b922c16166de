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

/** A release reason code in words (an undocumented one as "reason N"), or null for none. */
export function reasonText(code: string | null): string | null {
	return code === null ? null : (REASON_TEXT[code] ?? `reason ${code}`);
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
