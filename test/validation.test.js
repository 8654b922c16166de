'use strict';

const { setupEach, bidirectional, anonymous } = require('./setup');

/** Bad input gets a clear error before any request: it names the field, the item and the fix. */
const ctx = setupEach();

describe('invalid fields fail their item and send nothing', () => {
	test.each([
		[
			'an empty Called after its expression',
			{ called: '={{ $json.phone }}' },
			'Called (called) in item 0 is empty. Enter a phone number, e.g. 13800138000, or map ' +
				'one from an earlier node.',
		],
		[
			'a Caller of only spaces',
			{ caller: '  ' },
			'Caller (caller) in item 0 is empty. Enter a phone number, e.g. 88889050, or map one ' +
				'from an earlier node.',
		],
		[
			'a 33-digit Called',
			{ called: '1'.repeat(33) },
			'Called (called) in item 0 has 33 characters; AICC takes at most 32. Shorten it to a ' +
				'plain number, e.g. 13800138000.',
		],
		[
			'letters in Called',
			{ called: 'call me' },
			'Called (called) in item 0 is "call me", which is not a phone number. Use digits ' +
				'only (a leading + is allowed), e.g. 13800138000.',
		],
		[
			'a 6-digit Agent Work Number',
			{ additionalFields: { agentWorkNo: '123456' } },
			'Agent Work Number (agentWorkNo) in item 0 is "123456"; it must be 1 to 5 digits. ' +
				"Enter the agent's work number, e.g. 10086.",
		],
		[
			'1025 characters of Call Data',
			{ additionalFields: { callData: 'x'.repeat(1025) } },
			'Call Data (callData) in item 0 has 1025 characters; AICC takes at most 1024. Send a ' +
				'shorter reference, e.g. a CRM record ID, instead of the full record.',
		],
		[
			'letters in Caller Present',
			{ additionalFields: { callerPresent: 'ACME' } },
			'Caller Present (callerPresent) in item 0 is "ACME"; it must be digits only, at most ' +
				"32. Use the tenant's access code (e.g. 95599), or an 11 to 14 digit number where " +
				'number anonymization is enabled.',
		],
		[
			'a Callback URL without scheme',
			{ additionalFields: { callBackUrl: 'crm.example.com/hook' } },
			'Callback URL (callBackUrl) in item 0 is "crm.example.com/hook", which is not an ' +
				'http(s) URL. Enter the full URL, e.g. https://crm.example.com/aicc/release.',
		],
		[
			'a Callback URL with characters AICC refuses',
			{ additionalFields: { callBackUrl: 'https://crm.example.com/hook?id=4 2' } },
			'Callback URL (callBackUrl) in item 0 contains "=", " ", which AICC does not allow. ' +
				'Use only letters, digits and - : . / _ # ? & (no spaces, %, = or +), e.g. ' +
				'https://crm.example.com/aicc/release.',
		],
	])('%s', async (_label, fields, message) => {
		const result = await ctx.run({
			parameters: bidirectional(fields),
			items: [{ phone: '' }],
			onError: 'continueRegularOutput',
		});
		expect(result.main).toEqual([
			{ success: false, outcome: 'notPlaced', retCode: null, message, error: expect.any(String) },
		]);
		expect(message.endsWith(result.main[0].error)).toBe(true);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test('the anonymous call validates its fields too', async () => {
		const result = await ctx.run({
			parameters: anonymous({
				called: '={{ "" }}',
				additionalFields: { callData: 'x'.repeat(2000) },
			}),
			onError: 'continueRegularOutput',
		});
		expect(result.main[0].message).toBe(
			'Called (called) in item 0 is empty. Enter a phone number, e.g. 13800138000, or map ' +
				'one from an earlier node.',
		);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test('without Continue On Fail one invalid item, wherever it is, means no request', async () => {
		const result = await ctx.run({
			parameters: bidirectional({ called: '={{ $json.phone }}' }),
			items: [{ phone: '13800138000' }, { phone: '' }, { phone: '13800138001' }],
		});
		expect(result.error.message).toBe(
			'Called (called) in item 1 is empty. Enter a phone number, e.g. 13800138000, or map ' +
				'one from an earlier node.',
		);
		expect(ctx.calls()).toHaveLength(0);
	});

	test('one error names every invalid item (item, field, fix): the first 20, a count', async () => {
		const items = Array.from({ length: 30 }, (_, index) => ({
			phone: index % 10 === 0 ? '13800138000' : `bad-${index}`,
		}));
		items[5].phone = '';
		const result = await ctx.run({
			parameters: bidirectional({ called: '={{ $json.phone }}' }),
			items,
		});
		expect(ctx.calls()).toHaveLength(0);
		expect(result.error.message).toBe('27 items are invalid, so no call was placed');
		const lines = result.error.description.split('\n');
		expect(lines[1]).toBe(
			'Called (called) in item 1 is "bad-1", which is not a phone number. Use digits only ' +
				'(a leading + is allowed), e.g. 13800138000.',
		);
		expect(lines).toContain(
			'Called (called) in item 5 is empty. Enter a phone number, e.g. 13800138000, or map ' +
				'one from an earlier node.',
		);
		expect(lines.filter((line) => /^Called \(called\) in item \d+/.test(line))).toHaveLength(20);
		expect(lines[lines.length - 1]).toBe('… and 7 more');
		expect(result.error.context.invalidItems.map((entry) => entry.item)).toEqual(
			items.flatMap((_, index) => (index % 10 === 0 ? [] : [index])),
		);
	});
});

describe('Continue On Fail keeps every item, in order, paired to its input', () => {
	const items = [
		{ phone: '13800138000' },
		{ phone: '' },
		{ phone: '13800138002' },
		{ phone: '13800138003' },
	];
	/** Item 1 fails validation, item 2 gets return code 6 from AICC, items 0 and 3 succeed. */
	const runWithFailures = (onError) => {
		ctx.sim.inject({
			endpoint: 'createCallV1',
			kind: 'code',
			code: '6',
			match: { called: '13800138002' },
		});
		return ctx.run({
			parameters: bidirectional({ called: '={{ $json.phone }}' }),
			items,
			onError,
		});
	};

	test('regular output: one item per input item, in input order', async () => {
		const result = await runWithFailures('continueRegularOutput');
		expect(result.items[0].map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(result.main.map((item) => [item.success, item.retCode])).toEqual([
			[true, '0'],
			[false, null],
			[false, '6'],
			[true, '0'],
		]);
		expect(ctx.calls().map((entry) => entry.body.called)).toEqual([
			'13800138000',
			'13800138002',
			'13800138003',
		]);
	});

	test('error output: failures go there with the same facts, successes stay on main', async () => {
		const result = await runWithFailures('continueErrorOutput');
		expect(result.items[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
		expect(result.items[1].map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(result.errors).toEqual([
			{
				message:
					'Called (called) in item 1 is empty. Enter a phone number, e.g. 13800138000, or ' +
					'map one from an earlier node.',
				error: {
					success: false,
					outcome: 'notPlaced',
					retCode: null,
					description: 'Enter a phone number, e.g. 13800138000, or map one from an earlier node.',
				},
			},
			{
				message: "AICC return code 6: the tenant's VDN (virtual call centre) is unavailable",
				error: {
					success: false,
					outcome: 'notPlaced',
					retCode: '6',
					description: expect.stringMatching(/^Ask the tenant administrator to check/),
				},
			},
		]);
	});
});
