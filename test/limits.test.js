'use strict';

const {
	setupEach,
	bidirectional,
	anonymous,
	getState,
	getRecords,
	endedCall,
	rangeMessage,
} = require('./setup');

/**
 * Limits hold at run time (issue 10, part 9): a number option set by an expression (or an
 * imported workflow) outside its range fails with a message naming the field, the item and the
 * range, and nothing is sent for it. Requests are counted at the simulator. The limits of one
 * operation alone are in its own file.
 */
const ctx = setupEach();

describe('per-item options of every operation', () => {
	const operations = {
		'Create Bidirectional Call': {
			parameters: (options) => bidirectional({}, options),
			endpoint: 'createCallV1',
			placesCalls: true,
		},
		'Create Anonymous Call': {
			parameters: (options) => anonymous({}, options),
			endpoint: 'createCallAnonymous',
			placesCalls: true,
		},
		'Get Call State': {
			parameters: (options) => getState({}, options),
			endpoint: 'queryCallState',
			placesCalls: false,
		},
		'Get Call Records': {
			parameters: (options) => getRecords({}, options),
			endpoint: 'queryCallDetailRecord',
			placesCalls: false,
		},
	};
	const bounds = [
		['Timeout (Seconds)', 'timeout', 0, '0', 1, 600, 30],
		['Timeout (Seconds)', 'timeout', 601, '601', 1, 600, 30],
		['Timeout (Seconds)', 'timeout', 'abc', '"abc"', 1, 600, 30],
		['Rate-Limit Attempts', 'maxAttempts', 0, '0', 1, 10, 3],
		['Rate-Limit Attempts', 'maxAttempts', 11, '11', 1, 10, 3],
	];
	const cases = Object.keys(operations).flatMap((operation) =>
		bounds.map((bound) => [operation, ...bound]),
	);

	test.each(cases)(
		'%s: %s (%s) %p',
		async (operation, label, name, value, shown, min, max, example) => {
			const { parameters, endpoint, placesCalls } = operations[operation];
			const callSerialNo = endedCall(ctx.sim);
			// Item 0 is valid, item 1 holds the bad value: only item 0 reaches AICC.
			const result = await ctx.run({
				parameters: parameters({ [name]: '={{ $json.value }}' }),
				items: [
					{ value: name === 'timeout' ? 30 : 3, callSerialNo },
					{ value, callSerialNo },
				],
				onError: 'continueRegularOutput',
			});
			const failed = result.main[result.main.length - 1];
			expect(failed).toEqual({
				success: false,
				...(placesCalls ? { outcome: 'notPlaced' } : {}),
				retCode: null,
				message: rangeMessage(label, name, 1, shown, min, max, example),
				error: `Set ${label} to a number from ${min} to ${max}, e.g. ${example}.`,
			});
			expect(result.items[0].filter((item) => item.pairedItem.item === 1)).toHaveLength(1);
			expect(ctx.calls(endpoint)).toHaveLength(1);
		},
	);

	test('without Continue On Fail, one bad Timeout in a placing run sends nothing', async () => {
		const result = await ctx.run({
			parameters: bidirectional({ called: '={{ $json.phone }}' }, { timeout: '={{ $json.t }}' }),
			items: [
				{ phone: '13800138000', t: 30 },
				{ phone: '13800138001', t: 0 },
				{ phone: '13800138002', t: 30 },
			],
		});
		expect(result.error.message).toBe(
			rangeMessage('Timeout (Seconds)', 'timeout', 1, '0', 1, 600, 30),
		);
		expect(ctx.calls()).toHaveLength(0);
	});

	test('Timeout 0 does not mean "no timeout": the item fails before any request', async () => {
		ctx.sim.inject({ endpoint: 'createCallV1', kind: 'hang' });
		const result = await ctx.run({
			parameters: bidirectional({}, { timeout: '={{ 0 }}' }),
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'notPlaced',
			message: rangeMessage('Timeout (Seconds)', 'timeout', 0, '0', 1, 600, 30),
		});
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test('values at the bounds are accepted', async () => {
		const high = { timeout: '={{ 600 }}', maxAttempts: '={{ 10 }}', concurrency: '={{ 64 }}' };
		const result = await ctx.run({
			parameters: bidirectional({}, { ...high, callsPerSecond: '={{ 1000 }}' }),
		});
		expect(result.main[0]).toMatchObject({ success: true });
		const lowest = { timeout: '={{ 1 }}', maxAttempts: '={{ 1 }}', concurrency: '={{ 1 }}' };
		const low = await ctx.run({
			parameters: bidirectional(
				{ called: '13800138001' },
				{ ...lowest, callsPerSecond: '={{ 0 }}' },
			),
		});
		expect(low.main[0]).toMatchObject({ success: true });
		expect(ctx.calls()).toHaveLength(2);
	});
});

describe('run options: Concurrency and Max Calls Per Second fail the node (or every item)', () => {
	test.each([
		['Concurrency', 'concurrency', 0, '0', 1, 64, 16],
		['Concurrency', 'concurrency', 65, '65', 1, 64, 16],
		['Concurrency', 'concurrency', 'abc', '"abc"', 1, 64, 16],
		['Max Calls Per Second', 'callsPerSecond', -1, '-1', 0, 1000, 10],
		['Max Calls Per Second', 'callsPerSecond', 1001, '1001', 0, 1000, 10],
	])('%s (%s) %p', async (label, name, value, shown, min, max, example) => {
		const parameters = bidirectional(
			{ called: '={{ $json.phone }}' },
			{ [name]: '={{ $json.value }}' },
		);
		const items = [
			{ phone: '13800138000', value },
			{ phone: '13800138001', value },
		];
		const stopped = await ctx.run({ parameters, items });
		expect(stopped.error.message).toBe(rangeMessage(label, name, 0, shown, min, max, example));
		// With Continue On Fail, every item fails with it, one output item per input item.
		const continued = await ctx.run({ parameters, items, onError: 'continueRegularOutput' });
		expect(continued.main).toEqual(
			items.map(() =>
				expect.objectContaining({
					success: false,
					outcome: 'notPlaced',
					message: rangeMessage(label, name, 0, shown, min, max, example),
				}),
			),
		);
		expect(continued.items[0].map((item) => item.pairedItem.item)).toEqual([0, 1]);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test('the Get operations check them too', async () => {
		const result = await ctx.run({
			parameters: getState({}, { concurrency: '={{ 65 }}' }),
			items: [{ callSerialNo: endedCall(ctx.sim) }],
		});
		expect(result.error.message).toBe(
			rangeMessage('Concurrency', 'concurrency', 0, '65', 1, 64, 16),
		);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});
});
