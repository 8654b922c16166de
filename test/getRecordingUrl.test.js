'use strict';

const { setupEach, getRecordingUrl, placeCall } = require('./setup');

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
