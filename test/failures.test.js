'use strict';

const { setupEach, bidirectional, anonymous, expectNoSecrets } = require('./setup');

/**
 * A call costs money and rings a real person: a request is re-sent only when AICC provably
 * did not act on it. These tests count the requests that reach the simulator.
 */
const ctx = setupEach();

const run = (fault, options = {}, parameters = bidirectional({}, options)) => {
	if (fault)
		ctx.sim.inject({
			endpoint: parameters.operation === 'createAnonymous' ? 'createCallAnonymous' : 'createCallV1',
			...fault,
		});
	return ctx.run({ parameters, onError: 'continueRegularOutput' });
};

describe('never re-sent: the outcome is unknown', () => {
	test.each([
		[
			'HTTP 500',
			{ kind: 'status', status: 500, body: 'Business failure' },
			/failed while handling the bidirectional call request \(HTTP 500\)/,
		],
		[
			'HTTP 502 with an HTML page',
			{ kind: 'html', status: 502 },
			/failed while handling the bidirectional call request \(HTTP 502\)/,
		],
		['HTTP 503', { kind: 'status', status: 503, body: 'busy' }, /\(HTTP 503\)/],
		[
			'an HTML page with HTTP 200',
			{ kind: 'html' },
			/answered the bidirectional call request with an HTML page instead of JSON/,
		],
		[
			'a garbled JSON body',
			{ kind: 'garbled' },
			/answer to the bidirectional call request is not valid JSON/,
		],
		[
			'a dropped connection',
			{ kind: 'drop' },
			/The connection to AICC broke during the bidirectional call request/,
		],
		[
			'JSON without a return code',
			{ kind: 'status', status: 200, body: { result: {} } },
			/has no return code/,
		],
	])('%s', async (_label, fault, message) => {
		const result = await run(fault);
		expect(result.main).toHaveLength(1);
		expect(result.main[0]).toMatchObject({ success: false, outcome: 'unknown', retCode: null });
		expect(result.main[0].message).toMatch(message);
		expect(result.main[0].error).toMatch(
			/may or may not have been placed: check the call records in AICC before dialing again/,
		);
		expect(ctx.calls()).toHaveLength(1);
		expectNoSecrets(result, ctx.sim);
	});

	test('a timeout', async () => {
		const result = await run({ kind: 'hang' }, { timeout: 1 });
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'unknown',
			message: 'AICC did not answer the bidirectional call request in time',
		});
		expect(result.main[0].error).toMatch(
			/may or may not have been placed.*raise the node's Timeout option/,
		);
		expect(ctx.calls()).toHaveLength(1);
	});

	test("n8n's own error text never replaces the explanation", async () => {
		ctx.sim.inject({ endpoint: 'createCallV1', kind: 'hang' });
		const failed = await ctx.run({ parameters: bidirectional({}, { timeout: 1 }) });
		expect(failed.error.message).toBe('AICC did not answer the bidirectional call request in time');
	});
});

describe('never placed: AICC refused, the request is not re-sent', () => {
	test.each([
		[400, /rejected the bidirectional call request as incorrect \(HTTP 400\)/],
		[403, /forbade the bidirectional call request \(HTTP 403\)/],
		[404, /has no such address for the bidirectional call request \(HTTP 404\)/],
		[418, /refused the TLS server name \(HTTP 418\)/],
	])('HTTP %s', async (status, message) => {
		const result = await run({ kind: 'status', status, body: { error_msg: 'refused' } });
		expect(result.main[0]).toMatchObject({ success: false, outcome: 'notPlaced' });
		expect(result.main[0].message).toMatch(message);
		expect(result.main[0].error).toContain('AICC said: {"error_msg":"refused"}');
		expect(ctx.calls()).toHaveLength(1);
	});

	test('a refused connection to the API (token endpoint elsewhere)', async () => {
		ctx.harness.credentials.add('closed', {
			baseUrl: 'http://127.0.0.1:9',
			authBaseUrl: ctx.sim.url,
			appKey: ctx.sim.config.appKey,
			appSecret: ctx.sim.config.appSecret,
			expiresIn: 600,
		});
		const result = await ctx.run({
			parameters: bidirectional(),
			credentialId: 'closed',
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'notPlaced',
			message: 'AICC refused the connection for the bidirectional call request',
		});
	});
});

describe('AICC may have acted on these: unknown, not sent again, even under Retry On Fail', () => {
	test.each([301, 302, 303, 307, 308, 405, 409, 422])('HTTP %s', async (status) => {
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'status',
			status,
			body: { error_msg: 'elsewhere' },
			headers: status < 400 ? { Location: 'https://elsewhere.example/createCall' } : {},
			times: -1,
		});
		const result = await ctx.run({
			parameters: bidirectional(),
			onError: 'continueRegularOutput',
			retryOnFail: 3,
		});
		expect(result.main[0]).toMatchObject({ success: false, outcome: 'unknown', retCode: null });
		expect(result.main[0].message).toMatch(
			status < 400
				? new RegExp(
						`^AICC redirected the bidirectional call request \\(HTTP ${status}\\); the node ` +
							'does not follow redirects$',
					)
				: new RegExp(`^AICC answered the bidirectional call request with HTTP ${status}$`),
		);
		expect(result.main[0].error).toMatch(/^The call may or may not have been placed/);
		expect(result.main[0].error).toContain('AICC said: {"error_msg":"elsewhere"}');
		expect(ctx.calls()).toHaveLength(1);
	});
});

describe("nothing was sent: not placed, naming the credential's field and the fix", () => {
	const credential = (fields) =>
		ctx.harness.credentials.add('bad', {
			appKey: ctx.sim.config.appKey,
			appSecret: ctx.sim.config.appSecret,
			expiresIn: 600,
			...fields,
		});
	const runWith = () =>
		ctx.run({ parameters: bidirectional(), credentialId: 'bad', onError: 'continueRegularOutput' });

	test.each([
		['an impossible port', 'https://127.0.0.1:99999', 'has port 99999; a port is 1 to 65535'],
		['a host with a space', 'https://aicc tenant.example.com', 'is not a valid URL'],
	])('%s in the Base URL', async (_label, baseUrl, problem) => {
		credential({ baseUrl, authBaseUrl: ctx.sim.url });
		const result = await runWith();
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'notPlaced',
			message: `The credential's Base URL ${problem}`,
		});
		expect(result.main[0].error).toMatch(/^In the AICC API credential, enter the tenant/);
		expect(result.main[0].error).toContain('Nothing was sent, so no call was placed.');
		// Checked before any request, the token's too.
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test('an impossible port in the Auth Base URL: the token request is not sent', async () => {
		credential({ baseUrl: ctx.sim.url, authBaseUrl: 'http://127.0.0.1:70000' });
		const result = await runWith();
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'notPlaced',
			message: "The credential's Auth Base URL has port 70000; a port is 1 to 65535",
		});
		expect(ctx.sim.log.entries).toHaveLength(0);
	});
});

describe('re-sent only when AICC provably did not act', () => {
	test('HTTP 401: the token is renewed and the request re-sent once', async () => {
		const result = await run({ kind: 'expireTokens' });
		expect(result.main[0].success).toBe(true);
		expect(ctx.calls().map((entry) => entry.status)).toEqual([401, 200]);
		expect(ctx.tokenRequests()).toHaveLength(2);
	});

	test('HTTP 429 honours Retry-After and succeeds within the attempts', async () => {
		const result = await run({ kind: 'rateLimit', retryAfter: 0.2, times: 2 });
		expect(result.main[0].success).toBe(true);
		const times = ctx.calls().map((entry) => Date.parse(entry.at));
		expect(ctx.calls().map((entry) => entry.status)).toEqual([429, 429, 200]);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(180);
	});

	test('HTTP 429 each time: at most Rate-Limit Attempts requests, then a clear error', async () => {
		const result = await run({ kind: 'rateLimit', retryAfter: 0, times: -1 }, { maxAttempts: 4 });
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'notPlaced',
			message: 'AICC kept rejecting the bidirectional call request as too many requests (HTTP 429)',
		});
		expect(ctx.calls()).toHaveLength(4);
	});

	test('ITA 90104029 backs off exponentially (1 s, then 2 s) and succeeds', async () => {
		const result = await run({ kind: 'code', code: '90104029', times: 2 });
		expect(result.main[0].success).toBe(true);
		const times = ctx.calls().map((entry) => Date.parse(entry.at));
		expect(times).toHaveLength(3);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(1950);
	});

	test('ITA 90104029 past the attempts fails with the code explained', async () => {
		const result = await run({ kind: 'code', code: '90104029', times: -1 }, { maxAttempts: 1 });
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'notPlaced',
			retCode: '90104029',
		});
		expect(result.main[0].message).toBe(
			'AICC kept answering the bidirectional call request with return code 90104029: ITA: ' +
				'too many requests',
		);
		expect(ctx.calls()).toHaveLength(1);
	});

	test('a Retry-After beyond a minute is not waited for', async () => {
		const result = await run({ kind: 'rateLimit', retryAfter: 3600, times: -1 });
		expect(result.main[0]).toMatchObject({ success: false, outcome: 'notPlaced' });
		expect(ctx.calls()).toHaveLength(1);
	});

	test('the anonymous call follows the same rules', async () => {
		const result = await run({ kind: 'status', status: 500 }, {}, anonymous());
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'unknown',
			message: 'AICC failed while handling the anonymous call request (HTTP 500)',
		});
		expect(ctx.calls('createCallAnonymous')).toHaveLength(1);
	});
});

test('text from AICC is scrubbed of the App Key, App Secret and token', async () => {
	await ctx.run({ parameters: bidirectional() });
	const [token] = ctx.sim.tokens.keys();
	const leak = `key ${ctx.sim.config.appKey} secret ${ctx.sim.config.appSecret} token ${token}`;
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'status',
		status: 500,
		body: { error_msg: leak },
	});
	ctx.sim.inject({ endpoint: 'createCallV1', kind: 'code', code: '1', message: leak });
	const result = await ctx.run({
		parameters: bidirectional({ called: '={{ $json.phone }}' }, { includeRawResponse: true }),
		items: [{ phone: '13800138001' }, { phone: '13800138002' }],
		onError: 'continueRegularOutput',
	});
	expect(result.main[0].error).toContain('key [redacted] secret [redacted] token [redacted]');
	expect(result.main[1].error).toContain(
		'AICC said: "key [redacted] secret [redacted] token [redacted]"',
	);
	expectNoSecrets(result, ctx.sim);
});
