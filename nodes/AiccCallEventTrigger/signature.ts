import { createHash, createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { Recent } from './recent';

/**
 * Signed callbacks (AICC's shared-key authentication: voice notifications, cec_07_2804; two-way
 * call release callbacks, cec_04_0029). AICC adds `timestamp`, `nonce` and `signature` to the body:
 * (1) every other body parameter, sorted by name, as `name=value` joined with commas;
 * (2) `key_timestamp_nonce_` and (1);
 * (3) SHA-256 of (2), Base64.
 * Where Huawei's pages leave it open, every reading is accepted:
 * - the hash: the prose says SHA-256, the Java sample imports javax.crypto.Mac (HMAC-SHA256, keyed
 *   with the shared key, over (2), or over (2) without the key);
 * - the text of (1): the prose joins `name=value` with commas; the Java sample prints a TreeMap
 *   (`{a=1, b=2}`), strips every space (values' too) and drops the braces (the outer pair, or
 *   every brace); `null` is written `null`, an empty value as nothing (`c=`);
 * - the timestamp's unit: seconds or milliseconds, told apart by size.
 */

/** How far a signed callback's timestamp may be from this server's clock, either way. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

/** Nonces seen, remembered as long as a replay could still pass the timestamp check. */
const NONCE_MEMORY_MS = 2 * SIGNATURE_WINDOW_MS;
/** At most this many nonces (about 150 bytes each); beyond it the oldest are forgotten early. */
const MAX_NONCES = 50_000;
const nonces = new Recent(NONCE_MEMORY_MS, MAX_NONCES);

/** The body fields AICC adds to sign a callback; every other field is signed. */
export const SIGNING_FIELDS = ['timestamp', 'nonce', 'signature'];

/** A value as Java's TreeMap.toString() prints it: null as "null"; objects (undocumented): JSON. */
function valueText(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/** Every reading of step (1), each once. */
function signedParameterTexts(body: IDataObject): string[] {
	// Sorted as Java's TreeMap sorts strings: by UTF-16 code unit, as JavaScript's sort does.
	const names = Object.keys(body)
		.filter((name) => !SIGNING_FIELDS.includes(name))
		.sort();
	const prose = names.map((name) => `${name}=${valueText(body[name])}`).join(',');
	const noSpaces = prose.replace(/ /g, '');
	const noWhitespace = prose.replace(/\s/g, '');
	return [
		...new Set([
			prose,
			noSpaces,
			noWhitespace,
			noSpaces.replace(/[{}]/g, ''),
			noWhitespace.replace(/[{}]/g, ''),
		]),
	];
}

/** Every digest a correctly signed callback may carry, under each reading. */
function expectedDigests(key: string, timestamp: string, nonce: string, body: IDataObject) {
	return signedParameterTexts(body).flatMap((parameters) => {
		const unkeyed = `${timestamp}_${nonce}_${parameters}`;
		const keyed = `${key}_${unkeyed}`;
		return [
			createHash('sha256').update(keyed, 'utf8').digest(),
			createHmac('sha256', key).update(keyed, 'utf8').digest(),
			createHmac('sha256', key).update(unkeyed, 'utf8').digest(),
		];
	});
}

/** The 32 bytes a Base64 (or base64url) signature holds, or undefined when it holds no digest. */
function signatureBytes(signature: string): Buffer | undefined {
	if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(signature)) return undefined;
	const bytes = Buffer.from(signature.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
	return bytes.length === 32 ? bytes : undefined;
}

/** A timestamp in ms: 10-digit (or fractional) seconds or 13-digit ms; else undefined. */
export function timestampMs(value: string): number | undefined {
	if (!/^\d{1,16}(\.\d{1,6})?$/.test(value)) return undefined;
	const number = Number(value);
	// 10^11 s is the year 5138, 10^11 ms is 1973: any real time is one or the other.
	if (number < 1e11) return number * 1000;
	return value.includes('.') ? undefined : number;
}

export type SignatureCheck =
	| { ok: true }
	| { ok: false; reason: 'unsigned' | 'mismatch' | 'badTimestamp' | 'stale' | 'replayed' };

/** What a refused callback is told (and the README lists). */
export const REFUSAL_TEXT: Record<Exclude<SignatureCheck, { ok: true }>['reason'], string> = {
	unsigned: 'the callback is not signed (no signature, timestamp or nonce)',
	mismatch: 'the signature does not match the shared key',
	badTimestamp: 'the timestamp is not seconds or milliseconds since 1970',
	stale: 'the timestamp is more than 5 minutes away from the time on this server',
	replayed: 'this nonce was already used',
};

const textOf = (value: unknown) =>
	typeof value === 'string' || typeof value === 'number' ? String(value) : '';

/**
 * Checks a callback's signature with the shared key, then its timestamp, then its nonce; only a
 * callback that passes the first two has its nonce remembered, so that callbacks from anyone
 * without the key cannot fill the memory. Every digest is compared in constant time.
 */
export function checkSignature(body: IDataObject, key: string, now: number): SignatureCheck {
	const timestamp = textOf(body.timestamp);
	const nonce = textOf(body.nonce);
	const signature = textOf(body.signature);
	if (timestamp === '' || nonce === '' || signature === '')
		return { ok: false, reason: 'unsigned' };
	const sent = signatureBytes(signature) ?? Buffer.alloc(32);
	let matches = false;
	for (const digest of expectedDigests(key, timestamp, nonce, body)) {
		if (timingSafeEqual(digest, sent)) matches = true;
	}
	if (!matches || !signatureBytes(signature)) return { ok: false, reason: 'mismatch' };
	const at = timestampMs(timestamp);
	if (at === undefined) return { ok: false, reason: 'badTimestamp' };
	if (Math.abs(now - at) > SIGNATURE_WINDOW_MS) return { ok: false, reason: 'stale' };
	const keyId = createHash('sha256').update(key, 'utf8').digest('base64');
	if (nonces.seen([keyId, nonce], now)) return { ok: false, reason: 'replayed' };
	return { ok: true };
}
