'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createSimulator } = require('../simulator');
const { setup, bidirectional, expectNoSecrets, logged, APP_KEY, APP_SECRET } = require('./setup');

let ctx;

/** `count` items, each with a number of its own, from number `from` on. */
const items = (count, from = 0) =>
	Array.from({ length: count }, (_, index) => ({
		phone: `1380013${String(from + index).padStart(4, '0')}`,
	}));
const perItem = bidirectional({ called: '={{ $json.phone }}' });

describe('one token serves every item and every execution until AICC rejects it', () => {
	test('1,000 items make exactly one token request; the next execution makes none', async () => {
		ctx = await setup();
		const first = await ctx.run({ parameters: perItem, items: items(1000) });
		expect(first.main).toHaveLength(1000);
		expect(first.main.every((item) => item.success)).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(ctx.tokenRequests()[0].headers['x-token-expire']).toBe('600');

		const second = await ctx.run({ parameters: perItem, items: items(3, 1000) });
		expect(second.main).toHaveLength(3);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(
			ctx.calls().every((entry) => entry.auth.token === 'valid' && entry.auth.appKey === 'match'),
		).toBe(true);
		expectNoSecrets(first, ctx.sim);
		// 1,000 items take about 11 s on a 2-core machine at load 9, over 30 s at load 13.
	}, 90_000);

	test('a token that expires mid-run is renewed once and no item fails', async () => {
		ctx = await setup();
		await ctx.run({ parameters: perItem, items: items(1) });
		ctx.sim.log.clear();
		ctx.sim.inject({ endpoint: 'createCallV1', kind: 'expireTokens' });
		const result = await ctx.run({ parameters: perItem, items: items(5, 1) });
		expect(result.main.map((item) => item.success)).toEqual([true, true, true, true, true]);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(ctx.calls().map((entry) => entry.status)).toEqual([401, 200, 200, 200, 200, 200]);
		expectNoSecrets(result, ctx.sim);
	});

	test('a token past its real lifetime is renewed on the next execution', async () => {
		ctx = await setup({}, { expiresIn: 1 });
		await ctx.run({ parameters: perItem, items: items(1) });
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const result = await ctx.run({ parameters: perItem, items: items(2, 1) });
		expect(result.main.map((item) => item.success)).toEqual([true, true]);
		expect(ctx.tokenRequests()).toHaveLength(2);
		expect(ctx.tokenRequests()[1].headers['x-token-expire']).toBe('1');
	});

	test('a second 401 after renewal is a credential error, not a loop', async () => {
		ctx = await setup();
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'status',
			status: 401,
			times: 2,
			body: { error_msg: 'Unauthorized operation' },
		});
		const result = await ctx.run({ parameters: perItem, items: items(1) });
		expect(result.error.message).toBe(
			'AICC refused the access token right after renewing it (HTTP 401)',
		);
		expect(result.error.description).toMatch(/subscribed to the API/);
		expect(ctx.calls()).toHaveLength(2);
		expect(ctx.tokenRequests()).toHaveLength(2);
	});

	test('the token endpoint may live elsewhere (Auth Base URL); a trailing / is fine', async () => {
		ctx = await setup();
		const api = await createSimulator({ appKey: APP_KEY, appSecret: APP_SECRET }).start();
		api.tokens = ctx.sim.tokens;
		try {
			ctx.harness.credentials.add('split', {
				baseUrl: `${api.url}/`,
				authBaseUrl: `${ctx.sim.url}/`,
				appKey: APP_KEY,
				appSecret: APP_SECRET,
				expiresIn: 600,
			});
			const result = await ctx.run({ parameters: perItem, items: items(2), credentialId: 'split' });
			expect(result.main.map((item) => item.success)).toEqual([true, true]);
			expect(ctx.tokenRequests()).toHaveLength(1);
			expect(api.log.for('token')).toHaveLength(0);
			expect(api.log.for('createCallV1')).toHaveLength(2);
		} finally {
			await api.stop();
		}
	});
});

describe('token exchange failures are clear, specific and place no call', () => {
	async function failWith(credentials, fault) {
		ctx = await setup({}, credentials);
		if (fault) ctx.sim.inject({ endpoint: 'token', ...fault });
		const result = await ctx.run({ parameters: perItem, items: items(1) });
		expect(ctx.calls()).toHaveLength(0);
		expectNoSecrets(result, ctx.sim);
		return result.error;
	}

	test('wrong App Key or App Secret', async () => {
		const error = await failWith({ appSecret: 'SK-wrong-secret-value' });
		expect(error.message).toBe(
			'AICC rejected the App Key or App Secret (HTTP 401 from tokenByAkSk)',
		);
		expect(error.description).toMatch(/App Key \(AK\) and App Secret \(SK\)/);
		expect(`${error.message} ${error.description} ${logged.join('')}`).not.toContain(
			'SK-wrong-secret-value',
		);
		expect(logged.join('')).toContain('AICC rejected the App Key or App Secret');
	});

	test('403 from the WAF or IP allow-list', async () => {
		const error = await failWith({}, { kind: 'status', status: 403, body: 'Forbidden' });
		expect(error.message).toMatch(/forbade the token request.*\(HTTP 403\)/);
		expect(error.description).toMatch(/IP allow-list/);
	});

	test('unreachable host', async () => {
		const error = await failWith({ baseUrl: 'http://127.0.0.1:9' });
		expect(error.message).toBe('AICC refused the connection for the token request (tokenByAkSk)');
		expect(error.description).toMatch(/base URL and port/);
	});

	test('a gateway HTML page instead of JSON', async () => {
		const error = await failWith({}, { kind: 'html' });
		expect(error.message).toMatch(/HTML page instead of JSON/);
		expect(error.description).toMatch(/Base URL and Auth Base URL/);
	});

	test('an answer without AccessToken', async () => {
		const error = await failWith({}, { kind: 'status', status: 200, body: { Expires: '600' } });
		expect(error.message).toBe('AICC answered the token request without an AccessToken');
	});

	test('a 404 points at the auth port', async () => {
		const error = await failWith({}, { kind: 'status', status: 404, body: 'Not Found' });
		expect(error.description).toMatch(/Auth Base URL/);
	});

	test('a base URL without scheme', async () => {
		const error = await failWith({ baseUrl: 'service.besclouds.com' });
		expect(error.message).toBe("The credential's Base URL is not a URL with http:// or https://");
		expect(error.description).toMatch(/https:\/\/service\.besclouds\.com/);
		expect(ctx.tokenRequests()).toHaveLength(0);
	});

	test('a token lifetime over 3600', async () => {
		const error = await failWith({ expiresIn: 4000 });
		expect(error.message).toMatch(/Token Lifetime is 4000; AICC takes 1 to 3600 seconds/);
		expect(ctx.tokenRequests()).toHaveLength(0);
	});
});

describe("the credential test's message says what went wrong and how to fix it", () => {
	// n8n's editor heads a failed test with "Couldn't connect with these settings" and shows the
	// message below it. With no token stored n8n runs preAuthentication first; with one stored it
	// sends the credential's test request itself.
	const STORED = { accessToken: 'stored-token-from-an-earlier-run' };
	const WRONG_KEYS =
		'AICC rejected the App Key or App Secret (HTTP 401 from tokenByAkSk). Check the ' +
		"credential's App Key (AK) and App Secret (SK) against the App in the tenant's API Fabric; " +
		'copy them again without spaces. If they are right, ask the tenant administrator whether ' +
		'the App is enabled.';

	async function tested(credentials, fault) {
		ctx = await setup({}, credentials);
		if (fault) ctx.sim.inject({ endpoint: 'token', ...fault, times: -1 });
		const result = await ctx.harness.testCredential();
		expect(ctx.calls()).toHaveLength(0);
		// What n8n answers the editor (the harness adds the error itself, for inspection).
		const shown = { status: result.status, message: result.message };
		expectNoSecrets(shown, ctx.sim);
		expect(JSON.stringify(shown)).not.toMatch(/SK-wrong-secret-value|stored-token-from/);
		return shown;
	}

	test.each([
		['no token stored', {}],
		['a token stored', STORED],
	])('right App Key and App Secret (%s): a real exchange, no call', async (_case, stored) => {
		expect(await tested(stored)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(ctx.tokenRequests().length).toBeGreaterThanOrEqual(1);
	});

	test.each([
		['no token stored', {}],
		['a token stored', STORED],
	])('wrong App Key or App Secret (%s)', async (_case, stored) => {
		const result = await tested({ ...stored, appSecret: 'SK-wrong-secret-value' });
		expect(result).toEqual({ status: 'Error', message: WRONG_KEYS });
	});

	test.each([
		['no token stored', {}],
		['a token stored', STORED],
	])('a base URL where AICC serves no token (HTTP 404, %s)', async (_case, stored) => {
		const result = await tested(stored, { kind: 'status', status: 404, body: 'Not Found' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^AICC has no such address for the token request \(tokenByAkSk\) \(HTTP 404\)\. Check /,
		);
		expect(result.message).toMatch(/set it in Auth Base URL\./);
	});

	test('a gateway that forbids this n8n (HTTP 403, a token stored)', async () => {
		const result = await tested(STORED, { kind: 'status', status: 403, body: 'Forbidden' });
		expect(result.message).toMatch(/\(HTTP 403\)\. .*Ask the tenant administrator to allow/);
	});

	test('a base URL without scheme: nothing is sent', async () => {
		const result = await tested({ baseUrl: 'service.besclouds.com' });
		expect(result.message).toMatch(
			/^The credential's Base URL is not a URL with http:\/\/ or https:\/\/\. .*https:\/\//,
		);
		expect(ctx.tokenRequests()).toHaveLength(0);
	});

	test('an unreachable host (no token stored)', async () => {
		expect(await tested({ baseUrl: 'http://127.0.0.1:9' })).toEqual({
			status: 'Error',
			message:
				'AICC refused the connection for the token request (tokenByAkSk). Nothing accepts ' +
				"connections at 127.0.0.1:9. Check the credential's base URL and port, and that the " +
				'tenant is up. Nothing was sent, so no call was placed.',
		});
	});

	test('an unreachable host with a token stored: n8n shows its own words', async () => {
		// n8n sends the test request itself and, without an answer, shows the error's code.
		expect(await tested({ ...STORED, baseUrl: 'http://127.0.0.1:9' })).toEqual({
			status: 'Error',
			message: 'ECONNREFUSED',
		});
	});
});

describe('the credential test follows no redirect: the App Secret goes nowhere else', () => {
	let elsewhere;
	afterEach(async () => {
		await elsewhere?.stop();
	});

	/** A token endpoint that answers with `status` to another server, which records requests. */
	async function redirected(status, credentials) {
		ctx = await setup({}, credentials);
		elsewhere = await createSimulator({ appKey: APP_KEY, appSecret: APP_SECRET }).start();
		ctx.sim.inject({
			endpoint: 'token',
			kind: 'status',
			status,
			body: { moved: true },
			headers: { Location: `${elsewhere.url}/apigovernance/api/oauth/tokenByAkSk` },
			times: -1,
		});
		return await ctx.harness.testCredential();
	}

	test.each([301, 302, 303, 307, 308])(
		'HTTP %s to the test request (a token is stored: n8n sends test.request itself)',
		async (status) => {
			const result = await redirected(status, { accessToken: 'stored-token-from-an-earlier-run' });
			expect(ctx.tokenRequests()).toHaveLength(1);
			expect(elsewhere.log.entries).toHaveLength(0);
			expect(result).toMatchObject({
				status: 'Error',
				message:
					`AICC redirected the token request (HTTP ${status}); the credential test follows ` +
					'no redirect, which could carry the App Secret to another address. Check the Base ' +
					"URL and Auth Base URL: often https:// instead of http://, or the tenant's own host " +
					'name.',
			});
		},
	);

	test('HTTP 307 to the token exchange the test runs first (no token stored)', async () => {
		const result = await redirected(307, {});
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(elsewhere.log.entries).toHaveLength(0);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^AICC redirected the token request \(tokenByAkSk\) \(HTTP 307\)/,
		);
	});
});

describe('TLS', () => {
	let tls;
	beforeAll(() => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aicc-tls-'));
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
				'-keyout',
				path.join(dir, 'key.pem'),
				'-out',
				path.join(dir, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		tls = {
			key: fs.readFileSync(path.join(dir, 'key.pem')),
			cert: fs.readFileSync(path.join(dir, 'cert.pem')),
		};
	});

	test('a TLS connection that breaks after the request left: unknown, not sent again', async () => {
		ctx = await setup({ tls }, { ignoreSslIssues: true });
		ctx.sim.inject({ endpoint: 'createCallV1', kind: 'breakTls', times: -1 });
		const result = await ctx.run({
			parameters: perItem,
			items: items(1),
			onError: 'continueRegularOutput',
			retryOnFail: 3,
		});
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'unknown',
			message: expect.stringMatching(/^The TLS connection to AICC broke \(ERR_SSL_/),
		});
		expect(result.main[0].error).toMatch(/may or may not have been placed/);
		// AICC received the request, then the connection broke.
		expect(ctx.calls()).toHaveLength(1);
	});

	test("a self-signed tenant's credential test names the option, and passes with it", async () => {
		ctx = await setup({ tls });
		const refused = await ctx.harness.testCredential();
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(
			/^The TLS connection to AICC failed \(.+\)\. .*Ignore SSL Issues/,
		);
		ctx.harness.credentials.add('insecure', {
			baseUrl: ctx.sim.url,
			appKey: APP_KEY,
			appSecret: APP_SECRET,
			ignoreSslIssues: true,
		});
		expect((await ctx.harness.testCredential('insecure')).status).toBe('OK');
	});

	test('a self-signed tenant fails with a hint to the option, and works with it', async () => {
		ctx = await setup({ tls });
		const refused = await ctx.run({ parameters: perItem, items: items(1) });
		expect(refused.error.message).toMatch(/^The TLS connection to AICC failed/);
		expect(refused.error.description).toMatch(/Ignore SSL Issues \(Insecure\)/);
		expect(refused.error.context.outcome).toBe('notPlaced');
		expect(ctx.sim.log.entries).toHaveLength(0);

		ctx.harness.credentials.add('insecure', {
			baseUrl: ctx.sim.url,
			appKey: APP_KEY,
			appSecret: APP_SECRET,
			expiresIn: 600,
			ignoreSslIssues: true,
		});
		const accepted = await ctx.run({
			parameters: perItem,
			items: items(1),
			credentialId: 'insecure',
		});
		expect(accepted.main[0].success).toBe(true);
	});
});
