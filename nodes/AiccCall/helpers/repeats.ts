import { createHash } from 'crypto';

/**
 * What the node writes in its call book (helpers/callBook.ts) before it places calls, and what
 * it remembers in this process about the calls it placed, to tell when n8n runs the same work
 * again. Three kinds of entries:
 * - the duplicate guard: the same call (the values an operation names in `sameCall`, or the
 *   user's Duplicate Key) within the Duplicate Window. Time is cut into slots as long as the
 *   window; a call writes its slot and the next one and is a repeat when its own slot is already
 *   written, so a repeat within the window is always caught, and one up to twice the window
 *   later may be;
 * - a run's items: item N of run R (the ID a run keeps in its execution's context data, which
 *   every retry of that execution inherits), so that two retries of one failed execution never
 *   both place an item;
 * - a batch of a run begun: written before the batch's first call, by what the run's items are
 *   (no ID survives a crash), so that a retry of an execution that crashed while placing calls
 *   finds the batches that may have been placed.
 */

const HOUR_MS = 3_600_000;
/** A crashed execution's batches are found by a retry within 12 to 24 hours. */
const CRASH_SLOT_MS = 12 * HOUR_MS;
/** Items of a run written down together, before the first of them is sent. */
export const BATCH = 64;

function digest(parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('base64').slice(0, 24);
}

/** What makes an item's call the same call: its operation, and its key or its values. */
export function callIdentity(operation: string, sameCall: string[], key: string): string {
	return digest(key === '' ? [operation, 'call', ...sameCall] : [operation, 'key', key]);
}

/** The guard's entries for a call now: `check` is written already when it repeats one. */
export function guardEntries(
	identity: string,
	windowMs: number,
	now: number,
): { check: string; forward: string } {
	const slot = Math.floor(now / windowMs);
	const entry = (at: number) => `d|${windowMs}|${identity}|${at}`;
	return { check: entry(slot), forward: entry(slot + 1) };
}

/**
 * Until when the guard holds back a call that repeats one: the end of the slot after the slot of
 * the call it repeats, so 1 to 2 windows after that call. Where that call's time is not known
 * here (another process placed it), at least the end of the slot of `now`.
 */
export function heldUntil(
	windowMs: number,
	placedAt: number | undefined,
	now: number,
): { until: number; exact: boolean } {
	if (placedAt === undefined)
		return { until: (Math.floor(now / windowMs) + 1) * windowMs, exact: false };
	return { until: (Math.floor(placedAt / windowMs) + 2) * windowMs, exact: true };
}

/** The entry of an item of a run. */
export function runItemEntry(runId: string, itemIndex: number): string {
	return `r|${runId}|${itemIndex}`;
}

/** What a run's items are, in order: the same input gives the same fingerprint. */
export function runFingerprint(identities: Array<string | undefined>): string {
	return digest(identities);
}

/** The entry a batch of a run writes before it is sent. */
export function batchEntry(fingerprint: string, batch: number, now: number): string {
	return `b|${fingerprint}|${batch}|${Math.floor(now / CRASH_SLOT_MS)}`;
}

/** The entries that tell whether a batch was begun in the last 12 to 24 hours. */
export function batchEntriesSince(fingerprint: string, batch: number, now: number): string[] {
	return [batchEntry(fingerprint, batch, now), batchEntry(fingerprint, batch, now - CRASH_SLOT_MS)];
}

/** What this process knows of a call it started: for the item that repeats it. */
export interface SeenCall {
	executionId: string;
	/** When it was sent (ms since 1970). */
	at: number;
	outcome: 'inFlight' | 'placed' | 'unknown';
	callSerialNo?: string;
}

/**
 * Calls this process started lately, by identity and by run item, so that an item found to
 * repeat one can say which call it repeats. Only for messages: what is a repeat is the call
 * book's to say. Bounded by age and by count.
 */
const seen = new Map<string, SeenCall & { until: number }>();
const SEEN_KEPT = 10_000;
/** How long a call is remembered here besides its window: a retry of its run may look for it. */
const SEEN_MIN_MS = HOUR_MS;

export function noteCall(keys: string[], call: SeenCall, windowMs: number): void {
	const until = call.at + Math.max(2 * windowMs, SEEN_MIN_MS);
	for (const key of keys) {
		seen.delete(key);
		seen.set(key, { ...call, until });
	}
	for (const [oldest, entry] of seen) {
		if (seen.size <= SEEN_KEPT && entry.until > Date.now()) break;
		seen.delete(oldest);
	}
}

export function forgetCall(keys: string[]): void {
	for (const key of keys) seen.delete(key);
}

export function seenCall(key: string): SeenCall | undefined {
	const entry = seen.get(key);
	if (entry === undefined || entry.until <= Date.now()) return undefined;
	return {
		executionId: entry.executionId,
		at: entry.at,
		outcome: entry.outcome,
		callSerialNo: entry.callSerialNo,
	};
}
