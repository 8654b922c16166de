'use strict';

const axios = require('axios');
const { createSimulator, describeCallback } = require('../simulator');

const AK = 'sim-test-ak-0001';
const SK = 'sim-test-sk-0001';
const V1 = '/apiaccess/CC-Management/v1/mobileAgent/createCall';
const ANON = '/apiaccess/ccmessaging/v1/mobileagent/createcall';
const TOKEN = '/apigovernance/api/oauth/tokenByAkSk';

let sim;
let http;

beforeEach(async () => {
	sim = await createSimulator({ appKey: AK, appSecret: SK }).start();
	http = axios.create({ baseURL: sim.url, validateStatus: () => true, timeout: 5000 });
});
afterEach(() => sim.stop());

async function token(lifetime = 600) {
	const response = await http.post(
		TOKEN,
		{ app_key: AK, app_secret: SK },
		{ headers: { 'X-Token-Expire': String(lifetime) } },
	);
	return response.data.AccessToken;
}

async function call(path, body, accessToken, extraHeaders = {}) {
	return await http.post(path, body, {
		headers: { Authorization: `Bearer ${accessToken}`, 'X-APP-Key': AK, ...extraHeaders },
		transformResponse: (text) => text,
	});
}

describe('tokenByAkSk', () => {
	test('answers as documented: PascalCase, text values, Expires from X-Token-Expire', async () => {
		const response = await http.post(
			TOKEN,
			{ app_key: AK, app_secret: SK },
			{ headers: { 'X-Token-Expire': '900' } },
		);
		expect(response.status).toBe(200);
		expect(Object.keys(response.data).sort()).toEqual([
			'AccessToken',
			'AppKey',
			'ApplyType',
			'CreateTime',
			'Expires',
			'Scope',
			'UserID',
		]);
		for (const value of Object.values(response.data)) expect(typeof value).toBe('string');
		expect(response.data).toMatchObject({ ApplyType: 'Bearer', Expires: '900', AppKey: AK });
	});

	test('refuses wrong keys with 401 and a lifetime over 3600 with 400', async () => {
		expect((await http.post(TOKEN, { app_key: AK, app_secret: 'wrong' })).status).toBe(401);
		expect(
			(
				await http.post(
					TOKEN,
					{ app_key: AK, app_secret: SK },
					{ headers: { 'X-Token-Expire': '3601' } },
				)
			).status,
		).toBe(400);
	});

	test('tokens really expire after their lifetime', async () => {
		const accessToken = await token(1);
		expect((await call(V1, { caller: '1', called: '2' }, accessToken)).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		expect((await call(V1, { caller: '1', called: '2' }, accessToken)).status).toBe(401);
	});

	test('unknown tokens and a malformed Authorization header get 401', async () => {
		expect((await call(V1, { caller: '1', called: '2' }, 'not-a-token')).status).toBe(401);
		const accessToken = await token();
		const response = await http.post(
			V1,
			{ caller: '1', called: '2' },
			{ headers: { Authorization: `Bearer  ${accessToken}` } },
		);
		expect(response.status).toBe(401);
	});
});

describe('createCall V1', () => {
	test('sends callSerialNo as a bare 19-digit JSON number and records the call', async () => {
		const response = await call(V1, { caller: '88889050', called: '88889060' }, await token());
		expect(response.status).toBe(200);
		const match = /"callSerialNo":(\d+)\}/.exec(response.data);
		expect(match[1]).toHaveLength(19);
		expect(BigInt(match[1]) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
		expect(sim.calls.get(match[1])).toMatchObject({
			caller: '88889050',
			called: '88889060',
			kind: 'bidirectional',
		});
	});

	test.each([
		['a 33-character caller', { caller: '1'.repeat(33), called: '2' }, '5'],
		['letters in called', { caller: '1', called: 'abc' }, '5'],
		['1025 characters of callData', { caller: '1', called: '2', callData: 'x'.repeat(1025) }, '2'],
		['a 6-digit agentWorkNo', { caller: '1', called: '2', agentWorkNo: '123456' }, '5'],
		['a dash in callerPresent', { caller: '1', called: '2', callerPresent: '95-599' }, '5'],
		[
			'a space in callBackUrl',
			{
				caller: '1',
				called: '2',
				callBackUrl: Buffer.from('https://a.example/x y').toString('base64'),
			},
			'9',
		],
		[
			'a callBackUrl not in Base64',
			{ caller: '1', called: '2', callBackUrl: 'not base64 at all' },
			'9',
		],
	])('validates fields as documented: %s gets retCode %s', async (_label, body, code) => {
		const response = await call(V1, body, await token());
		expect(JSON.parse(response.data).retCode).toBe(code);
	});

	test('missing mandatory fields get 400', async () => {
		expect((await call(V1, { caller: '1' }, await token())).status).toBe(400);
	});

	test('the ITA back end refuses callData, callerPresent, agentPresent: 90100100', async () => {
		sim.config.backEnd = 'ita';
		expect(
			JSON.parse((await call(V1, { caller: '1', called: '2', callData: 'x' }, await token())).data)
				.retCode,
		).toBe('90100100');
		expect(
			JSON.parse((await call(V1, { caller: '1', called: '2' }, await token())).data).retCode,
		).toBe('0');
	});

	test('a trial tenant answers 16 for an untrusted agent, 21 past 10 calls a day', async () => {
		sim.config.trial = { trustList: ['88889050'], dailyLimit: 2 };
		const accessToken = await token();
		expect(
			JSON.parse((await call(V1, { caller: '1', called: '2' }, accessToken)).data).retCode,
		).toBe('16');
		const codes = [];
		for (let i = 0; i < 3; i++)
			codes.push(
				JSON.parse((await call(V1, { caller: '88889050', called: '2' }, accessToken)).data).retCode,
			);
		expect(codes).toEqual(['0', '0', '21']);
	});
});

describe('createcall (anonymous)', () => {
	test('requires X-APP-Key and answers with resultCode, resultDesc and resultData', async () => {
		const accessToken = await token();
		const without = await http.post(
			ANON,
			{ called: '2' },
			{ headers: { Authorization: `Bearer ${accessToken}` } },
		);
		expect(without.status).toBe(400);
		const response = await call(
			ANON,
			{ called: '88884432', callData: '1', callerPresent: '95599' },
			accessToken,
		);
		const body = JSON.parse(response.data);
		expect(body).toMatchObject({ resultCode: '0', resultDesc: 'Success' });
		expect(body.resultData).toEqual({
			callSerialNo: expect.stringMatching(/^\d{19}$/),
			sipServiceAddress: '127.0.0.1:5063',
			accesscode: expect.stringMatching(/^179080024\d+$/),
		});
	});

	test('refuses invalid input with 30010000003', async () => {
		const body = JSON.parse((await call(ANON, { called: '1'.repeat(33) }, await token())).data);
		expect(body.resultCode).toBe('30010000003');
	});
});

describe('scenario controls', () => {
	test('force any documented code, once', async () => {
		sim.inject({ endpoint: 'createCallV1', kind: 'code', code: '90104029' });
		const accessToken = await token();
		expect(JSON.parse((await call(V1, { caller: '1', called: '2' }, accessToken)).data)).toEqual({
			retCode: '90104029',
			retMsg: 'Too Many Requests',
		});
		expect(
			JSON.parse((await call(V1, { caller: '1', called: '2' }, accessToken)).data).retCode,
		).toBe('0');
	});

	test('HTTP faults: status, 429 with Retry-After, HTML, garbled JSON', async () => {
		const accessToken = await token();
		sim.inject({ endpoint: 'createCallV1', kind: 'status', status: 503, body: 'busy' });
		expect((await call(V1, { caller: '1', called: '2' }, accessToken)).status).toBe(503);
		sim.inject({ endpoint: 'createCallV1', kind: 'rateLimit', retryAfter: 2 });
		const limited = await call(V1, { caller: '1', called: '2' }, accessToken);
		expect([limited.status, limited.headers['retry-after']]).toEqual([429, '2']);
		sim.inject({ endpoint: 'createCallV1', kind: 'html' });
		expect((await call(V1, { caller: '1', called: '2' }, accessToken)).data).toMatch(
			/^<!DOCTYPE html>/,
		);
		sim.inject({ endpoint: 'createCallV1', kind: 'garbled' });
		const garbled = await call(V1, { caller: '1', called: '2' }, accessToken);
		expect(() => JSON.parse(garbled.data)).toThrow();
	});

	test('slow, hanging and dropped responses', async () => {
		const accessToken = await token();
		sim.inject({ endpoint: 'createCallV1', kind: 'slow', ms: 300 });
		const started = Date.now();
		expect((await call(V1, { caller: '1', called: '2' }, accessToken)).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		sim.inject({ endpoint: 'createCallV1', kind: 'hang' });
		await expect(
			http.post(V1, {}, { timeout: 300, headers: { Authorization: `Bearer ${accessToken}` } }),
		).rejects.toThrow(/timeout/);
		sim.inject({ endpoint: 'createCallV1', kind: 'drop' });
		await expect(call(V1, { caller: '1', called: '2' }, accessToken)).rejects.toMatchObject({
			code: 'ECONNRESET',
		});
	});

	test('token expiry mid-run: every issued token stops working', async () => {
		const accessToken = await token();
		sim.inject({ endpoint: 'createCallV1', kind: 'expireTokens' });
		expect((await call(V1, { caller: '1', called: '2' }, accessToken)).status).toBe(401);
	});

	test('the admin endpoint takes faults and serves the log over HTTP', async () => {
		await http.post('/__sim', {
			action: 'fault',
			fault: { endpoint: 'token', kind: 'status', status: 403 },
		});
		expect((await http.post(TOKEN, { app_key: AK, app_secret: SK })).status).toBe(403);
		const log = (await http.post('/__sim', { action: 'log' })).data.entries;
		expect(log.map((entry) => [entry.endpoint, entry.status, entry.fault])).toEqual([
			['token', 403, 'status'],
		]);
	});
});

test('the request log masks the App Key, App Secret and tokens', async () => {
	const accessToken = await token();
	await call(V1, { caller: '1', called: '2', callData: `leak ${SK}` }, accessToken);
	const text = JSON.stringify(sim.log.entries);
	for (const secret of [AK, SK, accessToken]) expect(text).not.toContain(secret);
	expect(sim.log.for('createCallV1')[0]).toMatchObject({
		headers: { authorization: 'Bearer ***', 'x-app-key': '***' },
		auth: { token: 'valid', appKey: 'match' },
		body: { caller: '1', called: '2', callData: 'leak ***' },
	});
});

describe('call progress, queries and callbacks', () => {
	test('a call rings, talks, ends; the release callback reaches callBackUrl as text', async () => {
		const received = [];
		const receiver = require('node:http').createServer((req, res) => {
			let text = '';
			req.on('data', (chunk) => (text += chunk));
			req.on('end', () => {
				received.push(JSON.parse(text));
				res.end('{"retCode":"0","retMsg":"success"}');
			});
		});
		await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			Object.assign(sim.config, { ringMs: 100, talkMs: 100 });
			const accessToken = await token();
			const callBackUrl = Buffer.from(`http://127.0.0.1:${receiver.address().port}/hook`).toString(
				'base64',
			);
			const created = await call(
				V1,
				{ caller: '88889050', called: '13800138000', callBackUrl },
				accessToken,
			);
			const serial = /"callSerialNo":(\d+)/.exec(created.data)[1];
			const state = async () =>
				JSON.parse(
					(
						await call(
							'/apiaccess/CC-Management/v1/mobileAgent/queryCallState',
							{ callSerialNo: serial },
							accessToken,
						)
					).data,
				).result;
			expect((await state()).state).toBeLessThan(3);
			await new Promise((resolve) => setTimeout(resolve, 400));
			expect(await state()).toMatchObject({ state: 3, reasonCode: 0, caller: '88889050' });
			expect(received).toHaveLength(1);
			expect(received[0]).toMatchObject({
				callSerialNo: serial,
				called: '13800138000',
				caller: '88889050',
				releaseReason: '0',
			});
			for (const value of Object.values(received[0])) expect(typeof value).toBe('string');
			expect(sim.callbacks[0]).toMatchObject({ status: 200 });
		} finally {
			receiver.close();
		}
	});

	// npm start and npm run simulator print each callback: a test event a trigger's filters left
	// out showed nowhere but in the answer.
	test('each callback is reported; its line has no query and says why it was ignored', async () => {
		const ignored = 'Not passed on: Calls is Only Unanswered and this call was answered';
		const receiver = require('node:http').createServer((req, res) => {
			req.resume();
			req.on('end', () => res.end(JSON.stringify({ retCode: '0', retMsg: 'success', ignored })));
		});
		await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			const reported = [];
			Object.assign(sim.config, { ringMs: 20, talkMs: 20, onCallback: (r) => reported.push(r) });
			const hook = `http://127.0.0.1:${receiver.address().port}/hook`;
			const callBackUrl = Buffer.from(`${hook}?k9x2Lq7Vd3`).toString('base64');
			const created = await call(
				V1,
				{ caller: '88889050', called: '13800138000', callBackUrl },
				await token(),
			);
			const serial = /"callSerialNo":(\d+)/.exec(created.data)[1];
			for (let waited = 0; reported.length === 0 && waited < 5000; waited += 20) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			expect(reported).toEqual([sim.callbacks[0]]);
			expect(describeCallback(reported[0])).toBe(
				`callback for ${serial} to ${hook}: HTTP 200: ${ignored}`,
			);
		} finally {
			receiver.close();
		}
	});

	/** A callback the simulator sent, as describeCallback reads it. */
	const sentCallback = (url, status, response) => ({
		url,
		status,
		response,
		body: { callSerialNo: '1795322914835007919' },
	});

	test('a callback nothing received says what to put in the Callback URL', () => {
		const record = sentCallback(
			'https://n8n.example.com/webhook/aicc-call-events?k9x2Lq7Vd3',
			0,
			'ENOTFOUND',
		);
		expect(describeCallback(record)).toBe(
			'callback for 1795322914835007919 to https://n8n.example.com/webhook/aicc-call-events: ' +
				"not delivered (ENOTFOUND): nothing received it. Put an AICC Trigger's Test or " +
				"Production URL into the call's Callback URL (the examples' n8n.example.com is a " +
				'placeholder)',
		);
	});

	test('a callback to a Test URL n8n is not listening on says to click Execute step first', () => {
		const record = sentCallback(
			'http://localhost:5678/webhook-test/b3c1f3d2/aicc-call-events',
			404,
			'{"code":404,"message":"The requested webhook is not registered."}',
		);
		expect(describeCallback(record)).toBe(
			'callback for 1795322914835007919 to http://localhost:5678/webhook-test/b3c1f3d2/' +
				"aicc-call-events: HTTP 404: n8n was not listening. Click the AICC Trigger's Execute " +
				'step, then place the call within 2 minutes (n8n listens that long, for one event)',
		);
		const production = {
			...record,
			url: 'http://localhost:5678/webhook/b3c1f3d2/aicc-call-events',
		};
		expect(describeCallback(production)).toMatch(/: HTTP 404$/);
	});

	test('V3 needs softPhone; records refuse over 7 days; recordings: numeric retCode', async () => {
		const accessToken = await token();
		const V3 = '/apiaccess/CC-Management/v3/mobileAgent/createCall';
		expect((await call(V3, { called: '2' }, accessToken)).status).toBe(400);
		expect(
			JSON.parse((await call(V3, { softPhone: '1', called: '2' }, accessToken)).data).retCode,
		).toBe('0');
		const records = '/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord';
		expect(
			JSON.parse(
				(await call(records, { startTime: 0, endTime: 8 * 24 * 3600 * 1000 }, accessToken)).data,
			).retCode,
		).toBe('2');
		const recording = '/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress';
		expect(
			JSON.parse((await call(recording, { callSerialNo: '1' }, accessToken)).data).retCode,
		).toBe(5);
	});
});

describe('signed callbacks', () => {
	const crypto = require('node:crypto');
	const KEY = 'sim-shared-key-0123';
	let receiver;
	let received;

	beforeEach(async () => {
		received = [];
		receiver = require('node:http').createServer((req, res) => {
			let text = '';
			req.on('data', (chunk) => (text += chunk));
			req.on('end', () => {
				received.push(JSON.parse(text));
				res.end('{"retCode":"0","retMsg":"success"}');
			});
		});
		await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	});
	afterEach(() => new Promise((resolve) => receiver.close(resolve)));

	const hookUrl = () => `http://127.0.0.1:${receiver.address().port}/hook`;
	/** The documented construction, by hand: TreeMap.toString() without spaces and braces. */
	const expected = (body, hash) => {
		const text = Object.keys(body)
			.filter((name) => !['timestamp', 'nonce', 'signature'].includes(name))
			.sort()
			.map((name) => `${name}=${body[name] === null ? 'null' : body[name]}`)
			.join(',')
			.replace(/ /g, '');
		const signed = `${KEY}_${body.timestamp}_${body.nonce}_${text}`;
		const digest = hash === 'hmac' ? crypto.createHmac('sha256', KEY) : crypto.createHash('sha256');
		return digest.update(signed).digest('base64');
	};
	const VOICE = {
		callSerialNo: '1795322914835009001',
		called: '13800138000',
		callerPresent: '95599',
		releaseReason: '1',
		recordfile: '',
	};

	test("a call's release callback is signed with callbackKey: SHA-256, ms timestamp", async () => {
		Object.assign(sim.config, { ringMs: 50, talkMs: 50, callbackKey: KEY });
		const accessToken = await token();
		const callBackUrl = Buffer.from(hookUrl()).toString('base64');
		await call(
			V1,
			{ caller: '88889050', called: '13800138000', callData: 'a b', callBackUrl },
			accessToken,
		);
		for (let waited = 0; received.length === 0 && waited < 3000; waited += 50)
			await new Promise((resolve) => setTimeout(resolve, 50));
		const [body] = received;
		expect(body).toMatchObject({ callData: 'a b', timestamp: expect.stringMatching(/^\d{13}$/) });
		expect(body.nonce).toMatch(/^[0-9a-f]{16}$/);
		expect(body.signature).toBe(expected(body, 'sha256'));
		expect(Math.abs(Number(body.timestamp) - Date.now())).toBeLessThan(5000);
	});

	test('HMAC and seconds when configured; any body sent on demand, also over HTTP', async () => {
		Object.assign(sim.config, {
			callbackKey: KEY,
			callbackSignature: 'hmac',
			callbackTimestampUnit: 's',
		});
		const [delivery] = await sim.sendCallback(hookUrl(), VOICE);
		expect(delivery.status).toBe(200);
		expect(received[0].timestamp).toMatch(/^\d{10}$/);
		expect(received[0].signature).toBe(expected(received[0], 'hmac'));
		const answer = await http.post('/__sim', { action: 'callback', url: hookUrl(), body: VOICE });
		expect(answer.data.deliveries).toHaveLength(1);
		expect(received[1].signature).toBe(expected(received[1], 'hmac'));
		expect(received[1].nonce).not.toBe(received[0].nonce);
	});

	test('scenario controls: wrong signature, stale timestamp, replay, unsigned', async () => {
		sim.config.callbackKey = KEY;
		for (const kind of ['wrongSignature', 'staleTimestamp', 'replay', 'unsigned'])
			sim.inject({ endpoint: 'callback', kind });
		const deliveries = [];
		for (let n = 0; n < 4; n++) deliveries.push(...(await sim.sendCallback(hookUrl(), VOICE)));
		expect(deliveries).toHaveLength(5);
		const [wrong, stale, replay1, replay2, unsigned] = received;
		expect(wrong.signature).not.toBe(expected(wrong, 'sha256'));
		expect(stale.signature).toBe(expected(stale, 'sha256'));
		expect(Date.now() - Number(stale.timestamp)).toBeGreaterThan(5 * 60_000);
		expect(replay1).toEqual(replay2);
		expect(replay1.signature).toBe(expected(replay1, 'sha256'));
		expect(unsigned).toEqual(VOICE);
		// The queue is empty again: the next one is signed correctly.
		await sim.sendCallback(hookUrl(), VOICE);
		expect(received[5].signature).toBe(expected(received[5], 'sha256'));
	});

	test('without a callbackKey, callbacks are unsigned', async () => {
		await sim.sendCallback(hookUrl(), VOICE);
		expect(received).toEqual([VOICE]);
	});
});

describe('recording files', () => {
	const recordingOf = async (serial) => {
		const accessToken = await token();
		const answer = await call(
			'/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress',
			{ callSerialNo: serial },
			accessToken,
		);
		return JSON.parse(answer.data).result.url;
	};
	const download = (url) =>
		axios.get(url, { responseType: 'arraybuffer', validateStatus: () => true });
	const answeredCall = () =>
		sim.addRecord({ caller: '88889050', called: '13800138000', createdAt: Date.now() - 60_000 })
			.callSerialNo;

	test('a pre-signed link to a WAV file, with its content type and length', async () => {
		const url = await recordingOf(answeredCall());
		expect(url).toMatch(/\/recordings\/\d{19}\.wav\?Expires=\d{10}&Signature=[\w-]+$/);
		const file = await download(url);
		expect(file.status).toBe(200);
		expect(file.headers['content-type']).toBe('audio/wav');
		expect(Number(file.headers['content-length'])).toBe(44 + 16_000);
		expect(Buffer.from(file.data).subarray(0, 4).toString()).toBe('RIFF');
	});

	test('sizes, and chunked without a Content-Length', async () => {
		Object.assign(sim.config, { recordingBytes: 200_000, recordingChunked: true });
		const file = await download(await recordingOf(answeredCall()));
		expect(file.headers['content-length']).toBeUndefined();
		expect(file.data.byteLength).toBe(200_044);
	});

	test('an expired link or a changed signature: 403 with an XML error; no file: 404', async () => {
		const serial = answeredCall();
		sim.config.recordingValidMs = -2000;
		const expired = await download(await recordingOf(serial));
		expect(expired.status).toBe(403);
		expect(Buffer.from(expired.data).toString()).toContain('Request has expired');
		sim.config.recordingValidMs = 300_000;
		const url = await recordingOf(serial);
		const forged = await download(url.replace(/Signature=.*/, 'Signature=forged'));
		expect(forged.status).toBe(403);
		expect(Buffer.from(forged.data).toString()).toContain('SignatureDoesNotMatch');
		// A link is signed for its own file: another serial number in it is another signature.
		expect((await download(url.replace(serial, '1795322914835000000'))).status).toBe(403);
		expect((await download(url)).status).toBe(200);
		// The recording gone (the call forgotten): the store has no such file.
		sim.calls.delete(serial);
		const gone = await download(url);
		expect(gone.status).toBe(404);
		expect(Buffer.from(gone.data).toString()).toContain('NoSuchKey');
	});
});

describe('voice notifications', () => {
	const VN1 = '/apiaccess/rest/voiceNotification/v1/createVoiceNotification';
	const VN2 = '/apiaccess/rest/voiceNotification/v2/createVoiceNotification';
	const LIST = '/apiaccess/rest/voiceNotification/v1/queryVoiceNotificationRecording';
	const RECORDING = '1000000000000000001';
	const REMINDER = '2000000000000000001';
	const reminder = (templateParams = ['Tom', '2026/11/05', '10:30']) => ({
		templateId: REMINDER,
		templateParams,
	});
	const codeOf = async (path, body, accessToken) =>
		JSON.parse((await call(path, body, accessToken)).data).retCode;

	/** A local receiver of release callbacks: { url, received, close }. */
	async function receiver() {
		const received = [];
		const server = require('node:http').createServer((req, res) => {
			let text = '';
			req.on('data', (chunk) => (text += chunk));
			req.on('end', () => {
				received.push(JSON.parse(text));
				res.end('{"retCode":"0","retMsg":"success"}');
			});
		});
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		return {
			url: `http://127.0.0.1:${server.address().port}/hook`,
			received,
			close: () => server.close(),
		};
	}

	test('V1 and V2 place a notification: a bare 19-digit serial, X-APP-Key required', async () => {
		const accessToken = await token();
		const v1 = await call(
			VN1,
			{ called: '13800138000', voiceContent: `${RECORDING}~$Hi$` },
			accessToken,
		);
		expect(v1.data).toMatch(
			/^\{"retCode":"0","retMsg":"Created successfully\.","result":\{"callSerialNo":\d{19}\}\}$/,
		);
		const v2 = await call(VN2, { called: '13800138000', playList: [reminder()] }, accessToken);
		const serial = /"callSerialNo":(\d+)/.exec(v2.data)[1];
		expect(sim.calls.get(serial)).toMatchObject({ kind: 'voiceNotification', version: 2 });
		const without = await http.post(
			VN2,
			{ called: '1', playList: [reminder()] },
			{ headers: { Authorization: `Bearer ${accessToken}` } },
		);
		expect(without.status).toBe(400);
	});

	test.each([
		['a missing called number', VN1, { voiceContent: '$Hi$' }, '5'],
		[
			'letters in callerPresent',
			VN1,
			{ called: '1', voiceContent: '$Hi$', callerPresent: 'ACME' },
			'7',
		],
		['an empty voiceContent', VN1, { called: '1', voiceContent: '' }, '8'],
		[
			'voiceContent over 1000 characters',
			VN1,
			{ called: '1', voiceContent: `$${'x'.repeat(999)}$` },
			'8',
		],
		['an unknown recording', VN1, { called: '1', voiceContent: '999~$Hi$' }, '8'],
		['a text part with $ inside', VN1, { called: '1', voiceContent: '$a$b$' }, '8'],
		[
			'a callBackUrl with a space',
			VN1,
			{
				called: '1',
				voiceContent: '$Hi$',
				callBackUrl: Buffer.from('https://a.example/x y').toString('base64'),
			},
			'9',
		],
		['priority 10', VN1, { called: '1', voiceContent: '$Hi$', priority: '10' }, '36'],
		['playTimes 6', VN2, { called: '1', playList: [reminder()], playTimes: 6 }, '10'],
		['an empty playList', VN2, { called: '1', playList: [] }, '11'],
		['six entries', VN2, { called: '1', playList: Array(6).fill(reminder()) }, '11'],
		['an entry with nothing to play', VN2, { called: '1', playList: [{}] }, '12'],
		[
			'a 33-byte variable',
			VN2,
			{ called: '1', playList: [reminder(['预约提醒预约提醒预约提'])] },
			'13',
		],
		['a variable with {', VN2, { called: '1', playList: [reminder(['{x}'])] }, '14'],
		['11 variables', VN2, { called: '1', playList: [reminder(Array(11).fill('a'))] }, '15'],
		[
			'a template without its variables',
			VN2,
			{ called: '1', playList: [{ templateId: REMINDER }] },
			'15',
		],
		['an unknown voice', VN2, { called: '1', playList: [{ voiceId: '999' }] }, '17'],
		[
			'a voice of another scene',
			VN2,
			{ called: '1', playList: [{ voiceId: '9000000000000000018' }] },
			'18',
		],
		[
			'a voice not submitted',
			VN2,
			{ called: '1', playList: [{ voiceId: '9000000000000000019' }] },
			'19',
		],
		[
			'a template in review',
			VN2,
			{ called: '1', playList: [{ templateId: '9000000000000000020', templateParams: ['a'] }] },
			'20',
		],
		[
			'a rejected voice',
			VN2,
			{ called: '1', playList: [{ voiceId: '9000000000000000021' }] },
			'21',
		],
		[
			'a recording as template',
			VN2,
			{ called: '1', playList: [{ templateId: RECORDING, templateParams: ['a'] }] },
			'22',
		],
		['a template as voice', VN2, { called: '1', playList: [{ voiceId: REMINDER }] }, '23'],
	])('validates as documented: %s gets retCode %s', async (_label, path, body, code) => {
		expect(await codeOf(path, body, await token())).toBe(code);
	});

	test('a trial tenant answers 16 for a called number off its trust-list', async () => {
		sim.config.trial = { trustList: ['13800138000'] };
		const accessToken = await token();
		expect(await codeOf(VN2, { called: '13900139000', playList: [reminder()] }, accessToken)).toBe(
			'16',
		);
		expect(await codeOf(VN2, { called: '13800138000', playList: [reminder()] }, accessToken)).toBe(
			'0',
		);
	});

	test('any code can be forced, with its documented text', async () => {
		sim.inject({ endpoint: 'createVoiceNotificationV2', kind: 'code', code: '1' });
		expect(
			JSON.parse((await call(VN2, { called: '1', playList: [reminder()] }, await token())).data),
		).toEqual({
			retCode: '1',
			retMsg: 'There is an unfinished task. Try again later.',
		});
	});

	test('the voice list: approved items of one type, paged, as an array or an object', async () => {
		const accessToken = await token();
		const list = async (body) => JSON.parse((await call(LIST, body, accessToken)).data);
		const audio = await list({ type: 0 });
		expect(audio).toMatchObject({ returnCode: '0', description: 'success' });
		expect(audio.voiceInfo.map((voice) => voice.name)).toEqual([
			'Welcome greeting',
			'Appointment chime',
			'Payment overdue notice',
		]);
		expect(Object.keys(audio.voiceInfo[0]).sort()).toEqual([
			'name',
			'tenantSpaceName',
			'tenant_id',
			'type',
			'uploaddate',
			'voice_id',
			'voicecontent',
		]);
		const page = await list({ type: 2, offset: 1, limit: 2 });
		expect(page.voiceInfo.map((voice) => voice.voice_id)).toEqual([
			'2000000000000000002',
			'2000000000000000003',
		]);
		expect(JSON.parse(page.voiceInfo[0].voicecontent)).toEqual({
			0: { languageId: '0', textcontent: expect.stringContaining('${TXT_1}') },
		});
		sim.config.voices = Array.from({ length: 150 }, (_, index) => ({
			...audio.voiceInfo[0],
			voice_id: String(index),
			status: 'approved',
			scene: 'voiceNotification',
		}));
		expect((await list({ type: 0, limit: 500 })).voiceInfo).toHaveLength(100);
		sim.config.voiceInfoShape = 'object';
		expect(Object.keys((await list({ type: 0, offset: 148 })).voiceInfo)).toEqual(['0', '1']);
		expect(await list({ type: 1 })).toEqual({
			returnCode: '1',
			description: 'The type is incorrect',
		});
		sim.config.voices = [];
		expect(await list({ type: 0 })).toEqual({
			returnCode: '0',
			description: 'success',
			voiceInfo: {},
		});
	});

	test('a notification rings, plays, ends; its release callback: the fields of 2805', async () => {
		const hook = await receiver();
		try {
			Object.assign(sim.config, {
				ringMs: 100,
				talkMs: 100,
				unansweredNumbers: ['13900139004'],
				voiceOutcomes: { 13900139000: 0, 13900139006: 6, 13900139999: 999 },
			});
			const accessToken = await token();
			const callBackUrl = Buffer.from(hook.url).toString('base64');
			const numbers = ['13800138000', '13900139004', '13900139000', '13900139006', '13900139999'];
			const serials = [];
			for (const called of numbers) {
				const created = await call(
					VN2,
					{ called, callerPresent: '95599', playList: [reminder()], callBackUrl },
					accessToken,
				);
				serials.push(/"callSerialNo":(\d+)/.exec(created.data)[1]);
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(hook.received.map((body) => [body.called, body.releaseReason])).toEqual(
				expect.arrayContaining([
					['13800138000', '1'],
					['13900139004', '4'],
					['13900139000', '0'],
					['13900139006', '6'],
					['13900139999', '999'],
				]),
			);
			const played = hook.received.find((body) => body.called === '13800138000');
			expect(Object.keys(played).sort()).toEqual(
				[
					'callSerialNo',
					'called',
					'callerPresent',
					'createCallTime',
					'alertingTime',
					'talkingTime',
					'releaseTime',
					'talkDuration',
					'recordfile',
					'locationId',
					'releaseReason',
				].sort(),
			);
			expect(played).toMatchObject({ callSerialNo: serials[0], callerPresent: '95599' });
			expect(played.createCallTime).toMatch(/^\d{4}\/\d{2}\/\d{2},\d{2}:\d{2}:\d{2}:\d{3}$/);
			for (const value of Object.values(played)) expect(typeof value).toBe('string');
			const missed = hook.received.find((body) => body.called === '13900139004');
			expect(missed).toMatchObject({ talkingTime: '', talkDuration: '0' });
			expect(hook.received.find((body) => body.called === '13900139006').alertingTime).toBe('');
		} finally {
			hook.close();
		}
	});

	test('records of task type 3 are voice notifications; queryCallState knows none', async () => {
		Object.assign(sim.config, { ringMs: 20, talkMs: 20 });
		const accessToken = await token();
		await call(V1, { caller: '88889050', called: '13800138000' }, accessToken);
		const created = await call(VN1, { called: '13800138001', voiceContent: '$Hi$' }, accessToken);
		const serial = /"callSerialNo":(\d+)/.exec(created.data)[1];
		const records = async (taskType) =>
			JSON.parse(
				(
					await call(
						'/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord',
						{ startTime: Date.now() - 60_000, endTime: Date.now() + 1000, taskType },
						accessToken,
					)
				).data,
			).result.callInfo.map((record) => record.called);
		expect(await records(3)).toEqual(['13800138001']);
		expect(await records(1)).toEqual(['13800138000']);
		expect(await records(0)).toEqual(['13800138000', '13800138001']);
		const state = await call(
			'/apiaccess/CC-Management/v1/mobileAgent/queryCallState',
			{ callSerialNo: serial },
			accessToken,
		);
		expect(JSON.parse(state.data).retCode).toBe('3');
	});
});

// npm start points the examples' CRM and chat webhooks here, so that they end on their success
// path.
test('the inbox answers a POST to /inbox/… with 200 and hands on what it received', async () => {
	const received = [];
	const inbox = await createSimulator({ onInbox: (message) => received.push(message) }).start();
	try {
		const body = { callSerialNo: '1795322914835007919', outcome: 'playedToEnd' };
		const answer = await axios.post(`${inbox.url}/inbox/crm.example.com/webhooks/outcome`, body);
		expect([answer.status, answer.data]).toEqual([200, { received: true }]);
		expect(received).toEqual([{ path: '/inbox/crm.example.com/webhooks/outcome', body }]);
	} finally {
		await inbox.stop();
	}
});
