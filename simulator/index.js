'use strict';

const http = require('node:http');
const https = require('node:https');

const lifecycle = require('./lifecycle');
const { createLog } = require('./log');
const { takeFault, applyFault } = require('./faults');

/**
 * An AICC tenant on 127.0.0.1, as Huawei's AICC API reference describes it: the token exchange,
 * the call endpoints, tokens that really expire, scenario controls to force any documented code
 * or fault, and a request log with secrets masked. Each endpoint is one module in ./endpoints
 * exporting { name, method, path, handle(ctx) }.
 */

const ENDPOINTS = [
	require('./endpoints/token'),
	...require('./endpoints/createCall'),
	require('./endpoints/createCallAnonymous'),
	require('./endpoints/queryCallState'),
	require('./endpoints/queryCallDetailRecord'),
	require('./endpoints/getRecordingAddress'),
	require('./endpoints/recording'),
	...require('./endpoints/createVoiceNotification'),
	require('./endpoints/queryVoiceNotificationRecording'),
	require('./endpoints/inbox'),
	require('./endpoints/admin'),
];

const DEFAULTS = {
	host: '127.0.0.1',
	port: 0,
	appKey: 'sim-app-key',
	appSecret: 'sim-app-secret',
	latencyMs: 0,
	/** 'aicc', or 'ita': the ITA gateway, with its own return codes and fewer createCall fields. */
	backEnd: 'aicc',
	/** createCall sends callSerialNo as a bare JSON number, as one version of the page types it. */
	serialAsNumber: true,
	/** createCallAnonymous answers with this SIP server, and this access code plus a call id. */
	accessCode: '179080024',
	sipServiceAddress: '127.0.0.1:5063',
	/** Hosts a callBackUrl may point at (the console's trust list); null trusts any. */
	callbackTrustList: null,
	/** A trial tenant: { trustList: agent numbers, dailyLimit: calls a day }; null for none. */
	trial: null,
	/** Call progress: ringing and talking time, and whether customers answer. */
	ringMs: 300,
	talkMs: 500,
	answer: true,
	unansweredNumbers: [],
	/**
	 * Voice notifications: the tenant's recordings and TTS templates (null: the seeded ones in
	 * voices.js; [] for a tenant with none), how queryVoiceNotificationRecording shapes voiceInfo
	 * ('array' as the page's sample, 'object' as its table), and a release reason to force per
	 * called number ({ '13900139000': 0 }).
	 */
	voices: null,
	voiceInfoShape: 'array',
	voiceOutcomes: {},
	/** The tenant-wide release callback URL (the console setting), used when a call has none. */
	callbackUrl: null,
	/** Called with each callback's record once it was answered, e.g. to print it. */
	onCallback: null,
	/** Called with { path, body } of each POST to /inbox/…, e.g. to print it. */
	onInbox: null,
	/**
	 * The shared key callbacks are signed with (null: unsigned), the hash ('sha256' as Huawei's
	 * prose says, or 'hmac' as its Java sample suggests) and the timestamp's unit ('ms' or 's').
	 */
	callbackKey: null,
	callbackSignature: 'sha256',
	callbackTimestampUnit: 'ms',
	/**
	 * Recordings: how long a getRecordingAddress link is valid (AICC: 5 minutes; negative gives
	 * an expired one), how many bytes of sound a file holds, and whether it is sent without a
	 * Content-Length (chunked), as some object stores do.
	 */
	recordingValidMs: 300_000,
	recordingBytes: 16_000,
	recordingChunked: false,
	/** { key, cert } to serve HTTPS, e.g. with a self-signed certificate. */
	tls: null,
	/** A new token revokes every older token of the same App (some gateways do this). */
	revokeOnIssue: false,
	/** The App is not subscribed to the call APIs: the gateway refuses its valid tokens with 401. */
	unsubscribed: false,
	/** How tokenByAkSk spells its token: the key, and the object it sits under (null: top level). */
	tokenKey: 'AccessToken',
	tokenUnder: null,
};

function sendJson(res, status, body, headers = {}) {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
	res.end(text);
}

/** The simulator's state; the methods below and the endpoints read and change it. */
function initialState(config) {
	const sim = {
		config,
		log: createLog(() => [
			config.appKey,
			config.appSecret,
			...sim.tokens.keys(),
			...sim.revokedTokens,
		]),
		tokens: new Map(),
		/** Tokens revoked by revokeOnIssue, kept so that tests can check none of them leaks either. */
		revokedTokens: [],
		calls: new Map(),
		/** Release callbacks pushed: { url, body, status, response, at }. */
		callbacks: [],
		/** What workflows reported through POST /__sim { action: 'note' }. */
		notes: [],
		/** Pending release callbacks, cleared on reset and stop. */
		timers: new Set(),
		faults: [],
		serialCounter: 0,
		/** Requests being handled now, and the most at once since the last reset. */
		inFlight: 0,
		maxInFlight: 0,
		url: undefined,
		server: undefined,
	};
	return sim;
}

function clearTimers(sim) {
	for (const timer of sim.timers) clearTimeout(timer);
	sim.timers.clear();
}

/** The simulator's methods, each called with the simulator first. */
const METHODS = {
	/** Queues a fault for the next `times` requests to `endpoint` (a name, or '*' for any). */
	inject(sim, fault) {
		sim.faults.push({ endpoint: '*', times: 1, ...fault });
	},
	/** Lets every request a `held` fault keeps waiting go on; later ones are held again. */
	releaseHeld(sim) {
		const release = sim.release;
		sim.held = new Promise((resolve) => {
			sim.release = resolve;
		});
		release();
	},
	/** Makes every token issued so far invalid, as if each had reached its lifetime. */
	expireTokens(sim) {
		for (const record of sim.tokens.values()) record.expiresAt = 0;
	},
	reset(sim) {
		clearTimers(sim);
		sim.tokens.clear();
		sim.revokedTokens.length = 0;
		sim.calls.clear();
		sim.callbacks.length = 0;
		sim.notes.length = 0;
		sim.faults.length = 0;
		sim.log.clear();
		sim.maxInFlight = 0;
	},
	/** A 19-digit callSerialNo: the time in ms, then six digits that differ from call to call. */
	nextSerial(sim) {
		sim.serialCounter += 1;
		return (
			BigInt(Date.now()) * 1000000n +
			BigInt((sim.serialCounter * 7919) % 1000000)
		).toString();
	},
	/**
	 * Sends a callback body (any: a release, a voice notification's, a connection) to `url` now,
	 * signed and faulted as a call's own release callback would be; resolves with the deliveries.
	 */
	sendCallback(sim, url, body) {
		return lifecycle.pushCallback(sim, url, body);
	},
	/** Adds a call to the records as if it had been placed at `createdAt` (for history tests). */
	addRecord(sim, call) {
		const serial = call.callSerialNo ?? sim.nextSerial();
		const record = lifecycle.plan(sim, {
			kind: 'bidirectional',
			callData: '',
			...call,
			callSerialNo: serial,
		});
		sim.calls.set(serial, record);
		return record;
	},
	/**
	 * Who a request is from, by its bearer token:
	 * { status: 'valid' | 'missing' | 'malformed' | 'unknown' | 'expired', appKey }.
	 */
	authenticate(sim, headers) {
		const header = headers.authorization;
		if (!header) return { status: 'missing' };
		const match = /^Bearer (\S+)$/.exec(header);
		if (!match) return { status: 'malformed' };
		const record = sim.tokens.get(match[1]);
		if (!record) return { status: 'unknown' };
		if (Date.now() >= record.expiresAt) return { status: 'expired' };
		return { status: 'valid', appKey: record.appKey };
	},
};

/** The request's body as text, and parsed when it is JSON. */
async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	const rawBody = Buffer.concat(chunks).toString('utf8');
	try {
		return { rawBody, body: rawBody === '' ? undefined : JSON.parse(rawBody) };
	} catch {
		return { rawBody, body: undefined };
	}
}

/** Logs a request, applies latency and any queued fault, and hands it to its endpoint. */
async function handleRequest(sim, req, res) {
	const { rawBody, body } = await readBody(req);
	const path = new URL(req.url, 'http://simulator').pathname;
	const endpoint = ENDPOINTS.find(
		(candidate) =>
			(candidate.path === path || candidate.pathPattern?.test(path)) &&
			candidate.method === req.method,
	);
	const entry = sim.log.record({
		method: req.method,
		path,
		endpoint: endpoint?.name,
		headers: req.headers,
		body: body ?? rawBody,
	});
	const reply = (status, payload, headers) => {
		entry.status = status;
		entry.response = sim.log.mask(payload);
		if (!res.headersSent) sendJson(res, status, payload, headers);
	};
	if (!endpoint)
		return reply(404, {
			error: 'Not Found',
			message: 'The requested content is not found. Check the request path.',
		});
	// Scenario controls (POST /__sim) answer at once and are never faulted.
	const control = endpoint.name === 'admin';
	if (!control && sim.config.latencyMs > 0) {
		await new Promise((resolve) => setTimeout(resolve, sim.config.latencyMs));
	}
	const fault = control ? undefined : takeFault(sim, endpoint.name, body);
	const handling = { req, res, reply };
	if (fault) {
		entry.fault = fault.kind;
		const handled = await applyFault(sim, fault, handling);
		if (handled) return undefined;
	}
	return endpoint.handle({
		sim,
		req,
		res,
		body,
		rawBody,
		path,
		query: new URL(req.url, 'http://simulator').searchParams,
		headers: req.headers,
		reply: handling.reply,
		entry,
		forced: fault?.kind === 'code' ? fault : undefined,
	});
}

/** Counts requests in flight, and answers 500 when an endpoint throws. */
function listener(sim) {
	return (req, res) => {
		sim.inFlight += 1;
		sim.maxInFlight = Math.max(sim.maxInFlight, sim.inFlight);
		res.on('close', () => {
			sim.inFlight -= 1;
		});
		handleRequest(sim, req, res).catch((error) => {
			if (!res.headersSent)
				sendJson(res, 500, { error: 'simulator failure', message: String(error) });
		});
	};
}

function listen(sim, sockets) {
	const { config } = sim;
	return new Promise((resolve, reject) => {
		const server = config.tls
			? https.createServer(config.tls, listener(sim))
			: http.createServer(listener(sim));
		server.keepAliveTimeout = 30_000;
		server.on('connection', (socket) => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
		server.once('error', reject);
		server.listen(config.port, config.host, () => {
			sim.server = server;
			sim.url = `${config.tls ? 'https' : 'http'}://${config.host}:${server.address().port}`;
			resolve(sim);
		});
	});
}

/** Closes the server; open keep-alive connections are cut, so that it closes at once. */
function close(sim, sockets) {
	return new Promise((resolve) => {
		clearTimers(sim);
		if (!sim.server) return resolve();
		for (const socket of sockets) socket.destroy();
		sim.server.close(() => resolve());
		sim.server = undefined;
		return undefined;
	});
}

function createSimulator(options = {}) {
	const sim = initialState({ ...DEFAULTS, ...options });
	sim.held = new Promise((resolve) => {
		sim.release = resolve;
	});
	for (const [name, method] of Object.entries(METHODS)) {
		sim[name] = (...args) => method(sim, ...args);
	}
	const sockets = new Set();
	sim.start = () => listen(sim, sockets);
	sim.stop = () => close(sim, sockets);
	return sim;
}

module.exports = { createSimulator, sendJson, describeCallback: lifecycle.describeCallback };
