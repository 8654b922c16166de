'use strict';

const {
	setup,
	bidirectional,
	voiceNotification,
	expectNoSecrets,
	contacts,
	tokenFromElsewhere,
} = require('./setup');
const { tokenIssuedFor, tokenKeyOf } = require('../dist/shared/token');

/**
 * A credential whose App Key, App Secret, Base URL or Auth Base URL changed does not go on using
 * the token issued for the old ones: n8n keeps the hidden token when a user edits a credential,
 * so the token is stored with the settings it was issued for (tokenIssuedFor, a hash keyed by the
 * token). A token issued for other settings counts as none: the next request asks for a token
 * first, and a wrong App Secret fails before any call is sent. Nothing is ever sent twice.
 */
let ctx;

const V2 = 'createVoiceNotificationV2';
const perContact = (options) => bidirectional({ called: '={{ $json.phone }}' }, options);
const REJECTED = /^AICC rejected the App Key or App Secret \(HTTP 401 from tokenByAkSk\)/;
const WRONG_SECRET = 'SK-wrong-0d5c1a7e-secret';
const ROTATED_SECRET = 'SK-rotated-93b1f0c4-secret';

/** The stored credential, as n8n keeps it (encrypted) between executions. */
const stored = (id = 'aicc') => ctx.harness.credentials.data(id);

/** What the stored token's tokenIssuedFor must be for the credential as the node reads it now. */
async function issuedForNow(id = 'aicc') {
	const credentials = await ctx.harness.credentials.getDecrypted(undefined, { id }, 'aiccApi');
	return tokenIssuedFor(credentials.accessToken, tokenKeyOf(credentials));
}

describe("the App Secret changed in n8n, the stored token kept (as n8n's editor does)", () => {
	test('a wrong App Secret: the item fails with the credential error, sends no call', async () => {
		ctx = await setup();
		const first = await ctx.run({ parameters: voiceNotification() });
		expect(first.main[0].success).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(1);
		const { accessToken, tokenIssuedFor: issuedFor } = stored();
		expect(issuedFor).toMatch(/^[0-9a-f]{64}$/);
		expect(issuedFor).toBe(await issuedForNow());

		// The user edits the credential: a new App Secret; n8n keeps the hidden fields.
		stored().appSecret = WRONG_SECRET;
		ctx.sim.log.clear();
		const second = await ctx.run({
			parameters: voiceNotification({ called: '13900139000' }),
			onError: 'continueRegularOutput',
		});
		expect(second.main).toEqual([
			expect.objectContaining({ success: false, outcome: 'notPlaced' }),
		]);
		expect(second.main[0].message).toMatch(REJECTED);
		expect(ctx.calls(V2)).toHaveLength(0);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(ctx.tokenRequests()[0].status).toBe(401);
		// Nothing was stored: the token and what it was issued for stay as they were.
		expect(stored()).toMatchObject({ accessToken, tokenIssuedFor: issuedFor });

		// Without Continue On Fail the run stops with the same error.
		ctx.sim.log.clear();
		const third = await ctx.run({ parameters: voiceNotification({ called: '13700137000' }) });
		expect(third.error.message).toMatch(REJECTED);
		expect(ctx.calls(V2)).toHaveLength(0);
		expect(ctx.tokenRequests()).toHaveLength(1);

		// The right App Secret again: the stored token was issued for exactly these settings.
		stored().appSecret = ctx.sim.config.appSecret;
		ctx.sim.log.clear();
		const fourth = await ctx.run({ parameters: voiceNotification({ called: '13600136000' }) });
		expect(fourth.main[0].success).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(0);
		expect(ctx.calls(V2).map((entry) => entry.status)).toEqual([200]);
		for (const result of [first, second, third, fourth])
			expectNoSecrets(result, ctx.sim, [WRONG_SECRET, issuedFor]);
	});

	test('16 items at Concurrency 8 with a wrong App Secret: one exchange, no call', async () => {
		ctx = await setup({ latencyMs: 20 });
		await ctx.run({ parameters: perContact(), items: contacts(1) });
		stored().appSecret = WRONG_SECRET;
		ctx.sim.log.clear();
		const result = await ctx.run({
			parameters: perContact({ concurrency: 8 }),
			items: contacts(16, '1390013'),
			onError: 'continueRegularOutput',
		});
		expect(result.main).toHaveLength(16);
		expect(
			result.main.every((item) => item.outcome === 'notPlaced' && REJECTED.test(item.message)),
		).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(ctx.calls()).toHaveLength(0);
		expectNoSecrets(result, ctx.sim, [WRONG_SECRET, stored().tokenIssuedFor]);
	});
});

describe('settings changed to other valid ones: one renewal, then the new token serves', () => {
	test.each([
		[
			'the App Secret, reset in AICC (its old tokens still valid)',
			(sim) => {
				sim.config.appSecret = ROTATED_SECRET;
				return { appSecret: ROTATED_SECRET };
			},
		],
		['the Base URL, written with a trailing /', (sim) => ({ baseUrl: `${sim.url}/` })],
		['the Auth Base URL, set to the same host', (sim) => ({ authBaseUrl: sim.url })],
	])('%s', async (_label, change) => {
		ctx = await setup();
		const original = ctx.sim.config.appSecret;
		await ctx.run({ parameters: perContact(), items: contacts(1) });
		const old = stored().accessToken;
		Object.assign(stored(), change(ctx.sim));
		ctx.sim.log.clear();
		const result = await ctx.run({ parameters: perContact(), items: contacts(2, '1390013') });
		expect(result.main.map((item) => item.success)).toEqual([true, true]);
		expect(ctx.tokenRequests().map((entry) => entry.status)).toEqual([200]);
		// The old token, valid at AICC, was not sent: both calls went with the new one.
		expect(ctx.calls().map((entry) => [entry.status, entry.auth.token])).toEqual([
			[200, 'valid'],
			[200, 'valid'],
		]);
		expect(stored().accessToken).not.toBe(old);
		expect(stored().tokenIssuedFor).toBe(await issuedForNow());

		ctx.sim.log.clear();
		const next = await ctx.run({ parameters: perContact(), items: contacts(1, '1370013') });
		expect(next.main[0].success).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(0);
		for (const run of [result, next]) expectNoSecrets(run, ctx.sim, [original, old]);
	});
});

test('a credential stored by an older version (no tokenIssuedFor) renews once', async () => {
	ctx = await setup();
	const old = await tokenFromElsewhere(ctx.sim);
	ctx.harness.credentials.add('older', {
		baseUrl: ctx.sim.url,
		appKey: ctx.sim.config.appKey,
		appSecret: ctx.sim.config.appSecret,
		expiresIn: 600,
		accessToken: old,
	});
	ctx.sim.log.clear();
	const result = await ctx.run({
		parameters: perContact(),
		items: contacts(2),
		credentialId: 'older',
	});
	expect(result.main.map((item) => item.success)).toEqual([true, true]);
	expect(ctx.tokenRequests()).toHaveLength(1);
	expect(ctx.calls().map((entry) => entry.status)).toEqual([200, 200]);
	expect(stored('older').accessToken).not.toBe(old);
	expect(stored('older').tokenIssuedFor).toBe(await issuedForNow('older'));

	ctx.sim.log.clear();
	const next = await ctx.run({
		parameters: perContact(),
		items: contacts(1, '1390013'),
		credentialId: 'older',
	});
	expect(next.main[0].success).toBe(true);
	expect(ctx.tokenRequests()).toHaveLength(0);
	for (const run of [result, next]) expectNoSecrets(run, ctx.sim, [stored('older').tokenIssuedFor]);
});
