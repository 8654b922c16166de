'use strict';

const { setup, bidirectional, expectNoSecrets } = require('./setup');

/** Call outcomes: Get Call State (and waiting until a call ends), Get Call Records, Get Recording URL, createCall V3. */
let ctx;
beforeEach(async () => {
	ctx = await setup({ ringMs: 300, talkMs: 400 });
});
afterEach(() => ctx.stop());

const DAY = 24 * 3600 * 1000;
const getState = (fields = {}, options) => ({
	resource: 'call',
	operation: 'getState',
	callSerialNo: '={{ $json.callSerialNo }}',
	...fields,
	...(options ? { options } : {}),
});
const getRecords = (fields = {}) => ({ resource: 'call', operation: 'getRecords', ...fields });

async function placeCall(called = '13800138000') {
	const result = await ctx.run({ parameters: bidirectional({ called }) });
	return result.main[0].callSerialNo;
}

describe('Get Call State', () => {
	test('returns the state in codes and words; Wait Until Call Ends returns the final state', async () => {
		const callSerialNo = await placeCall();
		const now = await ctx.run({ parameters: getState(), items: [{ callSerialNo }] });
		expect(now.main[0]).toMatchObject({
			callSerialNo,
			ended: false,
			reasonCode: null,
			reasonText: null,
			callerNumber: '88889050',
			called: '13800138000',
		});
		expect(['waiting', 'calling', 'talking']).toContain(now.main[0].stateText);

		const final = await ctx.run({
			parameters: getState({ waitUntilEnded: true, pollInterval: 1, maxWait: 10 }),
			items: [{ callSerialNo }],
		});
		expect(final.main[0]).toMatchObject({
			callSerialNo,
			state: 3,
			stateText: 'ended',
			ended: true,
			reasonCode: 0,
			reasonText: 'the called party hung up',
			waitTimedOut: false,
			startTimeIso: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			endTimeIso: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		expect(final.main[0]).not.toHaveProperty('caller');
		expect(ctx.calls('queryCallState').length).toBeGreaterThanOrEqual(2);
		expect(
			ctx.calls('queryCallState').every((entry) => entry.body.callSerialNo === callSerialNo),
		).toBe(true);
		expectNoSecrets(final, ctx.sim);
	});

	test('an unanswered call ends with reason 5', async () => {
		ctx.sim.config.unansweredNumbers = ['13900139000'];
		const callSerialNo = await placeCall('13900139000');
		const final = await ctx.run({
			parameters: getState({ waitUntilEnded: true, pollInterval: 1, maxWait: 10 }),
			items: [{ callSerialNo }],
		});
		expect(final.main[0]).toMatchObject({
			ended: true,
			reasonCode: 5,
			reasonText: 'the called party did not answer',
		});
	});

	test('Max Wait returns the last state with waitTimedOut', async () => {
		ctx.sim.config.talkMs = 60_000;
		const callSerialNo = await placeCall();
		const result = await ctx.run({
			parameters: getState({ waitUntilEnded: true, pollInterval: 1, maxWait: 1 }),
			items: [{ callSerialNo }],
		});
		expect(result.main[0]).toMatchObject({ ended: false, waitTimedOut: true });
	});

	test('a wrong serial number is explained; a non-numeric one is refused before any request', async () => {
		const result = await ctx.run({
			parameters: getState(),
			items: [{ callSerialNo: '1234567890123456789' }, { callSerialNo: 'abc' }],
			onError: 'continueRegularOutput',
		});
		expect(result.main).toEqual([
			{
				success: false,
				retCode: '3',
				message: 'AICC return code 3: the call serial number is incorrect',
				error: expect.stringMatching(/^Use the callSerialNo exactly/),
			},
			{
				success: false,
				retCode: null,
				message: expect.stringMatching(
					/^Call Serial Number \(callSerialNo\) in item 1 is "abc"; a call serial number is digits only/,
				),
				error: expect.any(String),
			},
		]);
		expect(ctx.calls('queryCallState')).toHaveLength(1);
	});
});

describe('Get Call Records', () => {
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

	test('a 20-day range is split into 7-day windows and paged by offset; Return All returns every record', async () => {
		const start = Date.UTC(2026, 9, 1);
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
		expect(result.items[0].every((item) => item.pairedItem.item === 0)).toBe(true);
	});

	test('Limit stops early; filters reach AICC; no data is no items', async () => {
		const start = Date.UTC(2026, 9, 1);
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

	test('an end before the start is refused before any request', async () => {
		const result = await ctx.run({
			parameters: getRecords({
				startTime: '2026-10-10T00:00:00Z',
				endTime: '2026-10-01T00:00:00Z',
			}),
			onError: 'continueRegularOutput',
		});
		expect(result.main[0].message).toBe(
			'End Time (endTime) in item 0 is before Start Time. Swap Start Time and End Time.',
		);
		expect(ctx.calls('queryCallDetailRecord')).toHaveLength(0);
	});
});

describe('Get Recording URL', () => {
	test('returns the URL and when it expires (5 minutes)', async () => {
		const callSerialNo = await placeCall();
		const asked = Date.now();
		const result = await ctx.run({
			parameters: {
				resource: 'call',
				operation: 'getRecordingUrl',
				callSerialNo: '={{ $json.callSerialNo }}',
			},
			items: [{ callSerialNo }],
		});
		expect(result.main[0]).toEqual({
			callSerialNo,
			url: expect.stringContaining(`/recordings/${callSerialNo}.wav`),
			expiresAt: expect.any(String),
		});
		const expires = Date.parse(result.main[0].expiresAt);
		expect(expires - asked).toBeGreaterThanOrEqual(299_000);
		expect(expires - asked).toBeLessThanOrEqual(301_000);
	});
});

describe('Create Bidirectional Call, V3', () => {
	test('sends softPhone to the V3 path, with caller optional', async () => {
		const result = await ctx.run({
			parameters: bidirectional({ apiVersion: 'v3', softPhone: '8888 9050', caller: '' }),
		});
		expect(result.main[0]).toMatchObject({
			success: true,
			retCode: '0',
			callSerialNo: expect.stringMatching(/^\d{19}$/),
		});
		expect(ctx.calls('createCallV3')[0].body).toEqual({
			softPhone: '88889050',
			called: '13800138000',
		});
	});

	test('a callback URL that reaches V3 anyway is refused, not dropped', async () => {
		const result = await ctx.run({
			parameters: bidirectional({
				apiVersion: '={{ $json.version }}',
				softPhone: '88889050',
				additionalFields: { callBackUrl: 'https://crm.example.com/hook' },
			}),
			items: [{ version: 'v3' }],
			onError: 'continueRegularOutput',
		});
		expect(result.main[0].message).toBe(
			'Callback URL (callBackUrl) in item 0 is set, but createCall V3 does not take it. Remove Callback URL from Additional Fields (an expression may fill it), or choose API Version V1.',
		);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});
});
