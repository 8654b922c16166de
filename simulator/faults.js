'use strict';

/**
 * Scenario faults: each queued fault applies to the next `times` requests to its endpoint
 * (times: -1 for every request until reset) whose body holds every field of `match`, if given.
 * Kinds:
 * - code: the endpoint answers with return code `code` (and `message`), after auth and validation;
 * - status: HTTP `status` with `body` (JSON object or text) and `headers`;
 * - rateLimit: HTTP 429 with Retry-After `retryAfter` seconds (default 0);
 * - html: HTTP `status` (default 200) with a gateway's HTML page;
 * - garbled: HTTP 200 with a JSON body cut short;
 * - slow: waits `ms`, then answers normally;
 * - hang: never answers (the client's timeout ends it);
 * - stall: HTTP 200 with its headers (`headers`) and the first `bytes` (default 1000) of a body,
 *   then nothing more (the client's timeout ends it);
 * - drop: closes the connection without an answer;
 * - expireTokens: every token expires now, then the request is handled (and gets 401).
 * - echoToken: HTTP `status` (default 400) with a text body that quotes the request's bearer
 *   token between `prefix` and `suffix`, as a careless gateway might.
 * - held: waits until the test calls `sim.releaseHeld()`, then applies the fault `then` (or answers
 *   normally without one): a request kept in flight for as long as a test needs.
 * - breakTls: on an HTTPS simulator, garbage on the connection beneath TLS once the request has
 *   arrived: the client's TLS layer fails after AICC received the request.
 * - reformat: the endpoint answers as usual, but its JSON answer is sent `as` another format:
 *   'xml' (each member an element, as some gateways answer) or 'gson' (JSON whose = < > & '
 *   are written as \u003d and the like, as Java's Gson writes them).
 */

function matches(fault, endpointName, body) {
	if (fault.endpoint !== '*' && fault.endpoint !== endpointName) return false;
	if (!fault.match) return true;
	return Object.entries(fault.match).every(([key, value]) => body?.[key] === value);
}

function takeFault(sim, endpointName, body) {
	const index = sim.faults.findIndex((fault) => matches(fault, endpointName, body));
	if (index === -1) return undefined;
	const fault = sim.faults[index];
	if (fault.times > 0) {
		fault.times -= 1;
		if (fault.times === 0) sim.faults.splice(index, 1);
	}
	return fault;
}

/** An answer's members as XML elements, nested objects as nested elements. */
function toXml(value) {
	if (value === null || typeof value !== 'object') return String(value ?? '');
	return Object.entries(value)
		.map(([key, entry]) => `<${key}>${toXml(entry)}</${key}>`)
		.join('');
}

const GSON_ESCAPED = /[=<>&']/g;

/** The answer written in another format: see `reformat` above. */
function reformatted(as, payload) {
	if (as === 'xml') {
		return {
			text: `<?xml version="1.0" encoding="UTF-8"?><response>${toXml(payload)}</response>`,
			contentType: 'application/xml',
		};
	}
	if (as === 'gson') {
		const json = typeof payload === 'string' ? payload : JSON.stringify(payload);
		return {
			text: json.replace(
				GSON_ESCAPED,
				(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
			),
			contentType: 'application/json;charset=UTF-8',
		};
	}
	throw new Error(`unknown reformat "${as}"`);
}

const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>' +
	'<h1>Bad Gateway</h1><p>The gateway could not reach the service.</p></body></html>';

/**
 * Applies a fault; resolves true when the fault answered (or dropped) the request itself. A fault
 * that changes how the endpoint's answer is sent replaces `handling.reply`.
 */
async function applyFault(sim, fault, handling) {
	const { req, res, reply } = handling;
	switch (fault.kind) {
		case 'code':
			return false;
		case 'status':
			reply(fault.status, fault.body ?? { error: `HTTP ${fault.status}` }, fault.headers);
			return true;
		case 'rateLimit':
			reply(429, fault.body ?? { error: 'Too Many Requests' }, {
				'Retry-After': String(fault.retryAfter ?? 0),
			});
			return true;
		case 'html':
			res.writeHead(fault.status ?? 200, { 'Content-Type': 'text/html' });
			res.end(HTML_PAGE);
			return true;
		case 'garbled':
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"retCode":"0","resultCode":"0","result":{"callSerialNo":17');
			return true;
		case 'slow':
			await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 1000));
			return false;
		case 'hang':
			return true;
		case 'stall':
			res.writeHead(200, fault.headers ?? { 'Content-Type': 'application/octet-stream' });
			res.write(Buffer.alloc(fault.bytes ?? 1000));
			return true;
		case 'drop':
			req.socket.destroy();
			return true;
		case 'expireTokens':
			sim.expireTokens();
			return false;
		case 'held':
			await sim.held;
			return fault.then ? await applyFault(sim, fault.then, { req, res, reply }) : false;
		case 'echoToken': {
			const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
			res.writeHead(fault.status ?? 400, { 'Content-Type': 'text/plain' });
			res.end(`${fault.prefix ?? ''}${token}${fault.suffix ?? ''}`);
			return true;
		}
		case 'breakTls': {
			// The TCP connection beneath the TLS socket (Node keeps it as _parent).
			const raw = req.socket._parent;
			if (!raw) throw new Error('breakTls needs an HTTPS simulator');
			raw.write('not a TLS record\r\n');
			return true;
		}
		case 'reformat': {
			handling.reply = (status, payload, headers) => {
				const { text, contentType } = reformatted(fault.as, payload);
				reply(status, text, { ...headers, 'Content-Type': contentType });
			};
			return false;
		}
		default:
			throw new Error(`unknown fault kind "${fault.kind}"`);
	}
}

module.exports = { takeFault, applyFault };
