'use strict';

const { setup, bidirectional, expectNoSecrets } = require('./setup');

/** Concurrency and pacing keep every guarantee of the one-at-a-time loop. */
let ctx;
afterEach(() => ctx.stop());

const contacts = (count) =>
	Array.from({ length: count }, (_, index) => ({
		phone: `1380013${String(index).padStart(4, '0')}`,
	}));
const perContact = (options) => bidirectional({ called: '={{ $json.phone }}' }, options);

test('requests run concurrently, and output items keep input order and pairing', async () => {
	ctx = await setup({ latencyMs: 300 });
	const items = contacts(40);
	const result = await ctx.run({ parameters: perContact({ concurrency: 8 }), items });
	expect(ctx.sim.maxInFlight).toBe(8);
	expect(result.items[0].map((item) => item.pairedItem.item)).toEqual(
		items.map((_, index) => index),
	);
	const sentTo = new Map(ctx.calls().map((entry) => [entry.body.called, entry]));
	result.main.forEach((item, index) => {
		expect(item.success).toBe(true);
		expect(sentTo.get(items[index].phone).response).toContain(
			`"callSerialNo":${item.callSerialNo}}`,
		);
	});
	expectNoSecrets(result, ctx.sim);
});

test('failures keep their place among concurrent successes', async () => {
	ctx = await setup({ latencyMs: 10 });
	const items = contacts(12);
	items[3].phone = '';
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'code',
		code: '6',
		match: { called: items[7].phone },
	});
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'status',
		status: 500,
		match: { called: items[9].phone },
	});
	const result = await ctx.run({
		parameters: perContact({ concurrency: 4 }),
		items,
		onError: 'continueRegularOutput',
	});
	expect(result.main.map((item) => (item.success ? 'ok' : item.outcome))).toEqual([
		'ok',
		'ok',
		'ok',
		'notPlaced',
		'ok',
		'ok',
		'ok',
		'notPlaced',
		'ok',
		'unknown',
		'ok',
		'ok',
	]);
	expect(result.items[0].map((item) => item.pairedItem.item)).toEqual(
		items.map((_, index) => index),
	);
	expect(ctx.calls()).toHaveLength(11);
});

test('Max Calls Per Second spaces the requests', async () => {
	ctx = await setup();
	await ctx.run({
		parameters: perContact({ concurrency: 4, callsPerSecond: 5 }),
		items: contacts(6),
	});
	const times = ctx
		.calls()
		.map((entry) => Date.parse(entry.at))
		.sort((a, b) => a - b);
	expect(times).toHaveLength(6);
	// The k-th request arrives at least k × 200 ms after the first, less 150 ms for the way to the
	// simulator (one request can be late and the next on time on a busy machine: at a load of 9 on
	// 2 cores, the first of them arrived 53 ms late). Without the pacing, Concurrency 4 sends four
	// at once.
	for (let index = 1; index < times.length; index++)
		expect(times[index] - times[0]).toBeGreaterThanOrEqual(index * 200 - 150);
});

test('a rate limit holds back every slot, not just the one that was told', async () => {
	// Measured in the simulator's own arrival order and times, relative to the 429, so that a busy
	// machine cannot fail it: the other slots may each have one request already on its way when
	// the 429 comes back, and nothing else reaches AICC until the Retry-After has passed.
	ctx = await setup({ latencyMs: 5 });
	const items = contacts(12);
	const concurrency = 4;
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'rateLimit',
		retryAfter: 0.5,
		match: { called: items[0].phone },
	});
	const result = await ctx.run({ parameters: perContact({ concurrency }), items });
	expect(result.main.every((item) => item.success)).toBe(true);
	const calls = ctx.calls();
	expect(calls).toHaveLength(13);
	const limited = calls.findIndex((entry) => entry.status === 429);
	const sinceLimited = (entry) => Date.parse(entry.at) - Date.parse(calls[limited].at);
	const later = calls.slice(limited + 1);
	const onTheirWay = later.filter((entry) => sinceLimited(entry) < 490);
	expect(onTheirWay.length).toBeLessThanOrEqual(concurrency - 1);
	expect(later.slice(onTheirWay.length).every((entry) => sinceLimited(entry) >= 490)).toBe(true);
	const retried = later.find((entry) => entry.body.called === items[0].phone);
	expect(sinceLimited(retried)).toBeGreaterThanOrEqual(490);
});
