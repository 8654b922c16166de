'use strict';

const { setup, bidirectional, anonymous } = require('./setup');

/**
 * Limits hold at run time (issue 10, part 9): a number option set by an expression (or an
 * imported workflow) outside its range fails with a message naming the field, the item and the
 * range, and nothing is sent for it. Requests are counted at the simulator.
 */
let ctx;
beforeEach(async () => {
	ctx = await setup();
});
afterEach(() => ctx.stop());

const getState = (fields = {}) => ({
	resource: 'call',
	operation: 'getState',
	callSerialNo: '={{ $json.serial }}',
	...fields,
});
const getRecords = (fields = {}) => ({
	resource: 'call',
	operation: 'getRecords',
	startTime: '2026-10-01T00:00:00Z',
	endTime: '2026-10-03T00:00:00Z',
	...fields,
});
const rangeMessage = (label, name, item, shown, min, max, example) =>
	`${label} (${name}) in item ${item} is ${shown}; it must be a number from ${min} to ${max}. ` +
	`Set ${label} to a number from ${min} to ${max}, e.g. ${example}.`;

/** A call the simulator knows, already ended: Get Call State answers it at once. */
function endedCall() {
	return ctx.sim.addRecord({
		caller: '88889050',
		called: '13800138000',
		createdAt: Date.now() - 60_000,
	}).callSerialNo;
}

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
			parameters: (options) => getState({ options }),
			endpoint: 'queryCallState',
			placesCalls: false,
		},
		'Get Call Records': {
			parameters: (options) => getRecords({ options }),
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
			const serial = endedCall();
			// Item 0 is valid, item 1 holds the bad value: only item 0 reaches AICC.
			const result = await ctx.run({
				parameters: parameters({ [name]: '={{ $json.value }}' }),
				items: [
					{ value: name === 'timeout' ? 30 : 3, serial },
					{ value, serial },
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

	test('without Continue On Fail, one bad Timeout in a call-placing run sends nothing', async () => {
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
			parameters: bidirectional({}, { ...lowest, callsPerSecond: '={{ 0 }}' }),
		});
		expect(low.main[0]).toMatchObject({ success: true });
		expect(ctx.calls()).toHaveLength(2);
	});
});

describe('run options: Concurrency and Max Calls Per Second fail the node (with Continue On Fail, every item)', () => {
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
			parameters: getState({ options: { concurrency: '={{ 65 }}' } }),
			items: [{ serial: endedCall() }],
		});
		expect(result.error.message).toBe(
			rangeMessage('Concurrency', 'concurrency', 0, '65', 1, 64, 16),
		);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});
});

describe('Get Call State: Poll Interval and Max Wait, when waiting', () => {
	test.each([
		['Poll Interval (Seconds)', 'pollInterval', 0, '0', 1, 300, 5],
		['Poll Interval (Seconds)', 'pollInterval', 301, '301', 1, 300, 5],
		['Max Wait (Seconds)', 'maxWait', 0, '0', 1, 3600, 300],
		['Max Wait (Seconds)', 'maxWait', 3601, '3601', 1, 3600, 300],
		['Max Wait (Seconds)', 'maxWait', 'abc', '"abc"', 1, 3600, 300],
	])('%s (%s) %p', async (label, name, value, shown, min, max, example) => {
		const serial = endedCall();
		const valid = { pollInterval: 1, maxWait: 5 }[name];
		const result = await ctx.run({
			parameters: getState({
				waitUntilEnded: true,
				pollInterval: 1,
				maxWait: 5,
				[name]: '={{ $json.value }}',
			}),
			items: [
				{ serial, value: valid },
				{ serial, value },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({
			callSerialNo: serial,
			ended: true,
			waitTimedOut: false,
		});
		expect(result.main[1]).toEqual({
			success: false,
			retCode: null,
			message: rangeMessage(label, name, 1, shown, min, max, example),
			error: `Set ${label} to a number from ${min} to ${max}, e.g. ${example}.`,
		});
		expect(ctx.calls('queryCallState')).toHaveLength(1);
	});

	test('without Wait Until Call Ends they are not read', async () => {
		const result = await ctx.run({
			parameters: getState({
				waitUntilEnded: false,
				pollInterval: '={{ 0 }}',
				maxWait: '={{ 3601 }}',
			}),
			items: [{ serial: endedCall() }],
		});
		expect(result.error).toBeUndefined();
		expect(result.main[0]).toMatchObject({ ended: true });
		expect(result.main[0]).not.toHaveProperty('waitTimedOut');
		expect(ctx.calls('queryCallState')).toHaveLength(1);
	});
});

describe('Get Call Records: Limit and Return All', () => {
	const start = Date.UTC(2026, 9, 1);
	function seed(count, spacing = 1000) {
		for (let index = 0; index < count; index++) {
			ctx.sim.addRecord({
				caller: '88889050',
				called: `138${String(index).padStart(8, '0')}`,
				createdAt: start + 3600_000 + index * spacing,
			});
		}
	}

	test.each([
		[0, '0'],
		[10001, '10001'],
		['abc', '"abc"'],
	])('Limit %p fails its item and asks nothing', async (value, shown) => {
		seed(10);
		const result = await ctx.run({
			parameters: getRecords({ limit: '={{ $json.limit }}' }),
			items: [{ limit: value }, { limit: 4 }],
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toEqual({
			success: false,
			retCode: null,
			message: rangeMessage('Limit', 'limit', 0, shown, 1, 10000, 50),
			error: 'Set Limit to a number from 1 to 10000, e.g. 50.',
		});
		expect(result.main.slice(1)).toHaveLength(4);
		expect(result.items[0].slice(1).every((item) => item.pairedItem.item === 1)).toBe(true);
		expect(ctx.calls('queryCallDetailRecord').map((entry) => entry.body.limit)).toEqual([4]);
	});

	test('Limit 10,000 is accepted; Return All ignores Limit', async () => {
		seed(3);
		const limited = await ctx.run({ parameters: getRecords({ limit: '={{ 10000 }}' }) });
		expect(limited.main).toHaveLength(3);
		const all = await ctx.run({ parameters: getRecords({ returnAll: true, limit: '={{ 0 }}' }) });
		expect(all.main).toHaveLength(3);
		expect(all.hints).toEqual([]);
	});

	test('Return All stops at 10,000 records and says so in a hint', async () => {
		seed(10_001, 50);
		const result = await ctx.run({ parameters: getRecords({ returnAll: true }) });
		expect(result.error).toBeUndefined();
		expect(result.main).toHaveLength(10_000);
		expect(new Set(result.main.map((record) => record.callSerialNo)).size).toBe(10_000);
		expect(result.hints).toEqual([
			expect.objectContaining({
				message:
					'Get Call Records stopped at 10,000 records for item 0; ' +
					'AICC may hold more in that range. Narrow Start Time and End Time to get the rest.',
			}),
		]);
		const requests = ctx.calls('queryCallDetailRecord');
		expect(requests).toHaveLength(100);
		expect(requests.every((entry) => entry.body.limit === 100)).toBe(true);
	});
});
