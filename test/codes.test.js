'use strict';

const { setupEach, bidirectional, anonymous, voiceNotification } = require('./setup');
const { documentedCodes, explainReturnCode } = require('../dist/shared/codes');

/**
 * Outcome and advice agree (issue 10, part 4): for every return code of the operations that
 * place calls, an item's outcome is `unknown` exactly when its advice says to check the call
 * records before dialing again. Each code is forced at the simulator and counted there.
 */
const CHECK_AGAIN = 'Check the call records in AICC before dialing again';
const advisesCheck = (text) => /check the call records in AICC before dialing again/i.test(text);

const ctx = setupEach();

const PLACING = {
	bidirectional: { endpoint: 'createCallV1', parameters: bidirectional, undocumented: '77' },
	anonymous: {
		endpoint: 'createCallAnonymous',
		parameters: anonymous,
		undocumented: '30019999999',
	},
	voiceNotificationV1: {
		endpoint: 'createVoiceNotificationV1',
		parameters: (fields, options) => voiceNotification({ apiVersion: 'v1', ...fields }, options),
		undocumented: '77',
	},
	voiceNotificationV2: {
		endpoint: 'createVoiceNotificationV2',
		parameters: voiceNotification,
		undocumented: '25',
	},
};

const cases = Object.entries(PLACING).flatMap(([family, { undocumented }]) => [
	...documentedCodes(family).map((code) => [family, code]),
	[family, undocumented],
]);

describe('call-placing codes: outcome unknown if and only if the advice says to check', () => {
	test.each(cases)('%s code %s', async (family, code) => {
		const { endpoint, parameters } = PLACING[family];
		ctx.sim.inject({ endpoint, kind: 'code', code, times: -1 });
		// Rate-limit codes are re-sent while attempts remain; one attempt gives one request.
		const result = await ctx.run({
			parameters: parameters({}, { maxAttempts: 1 }),
			onError: 'continueRegularOutput',
		});

		expect(result.main).toHaveLength(1);
		const [item] = result.main;
		expect(item).toMatchObject({ success: false, retCode: code });
		const advises = item.error.includes(CHECK_AGAIN);
		expect({ outcome: item.outcome, advises }).toEqual(
			advises ? { outcome: 'unknown', advises: true } : { outcome: 'notPlaced', advises: false },
		);
		expect(item.outcome === 'unknown').toBe(explainReturnCode(family, code).uncertain === true);
		expect(ctx.calls(endpoint)).toHaveLength(1);
	});

	test.each([
		['bidirectional', '1'],
		['anonymous', '30010010001'],
		['anonymous', '30011010001'],
	])('%s %s is uncertain: the call may already be queued', async (family, code) => {
		const { endpoint, parameters } = PLACING[family];
		ctx.sim.inject({ endpoint, kind: 'code', code });
		const result = await ctx.run({ parameters: parameters(), onError: 'continueRegularOutput' });
		expect(result.main[0]).toMatchObject({
			outcome: 'unknown',
			error: expect.stringContaining(CHECK_AGAIN),
		});
		expect(ctx.calls(endpoint)).toHaveLength(1);
	});

	test('the same pairing on the error output: many items, one run, one request each', async () => {
		const codes = documentedCodes('bidirectional').filter(
			(code) => !explainReturnCode('bidirectional', code).rateLimited,
		);
		const numbers = codes.map((_, index) => `1380013${String(index).padStart(4, '0')}`);
		codes.forEach((code, index) =>
			ctx.sim.inject({
				endpoint: 'createCallV1',
				kind: 'code',
				code,
				match: { called: numbers[index] },
			}),
		);
		const result = await ctx.run({
			parameters: bidirectional({ called: '={{ $json.phone }}' }, { concurrency: 4 }),
			items: numbers.map((phone) => ({ phone })),
			onError: 'continueErrorOutput',
		});
		expect(result.main).toEqual([]);
		expect(result.errors.map((item) => item.error.retCode)).toEqual(codes);
		for (const { error } of result.errors) {
			expect([error.retCode, error.outcome]).toEqual([
				error.retCode,
				error.description.includes(CHECK_AGAIN) ? 'unknown' : 'notPlaced',
			]);
		}
		expect(
			ctx
				.calls()
				.map((entry) => entry.body.called)
				.sort(),
		).toEqual(numbers);
	});

	test('without Continue On Fail, an uncertain code fails the node with the advice', async () => {
		ctx.sim.inject({ endpoint: 'createCallV1', kind: 'code', code: '1' });
		const result = await ctx.run({ parameters: bidirectional() });
		expect(result.error.message).toBe(
			'AICC return code 1: AICC could not add the outbound call task; ' +
				'the same task may already exist in the outbound call database',
		);
		expect(result.error.description).toContain(CHECK_AGAIN);
		expect(ctx.calls()).toHaveLength(1);
	});
});

describe('outcome and advice agree for failures other than return codes', () => {
	test.each([
		['HTTP 500', 'createCallV1', { kind: 'status', status: 500, body: 'Business failure' }],
		['an HTML page', 'createCallV1', { kind: 'html' }],
		['a garbled answer', 'createCallV1', { kind: 'garbled' }],
		['a dropped connection', 'createCallV1', { kind: 'drop' }],
		[
			'JSON without a return code',
			'createCallV1',
			{ kind: 'status', status: 200, body: { result: {} } },
		],
		['HTTP 400', 'createCallV1', { kind: 'status', status: 400, body: { error_msg: 'refused' } }],
		['HTTP 404', 'createCallV1', { kind: 'status', status: 404, body: { error_msg: 'refused' } }],
		['HTTP 429 past the attempts', 'createCallV1', { kind: 'rateLimit', retryAfter: 0, times: -1 }],
		[
			'HTTP 500 from the token exchange',
			'token',
			{ kind: 'status', status: 500, body: 'Business failure' },
		],
		['a dropped connection to the token exchange', 'token', { kind: 'drop' }],
	])('%s', async (_label, endpoint, fault) => {
		ctx.sim.inject({ endpoint, ...fault });
		const result = await ctx.run({
			parameters: bidirectional({}, { maxAttempts: 1 }),
			onError: 'continueRegularOutput',
		});
		const [item] = result.main;
		expect({ outcome: item.outcome, advises: advisesCheck(item.error) }).toEqual(
			item.outcome === 'unknown'
				? { outcome: 'unknown', advises: true }
				: { outcome: 'notPlaced', advises: false },
		);
		expect(ctx.calls().length).toBeLessThanOrEqual(1);
		if (endpoint === 'token') expect(ctx.calls()).toHaveLength(0);
	});
});

describe('the Get operations never advise about dialing again', () => {
	const READING = {
		callState: {
			endpoint: 'queryCallState',
			parameters: { resource: 'call', operation: 'getState', callSerialNo: '1234567890123456789' },
			undocumented: '77',
		},
		records: {
			endpoint: 'queryCallDetailRecord',
			parameters: {
				resource: 'call',
				operation: 'getRecords',
				startTime: '2026-10-01T00:00:00Z',
				endTime: '2026-10-02T00:00:00Z',
				returnAll: true,
			},
			undocumented: '77',
		},
		recording: {
			endpoint: 'getRecordingAddress',
			parameters: {
				resource: 'call',
				operation: 'getRecordingUrl',
				callSerialNo: '1234567890123456789',
			},
			undocumented: '77',
		},
	};
	// Records code 1 is "no data": an empty answer, not a failure.
	const readCases = Object.entries(READING).flatMap(([family, { undocumented }]) => [
		...documentedCodes(family)
			.filter((code) => !(family === 'records' && code === '1'))
			.map((code) => [family, code]),
		[family, undocumented],
	]);

	test.each(readCases)('%s code %s', async (family, code) => {
		const { endpoint, parameters } = READING[family];
		ctx.sim.inject({ endpoint, kind: 'code', code });
		const result = await ctx.run({ parameters, onError: 'continueRegularOutput' });
		expect(result.main).toEqual([
			{
				success: false,
				retCode: code,
				message: expect.stringMatching(new RegExp(`^AICC return code ${code}: `)),
				error: expect.any(String),
			},
		]);
		expect(result.main[0].error).not.toMatch(/dialing again|dial again/i);
		expect(ctx.calls(endpoint)).toHaveLength(1);
	});

	test('records code 1 is no data, not a failure', async () => {
		ctx.sim.inject({ endpoint: 'queryCallDetailRecord', kind: 'code', code: '1' });
		const result = await ctx.run({ parameters: READING.records.parameters });
		expect(result.error).toBeUndefined();
		expect(result.main).toEqual([]);
	});

	const faults = [
		['HTTP 500', { kind: 'status', status: 500, body: 'Business failure' }],
		['a garbled answer', { kind: 'garbled' }],
		['a dropped connection', { kind: 'drop' }],
	];
	const faultCases = Object.keys(READING).flatMap((family) =>
		faults.map(([label, fault]) => [label, family, fault]),
	);

	test.each(faultCases)(
		'%s on the %s request says nothing of dialing',
		async (_label, family, fault) => {
			const { endpoint, parameters } = READING[family];
			ctx.sim.inject({ endpoint, ...fault });
			const result = await ctx.run({ parameters, onError: 'continueRegularOutput' });
			expect(result.main[0]).toMatchObject({ success: false });
			expect(`${result.main[0].message} ${result.main[0].error}`).not.toMatch(
				/dialing again|dial again|been placed/i,
			);
			expect(ctx.calls(endpoint)).toHaveLength(1);
		},
	);
});
