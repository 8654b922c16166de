'use strict';

const { setup, bidirectional, expectNoSecrets, contacts, tokenFromElsewhere } = require('./setup');
const { tokenIssuedFor, tokenKeyOf } = require('../dist/shared/token');

/**
 * Token renewals are bounded: requests share one exchange, a rejected request takes a token
 * another request already renewed or another worker stored, and after two tokens in a row were
 * refused before any worked, no further one is asked for a while. No App, tenant or execution
 * pattern makes the node hammer tokenByAkSk.
 */
let ctx;

const perContact = (options) => bidirectional({ called: '={{ $json.phone }}' }, options);
const REFUSED = new RegExp(
	'^AICC refused the access token ' +
		'(for the bidirectional call request even after renewing it|right after renewing it)' +
		' \\(HTTP 401\\)$',
);

/**
 * Stores `token` in credential `id` as n8n does after another process's preAuthentication: with
 * the settings it was issued for (the credential's, as the node reads them).
 */
async function storeToken(token, id = 'aicc') {
	const credentials = await ctx.harness.credentials.getDecrypted(undefined, { id }, 'aiccApi');
	Object.assign(ctx.harness.credentials.data(id), {
		accessToken: token,
		tokenIssuedFor: tokenIssuedFor(token, tokenKeyOf(credentials)),
	});
}

/** The HTTP statuses of the createCall requests the simulator saw for one number, in order. */
const statusesOf = (phone) =>
	ctx
		.calls()
		.filter((entry) => entry.body.called === phone)
		.map((entry) => entry.status);

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until `done()` holds, 3 s at most. */
async function until(done) {
	for (let waited = 0; !done() && waited < 3000; waited += 10) await pause(10);
}

/**
 * On a revoking tenant whose tokens just expired: a run of two items starts; item 0 renews the
 * token, and while item 1 is on its way (slowed at the simulator) another worker takes a token,
 * which revokes ours. Resolves with the items, the running execution and the other worker's token.
 */
async function anotherWorkerRenewsDuringItem1() {
	ctx = await setup({ revokeOnIssue: true });
	await ctx.run({ parameters: perContact(), items: contacts(1) });
	ctx.sim.expireTokens();
	const items = contacts(2, '1390013');
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'slow',
		ms: 300,
		match: { called: items[1].phone },
	});
	const running = ctx.run({ parameters: perContact(), items, onError: 'continueRegularOutput' });
	await until(() => ctx.tokenRequests().length >= 2);
	await pause(100);
	return { items, running, theirs: await tokenFromElsewhere(ctx.sim) };
}

describe('an App that is not subscribed to the API', () => {
	test('1,000 items, Concurrency 16, Continue On Fail: at most 2 token exchanges', async () => {
		ctx = await setup({ unsubscribed: true });
		const result = await ctx.run({
			parameters: perContact({ concurrency: 16 }),
			items: contacts(1000),
			onError: 'continueRegularOutput',
		});
		expect(result.main).toHaveLength(1000);
		expect(result.main.filter((item) => item.success)).toEqual([]);
		expect(
			result.main.every((item) => item.outcome === 'notPlaced' && REFUSED.test(item.message)),
		).toBe(true);
		expect(result.main.every((item) => /subscribed to the API/.test(item.error))).toBe(true);
		expect(ctx.tokenRequests().length).toBeLessThanOrEqual(2);
		// Every request was refused; none was sent more than twice (once more after a renewal).
		const calls = ctx.calls();
		expect(calls.every((entry) => entry.status === 401)).toBe(true);
		expect(calls.length).toBeLessThanOrEqual(1000 + 2 * 16);
		expectNoSecrets(result, ctx.sim);
	});

	test('without Continue On Fail the run stops early, after at most 2 exchanges', async () => {
		ctx = await setup({ unsubscribed: true });
		const result = await ctx.run({
			parameters: perContact({ concurrency: 16 }),
			items: contacts(1000),
		});
		// The message ends with the item that failed first, as the editor counts (from 1).
		const [, message, item] = /^(.*) \(item (\d+)\)$/.exec(result.error.message);
		expect(message).toMatch(REFUSED);
		expect(Number(item)).toBeGreaterThanOrEqual(1);
		expect(result.main).toEqual([]);
		expect(ctx.tokenRequests().length).toBeLessThanOrEqual(2);
		expect(ctx.calls().length).toBeLessThanOrEqual(4 * 16);
		expectNoSecrets(result, ctx.sim);
	});

	test('a later execution asks for no further token right away', async () => {
		ctx = await setup({ unsubscribed: true });
		const first = await ctx.run({
			parameters: perContact({ concurrency: 4 }),
			items: contacts(8),
			onError: 'continueRegularOutput',
		});
		const exchanges = ctx.tokenRequests().length;
		expect(exchanges).toBeLessThanOrEqual(2);
		const second = await ctx.run({
			parameters: perContact({ concurrency: 4 }),
			items: contacts(8),
			onError: 'continueRegularOutput',
		});
		expect(
			second.main.every((item) => item.outcome === 'notPlaced' && REFUSED.test(item.message)),
		).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(exchanges);
		expectNoSecrets(first, ctx.sim);
		expectNoSecrets(second, ctx.sim);
	});
});

test('a token that worked and is refused moments after a renewal is renewed again', async () => {
	ctx = await setup();
	const [a, b] = contacts(2);
	ctx.sim.inject({ endpoint: 'createCallV1', kind: 'expireTokens', match: { called: a.phone } });
	ctx.sim.inject({ endpoint: 'createCallV1', kind: 'expireTokens', match: { called: b.phone } });
	const result = await ctx.run({ parameters: perContact(), items: [a, b] });
	expect(result.main.map((item) => item.success)).toEqual([true, true]);
	expect(ctx.calls().map((entry) => [entry.body.called, entry.status])).toEqual([
		[a.phone, 401],
		[a.phone, 200],
		[b.phone, 401],
		[b.phone, 200],
	]);
	expect(ctx.tokenRequests()).toHaveLength(3);
	expectNoSecrets(result, ctx.sim);
});

describe('a tenant where a new token revokes the older ones', () => {
	test('two executions at once, tokens expire mid-run: one shared renewal', async () => {
		ctx = await setup({ revokeOnIssue: true, latencyMs: 15 });
		const first = contacts(64, '1380013');
		const second = contacts(64, '1390013');
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'expireTokens',
			match: { called: first[24].phone },
		});
		const results = await Promise.all([
			ctx.run({
				parameters: perContact({ concurrency: 16 }),
				items: first,
				onError: 'continueRegularOutput',
			}),
			ctx.run({
				parameters: perContact({ concurrency: 16 }),
				items: second,
				onError: 'continueRegularOutput',
			}),
		]);
		for (const result of results) {
			expect(result.main.filter((item) => !item.success)).toEqual([]);
			expect(result.main).toHaveLength(64);
			expectNoSecrets(result, ctx.sim);
		}
		const calls = ctx.calls();
		const answered = new Map();
		for (const entry of calls.filter((call) => call.status === 200)) {
			answered.set(entry.body.called, (answered.get(entry.body.called) ?? 0) + 1);
		}
		expect(answered.size).toBe(128);
		expect([...answered.values()].every((count) => count === 1)).toBe(true);
		expect(calls.every((entry) => entry.status === 200 || entry.status === 401)).toBe(true);
		// Both executions were caught by the expiry, and shared the renewal.
		const refused = calls
			.filter((entry) => entry.status === 401)
			.map((entry) => entry.body.called.slice(0, 7));
		expect(new Set(refused)).toEqual(new Set(['1380013', '1390013']));
		expect(ctx.tokenRequests().length).toBeLessThanOrEqual(3);
		expect(ctx.sim.revokedTokens.length).toBe(ctx.tokenRequests().length - 1);
	});

	test("another process's token revokes the node's: the node renews once", async () => {
		ctx = await setup({ revokeOnIssue: true, latencyMs: 10 });
		await ctx.run({ parameters: perContact({ concurrency: 8 }), items: contacts(8) });
		expect(await tokenFromElsewhere(ctx.sim)).toEqual(expect.any(String));
		const result = await ctx.run({
			parameters: perContact({ concurrency: 8 }),
			items: contacts(16, '1390013'),
			onError: 'continueRegularOutput',
		});
		expect(result.main.every((item) => item.success)).toBe(true);
		// The node's first exchange, the other process's, and one renewal.
		expect(ctx.tokenRequests()).toHaveLength(3);
		expectNoSecrets(result, ctx.sim);
	});

	test('a rejected token this process never issued: a new exchange, no stale token', async () => {
		// As in queue mode: the store holds another worker's token; this process remembers an older
		// one of its own, which that worker's exchange revoked.
		ctx = await setup({ revokeOnIssue: true });
		await ctx.run({ parameters: perContact(), items: contacts(1) });
		await storeToken(await tokenFromElsewhere(ctx.sim));
		await tokenFromElsewhere(ctx.sim);
		const items = contacts(3, '1390013');
		const result = await ctx.run({
			parameters: perContact(),
			items,
			onError: 'continueRegularOutput',
		});
		expect(result.main.map((item) => item.success)).toEqual([true, true, true]);
		// Its first exchange, the other worker's two, and one renewal.
		expect(ctx.tokenRequests()).toHaveLength(4);
		expectNoSecrets(result, ctx.sim);
	});

	test('another worker renews just after this one: the node takes the stored token', async () => {
		const { items, running, theirs } = await anotherWorkerRenewsDuringItem1();
		await storeToken(theirs);
		const result = await running;
		expect(result.main.map((item) => item.success)).toEqual([true, true]);
		expect(statusesOf(items[1].phone)).toEqual([401, 200]);
		// Its first exchange, its renewal, the other worker's: item 1 asks for none.
		expect(ctx.tokenRequests()).toHaveLength(3);
		expectNoSecrets(result, ctx.sim);
	});

	test('the store holds an older token than the one that works: n8n stores it again', async () => {
		// In queue mode: another worker exchanged a token first and stored it last, over the token
		// this process exchanged after it. The node hands its own token at once, and n8n stores it,
		// so that the other worker finds it there.
		ctx = await setup({ revokeOnIssue: true });
		const older = await tokenFromElsewhere(ctx.sim);
		await ctx.run({ parameters: perContact(), items: contacts(1) });
		const ours = ctx.harness.credentials.data('aicc').accessToken;
		await storeToken(older);
		const reads = ctx.harness.credentials.reads;
		const result = await ctx.run({ parameters: perContact(), items: contacts(1, '1390013') });
		expect(result.main[0].success).toBe(true);
		expect(ctx.calls().map((entry) => entry.status)).toEqual([200, 401, 200]);
		expect(ctx.tokenRequests()).toHaveLength(2);
		expect(ctx.harness.credentials.data('aicc').accessToken).toBe(ours);
		// The run read the credential once, when it started: it did not wait on the store.
		expect(ctx.harness.credentials.reads - reads).toBe(1);
		expectNoSecrets(result, ctx.sim, [older]);
	});

	test("another worker's stored token is refused: the node waits for that worker's", async () => {
		// The worker that exchanged the stored token renews it (after its own look in the store);
		// this process, which did not, looks longer rather than racing it with an exchange.
		ctx = await setup({ revokeOnIssue: true });
		await storeToken(await tokenFromElsewhere(ctx.sim));
		ctx.sim.expireTokens();
		const running = ctx.run({ parameters: perContact(), items: contacts(1) });
		await until(() => ctx.calls().some((entry) => entry.status === 401));
		await pause(1200);
		await storeToken(await tokenFromElsewhere(ctx.sim));
		const result = await running;
		expect(result.main[0].success).toBe(true);
		expect(ctx.calls().map((entry) => entry.status)).toEqual([401, 200]);
		// Both exchanges are the other worker's.
		expect(ctx.tokenRequests()).toHaveLength(2);
		expectNoSecrets(result, ctx.sim);
	});

	test("another worker's token never reached the store: the node renews once more", async () => {
		// The store holds this process's renewed token, which the other worker's exchange revoked
		// (their writes landed in the other order): the node's renewal is the only way on, and the
		// other worker then takes the node's token from the store.
		const { items, running } = await anotherWorkerRenewsDuringItem1();
		const result = await running;
		expect(result.main.map((item) => item.success)).toEqual([true, true]);
		expect(statusesOf(items[1].phone)).toEqual([401, 200]);
		expect(ctx.tokenRequests()).toHaveLength(4);
		expectNoSecrets(result, ctx.sim);
	});

	test('a worker stores its token just after ours is refused: the node looks again', async () => {
		const { items, running, theirs } = await anotherWorkerRenewsDuringItem1();
		await until(() =>
			ctx.calls().some((entry) => entry.body.called === items[1].phone && entry.status === 401),
		);
		await pause(150);
		await storeToken(theirs);
		const result = await running;
		expect(result.main.map((item) => item.success)).toEqual([true, true]);
		expect(ctx.tokenRequests()).toHaveLength(3);
		expectNoSecrets(result, ctx.sim);
	});
});

describe('no stampede when the stored token is stale', () => {
	test.each([
		['a token this process never saw', false],
		['a token this process never saw, on a revoking tenant', true],
	])('%s: the requests share one exchange', async (_label, revokeOnIssue) => {
		ctx = await setup({ revokeOnIssue, latencyMs: 20 });
		const stale = await tokenFromElsewhere(ctx.sim);
		ctx.sim.expireTokens();
		ctx.harness.credentials.add('stale', {
			baseUrl: ctx.sim.url,
			appKey: ctx.sim.config.appKey,
			appSecret: ctx.sim.config.appSecret,
			expiresIn: 600,
		});
		await storeToken(stale, 'stale');
		ctx.sim.log.clear();
		const result = await ctx.run({
			parameters: perContact({ concurrency: 16 }),
			items: contacts(32),
			credentialId: 'stale',
			onError: 'continueRegularOutput',
		});
		expect(result.main.every((item) => item.success)).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(ctx.calls().filter((entry) => entry.status === 401).length).toBeGreaterThan(1);
		expect(ctx.harness.credentials.data('stale').accessToken).not.toBe(stale);
		const next = await ctx.run({
			parameters: perContact({ concurrency: 16 }),
			items: contacts(32, '1390013'),
			credentialId: 'stale',
		});
		expect(next.main.every((item) => item.success)).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expectNoSecrets(result, ctx.sim, [stale]);
		expectNoSecrets(next, ctx.sim, [stale]);
	});

	test('a made-up stored token: one exchange for 32 concurrent requests', async () => {
		ctx = await setup({ latencyMs: 20 });
		await storeToken('stale-0123456789abcdef0123456789');
		const result = await ctx.run({
			parameters: perContact({ concurrency: 16 }),
			items: contacts(32),
		});
		expect(result.main.every((item) => item.success)).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(ctx.calls().filter((entry) => entry.auth.token === 'unknown').length).toBeGreaterThan(1);
		expectNoSecrets(result, ctx.sim, ['stale-0123456789abcdef0123456789']);
	});

	test('no stampede: requests with no token share one; expired, one renewal for all', async () => {
		ctx = await setup({ latencyMs: 20 });
		await ctx.run({ parameters: perContact({ concurrency: 16 }), items: contacts(32) });
		expect(ctx.tokenRequests()).toHaveLength(1);
		ctx.sim.expireTokens();
		const result = await ctx.run({
			parameters: perContact({ concurrency: 16 }),
			items: contacts(32, '1390013'),
		});
		expect(result.main.every((item) => item.success)).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(2);
		expect(ctx.calls().filter((entry) => entry.status === 401).length).toBeGreaterThan(1);
		expectNoSecrets(result, ctx.sim);
	});
});

describe('no preAuthentication storm', () => {
	// n8n runs the credential's preAuthentication, which reads and writes the encrypted
	// credential, for every request that leaves without a token: one request gets it, the
	// others wait for it.
	test('a cold run at Concurrency 64: one preAuthentication, one credential write', async () => {
		ctx = await setup({ latencyMs: 20 });
		const result = await ctx.run({
			parameters: perContact({ concurrency: 64 }),
			items: contacts(128),
		});
		expect(result.main.every((item) => item.success)).toBe(true);
		expect(ctx.harness.credentials.preAuthCalls).toBe(1);
		expect(ctx.harness.credentials.writes).toBe(1);
		expect(ctx.tokenRequests()).toHaveLength(1);
	});

	test('a token that expires with 64 in flight: one more write, and few store reads', async () => {
		ctx = await setup({ latencyMs: 20 });
		await ctx.run({ parameters: perContact({ concurrency: 64 }), items: contacts(64) });
		ctx.sim.inject({ endpoint: 'createCallV1', kind: 'expireTokens' });
		const reads = ctx.harness.credentials.reads;
		const result = await ctx.run({
			parameters: perContact({ concurrency: 64 }),
			items: contacts(128, '1390013'),
		});
		expect(result.main.every((item) => item.success)).toBe(true);
		expect(ctx.calls().filter((entry) => entry.status === 401).length).toBeGreaterThan(1);
		// n8n asks the credential again for each refused request; only one gets a token to store.
		expect(ctx.harness.credentials.writes).toBe(2);
		expect(ctx.tokenRequests()).toHaveLength(2);
		// The run's own read, and the one request that looked in the store for another's token.
		expect(ctx.harness.credentials.reads - reads).toBeLessThanOrEqual(1 + 4);
		expectNoSecrets(result, ctx.sim);
	});

	test('a failed token exchange fails every waiting request with it: one exchange', async () => {
		ctx = await setup({ latencyMs: 20 }, { appSecret: 'wrong-secret' });
		const result = await ctx.run({
			parameters: perContact({ concurrency: 16 }),
			items: contacts(32),
			onError: 'continueRegularOutput',
		});
		expect(result.main).toHaveLength(32);
		expect(
			result.main.every(
				(item) =>
					item.outcome === 'notPlaced' && /rejected the App Key or App Secret/.test(item.message),
			),
		).toBe(true);
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(ctx.calls()).toHaveLength(0);
	});
});
