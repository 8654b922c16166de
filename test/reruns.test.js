'use strict';

const { setupEach, bidirectional, anonymous, expectNoSecrets } = require('./setup');

/**
 * When n8n runs the same work again in another execution: the Retry button of a failed
 * execution (with the original or the current workflow, a retry of a retry, two retries of one
 * execution), a retry of an execution that crashed while placing calls, and a webhook delivered
 * twice. No call AICC may have acted on is placed twice; calls are counted at the simulator.
 * `retryOf` makes a run n8n's retry of an earlier one: mode "retry", a new execution ID, the
 * same input, and the context data the failed execution saved.
 */
const ctx = setupEach();

const NUMBERS = ['13800138000', '13800138001', '13800138002', '13800138003', '13800138004'];
const items = NUMBERS.map((phone) => ({ phone }));
const perPhone = (options = {}) => bidirectional({ called: '={{ $json.phone }}' }, options);

/** Requests per called number, and the numbers AICC placed a call to, in order. */
function tally(endpoint = 'createCallV1') {
	const requests = {};
	for (const entry of ctx.calls(endpoint))
		requests[entry.body.called] = (requests[entry.body.called] ?? 0) + 1;
	const placed = ctx
		.calls(endpoint)
		.filter((entry) => /callSerialNo/.test(JSON.stringify(entry.response ?? '')))
		.map((entry) => entry.body.called);
	return { requests, placed };
}

const refuse = (number, times = 1, code = '21') =>
	ctx.sim.inject({
		endpoint: 'createCallV1',
		kind: 'code',
		code,
		times,
		match: { called: number },
	});

/** A run whose context data did not survive (n8n was killed): what a retry of a crash sees. */
const crashed = (run) => ({
	run: {
		data: {
			executionData: { contextData: {} },
			resultData: { metadata: run.run.data.resultData.metadata },
		},
	},
});

describe('the Retry button of a failed execution', () => {
	test('placed items come back with their serial numbers, the rest is sent', async () => {
		refuse(NUMBERS[2]);
		const failed = await ctx.run({ parameters: perPhone(), items });
		expect(failed.error.message).toMatch(/^AICC return code 21: .*\(2 other calls were placed/);
		const serials = failed.error.context.placedCalls.map((entry) => entry.callSerialNo);

		const retry = await ctx.run({ parameters: perPhone(), items, retryOf: failed });
		expect(retry.error).toBeUndefined();
		const { requests, placed } = tally();
		expect(placed).toEqual([NUMBERS[0], NUMBERS[1], NUMBERS[2], NUMBERS[3], NUMBERS[4]]);
		expect(requests).toEqual({
			[NUMBERS[0]]: 1,
			[NUMBERS[1]]: 1,
			[NUMBERS[2]]: 2,
			[NUMBERS[3]]: 1,
			[NUMBERS[4]]: 1,
		});
		const firstExecution = failed.run.data.executionData.contextData['node:AICC Call'];
		expect(firstExecution).toBeDefined();
		for (const [index, serial] of serials.entries()) {
			expect(retry.main[index]).toMatchObject({
				success: true,
				retCode: '0',
				callSerialNo: serial,
				skipped: true,
				skipReason: 'placedBefore',
				repeats: {
					executionId: expect.stringMatching(/^exec-/),
					callSerialNo: serial,
					placedAt: expect.any(String),
					outcome: 'placed',
				},
			});
			expect(retry.main[index].message).toMatch(
				new RegExp(
					'^Not sent again: execution exec-\\S+ placed this call at .* ' +
						`\\(callSerialNo ${serial}\\)\\.$`,
				),
			);
		}
		expect(retry.main.slice(2).every((item) => item.success && !item.skipped)).toBe(true);
		expect(retry.hints.map((hint) => hint.message)).toEqual([
			'2 of 5 items were skipped, not placed again: each repeats a call placed (or maybe ' +
				'placed) before, and says which (skipped, skipReason, repeats).',
		]);
		expectNoSecrets(retry, ctx.sim);
	});

	test('with the currently saved workflow (changed), placed items are not sent', async () => {
		refuse(NUMBERS[1], 1, '6');
		const failed = await ctx.run({ parameters: perPhone(), items });
		const changed = perPhone();
		changed.additionalFields = { callData: 'fixed after the failure' };
		const retry = await ctx.run({ parameters: changed, items, retryOf: failed });
		expect(retry.error).toBeUndefined();
		expect(tally().requests).toEqual({
			[NUMBERS[0]]: 1,
			[NUMBERS[1]]: 2,
			[NUMBERS[2]]: 1,
			[NUMBERS[3]]: 1,
			[NUMBERS[4]]: 1,
		});
		expect(retry.main[0].skipped).toBe(true);
		expect(ctx.calls()[2].body.callData).toBe('fixed after the failure');
	});

	test('a retry of a retry, and two retries of the same execution, never place twice', async () => {
		refuse(NUMBERS[1]);
		refuse(NUMBERS[3]);
		const failed = await ctx.run({ parameters: perPhone(), items });
		// The first retry places item 1 and fails again at item 3 (refused).
		const first = await ctx.run({ parameters: perPhone(), items, retryOf: failed });
		expect(first.error.message).toMatch(/^AICC return code 21/);
		// Retrying the original execution again: item 2 was placed by the first retry.
		const again = await ctx.run({ parameters: perPhone(), items, retryOf: failed });
		expect(again.error).toBeUndefined();
		expect(again.main[1]).toMatchObject({ skipped: true, skipReason: 'placedBefore' });
		expect(again.main[1].repeats.callSerialNo).toMatch(/^\d{19}$/);
		expect(again.main[1].message).toMatch(/another retry of the same execution/);
		// And a retry of the first retry: everything is placed already.
		const chained = await ctx.run({ parameters: perPhone(), items, retryOf: first });
		expect(chained.main.every((item) => item.success)).toBe(true);
		const { placed } = tally();
		expect([...placed].sort()).toEqual([...NUMBERS].sort());
	});

	test('items whose outcome was unknown are not sent again, and say so', async () => {
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'status',
			status: 502,
			body: 'gateway',
			match: { called: NUMBERS[1] },
		});
		refuse(NUMBERS[3]);
		const failed = await ctx.run({ parameters: perPhone({ concurrency: 5 }), items });
		expect(failed.error).toBeDefined();
		const retry = await ctx.run({
			parameters: perPhone({ concurrency: 5 }),
			items,
			retryOf: failed,
		});
		expect(retry.error).toBeUndefined();
		expect(tally().requests[NUMBERS[1]]).toBe(1);
		expect(retry.main[1]).toMatchObject({
			success: false,
			outcome: 'unknown',
			skipped: true,
			skipReason: 'placedBefore',
			repeats: { outcome: 'unknown', callSerialNo: null },
		});
		expect(retry.main[1].message).toMatch(
			/^Not sent again: execution \S+ may have placed this call at /,
		);
		expect(retry.main[1].message).toMatch(
			new RegExp(
				' \\(AICC failed while handling the bidirectional call request \\(HTTP 502\\)\\)\\. ' +
					"Check AICC's call records before calling again\\.$",
			),
		);
	});

	test('anonymous calls too', async () => {
		ctx.sim.inject({
			endpoint: 'createCallAnonymous',
			kind: 'code',
			code: '30010000003',
			match: { called: NUMBERS[2] },
		});
		const parameters = anonymous({ called: '={{ $json.phone }}' });
		const failed = await ctx.run({ parameters, items });
		const retry = await ctx.run({ parameters, items, retryOf: failed });
		expect(retry.error).toBeUndefined();
		expect(tally('createCallAnonymous').placed).toHaveLength(5);
		expect(retry.main.slice(0, 2).every((item) => item.skipped)).toBe(true);
	});
});

describe('a retry of an execution that crashed while placing calls', () => {
	const many = Array.from({ length: 200 }, (_, index) => ({
		phone: `1390013${String(index).padStart(4, '0')}`,
	}));

	test('the batches it had begun are not sent again; the others are', async () => {
		// The run stops at item 70 (as if n8n died there); its context data is lost with it.
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'code',
			code: '6',
			match: { called: many[70].phone },
		});
		const stopped = await ctx.run({ parameters: perPhone({ concurrency: 8 }), items: many });
		const sentBefore = ctx.calls().length;
		expect(sentBefore).toBeGreaterThan(64);
		expect(sentBefore).toBeLessThan(128);
		const retry = await ctx.run({
			parameters: perPhone({ concurrency: 8 }),
			items: many,
			retryOf: crashed(stopped),
		});
		expect(retry.error).toBeUndefined();
		const { requests } = tally();
		expect(Object.values(requests).every((count) => count === 1)).toBe(true);
		// Batches 0 and 1 (items 0 to 127) had begun: may have been placed, not sent again.
		expect(
			retry.main.slice(0, 128).every((item) => item.skipped && item.outcome === 'unknown'),
		).toBe(true);
		expect(retry.main[0].message).toMatch(/stopped while it was placing these calls/);
		expect(retry.main.slice(128).every((item) => item.success && !item.skipped)).toBe(true);
		expect(ctx.calls()).toHaveLength(sentBefore + 72);
	});

	test('a retry of an execution that never reached the node sends everything', async () => {
		const retry = await ctx.run({
			parameters: perPhone({ concurrency: 8 }),
			items: many.slice(0, 10),
			mode: 'retry',
		});
		expect(retry.main.every((item) => item.success && !item.skipped)).toBe(true);
		expect(ctx.calls()).toHaveLength(10);
	});
});

describe('the duplicate guard', () => {
	const one = [{ phone: NUMBERS[0] }];

	test('the same webhook delivered twice places one call; the second item says which', async () => {
		const first = await ctx.run({ parameters: perPhone(), items: one, mode: 'webhook' });
		const second = await ctx.run({ parameters: perPhone(), items: one, mode: 'webhook' });
		expect(ctx.calls()).toHaveLength(1);
		expect(second.main[0]).toMatchObject({
			success: true,
			callSerialNo: first.main[0].callSerialNo,
			skipped: true,
			skipReason: 'duplicate',
			repeats: {
				executionId: expect.stringMatching(/^exec-/),
				callSerialNo: first.main[0].callSerialNo,
				outcome: 'placed',
			},
		});
		expect(second.main[0].message).toMatch(
			/^Skipped as a duplicate, not placed again: execution exec-\S+ placed this call at /,
		);
		expect(second.main[0].message).toMatch(
			new RegExp(
				', with the same called number, agent and call data\\. ' +
					'That was less than a minute ago\\. The Duplicate Window of 10 minutes holds the same ' +
					'call back for 10 to 20 minutes ' +
					'after it was placed \\(it counts in steps of 10 minutes\\): here until \\S+Z\\. ' +
					"To call again now, add the node's Duplicate Window option \\(Options, Add Option\\) " +
					"set to 0, or a Duplicate Key of the call's own\\.$",
			),
		);
		expect(second.hints.map((hint) => hint.message)).toEqual([
			'The item was skipped, not placed again: it repeats a call placed (or maybe placed) ' +
				'before, and says which (skipped, skipReason, repeats).',
		]);
	});

	test('delivered twice at once: one call', async () => {
		ctx.sim.config.latencyMs = 50;
		const both = await Promise.all([
			ctx.run({ parameters: perPhone(), items: one, mode: 'webhook' }),
			ctx.run({ parameters: perPhone(), items: one, mode: 'webhook' }),
		]);
		expect(ctx.calls()).toHaveLength(1);
		const skipped = both.find((result) => result.main[0].skipped).main[0];
		expect(skipped.repeats.outcome).toBe('inFlight');
		expect(skipped.success).toBe(false);
	});

	test('the same number in one run is called once', async () => {
		const result = await ctx.run({
			parameters: perPhone({ concurrency: 4 }),
			items: [{ phone: NUMBERS[0] }, { phone: NUMBERS[1] }, { phone: NUMBERS[0] }],
		});
		expect(ctx.calls()).toHaveLength(2);
		expect(result.main[2]).toMatchObject({ skipped: true, skipReason: 'duplicate' });
		expect(result.main[2].message).toMatch(
			/^Skipped as a duplicate, not placed again: item 1 of this run /,
		);
	});

	test('other call data, or Duplicate Window 0, is another call', async () => {
		await ctx.run({ parameters: perPhone(), items: one });
		const other = perPhone();
		other.additionalFields = { callData: 'second offer' };
		await ctx.run({ parameters: other, items: one });
		await ctx.run({ parameters: perPhone({ duplicateWindow: 0 }), items: one });
		expect(ctx.calls()).toHaveLength(3);
	});

	test('a Duplicate Key names the call: same key, one call; other keys, other calls', async () => {
		const keyed = perPhone({ duplicateKey: '={{ $json.event }}' });
		await ctx.run({ parameters: keyed, items: [{ phone: NUMBERS[0], event: 'crm-1' }] });
		const again = await ctx.run({
			parameters: keyed,
			items: [{ phone: NUMBERS[1], event: 'crm-1' }],
		});
		await ctx.run({ parameters: keyed, items: [{ phone: NUMBERS[0], event: 'crm-2' }] });
		expect(ctx.calls().map((entry) => entry.body.called)).toEqual([NUMBERS[0], NUMBERS[0]]);
		expect(again.main[0].message).toMatch(/with the same Duplicate Key\. That was/);
	});

	test('a call AICC refused is no duplicate: the next execution places it', async () => {
		refuse(NUMBERS[0]);
		const refused = await ctx.run({ parameters: perPhone(), items: one });
		expect(refused.error.message).toMatch(/^AICC return code 21/);
		const next = await ctx.run({ parameters: perPhone(), items: one });
		expect(next.main[0]).toMatchObject({ success: true });
		expect(next.main[0].skipped).toBeUndefined();
		expect(ctx.calls()).toHaveLength(2);
	});

	test('a call whose outcome is unknown is a duplicate: never sent twice', async () => {
		ctx.sim.inject({ endpoint: 'createCallV1', kind: 'hang' });
		const hung = await ctx.run({ parameters: perPhone({ timeout: 1 }), items: one });
		expect(hung.error.message).toMatch(/did not answer/);
		const next = await ctx.run({ parameters: perPhone(), items: one });
		expect(next.main[0]).toMatchObject({ success: false, outcome: 'unknown', skipped: true });
		expect(ctx.calls()).toHaveLength(1);
	});

	test('after the window, the same call is placed again', async () => {
		await ctx.run({ parameters: perPhone({ duplicateWindow: 1 }), items: one });
		const now = Date.now();
		const later = jest.spyOn(Date, 'now').mockImplementation(() => now + 2 * 60_000 + 1);
		try {
			const next = await ctx.run({ parameters: perPhone({ duplicateWindow: 1 }), items: one });
			expect(next.main[0].skipped).toBeUndefined();
		} finally {
			later.mockRestore();
		}
		expect(ctx.calls()).toHaveLength(2);
	});

	// A newcomer's call repeated 12 minutes later was skipped "within the Duplicate Window of 10
	// minutes": the window counts in steps of its length, so it holds a call back 10 to 20 minutes.
	test('a repeat after the window, within its step, says how long ago and until when', async () => {
		const step = 10 * 60_000;
		const placedAt = (Math.floor(Date.now() / step) + 1) * step + 2 * 60_000;
		const at = (time) => jest.spyOn(Date, 'now').mockImplementation(() => time);
		let clock = at(placedAt);
		try {
			await ctx.run({ parameters: perPhone(), items: one });
			clock.mockRestore();
			clock = at(placedAt + 12 * 60_000);
			const held = await ctx.run({ parameters: perPhone(), items: one });
			expect(held.main[0]).toMatchObject({ skipped: true, skipReason: 'duplicate' });
			expect(held.main[0].message).toContain(
				'. That was 12 minutes ago. The Duplicate Window of 10 minutes holds the same call ' +
					'back for 10 to 20 minutes after it was placed (it counts in steps of 10 minutes): ' +
					`here until ${new Date(placedAt - 2 * 60_000 + 2 * step).toISOString()}. `,
			);
			clock.mockRestore();
			clock = at(placedAt - 2 * 60_000 + 2 * step);
			const placed = await ctx.run({ parameters: perPhone(), items: one });
			expect(placed.main[0].skipped).toBeUndefined();
		} finally {
			clock.mockRestore();
		}
		// The simulator's clock moved too: its token expired, and the last call was re-sent after
		// the 401.
		expect(tally().placed).toEqual([NUMBERS[0], NUMBERS[0]]);
	});

	// Another process placed the call (or this one before a restart): its time is not known here.
	test('the hold ends a step after the call it repeats; without its time, after this step', () => {
		const { heldUntil } = require('../dist/nodes/AiccCall/helpers/repeats');
		const step = 10 * 60_000;
		const slot = 1_000 * step;
		expect(heldUntil(step, slot + 2 * 60_000, slot + 14 * 60_000)).toEqual({
			until: slot + 2 * step,
			exact: true,
		});
		expect(heldUntil(step, undefined, slot + 14 * 60_000)).toEqual({
			until: slot + 2 * step,
			exact: false,
		});
	});

	test('a write another worker undoes is repaired: the repeat is caught', async () => {
		ctx.harness.processedData.overwriteNext();
		await ctx.run({ parameters: perPhone(), items: one });
		const again = await ctx.run({ parameters: perPhone(), items: one });
		expect(again.main[0]).toMatchObject({ skipped: true, skipReason: 'duplicate' });
		expect(ctx.calls()).toHaveLength(1);
	});

	test('two writes to the call book per batch of 64 calls (the second repairs)', async () => {
		const before = ctx.harness.processedData.writes;
		const result = await ctx.run({
			parameters: perPhone({ concurrency: 16 }),
			items: Array.from({ length: 200 }, (_, index) => ({
				phone: `1370013${String(index).padStart(4, '0')}`,
			})),
		});
		expect(result.main.every((item) => item.success)).toBe(true);
		expect(ctx.harness.processedData.writes - before).toBe(8);
	});
});

describe("Retry On Fail's memory", () => {
	test('is never dropped while its run goes on, however many other runs start', async () => {
		// Item 0 is held in flight, then fails with HTTP 500 (outcome unknown): n8n runs the node
		// again.
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'held',
			then: { kind: 'status', status: 500 },
			match: { called: NUMBERS[0] },
		});
		const long = ctx.run({
			parameters: perPhone({ concurrency: 2 }),
			items: NUMBERS.slice(0, 2).map((phone) => ({ phone })),
			onError: 'continueRegularOutput',
			retryOnFail: 2,
		});
		// Meanwhile 1,050 other runs of the node start, each with Retry On Fail.
		for (let run = 0; run < 1050; run++) {
			await ctx.run({
				parameters: perPhone({ duplicateWindow: 0 }),
				items: [{ phone: NUMBERS[4] }],
				retryOnFail: 2,
			});
		}
		ctx.sim.releaseHeld();
		const result = await long;
		expect(tally().requests).toMatchObject({ [NUMBERS[0]]: 1, [NUMBERS[1]]: 1 });
		expect(result.main[0]).toMatchObject({ success: false, outcome: 'unknown' });
		expect(result.main[1].success).toBe(true);
	}, 60_000);
});
