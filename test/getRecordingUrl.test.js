'use strict';

const { setupEach, getRecordingUrl, placeCall, SERIAL_NUMBER_REFUSAL } = require('./setup');

/** Get Recording URL. */
const ctx = setupEach({ ringMs: 300, talkMs: 400 });

test('returns the URL and when it expires (5 minutes)', async () => {
	const callSerialNo = await placeCall(ctx);
	const asked = Date.now();
	const result = await ctx.run({ parameters: getRecordingUrl(), items: [{ callSerialNo }] });
	expect(result.main[0]).toEqual({
		callSerialNo,
		url: expect.stringContaining(`/recordings/${callSerialNo}.wav`),
		expiresAt: expect.any(String),
	});
	const expires = Date.parse(result.main[0].expiresAt);
	expect(expires - asked).toBeGreaterThanOrEqual(299_000);
	expect(expires - asked).toBeLessThanOrEqual(301_000);
});

test('a serial number given as a number beyond 2^53 is refused unsent', async () => {
	const result = await ctx.run({
		parameters: getRecordingUrl(),
		// The number n8n holds for 1795322914835007919.
		items: [{ callSerialNo: Number('1795322914835007919') }],
		onError: 'continueRegularOutput',
	});
	expect(result.main[0].message).toBe(SERIAL_NUMBER_REFUSAL(0, '1795322914835008000'));
	expect(ctx.sim.log.entries).toHaveLength(0);
});
