'use strict';

const { documentedCodes, explainReturnCode } = require('../dist/shared/codes');
const { setupEach, anonymous, expectNoSecrets } = require('./setup');

const ctx = setupEach();

test('resultCode, resultDesc as retCode, message; serial, SIP address, access code', async () => {
	const result = await ctx.run({
		parameters: anonymous({
			called: '888-844-32',
			additionalFields: { callData: '1', callerPresent: '95599' },
		}),
	});
	const [call] = ctx.calls('createCallAnonymous');
	const { resultData } = JSON.parse(JSON.stringify(call.response));
	expect(result.main).toEqual([
		{
			success: true,
			retCode: '0',
			message: 'Success',
			callSerialNo: resultData.callSerialNo,
			sipServiceAddress: '127.0.0.1:5063',
			accessCode: resultData.accesscode,
		},
	]);
	expect(call.body).toEqual({ called: '88884432', callData: '1', callerPresent: '95599' });
	expect(call.auth).toEqual({ token: 'valid', appKey: 'match' });
	expectNoSecrets(result, ctx.sim);
});

test('Include Raw Response adds the body as AICC sent it', async () => {
	const result = await ctx.run({ parameters: anonymous({}, { includeRawResponse: true }) });
	expect(result.main[0].rawResponse).toMatchObject({
		resultCode: '0',
		resultDesc: 'Success',
		resultData: { accesscode: result.main[0].accessCode },
	});
});

test.each(documentedCodes('anonymous'))('resultCode %s is explained', async (code) => {
	ctx.sim.inject({ endpoint: 'createCallAnonymous', kind: 'code', code });
	const result = await ctx.run({ parameters: anonymous(), onError: 'continueRegularOutput' });
	const info = explainReturnCode('anonymous', code);
	expect(result.main[0]).toEqual({
		success: false,
		outcome: info.uncertain ? 'unknown' : 'notPlaced',
		retCode: code,
		message: `AICC return code ${code}: ${info.meaning}`,
		error: expect.stringContaining(info.fix),
	});
});

test('the duplicate guard skips the same number and call data; other data is sent', async () => {
	const parameters = anonymous({ called: '13800138000', additionalFields: { callData: 'a' } });
	const first = await ctx.run({ parameters, mode: 'webhook' });
	const again = await ctx.run({ parameters, mode: 'webhook' });
	expect(again.main[0]).toMatchObject({
		skipped: true,
		skipReason: 'duplicate',
		callSerialNo: first.main[0].callSerialNo,
	});
	expect(again.main[0].message).toContain(
		', with the same called number and call data. That was less than a minute ago. The ' +
			'Duplicate Window of 10 minutes holds the same call back for 10 to 20 minutes',
	);
	const other = anonymous({ called: '13800138000', additionalFields: { callData: 'b' } });
	await ctx.run({ parameters: other, mode: 'webhook' });
	expect(ctx.calls('createCallAnonymous')).toHaveLength(2);
});
