'use strict';

const { setupEach, getRecords, rangeMessage, shown, expectSaidOnce } = require('./setup');

/** Get Call Records: 7-day windows, paging, filters, Limit and Return All. */
const ctx = setupEach();

const DAY = 24 * 3600 * 1000;
const OCTOBER_1 = Date.UTC(2026, 9, 1);

/** `count` records `spacing` ms apart from `start`, each to another number. */
function seed(start, count, spacing, extra = {}) {
	return Array.from({ length: count }, (_, index) =>
		ctx.sim.addRecord({
			caller: '88889050',
			called: `1380013${String(index).padStart(4, '0')}`,
			createdAt: start + index * spacing,
			...extra,
		}),
	);
}

test('20 days asked in 7-day windows paged by offset; Return All returns them all', async () => {
	const start = OCTOBER_1;
	const spread = seed(start, 20, DAY);
	const busyWeek = seed(start + 2 * DAY + 3600_000, 130, 60_000, { caller: '88889051' });
	const result = await ctx.run({
		parameters: getRecords({
			startTime: new Date(start).toISOString(),
			endTime: new Date(start + 20 * DAY).toISOString(),
			returnAll: true,
		}),
	});
	const expected = [...spread, ...busyWeek]
		.sort((a, b) => a.createdAt - b.createdAt)
		.map((call) => call.callSerialNo);
	expect(result.main.map((record) => record.callSerialNo)).toEqual(expected);
	const requests = ctx.calls('queryCallDetailRecord').map((entry) => entry.body);
	expect(requests.every((body) => body.endTime - body.startTime <= 7 * DAY)).toBe(true);
	expect(requests.map((body) => [body.offset, body.limit])).toEqual([
		[0, 100],
		[100, 100],
		[0, 100],
		[0, 100],
	]);
	expect(result.main[0]).toMatchObject({
		callerNumber: '88889050',
		stateText: 'ended',
		reasonText: 'the called party hung up',
		talkDuration: expect.any(Number),
		releaseTimeIso: new Date(spread[0].releasedAt).toISOString(),
	});
	const keys = Object.keys(result.main[0]);
	expect(keys[keys.indexOf('state') + 1]).toBe('stateText');
	expect(keys[keys.indexOf('reasonCode') + 1]).toBe('reasonText');
	expect(result.items[0].every((item) => item.pairedItem.item === 0)).toBe(true);
});

test('Limit stops early; filters reach AICC; no data is no items', async () => {
	const start = OCTOBER_1;
	seed(start, 40, 3600_000);
	seed(start, 5, 3600_000, { caller: '88889051' });
	const limited = await ctx.run({
		parameters: getRecords({
			startTime: new Date(start).toISOString(),
			endTime: new Date(start + 3 * DAY).toISOString(),
			limit: 30,
		}),
	});
	expect(limited.main).toHaveLength(30);
	expect(ctx.calls('queryCallDetailRecord').map((entry) => entry.body.limit)).toEqual([30]);

	ctx.sim.log.clear();
	const filtered = await ctx.run({
		parameters: getRecords({
			startTime: new Date(start).toISOString(),
			endTime: new Date(start + 3 * DAY).toISOString(),
			returnAll: true,
			filters: { caller: '88889051', taskType: 1 },
		}),
	});
	expect(filtered.main).toHaveLength(5);
	expect(ctx.calls('queryCallDetailRecord')[0].body).toMatchObject({
		caller: '88889051',
		taskType: 1,
	});

	const none = await ctx.run({
		parameters: getRecords({
			startTime: '2020-01-01T00:00:00Z',
			endTime: '2020-01-03T00:00:00Z',
			returnAll: true,
		}),
	});
	expect(none.main).toEqual([]);
	expect(none.error).toBeUndefined();
});

test('by default Start Time is a day ago and End Time is now', async () => {
	const now = Date.now();
	const [recent] = seed(now - 2 * 3600_000, 1, 0);
	seed(now - 2 * DAY, 1, 0);
	const parameters = getRecords();
	delete parameters.startTime;
	delete parameters.endTime;
	const result = await ctx.run({ parameters });
	expect(result.main.map((record) => record.callSerialNo)).toEqual([recent.callSerialNo]);
	const [asked] = ctx.calls('queryCallDetailRecord').map((entry) => entry.body);
	expect(Math.abs(asked.endTime - now)).toBeLessThan(60_000);
	expect(Math.abs(asked.endTime - asked.startTime - DAY)).toBeLessThan(1000);
});

test('an end before the start is refused before any request', async () => {
	const result = await ctx.run({
		parameters: getRecords({
			startTime: '2026-10-10T00:00:00Z',
			endTime: '2026-10-01T00:00:00Z',
		}),
		onError: 'continueRegularOutput',
	});
	expect(shown(result.main[0])).toBe(
		'End Time (endTime) in item 1 is before Start Time. Swap Start Time and End Time.',
	);
	expect(ctx.calls('queryCallDetailRecord')).toHaveLength(0);
});

// A newcomer chained Get Call Records after a node of 3 items and got every record three times.
test('records that come back for several input items are counted in a hint', async () => {
	seed(OCTOBER_1 + 3600_000, 5, 1000);
	const result = await ctx.run({ parameters: getRecords(), items: [{}, {}, {}] });
	expect(result.main).toHaveLength(15);
	expect(result.hints).toEqual([
		expect.objectContaining({
			message:
				'5 call records came back for several of the 3 input items: Get Call Records runs ' +
				"once per input item. To read them once, turn on Execute Once in the node's " +
				'Settings, or give each item its own Start Time, End Time or Caller.',
		}),
	]);
	const own = await ctx.run({
		parameters: getRecords({ filters: { caller: '={{ $json.agentLine }}' } }),
		items: [{ agentLine: '88889050' }, { agentLine: '88889051' }],
	});
	expect(own.main).toHaveLength(5);
	expect(own.hints).toEqual([]);
});

describe('Limit and Return All', () => {
	const seedFromOneAm = (count, spacing = 1000) => seed(OCTOBER_1 + 3600_000, count, spacing);

	test.each([
		[0, '0'],
		[10001, '10001'],
		['abc', '"abc"'],
	])('Limit %p fails its item and asks nothing', async (value, quotedValue) => {
		seedFromOneAm(10);
		const result = await ctx.run({
			parameters: getRecords({ limit: '={{ $json.limit }}' }),
			items: [{ limit: value }, { limit: 4 }],
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toEqual({
			success: false,
			retCode: null,
			message: rangeMessage('Limit', 'limit', 0, quotedValue, 1, 10000, 50),
			error: 'Set Limit to a number from 1 to 10000, e.g. 50.',
		});
		expect(result.main.slice(1)).toHaveLength(4);
		expect(result.items[0].slice(1).every((item) => item.pairedItem.item === 1)).toBe(true);
		expect(ctx.calls('queryCallDetailRecord').map((entry) => entry.body.limit)).toEqual([4]);
	});

	test('Limit 10,000 is accepted; Return All ignores Limit', async () => {
		seedFromOneAm(3);
		const limited = await ctx.run({ parameters: getRecords({ limit: '={{ 10000 }}' }) });
		expect(limited.main).toHaveLength(3);
		const all = await ctx.run({ parameters: getRecords({ returnAll: true, limit: '={{ 0 }}' }) });
		expect(all.main).toHaveLength(3);
		expect(all.hints).toEqual([]);
	});

	test('Return All stops at 10,000 records and says so in a hint', async () => {
		seedFromOneAm(10_001, 50);
		const result = await ctx.run({ parameters: getRecords({ returnAll: true }) });
		expect(result.error).toBeUndefined();
		expect(result.main).toHaveLength(10_000);
		expect(new Set(result.main.map((record) => record.callSerialNo)).size).toBe(10_000);
		expect(result.hints).toEqual([
			expect.objectContaining({
				message:
					'Get Call Records stopped at 10,000 records for item 1; ' +
					'AICC may hold more in that range. Narrow Start Time and End Time to get the rest.',
			}),
		]);
		const requests = ctx.calls('queryCallDetailRecord');
		expect(requests).toHaveLength(100);
		expect(requests.every((entry) => entry.body.limit === 100)).toBe(true);
	});
});

describe('the range is bounded before any request', () => {
	const refused = async (fields, message) => {
		const result = await ctx.run({
			parameters: getRecords(fields),
			onError: 'continueRegularOutput',
		});
		expect(result.main).toEqual([
			{ success: false, retCode: null, message: expect.any(String), error: expect.any(String) },
		]);
		expectSaidOnce(result.main[0], message);
		expect(ctx.calls('queryCallDetailRecord')).toHaveLength(0);
	};
	const OUTSIDE_FIX =
		'Pick a date and time from 2000 to 2099, e.g. 2026-11-01T00:00:00. A number is read as ' +
		'milliseconds since 1970: multiply seconds by 1000.';

	test('a Start Time of 0 (1970) would ask 7 days at a time since 1970', async () => {
		await refused(
			{ startTime: '={{ 0 }}' },
			`Start Time (startTime) in item 1 is 0 (1970-01-01T00:00:00.000Z), outside the years ` +
				`2000 to 2099. ${OUTSIDE_FIX}`,
		);
	});

	test('a huge End Time is refused at once, not run out of memory', async () => {
		await refused(
			{ endTime: '={{ 8.64e15 }}' },
			`End Time (endTime) in item 1 is 8640000000000000 (+275760-09-13T00:00:00.000Z), ` +
				`outside the years 2000 to 2099. ${OUTSIDE_FIX}`,
		);
		await refused(
			{ endTime: '={{ 1e300 }}' },
			`End Time (endTime) in item 1 is 1e+300, outside the years 2000 to 2099. ${OUTSIDE_FIX}`,
		);
	});

	test('a range over 366 days is refused, naming its length and the fix', async () => {
		await refused(
			{ startTime: '2025-01-01T00:00:00Z', endTime: '2026-02-05T12:00:00Z' },
			'End Time (endTime) in item 1 is 400.5 days after Start Time; one item reads at most ' +
				'366 days. Narrow Start Time and End Time, or split the range over several items ' +
				'(e.g. one per month).',
		);
	});

	test('366 days (a leap year) is accepted: 53 requests of 7 days', async () => {
		const result = await ctx.run({
			parameters: getRecords({
				startTime: '2028-01-01T00:00:00Z',
				endTime: '2029-01-01T00:00:00Z',
			}),
		});
		expect(result.error).toBeUndefined();
		expect(ctx.calls('queryCallDetailRecord')).toHaveLength(53);
	});
});

describe("a time without an offset is read in the workflow's time zone", () => {
	const asked = async (timezone, startTime, endTime) => {
		ctx.sim.log.clear();
		const result = await ctx.run({
			parameters: getRecords({ startTime, endTime }),
			settings: { timezone },
		});
		expect(result.error).toBeUndefined();
		const [request] = ctx.calls('queryCallDetailRecord');
		return [request.body.startTime, request.body.endTime].map((ms) => new Date(ms).toISOString());
	};

	test("the date picker's value (no offset) in the workflow's zone", async () => {
		// The process (n8n's) reads it otherwise: in its own zone, not Shanghai's.
		expect(new Date('2026-11-01T00:00:00').toISOString()).not.toBe('2026-10-31T16:00:00.000Z');
		expect(await asked('Asia/Shanghai', '2026-11-01T00:00:00', '2026-11-03T12:30:15.250')).toEqual([
			'2026-10-31T16:00:00.000Z',
			'2026-11-03T04:30:15.250Z',
		]);
	});

	test('each time at its own offset: daylight saving time ends between them', async () => {
		expect(await asked('America/New_York', '2026-11-01T00:00:00', '2026-11-02T00:00:00')).toEqual([
			'2026-11-01T04:00:00.000Z',
			'2026-11-02T05:00:00.000Z',
		]);
	});

	test('a date alone is midnight there; a time with an offset or Z keeps it', async () => {
		expect(await asked('Asia/Tokyo', '2026-11-01', '2026-11-02T00:00:00+02:00')).toEqual([
			'2026-10-31T15:00:00.000Z',
			'2026-11-01T22:00:00.000Z',
		]);
	});
});

/**
 * AICC's records say not which kind of call each one is, and the two kinds' reason codes differ:
 * a voice notification's 1 is "hung up after the notice was played", a bidirectional call's "the
 * caller hung up". The Task Type names the kind; without it both readings are given.
 */
describe('reason codes are read by the kind of call the Task Type names', () => {
	const AT = OCTOBER_1 + 3600_000;
	const PLAYED = 'the called party hung up after the notice was played';
	const NOT_ANSWERED = 'the called party rejected the call or did not answer';

	/** Calls of every kind, a minute apart, as the simulator ends them; their serials by name. */
	function seedKinds() {
		// Voice notifications end as their release callback says: 1 played, 4 not answered, 8.
		ctx.sim.config.voiceOutcomes = { 13800138001: 4, 13800138002: 8 };
		const voice = (called, minute) =>
			ctx.sim.addRecord({ kind: 'voiceNotification', called, createdAt: AT + minute * 60_000 });
		const call = (kind, called, minute) =>
			ctx.sim.addRecord({ kind, caller: '88889050', called, createdAt: AT + minute * 60_000 });
		const calls = {
			played: voice('13800138000', 0),
			notAnswered: voice('13800138001', 1),
			noResources: voice('13800138002', 2),
			answered: call('bidirectional', '13900139000', 3),
			agentHungUp: call('bidirectional', '13900139001', 4),
			anonymous: call('anonymous', '13900139002', 5),
			ita: call('ita', '13900139003', 6),
		};
		// The simulator's two-way calls end with 0 or 5: this one's agent (the caller) hung up.
		calls.agentHungUp.reasonCode = 1;
		expect([calls.played, calls.notAnswered].map((one) => one.reasonCode)).toEqual([1, 4]);
		return calls;
	}

	const read = async (filters) => {
		const result = await ctx.run({ parameters: getRecords({ returnAll: true, filters }) });
		expect(result.error).toBeUndefined();
		return result.main;
	};
	const reasons = (records) =>
		records.map(({ reasonCode, reasonText }) => [reasonCode, reasonText]);

	test('Voice Notifications: the voice-notification reasons and callType first', async () => {
		seedKinds();
		const records = await read({ taskType: 3 });
		expect(ctx.calls('queryCallDetailRecord')[0].body.taskType).toBe(3);
		expect(reasons(records)).toEqual([
			[1, PLAYED],
			[4, NOT_ANSWERED],
			[8, 'no resources were available'],
		]);
		for (const record of records) {
			expect(record.callType).toBe('voiceNotification');
			const keys = Object.keys(record);
			expect(keys.slice(0, 2)).toEqual(['callType', 'callSerialNo']);
			expect(keys[keys.indexOf('reasonCode') + 1]).toBe('reasonText');
		}
	});

	test('Bidirectional, Anonymous and ITA: the two-way reasons and their callType', async () => {
		const calls = seedKinds();
		const bidirectional = await read({ taskType: 1 });
		expect(bidirectional.map((record) => record.callSerialNo)).toEqual([
			calls.answered.callSerialNo,
			calls.agentHungUp.callSerialNo,
		]);
		expect(reasons(bidirectional)).toEqual([
			[0, 'the called party hung up'],
			[1, 'the caller hung up'],
		]);
		expect(bidirectional.map((record) => record.callType)).toEqual([
			'bidirectional',
			'bidirectional',
		]);
		const [anonymous] = await read({ taskType: 2 });
		expect(anonymous).toMatchObject({
			callType: 'anonymous',
			callSerialNo: calls.anonymous.callSerialNo,
			reasonText: 'the called party hung up',
		});
		const [ita] = await read({ taskType: '={{ 4 }}' });
		expect(ita).toMatchObject({ callType: 'bidirectional', callSerialNo: calls.ita.callSerialNo });
	});

	test('All but ITA (the default): both readings where the kinds differ, no callType', async () => {
		const calls = seedKinds();
		const BOTH_ONE = `the caller hung up; in a voice notification: ${PLAYED}`;
		const BOTH_FOUR = `the caller did not answer; in a voice notification: ${NOT_ANSWERED}`;
		const expected = [
			[1, BOTH_ONE],
			[4, BOTH_FOUR],
			[8, 'no resources were available (a voice notification)'],
			[0, 'the called party hung up'],
			[1, BOTH_ONE],
			[0, 'the called party hung up'],
		];
		const unset = await read({});
		expect(ctx.calls('queryCallDetailRecord')[0].body).not.toHaveProperty('taskType');
		expect(unset.map((record) => record.callSerialNo)).not.toContain(calls.ita.callSerialNo);
		expect(reasons(unset)).toEqual(expected);
		expect(unset.some((record) => 'callType' in record)).toBe(false);
		expect(Object.keys(unset[0])[0]).toBe('callSerialNo');

		const allButIta = await read({ taskType: 0 });
		expect(reasons(allButIta)).toEqual(expected);
		expect(allButIta.some((record) => 'callType' in record)).toBe(false);
	});
});
