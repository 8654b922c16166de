'use strict';

/**
 * How AICC signs a callback with the tenant's shared key (cec_07_2804, cec_04_0029), written
 * after Huawei's Java sample: the body's parameters but timestamp, nonce and signature go into a
 * TreeMap, whose toString() (`{a=1, b=2}`) has every space removed and its braces dropped; then
 * `key_timestamp_nonce_<that>` is hashed and Base64-encoded. The pages leave the hash open: the
 * prose says SHA-256, the sample imports javax.crypto.Mac (HMAC-SHA256 keyed with the shared key).
 * `algorithm` picks one: 'sha256' or 'hmac'.
 */
const crypto = require('node:crypto');

const SIGNING_FIELDS = ['timestamp', 'nonce', 'signature'];

/** Java's TreeMap.toString() of the signed parameters, spaces removed, outer braces dropped. */
function signedText(body) {
	const entries = Object.keys(body)
		.filter((name) => !SIGNING_FIELDS.includes(name))
		.sort()
		.map((name) => `${name}=${body[name] === null ? 'null' : String(body[name])}`);
	return `{${entries.join(', ')}}`.replace(/ /g, '').slice(1, -1);
}

function signatureOf(body, key, { algorithm = 'sha256', timestamp, nonce }) {
	const text = `${key}_${timestamp}_${nonce}_${signedText(body)}`;
	const hash =
		algorithm === 'hmac' ? crypto.createHmac('sha256', key) : crypto.createHash('sha256');
	return hash.update(text, 'utf8').digest('base64');
}

/**
 * The body with timestamp, nonce and signature added, as AICC sends a signed callback.
 * `timestamp` (default now, in `unit` 'ms' or 's') and `nonce` (default 16 random hex digits) may
 * be given, e.g. to send a stale or a repeated one.
 */
function signBody(
	body,
	key,
	{ algorithm = 'sha256', unit = 'ms', timestamp, nonce, now = Date.now() } = {},
) {
	const signedAt = timestamp ?? String(unit === 's' ? Math.floor(now / 1000) : now);
	const once = nonce ?? crypto.randomBytes(8).toString('hex');
	const fields = { ...body, timestamp: signedAt, nonce: once };
	const signature = signatureOf(body, key, { algorithm, timestamp: signedAt, nonce: once });
	return { ...fields, signature };
}

/**
 * The next queued callback fault (`endpoint: 'callback'`) whose `match` fits the body, taken
 * from the simulator's fault queue: 'wrongSignature' (signed with another key), 'staleTimestamp'
 * (signed `ageMs`, default 6 minutes, ago), 'replay' (the same signed body sent twice) or
 * 'unsigned' (no signature though a key is set).
 */
function takeCallbackFault(sim, body) {
	const index = sim.faults.findIndex(
		(fault) =>
			fault.endpoint === 'callback' &&
			Object.entries(fault.match ?? {}).every(([key, value]) => body?.[key] === value),
	);
	if (index === -1) return undefined;
	const fault = sim.faults[index];
	if (fault.times > 0) {
		fault.times -= 1;
		if (fault.times === 0) sim.faults.splice(index, 1);
	}
	return fault;
}

/**
 * What the simulator sends for a callback body: signed with `callbackKey` (when set) using
 * `callbackSignature` ('sha256' or 'hmac') and a timestamp in `callbackTimestampUnit` ('ms' or
 * 's'), as changed by a queued callback fault. Returns the bodies to send, in order.
 */
function callbackDeliveries(sim, body) {
	const { callbackKey: key, callbackSignature, callbackTimestampUnit } = sim.config;
	const fault = takeCallbackFault(sim, body);
	if (!key || fault?.kind === 'unsigned') return [body];
	const options = { algorithm: callbackSignature, unit: callbackTimestampUnit };
	if (fault?.kind === 'staleTimestamp') options.now = Date.now() - (fault.ageMs ?? 6 * 60_000);
	const signed = signBody(body, fault?.kind === 'wrongSignature' ? `${key}-wrong` : key, options);
	return fault?.kind === 'replay' ? [signed, signed] : [signed];
}

module.exports = { signBody, signatureOf, signedText, callbackDeliveries, SIGNING_FIELDS };
