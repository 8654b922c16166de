'use strict';

const {
	setupEach,
	getState,
	voiceNotification,
	placeCall,
	endedCall,
	rangeMessage,
	expectNoSecrets,
	SERIAL_NUMBER_REFUSAL,
	SERIAL_NUMBER_FIX,
} = require('./setup');

/** Get Call State: the state now, waiting until the call ends, and the limits of waiting. */
const ctx = setupEach({ ringMs: 300, talkMs: 400 });

test('the state in codes and words; Wait Until Call Ends returns the final state', async () => {
	const callSerialNo = await placeCall(ctx);
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
	// A newcomer found the readable columns at the far right of the editor's table.
	expect(Object.keys(final.main[0]).slice(0, 6)).toEqual([
		'callSerialNo',
		'state',
		'stateText',
		'ended',
		'reasonCode',
		'reasonText',
	]);
	expect(ctx.calls('queryCallState').length).toBeGreaterThanOrEqual(2);
	expect(
		ctx.calls('queryCallState').every((entry) => entry.body.callSerialNo === callSerialNo),
	).toBe(true);
	expectNoSecrets(final, ctx.sim);
});

test('an unanswered call ends with reason 5', async () => {
	ctx.sim.config.unansweredNumbers = ['13900139000'];
	const callSerialNo = await placeCall(ctx, '13900139000');
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
	const callSerialNo = await placeCall(ctx);
	const result = await ctx.run({
		parameters: getState({ waitUntilEnded: true, pollInterval: 1, maxWait: 1 }),
		items: [{ callSerialNo }],
	});
	expect(result.main[0]).toMatchObject({ ended: false, waitTimedOut: true });
});

test('a wrong serial number is explained; a non-numeric one is refused unsent', async () => {
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
				new RegExp(
					'^Call Serial Number \\(callSerialNo\\) in item 2 is "abc"; ' +
						'a call serial number is digits only',
				),
			),
			error: expect.any(String),
		},
	]);
	expect(ctx.calls('queryCallState')).toHaveLength(1);
});

// A newcomer pasted a voice notification's serial number exactly, and was told to paste it so.
test("a voice notification's serial number: code 3 says where its outcome comes from", async () => {
	const placed = await ctx.run({ parameters: voiceNotification() });
	const { callSerialNo } = placed.main[0];
	const result = await ctx.run({
		parameters: getState(),
		items: [{ callSerialNo }],
		onError: 'continueRegularOutput',
	});
	expect(result.main[0]).toMatchObject({ success: false, retCode: '3' });
	expect(result.main[0].error).toContain(
		"A voice notification's serial number is not known here: take its outcome from its " +
			'release callback (AICC Trigger) or Get Call Records (Task Type Voice Notifications).',
	);
});

test('a serial number as a number past 2^53 is refused, not rounded to another call', async () => {
	const serial = '1795322914835007919';
	// The number n8n holds for it names another call, which AICC would answer for.
	for (const callSerialNo of [serial, String(Number(serial))])
		ctx.sim.addRecord({ callSerialNo, caller: '88889050', called: '13800138000' });
	const result = await ctx.run({
		parameters: getState(),
		items: [{ callSerialNo: Number(serial) }, { callSerialNo: serial }, { callSerialNo: 4711 }],
		onError: 'continueRegularOutput',
	});
	expect(result.main[0]).toEqual({
		success: false,
		retCode: null,
		message: SERIAL_NUMBER_REFUSAL(0, '1795322914835008000'),
		error: expect.any(String),
	});
	expect(result.main[0].error).toBe(SERIAL_NUMBER_FIX);
	expect(result.main[1]).toMatchObject({ callSerialNo: serial, ended: true });
	// A number that is a safe integer is exact, and is taken.
	expect(result.main[2]).toMatchObject({ success: false, retCode: '3' });
	expect(ctx.calls('queryCallState').map((entry) => entry.body.callSerialNo)).toEqual([
		serial,
		'4711',
	]);
});

describe('Poll Interval and Max Wait, when waiting', () => {
	test.each([
		['Poll Interval (Seconds)', 'pollInterval', 0, '0', 1, 300, 5],
		['Poll Interval (Seconds)', 'pollInterval', 301, '301', 1, 300, 5],
		['Max Wait (Seconds)', 'maxWait', 0, '0', 1, 3600, 300],
		['Max Wait (Seconds)', 'maxWait', 3601, '3601', 1, 3600, 300],
		['Max Wait (Seconds)', 'maxWait', 'abc', '"abc"', 1, 3600, 300],
	])('%s (%s) %p', async (label, name, value, shown, min, max, example) => {
		const callSerialNo = endedCall(ctx.sim);
		const valid = { pollInterval: 1, maxWait: 5 }[name];
		const result = await ctx.run({
			parameters: getState({
				waitUntilEnded: true,
				pollInterval: 1,
				maxWait: 5,
				[name]: '={{ $json.value }}',
			}),
			items: [
				{ callSerialNo, value: valid },
				{ callSerialNo, value },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({
			callSerialNo,
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
			items: [{ callSerialNo: endedCall(ctx.sim) }],
		});
		expect(result.error).toBeUndefined();
		expect(result.main[0]).toMatchObject({ ended: true });
		expect(result.main[0]).not.toHaveProperty('waitTimedOut');
		expect(ctx.calls('queryCallState')).toHaveLength(1);
	});
});
