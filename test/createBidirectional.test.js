'use strict';

const { documentedCodes, explainReturnCode } = require('../dist/shared/codes');
const { setupEach, bidirectional, expectNoSecrets, shown } = require('./setup');

const ctx = setupEach();

describe('Create Bidirectional Call', () => {
	test('returns success, retCode, message and the exact 19-digit callSerialNo', async () => {
		const result = await ctx.run({ parameters: bidirectional() });
		const [call] = ctx.calls();
		const sent = /"callSerialNo":(\d+)/.exec(call.response)[1];
		expect(sent).toHaveLength(19);
		expect(result.main).toEqual([
			{
				success: true,
				retCode: '0',
				message: 'Add CallOutInfo in DB successfully',
				callSerialNo: sent,
			},
		]);
		expect(call.body).toEqual({ caller: '88889050', called: '13800138000' });
		expect(call.headers).toMatchObject({
			authorization: 'Bearer ***',
			'x-app-key': '***',
			'content-type': 'application/json',
		});
		expect(call.auth).toEqual({ token: 'valid', appKey: 'match' });
		expectNoSecrets(result, ctx.sim);
	});

	test('sends every additional field, the callback URL Base64-encoded', async () => {
		const result = await ctx.run({
			parameters: bidirectional({
				additionalFields: {
					agentWorkNo: '10086',
					callData: 'lead-4711',
					callerPresent: '95599',
					agentPresent: '95598',
					callBackUrl: 'https://crm.example.com/aicc/release?lead&42',
				},
			}),
		});
		expect(result.main[0].success).toBe(true);
		const [call] = ctx.calls();
		expect(call.body).toEqual({
			caller: '88889050',
			called: '13800138000',
			agentWorkNo: '10086',
			callData: 'lead-4711',
			callerPresent: '95599',
			agentPresent: '95598',
			callBackUrl: Buffer.from('https://crm.example.com/aicc/release?lead&42').toString('base64'),
		});
		expect(ctx.sim.calls.get(result.main[0].callSerialNo).callBackUrl).toBe(
			'https://crm.example.com/aicc/release?lead&42',
		);
	});

	test('Include Raw Response adds the body as AICC sent it, the big number as text', async () => {
		const result = await ctx.run({ parameters: bidirectional({}, { includeRawResponse: true }) });
		const { callSerialNo, rawResponse } = result.main[0];
		expect(rawResponse).toEqual({
			retCode: '0',
			retMsg: 'Add CallOutInfo in DB successfully',
			result: { callSerialNo },
		});
	});

	test('a serial number sent as a string stays exactly as sent', async () => {
		ctx.sim.config.serialAsNumber = false;
		const result = await ctx.run({ parameters: bidirectional() });
		expect(result.main[0].callSerialNo).toBe(
			JSON.parse(ctx.calls()[0].response).result.callSerialNo,
		);
	});

	test('numbers lose formatting characters, unless Send Numbers As Given', async () => {
		await ctx.run({
			parameters: bidirectional({
				caller: '8888 9050',
				called: '(010) 8888-9060',
				additionalFields: { callerPresent: '95 599' },
			}),
		});
		expect(ctx.calls()[0].body).toEqual({
			caller: '88889050',
			called: '01088889060',
			callerPresent: '95599',
		});
		await ctx.run({
			parameters: bidirectional({ called: '+86 10 8888 9060' }, { numbersAsGiven: true }),
			onError: 'continueRegularOutput',
		});
		expect(ctx.calls()[1].body.called).toBe('+86 10 8888 9060');
	});

	test('ITA back end: its forbidden fields are hidden, and refused if they arrive', async () => {
		const { AiccCall } = require('../dist/nodes/AiccCall/AiccCall.node');
		const fields = new AiccCall().description.properties.find(
			(property) =>
				property.name === 'additionalFields' &&
				property.displayOptions.show.operation.includes('createBidirectional'),
		);
		for (const name of ['callData', 'callerPresent', 'agentPresent']) {
			expect(
				fields.options.find((option) => option.name === name).displayOptions.show['/backEnd'],
			).toEqual(['aicc']);
		}
		// n8n drops a hidden field's value before the node runs; it reaches the node when the
		// back end is chosen by an expression, and then it is refused for the items on ITA.
		ctx.sim.config.backEnd = 'ita';
		const result = await ctx.run({
			parameters: bidirectional({
				backEnd: '={{ $json.backEnd }}',
				additionalFields: { callData: '={{ $json.ref }}' },
			}),
			items: [
				{ backEnd: 'ita', ref: 'lead-1' },
				{ backEnd: 'ita', ref: '' },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({ success: false, outcome: 'notPlaced', retCode: null });
		expect(shown(result.main[0])).toBe(
			'Call Data (callData) in item 1 is set, but the ITA back end does not take it. ' +
				'Remove Call Data from Additional Fields (an expression may fill it), or choose the ' +
				'AICC back end.',
		);
		expect(result.main[1].success).toBe(true);
		expect(ctx.calls()).toHaveLength(1);
	});
});

describe('V3', () => {
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
		expect(shown(result.main[0])).toBe(
			'Callback URL (callBackUrl) in item 1 is set, but createCall V3 does not take it. ' +
				'Remove Callback URL from Additional Fields (an expression may fill it), ' +
				'or choose API Version V1.',
		);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});
});

describe('every documented return code is explained', () => {
	const codes = documentedCodes('bidirectional').filter(
		(code) => !explainReturnCode('bidirectional', code).rateLimited,
	);

	test.each(codes)('retCode %s', async (code) => {
		ctx.sim.inject({ endpoint: 'createCallV1', kind: 'code', code });
		const result = await ctx.run({ parameters: bidirectional(), onError: 'continueRegularOutput' });
		const info = explainReturnCode('bidirectional', code);
		expect(result.main).toEqual([
			{
				success: false,
				outcome: info.uncertain ? 'unknown' : 'notPlaced',
				retCode: code,
				message: `AICC return code ${code}: ${info.meaning}`,
				error: expect.stringContaining(info.fix),
			},
		]);
		expect(result.main[0].error).toContain('AICC said: "');
		expect(ctx.calls()).toHaveLength(1);
	});

	test('an undocumented code still gets a useful message; the outcome is unknown', async () => {
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'code',
			code: '77',
			message: 'Mystery failure',
		});
		const result = await ctx.run({ parameters: bidirectional(), onError: 'continueRegularOutput' });
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'unknown',
			retCode: '77',
			message: "AICC return code 77: a code that AICC's documentation does not list",
		});
		expect(result.main[0].error).toMatch(
			/Ask the AICC operations team what code 77 means.*AICC said: "Mystery failure"/,
		);
	});

	test('without Continue On Fail a code fails the node with the code and its meaning', async () => {
		ctx.sim.inject({ endpoint: 'createCallV1', kind: 'code', code: '21' });
		const result = await ctx.run({ parameters: bidirectional() });
		expect(result.error.message).toBe(
			'AICC return code 21: this trial tenant has used its 10 bidirectional calls for today',
		);
		expect(result.error.description).toMatch(/^Wait until tomorrow/);
		// One item: the message names none, and n8n's editor adds no index.
		expect(result.error.context).not.toHaveProperty('itemIndex');
	});

	// With n8n's item index, n8n's editor adds its own count from 0 for an input of several items
	// ("… [item 1]" for the second item), which a newcomer read as another item.
	test('of several items, the failing one is named as the editor counts, from 1', async () => {
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'code',
			code: '21',
			match: { called: '13800138001' },
		});
		const result = await ctx.run({
			parameters: bidirectional({ called: '={{ $json.phone }}' }),
			items: [{ phone: '13800138000' }, { phone: '13800138001' }],
		});
		expect(result.error.message).toMatch(
			new RegExp(
				'^AICC return code 21: this trial tenant has used its 10 bidirectional calls for ' +
					'today \\(item 2\\) \\(1 other call was placed',
			),
		);
		expect(result.error.context).not.toHaveProperty('itemIndex');
	});
});
