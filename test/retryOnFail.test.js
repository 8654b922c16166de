'use strict';

const { setupEach, bidirectional, anonymous, expectNoSecrets } = require('./setup');

/**
 * n8n's Retry On Fail runs the whole node again, with the same input, when it throws or when its
 * first output item carries an error. Whatever the error setting, the fault and its place, and the
 * Concurrency, every call that was placed (or may have been) is sent once; only items AICC
 * provably did not act on are sent again. Requests are counted at the simulator per number.
 */
const ctx = setupEach();

const NUMBERS = ['13800138000', '13800138001', '13800138002', '13800138003'];
const TRIES = 3;

const FAULTS = {
	invalid: { label: 'an invalid item', phone: '', placed: false },
	refused: {
		label: 'AICC code 21 (not placed)',
		fault: { kind: 'code', code: '21', times: -1 },
		placed: false,
		sentAgain: true,
	},
	serverError: {
		label: 'HTTP 500 (outcome unknown)',
		fault: { kind: 'status', status: 500, body: 'failure', times: -1 },
		placed: 'unknown',
	},
	timeout: {
		label: 'a timeout (outcome unknown)',
		fault: { kind: 'hang', times: -1 },
		placed: 'unknown',
	},
};
const MODES = {
	regular: 'continueRegularOutput',
	errorOutput: 'continueErrorOutput',
	stop: undefined,
};

/** Requests that reached the simulator, per called number. */
function requestsPerNumber() {
	const counts = Object.fromEntries(NUMBERS.map((number) => [number, 0]));
	for (const entry of ctx.calls()) counts[entry.body.called] = (counts[entry.body.called] ?? 0) + 1;
	return counts;
}

/** Numbers AICC answered with a serial number: calls that were placed. */
function placedNumbers() {
	return ctx
		.calls()
		.filter((entry) => /"callSerialNo"/.test(entry.response ?? ''))
		.map((entry) => entry.body.called);
}

async function runCase({ fault, at, onError, concurrency }) {
	const spec = FAULTS[fault];
	const items = NUMBERS.map((phone) => ({ phone }));
	if (spec.phone !== undefined) items[at].phone = spec.phone;
	if (spec.fault)
		ctx.sim.inject({ endpoint: 'createCallV1', ...spec.fault, match: { called: NUMBERS[at] } });
	const parameters = bidirectional({ called: '={{ $json.phone }}' }, { timeout: 1, concurrency });
	return await ctx.run({ parameters, items, onError, retryOnFail: TRIES });
}

describe.each(Object.keys(MODES))('Retry On Fail (%s)', (mode) => {
	const onError = MODES[mode];
	describe.each(Object.keys(FAULTS))('%s', (fault) => {
		test.each([
			[0, 1],
			[1, 1],
			[1, 4],
		])('at item %i, concurrency %i: no call is sent twice', async (at, concurrency) => {
			const spec = FAULTS[fault];
			const result = await runCase({ fault, at, onError, concurrency });
			const counts = requestsPerNumber();
			const placed = placedNumbers();

			// No number was placed twice, and no placed or possibly placed call was sent twice.
			expect(new Set(placed).size).toBe(placed.length);
			for (const [number, count] of Object.entries(counts)) {
				if (number !== NUMBERS[at] || spec.placed === 'unknown')
					expect(count).toBeLessThanOrEqual(1);
			}
			// n8n retries when the node throws, or when the node's first item failed (before it routes
			// failed items to the error output).
			const retried = onError === undefined || at === 0;
			const faulted = spec.phone === undefined ? counts[NUMBERS[at]] : 0;
			expect(faulted).toBe(spec.phone !== undefined ? 0 : spec.sentAgain && retried ? TRIES : 1);

			if (onError === undefined) {
				// The run fails, and its error names every call it placed or may have placed.
				expect(result.main).toEqual([]);
				const named = (result.error.context.placedCalls ?? []).map(
					(entry) => NUMBERS[entry.item - 1],
				);
				expect(named.filter((number) => number !== NUMBERS[at]).sort()).toEqual([...placed].sort());
				for (const entry of result.error.context.placedCalls ?? []) {
					expect(result.error.description).toContain(
						`item ${entry.item}: placed, callSerialNo ${entry.callSerialNo}`,
					);
					expect(entry.callSerialNo).toMatch(/^\d{19}$/);
				}
				if (spec.phone !== undefined) expect(ctx.calls()).toHaveLength(0);
			} else {
				// Every item comes out once, in order; the placed ones with the serial AICC returned.
				const out = [...result.main, ...result.errors];
				expect(out).toHaveLength(NUMBERS.length);
				expect(placed.sort()).toEqual(NUMBERS.filter((_, index) => index !== at).sort());
				const failed = onError === 'continueErrorOutput' ? result.errors[0].error : result.main[at];
				expect(failed.outcome).toBe(spec.placed === 'unknown' ? 'unknown' : 'notPlaced');
			}
			expectNoSecrets(result, ctx.sim);
		});
	});
});

test('five tries, item 0 possibly placed: others called once, item 0 keeps its own', async () => {
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'status',
		status: 503,
		body: 'busy',
		times: -1,
		match: { called: NUMBERS[0] },
	});
	const items = NUMBERS.map((phone) => ({ phone }));
	const result = await ctx.run({
		parameters: bidirectional({ called: '={{ $json.phone }}' }, { concurrency: 2 }),
		items,
		onError: 'continueRegularOutput',
		retryOnFail: 5,
	});
	expect(requestsPerNumber()).toEqual(Object.fromEntries(NUMBERS.map((number) => [number, 1])));
	expect(result.main[0]).toMatchObject({
		success: false,
		outcome: 'unknown',
		message: 'AICC failed while handling the bidirectional call request (HTTP 503)',
	});
	expect(
		result.main.slice(1).every((item) => item.success && /^\d{19}$/.test(item.callSerialNo)),
	).toBe(true);
});

test('a refusal that clears on a later try: that item is sent again, the others once', async () => {
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'code',
		code: '6',
		times: 1,
		match: { called: NUMBERS[2] },
	});
	const items = NUMBERS.map((phone) => ({ phone }));
	const result = await ctx.run({
		parameters: bidirectional({ called: '={{ $json.phone }}' }),
		items,
		retryOnFail: 2,
	});
	expect(result.error).toBeUndefined();
	expect(requestsPerNumber()).toEqual({
		[NUMBERS[0]]: 1,
		[NUMBERS[1]]: 1,
		[NUMBERS[2]]: 2,
		[NUMBERS[3]]: 1,
	});
	expect(result.main.map((item) => item.success)).toEqual([true, true, true, true]);
	expect(new Set(result.main.map((item) => item.callSerialNo)).size).toBe(4);
});

test('a retry returns the serial numbers of the first try, not new ones', async () => {
	ctx.sim.inject({
		endpoint: 'createCallAnonymous',
		kind: 'status',
		status: 500,
		body: 'failure',
		times: -1,
		match: { called: NUMBERS[0] },
	});
	const items = NUMBERS.map((phone) => ({ phone }));
	const result = await ctx.run({
		parameters: anonymous({ called: '={{ $json.phone }}' }),
		items,
		onError: 'continueRegularOutput',
		retryOnFail: 3,
	});
	const calls = ctx.calls('createCallAnonymous');
	expect(calls).toHaveLength(4);
	for (const item of result.main.slice(1)) {
		expect(
			calls.filter((entry) => JSON.stringify(entry.response).includes(item.callSerialNo)),
		).toHaveLength(1);
	}
});

test('a new execution is a new run: with Duplicate Window 0 the items are sent again', async () => {
	const parameters = bidirectional({ called: '={{ $json.phone }}' }, { duplicateWindow: 0 });
	const items = NUMBERS.slice(0, 2).map((phone) => ({ phone }));
	await ctx.run({ parameters, items, retryOnFail: 3 });
	await ctx.run({ parameters, items, retryOnFail: 3 });
	expect(requestsPerNumber()).toMatchObject({ [NUMBERS[0]]: 2, [NUMBERS[1]]: 2 });
});

test('without Retry On Fail, a failing run still names the calls it placed', async () => {
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'code',
		code: '21',
		match: { called: NUMBERS[2] },
	});
	const items = NUMBERS.map((phone) => ({ phone }));
	const result = await ctx.run({
		parameters: bidirectional({ called: '={{ $json.phone }}' }),
		items,
	});
	expect(result.error.message).toBe(
		'AICC return code 21: this trial tenant has used its 10 bidirectional calls for today ' +
			'(item 3) (2 other calls were placed or may have been placed by this run: see the details ' +
			'before running it again)',
	);
	expect(result.error.context.placedCalls.map((entry) => entry.item)).toEqual([1, 2]);
	expect(result.error.description).toMatch(
		new RegExp(
			'Retrying this execution \\(Executions, then Retry\\) does not place them again, nor ' +
				'does a new run within the Duplicate Window; after that, leave these items out, or ' +
				'their customers are called twice:\\nitem 1: placed, callSerialNo \\d{19}\\nitem 2: ' +
				'placed, callSerialNo \\d{19}$',
		),
	);
	expect(requestsPerNumber()).toEqual({
		[NUMBERS[0]]: 1,
		[NUMBERS[1]]: 1,
		[NUMBERS[2]]: 1,
		[NUMBERS[3]]: 0,
	});
});

test('possibly placed calls are named with what happened to them', async () => {
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'code',
		code: '6',
		match: { called: NUMBERS[1] },
	});
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'status',
		status: 502,
		body: 'gateway',
		match: { called: NUMBERS[3] },
	});
	const items = NUMBERS.map((phone) => ({ phone }));
	const result = await ctx.run({
		parameters: bidirectional({ called: '={{ $json.phone }}' }, { concurrency: 4 }),
		items,
	});
	expect(result.error.message).toMatch(/^AICC return code 6: /);
	expect(result.error.context.placedCalls).toEqual([
		{ item: 1, outcome: 'placed', callSerialNo: expect.stringMatching(/^\d{19}$/) },
		{ item: 3, outcome: 'placed', callSerialNo: expect.stringMatching(/^\d{19}$/) },
		{
			item: 4,
			outcome: 'unknown',
			message: 'AICC failed while handling the bidirectional call request (HTTP 502)',
		},
	]);
	expect(result.error.description).toContain(
		'item 4: may have been placed (AICC failed while handling the bidirectional call ' +
			'request (HTTP 502))',
	);
});
