'use strict';

const { setup, bidirectional, getState, getRecords, expectNoSecrets } = require('./setup');
const { redactText, redactParsed, snippetOf } = require('../dist/shared/redact');

/**
 * The App Key, App Secret and tokens never reach an item, an error or a log, whatever AICC
 * answers: tokens under other spellings, answers that quote a secret (cut at the snippet edge,
 * JSON-escaped or URL-encoded), and secrets under keys the node cannot know.
 */
let ctx;

/** Each item calls a number of its own (its index in the last digits). */
const run = (fault, items = [{}]) => {
	if (fault) ctx.sim.inject({ endpoint: 'createCallV1', ...fault });
	return ctx.run({
		parameters: bidirectional({ called: '={{ "1380013800" + $itemIndex }}' }),
		items,
		onError: 'continueRegularOutput',
	});
};

describe('the token answer may spell its token in several ways', () => {
	test.each([
		['AccessToken', null],
		['accessToken', null],
		['access_token', null],
		['AccessToken', 'result'],
		['accessToken', 'result'],
		['access_token', 'result'],
		['AccessToken', 'data'],
		['accessToken', 'data'],
		['access_token', 'data'],
	])('%s under %s', async (tokenKey, tokenUnder) => {
		ctx = await setup({ tokenKey, tokenUnder });
		const result = await run(undefined, [{}, {}]);
		expect(result.main.map((item) => item.success)).toEqual([true, true]);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(ctx.calls().map((entry) => entry.auth.token)).toEqual(['valid', 'valid']);
		expectNoSecrets(result, ctx.sim);
	});

	test.each([
		['jwt', null, 'jwt, ApplyType'],
		['token', 'result', 'result.token, result.ApplyType'],
		['id_token', 'data', 'data.id_token, data.ApplyType'],
	])(
		'an unknown spelling (%s under %s) fails the item, places nothing and shows only the keys',
		async (tokenKey, tokenUnder, keys) => {
			ctx = await setup({ tokenKey, tokenUnder });
			const result = await run();
			expect(ctx.tokenRequests()).toHaveLength(1);
			expect(ctx.calls()).toHaveLength(0);
			expect(ctx.sim.tokens.size).toBe(1);
			expect(result.main[0]).toMatchObject({
				success: false,
				outcome: 'notPlaced',
				message: 'AICC answered the token request without an AccessToken',
			});
			expect(result.main[0].error).toContain(`The answer held the keys: ${keys}`);
			expect(result.main[0].error).not.toMatch(/simulated-user|Bearer|default/);
			expectNoSecrets(result, ctx.sim);
		},
	);

	test('an unknown spelling without Continue On Fail stops the run, same error', async () => {
		ctx = await setup({ tokenKey: 'jwt' });
		const result = await ctx.run({ parameters: bidirectional(), items: [{}, {}] });
		expect(result.error.message).toBe(
			'AICC answered the token request without an AccessToken (item 1)',
		);
		expect(result.error.description).toMatch(/The answer held the keys: jwt, /);
		expect(ctx.calls()).toHaveLength(0);
		expectNoSecrets(result, ctx.sim);
	});
});

describe('answers that quote a secret are scrubbed before they are cut', () => {
	test.each([150, 185, 190, 195, 199, 200, 230])(
		'a token quoted after %s characters',
		async (length) => {
			ctx = await setup();
			const prefix = `error: ${'x'.repeat(length - 7)}`;
			const result = await run({
				kind: 'echoToken',
				status: 400,
				prefix,
				suffix: ' is not allowed here',
			});
			expect(result.main[0]).toMatchObject({ success: false, outcome: 'notPlaced' });
			expect(result.main[0].message).toMatch(
				/rejected the bidirectional call request as incorrect \(HTTP 400\)/,
			);
			// The token is replaced whole, then the snippet is cut at 200 characters.
			expect(result.main[0].error).toContain(`AICC said: ${`${prefix}[redacted]`.slice(0, 200)}`);
			expect(ctx.calls()).toHaveLength(1);
			expect(ctx.sim.tokens.size).toBe(1);
			expectNoSecrets(result, ctx.sim);
		},
	);

	test('a quoted token stays out of the run error without Continue On Fail', async () => {
		ctx = await setup();
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'echoToken',
			status: 403,
			prefix: 'y'.repeat(190),
		});
		const result = await ctx.run({ parameters: bidirectional() });
		expect(result.error.message).toMatch(/forbade the bidirectional call request \(HTTP 403\)/);
		expectNoSecrets(result, ctx.sim);
	});

	describe('an App Secret with special characters', () => {
		const SECRET = 'SK/2b8d+4e6f "quoted" & secret';
		const escaped = JSON.stringify(SECRET).slice(1, -1);
		const encoded = encodeURIComponent(SECRET);
		const forms = [SECRET, escaped, encoded];

		beforeEach(async () => {
			ctx = await setup({ appSecret: SECRET }, { appSecret: SECRET });
		});

		test.each([
			[
				'JSON-escaped in a text body',
				{ kind: 'status', status: 400, body: `{"error_msg":"bad app_secrets ${escaped}"}` },
			],
			[
				'URL-encoded in a text body',
				{ kind: 'status', status: 400, body: `rejected: sk=${encoded}&x=1` },
			],
			[
				'URL-encoded with + for spaces',
				{ kind: 'status', status: 400, body: `q=${encoded.replace(/%20/g, '+')}` },
			],
			[
				'JSON-escaped in a JSON body',
				{ kind: 'status', status: 500, body: { error_msg: `sk ${SECRET} refused` } },
			],
			['as is in a text body', { kind: 'status', status: 400, body: `sk ${SECRET} refused` }],
			['in a JSON answer with return code 1', { kind: 'code', code: '1', message: `sk ${SECRET}` }],
		])('quoted %s', async (_label, fault) => {
			const result = await run(fault);
			expect(ctx.tokenRequests()).toHaveLength(1);
			expect(ctx.tokenRequests()[0].status).toBe(200);
			expect(result.main[0].success).toBe(false);
			expect(result.main[0].error).toContain('[redacted]');
			expectNoSecrets(result, ctx.sim, forms);
		});

		test('the secret works for the token exchange', async () => {
			const result = await run();
			expect(result.main[0].success).toBe(true);
			expectNoSecrets(result, ctx.sim, forms);
		});
	});

	test.each([
		[
			'a JSON member named access_token',
			{
				kind: 'status',
				status: 500,
				body: { error: 'x', access_token: 'zzzz-unknown-value-9876' },
			},
			'zzzz-unknown-value-9876',
		],
		[
			'a JSON member named like a secret, as text',
			{ kind: 'status', status: 400, body: '{"error":"x","clientSecret":"s3cr3t-unknown-9876"}' },
			's3cr3t-unknown-9876',
		],
		[
			'a password field in text',
			{ kind: 'status', status: 400, body: 'error: password=hunter2hunter2' },
			'hunter2hunter2',
		],
		[
			'a bearer token in text',
			{
				kind: 'status',
				status: 403,
				body: 'Authorization: Bearer abcdef0123456789unknown',
			},
			'abcdef0123456789unknown',
		],
		[
			'a token member in a JSON answer',
			{ kind: 'code', code: '1', message: '{"token":"tok-unknown-5555-6666"}' },
			'tok-unknown-5555-6666',
		],
	])('a value under a secret-named key the node cannot know: %s', async (_label, fault, value) => {
		ctx = await setup();
		const result = await run(fault);
		expect(result.main[0].success).toBe(false);
		expect(result.main[0].error).toContain('[redacted]');
		expectNoSecrets(result, ctx.sim, [value]);
	});
});

describe('secrets in spellings the scrub did not expect', () => {
	test('a 2xx token answer that is not JSON (here XML) is described, never quoted', async () => {
		ctx = await setup();
		ctx.sim.inject({ endpoint: 'token', kind: 'reformat', as: 'xml' });
		const result = await run();
		// The answer held a token AICC had just issued, which the node cannot know to scrub.
		expect(ctx.sim.tokens.size).toBe(1);
		expect(ctx.calls()).toHaveLength(0);
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'notPlaced',
			message: "AICC's answer to the token request (tokenByAkSk) is not valid JSON",
		});
		expect(result.main[0].error).toMatch(
			/Base URL and Auth Base URL\. The answer \(application\/xml, \d+ characters\) is not shown/,
		);
		expectNoSecrets(result, ctx.sim);
	});

	describe("an App Secret quoted with Gson's escapes (= written as \\u003d)", () => {
		const SECRET = 'SK=2b8d4e6f/9c1a7e<3>';
		const gson = (value) =>
			JSON.stringify(value).replace(
				/[=<>&']/g,
				(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
			);
		const answer = (retCode) => ({
			kind: 'status',
			status: 200,
			body: gson({
				retCode,
				retMsg: `checked with ${SECRET}`,
				result: { callSerialNo: '1795322914835007919' },
			}),
		});

		beforeEach(async () => {
			ctx = await setup({ appSecret: SECRET }, { appSecret: SECRET });
		});

		test('in a successful answer: the output item and its raw response', async () => {
			ctx.sim.inject({ endpoint: 'createCallV1', ...answer('0') });
			const result = await ctx.run({
				parameters: bidirectional({}, { includeRawResponse: true }),
			});
			expect(result.main[0]).toMatchObject({
				success: true,
				message: 'checked with [redacted]',
				rawResponse: { retMsg: 'checked with [redacted]' },
			});
			expectNoSecrets(result, ctx.sim, [SECRET]);
		});

		test('in a return code answer: the error', async () => {
			const result = await run(answer('1'));
			expect(result.main[0].error).toContain('AICC said: "checked with [redacted]"');
			expectNoSecrets(result, ctx.sim, [SECRET]);
		});

		test('in text that is not JSON', () => {
			const text = gson({ retMsg: SECRET }).slice(0, -1);
			expect(redactText(text, [SECRET])).toBe('{"retMsg":"[redacted]"');
			const lowerHex = encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (byte) =>
				byte.toLowerCase(),
			);
			expect(redactText(`x ${lowerHex} y`, [SECRET])).toBe('x [redacted] y');
		});
	});
});

describe("a user's data comes back exactly as it was sent", () => {
	// Words that look like a credential to the scrub of error text, in a user's own Call Data.
	const CALL_DATA =
		'Basic offer, token 7; password: see CRM; {"secret":"s-1"}; Bearer free-gift; app_key=A1';

	test('Call Data in Get Call State, Get Call Records and the raw responses', async () => {
		ctx = await setup();
		const { callSerialNo } = ctx.sim.addRecord({
			caller: '88889050',
			called: '13800138000',
			callData: CALL_DATA,
			createdAt: Date.UTC(2026, 9, 1, 1),
		});
		const state = await ctx.run({
			parameters: getState({}, { includeRawResponse: true }),
			items: [{ callSerialNo }],
		});
		expect(state.main[0].callData).toBe(CALL_DATA);
		expect(state.main[0].rawResponse.result.callData).toBe(CALL_DATA);
		const records = await ctx.run({ parameters: getRecords() });
		expect(records.main.map((record) => record.callData)).toEqual([CALL_DATA]);
		expectNoSecrets(state, ctx.sim);
	});

	test('the known secrets are still scrubbed from output items', async () => {
		ctx = await setup();
		const { callSerialNo } = ctx.sim.addRecord({
			caller: '88889050',
			called: '13800138000',
			callData: `Basic offer with ${ctx.sim.config.appSecret}`,
		});
		const state = await ctx.run({ parameters: getState(), items: [{ callSerialNo }] });
		expect(state.main[0].callData).toBe('Basic offer with [redacted]');
		expectNoSecrets(state, ctx.sim);
	});
});

describe('redaction helpers', () => {
	const TOKEN = 'a1b2c3d4e5f6a7b8c9d0';

	test('known secrets are replaced as is, JSON-escaped and URL-encoded', () => {
		const secret = 'p/q+r "s" & t';
		const url = encodeURIComponent(secret);
		const plus = url.replace(/%20/g, '+');
		const text = `raw ${secret} json ${JSON.stringify(secret)} url ${url} plus ${plus}`;
		expect(redactText(text, [secret])).toBe(
			'raw [redacted] json "[redacted]" url [redacted] plus [redacted]',
		);
	});

	test('values under secret-named keys and bearer tokens are replaced', () => {
		expect(redactText('{"access_token":"v1","n":2,"Password":12345}', [])).toBe(
			'{"access_token":"[redacted]","n":2,"Password":"[redacted]"}',
		);
		expect(redactText('a=1&app_key=v2&b=2', [])).toBe('a=1&app_key=[redacted]&b=2');
		expect(redactText('Authorization: Bearer v3.v4-v5', [])).toBe(
			'Authorization: Bearer [redacted]',
		);
		const answer = {
			result: { AccessToken: 'v6', list: [{ secretKey: 'v7' }], note: `t ${TOKEN}` },
		};
		expect(redactText(JSON.stringify(answer), [TOKEN])).toBe(
			'{"result":{"AccessToken":"[redacted]","list":[{"secretKey":"[redacted]"}],' +
				'"note":"t [redacted]"}}',
		);
	});

	test('output items lose only the known secrets: a secret-named key is data there', () => {
		const answer = {
			result: { AccessToken: 'v6', list: [{ secretKey: 'v7' }], note: `Basic t ${TOKEN}` },
		};
		expect(redactParsed(JSON.stringify(answer), answer, [TOKEN])).toEqual({
			result: { AccessToken: 'v6', list: [{ secretKey: 'v7' }], note: 'Basic t [redacted]' },
		});
	});

	test('an answer with no secret in it is returned as it is, without a walk', () => {
		const answer = { retCode: '0', retMsg: 'ok', result: { callSerialNo: '1795322914835007919' } };
		expect(redactParsed(JSON.stringify(answer), answer, [TOKEN])).toBe(answer);
	});

	test('snippetOf scrubs before it cuts, so a secret across the edge is replaced whole', () => {
		for (let length = 180; length <= 205; length++) {
			const snippet = snippetOf(`${'x'.repeat(length)}${TOKEN}tail`, [TOKEN]);
			expect(snippet).not.toMatch(/a1b2|c3d4|e5f6|a7b8|c9d0/);
			expect(snippet.length).toBeLessThanOrEqual(201);
		}
		expect(snippetOf({ AccessToken: TOKEN, n: 1 }, [])).toBe('{"AccessToken":"[redacted]","n":1}');
		expect(snippetOf('a\n\n b', [])).toBe('a b');
		expect(snippetOf(undefined, [])).toBe('');
	});
});
