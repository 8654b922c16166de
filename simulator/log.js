'use strict';

/**
 * The simulator's request log: what each request carried and what it got, with the App Key,
 * App Secret and tokens masked, so tests can count token exchanges and read headers and
 * bodies without the log holding a secret.
 */
const MASK = '***';

function maskText(text, secrets) {
	let out = text;
	for (const secret of secrets) {
		if (secret) out = out.split(secret).join(MASK);
	}
	return out;
}

function maskDeep(value, secrets) {
	if (typeof value === 'string') return maskText(value, secrets);
	if (Array.isArray(value)) return value.map((entry) => maskDeep(entry, secrets));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, maskDeep(entry, secrets)]),
		);
	}
	return value;
}

/** The most of these times (ms since 1970) that fall into any one-second window. */
function busiestSecond(times) {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let first = 0, last = 0; last < sorted.length; last++) {
		while (sorted[last] - sorted[first] >= 1000) first++;
		most = Math.max(most, last - first + 1);
	}
	return most;
}

function createLog(secrets) {
	const entries = [];
	let seq = 0;
	return {
		entries,
		record({ method, path, endpoint, headers, body }) {
			const list = secrets();
			seq += 1;
			const entry = {
				seq,
				at: new Date().toISOString(),
				method,
				path,
				endpoint: endpoint ?? null,
				headers: maskDeep({ ...headers }, list),
				body: maskDeep(body, list),
				status: null,
				response: undefined,
			};
			entries.push(entry);
			return entry;
		},
		/** Entries for one endpoint name, e.g. 'token' or 'createCallV1'. */
		for(endpoint) {
			return entries.filter((entry) => entry.endpoint === endpoint);
		},
		clear() {
			entries.length = 0;
		},
		/** The most requests to an endpoint that arrived in any one second, e.g. to check pacing. */
		busiestSecond(endpoint) {
			return busiestSecond(
				entries.filter((entry) => entry.endpoint === endpoint).map((entry) => Date.parse(entry.at)),
			);
		},
		mask: (value) => maskDeep(value, secrets()),
	};
}

module.exports = { createLog, busiestSecond, MASK };
