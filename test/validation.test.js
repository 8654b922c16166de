'use strict';

const {
	setupEach,
	bidirectional,
	anonymous,
	getState,
	getRecords,
	shown,
	expectSaidOnce,
	expectInvalidUnsent,
} = require('./setup');

/**
 * Bad input gets a clear error before any request: the message names the field, the item (as the
 * editor numbers it, from 1) and the problem; the description says the fix, once.
 */
const ctx = setupEach();

describe('invalid fields fail their item and send nothing', () => {
	test.each([
		[
			'an empty Called after its expression',
			{ called: '={{ $json.phone }}' },
			'Called in item 1 is empty. Enter a phone number, e.g. 13800138000, or map ' +
				'one from an earlier node.',
		],
		[
			'a Caller of only spaces',
			{ caller: '  ' },
			'Caller in item 1 is empty. Enter a phone number, e.g. 88889050, or map one ' +
				'from an earlier node.',
		],
		[
			'a 33-digit Called',
			{ called: '1'.repeat(33) },
			'Called in item 1 has 33 characters; AICC takes at most 32. Shorten it to a ' +
				'plain number, e.g. 13800138000.',
		],
		[
			'letters in Called',
			{ called: 'call me' },
			'Called in item 1 is "call me", which is not a phone number. Use digits, ' +
				'with a leading + if needed, e.g. 13800138000; spaces, dashes, dots and brackets ' +
				'are fine (they are removed before sending).',
		],
		// In a number that is mostly digits, the message names the character that is not one.
		[
			'the letter O for a zero in Called',
			{ called: '138-0013-800O' },
			'Called in item 1 is "138-0013-800O", which is not a phone number (the letter "O" is ' +
				'not a digit). ' +
				'Use digits, with a leading + if needed, e.g. 13800138000; spaces, dashes, dots and ' +
				'brackets are fine (they are removed before sending).',
		],
		[
			'a full-width digit in Called (typed with a Chinese input method)',
			{ called: '1380013８000' },
			'Called in item 1 is "1380013８000", which is not a phone number ("８" is a full-width ' +
				'digit: type 0-9). ' +
				'Use digits, with a leading + if needed, e.g. 13800138000; spaces, dashes, dots and ' +
				'brackets are fine (they are removed before sending).',
		],
		[
			'a + inside Called',
			{ called: '138+00138000' },
			'Called in item 1 is "138+00138000", which is not a phone number ("+" may only come ' +
				'first). ' +
				'Use digits, with a leading + if needed, e.g. 13800138000; spaces, dashes, dots and ' +
				'brackets are fine (they are removed before sending).',
		],
		[
			'an invisible character in Called (pasted from a web page)',
			{ called: '13800\u200b138000' },
			'Called in item 1 is "13800\u200b138000", which is not a phone number (it holds the ' +
				'invisible character U+200B). ' +
				'Use digits, with a leading + if needed, e.g. 13800138000; spaces, dashes, dots and ' +
				'brackets are fine (they are removed before sending).',
		],
		// A value holding {{ is an expression typed while the field was set to Fixed.
		[
			'an expression typed into Called in Fixed mode',
			{ called: '{{ $json.customerPhone }}' },
			'Called in item 1 is "{{ $json.customerPhone }}", an expression typed while the field ' +
				'is set to Fixed. In Fixed mode n8n passes {{ }} on as typed: hover over the field ' +
				'and choose Expression above it, or drag a field from the input panel onto it.',
		],
		[
			'an unfinished expression typed into Caller in Fixed mode',
			{ caller: '{{ $json.agentPhone ' },
			'Caller in item 1 is "{{ $json.agentPhone ", an expression typed while the field is ' +
				'set to Fixed. In Fixed mode n8n passes {{ }} on as typed: hover over the field and ' +
				'choose Expression above it, or drag a field from the input panel onto it.',
		],
		[
			'a 1-digit Called (a typo, or a number cut off)',
			{ called: '1' },
			'Called in item 1 is "1", too short for a phone number (at least 3 digits). ' +
				'Enter the whole number, e.g. 13800138000, or check what the earlier node mapped ' +
				'here. To send a number exactly as typed, turn on Send Numbers As Given.',
		],
		[
			'a 2-digit Caller with a +',
			{ caller: '+12' },
			'Caller in item 1 is "+12", too short for a phone number (at least 3 digits). ' +
				'Enter the whole number, e.g. 88889050, or check what the earlier node mapped here. ' +
				'To send a number exactly as typed, turn on Send Numbers As Given.',
		],
		[
			'a 6-digit Agent Work Number',
			{ additionalFields: { agentWorkNo: '123456' } },
			'Agent Work Number (agentWorkNo) in item 1 is "123456"; it must be 1 to 5 digits. ' +
				"Enter the agent's work number, e.g. 10086.",
		],
		[
			'1025 characters of Call Data',
			{ additionalFields: { callData: 'x'.repeat(1025) } },
			'Call Data (callData) in item 1 has 1025 characters; AICC takes at most 1024. Send a ' +
				'shorter reference, e.g. a CRM record ID, instead of the full record.',
		],
		[
			'letters in Caller Present',
			{ additionalFields: { callerPresent: 'ACME' } },
			'Caller Present (callerPresent) in item 1 is "ACME"; it must be digits only, at most ' +
				"32. Use the tenant's access code (e.g. 95599), or an 11 to 14 digit number where " +
				'O&M enabled calling number anonymization.',
		],
		[
			'a Callback URL without scheme',
			{ additionalFields: { callBackUrl: 'crm.example.com/hook' } },
			'Callback URL (callBackUrl) in item 1 is "crm.example.com/hook", which is not an ' +
				'http(s) URL. Enter the full URL, e.g. https://crm.example.com/aicc/release.',
		],
		[
			'a Callback URL with characters AICC refuses',
			{ additionalFields: { callBackUrl: 'https://crm.example.com/hook?id=4 2' } },
			'Callback URL (callBackUrl) in item 1 contains "=", " ", which AICC does not allow. ' +
				'Use only letters, digits and - : . / _ # ? & (no spaces, %, = or +), e.g. ' +
				'https://crm.example.com/aicc/release.',
		],
	])('%s', async (_label, fields, message) => {
		const result = await ctx.run({
			parameters: bidirectional(fields),
			items: [{ phone: '' }],
			onError: 'continueRegularOutput',
		});
		expectInvalidUnsent(ctx, result, message);
	});

	test('the anonymous call validates its fields too', async () => {
		const result = await ctx.run({
			parameters: anonymous({
				called: '={{ "" }}',
				additionalFields: { callData: 'x'.repeat(2000) },
			}),
			onError: 'continueRegularOutput',
		});
		expectSaidOnce(
			result.main[0],
			'Called in item 1 is empty. Enter a phone number, e.g. 13800138000, or map ' +
				'one from an earlier node.',
		);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test('3-digit service numbers are called; Send Numbers As Given sends any', async () => {
		const short = await ctx.run({
			parameters: bidirectional({ called: '={{ $json.phone }}' }),
			items: [{ phone: '110' }, { phone: '10086' }],
		});
		expect(short.main.map((item) => item.success)).toEqual([true, true]);
		const asGiven = await ctx.run({
			parameters: bidirectional({ called: '1' }, { numbersAsGiven: true }),
		});
		expect(asGiven.main[0].success).toBe(true);
		expect(ctx.calls().map((call) => call.body.called)).toEqual(['110', '10086', '1']);
	});

	test('without Continue On Fail one invalid item, wherever it is, means no request', async () => {
		const result = await ctx.run({
			parameters: bidirectional({ called: '={{ $json.phone }}' }),
			items: [{ phone: '13800138000' }, { phone: '' }, { phone: '13800138001' }],
		});
		expect(result.error.message).toBe('Called in item 2 is empty');
		// Without n8n's own index, counted from 0: with it, n8n's editor shows "Called in item 2
		// is empty [item 1]" for an input of several items.
		expect(result.error.context).not.toHaveProperty('itemIndex');
		// A newcomer with one bad number of three asked whether the other two had been called.
		expect(shown(result.error)).toBe(
			'Called in item 2 is empty. Enter a phone number, e.g. 13800138000, or map ' +
				'one from an earlier node. No call was placed: the node checks every item before ' +
				'the first call, and an invalid one stops them all.',
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
		expect(result.error.context).not.toHaveProperty('itemIndex');
		const lines = result.error.description.split('\n');
		expect(lines[1]).toBe(
			'Called in item 2 is "bad-1", which is not a phone number. Use digits, with ' +
				'a leading + if needed, e.g. 13800138000; spaces, dashes, dots and brackets are ' +
				'fine (they are removed before sending).',
		);
		expect(lines).toContain(
			'Called in item 6 is empty. Enter a phone number, e.g. 13800138000, or map ' +
				'one from an earlier node.',
		);
		expect(lines.filter((line) => /^Called in item \d+/.test(line))).toHaveLength(20);
		expect(lines[lines.length - 1]).toBe('… and 7 more');
		expect(result.error.context.invalidItems.map((entry) => entry.item)).toEqual(
			items.flatMap((_, index) => (index % 10 === 0 ? [] : [index + 1])),
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
				message: 'Called in item 2 is empty',
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

describe('errors quote at most 60 characters of a value, and never a URL query', () => {
	const HUGE = 100_000;
	const long = (head) => `${head}${'x'.repeat(HUGE - head.length)}`;
	const cut = (head) => `"${long(head).slice(0, 60)}…" (${HUGE} characters)`;

	test.each([
		[
			'Called (spaces make it short once cleaned)',
			bidirectional({ called: `${' '.repeat(HUGE - 3)}abc` }),
			`Called in item 1 is "${' '.repeat(60)}…" (${HUGE} characters), which is not ` +
				'a phone number.',
		],
		[
			'Agent Work Number',
			bidirectional({ additionalFields: { agentWorkNo: long('1') } }),
			`Agent Work Number (agentWorkNo) in item 1 is ${cut('1')}; it must be 1 to 5 digits.`,
		],
		[
			'Caller Present',
			anonymous({ additionalFields: { callerPresent: long('ACME') } }),
			`Caller Present (callerPresent) in item 1 is ${cut('ACME')}; it must be digits only`,
		],
		[
			'Call Serial Number',
			getState({ callSerialNo: long('abc') }),
			`Call Serial Number (callSerialNo) in item 1 is ${cut('abc')}; a call serial number is`,
		],
		[
			'Start Time',
			getRecords({ startTime: long('soon') }),
			`Start Time (startTime) in item 1 is ${cut('soon')}, which is not a date and time.`,
		],
		[
			'Limit',
			getRecords({ limit: long('many') }),
			`Limit in item 1 is ${cut('many')}; it must be a number from 1 to 10000.`,
		],
		[
			'an Allowed Called Numbers entry',
			bidirectional({}, { allowedCalledNumbers: `138, ${long('mobile')}` }),
			`Allowed Called Numbers (allowedCalledNumbers) in item 1 holds ${cut('mobile')}, which ` +
				'is not a number prefix.',
		],
		[
			'a long Allowed Called Numbers list',
			bidirectional(
				{ called: '13900139000' },
				{ allowedCalledNumbers: Array.from({ length: 5000 }, (_, i) => 2000 + i).join(',') },
			),
			'Called in item 1 is 13900139000, which matches none of the Allowed Called ' +
				'Numbers (2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009 and 4990 more).',
		],
	])('%s', async (_label, parameters, start) => {
		const result = await ctx.run({ parameters, onError: 'continueRegularOutput' });
		expect(shown(result.main[0]).slice(0, start.length)).toBe(start);
		expect(shown(result.main[0]).length).toBeLessThan(500);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test('a Callback URL: its query is never quoted; a list of characters is bounded', async () => {
		const QUERY = 'token=s3cr3t-query-value';
		const run = await ctx.run({
			parameters: bidirectional({
				called: '={{ $json.phone }}',
				additionalFields: { callBackUrl: '={{ $json.url }}' },
			}),
			items: [
				{ phone: '13800138000', url: `crm.example.com/hook?${QUERY}` },
				{ phone: '13800138000', url: `https://crm.example.com/hook?${QUERY}` },
				{ phone: '13800138000', url: `crm.example.com/${long('a')}` },
				{ phone: '13800138000', url: 'https://crm.example.com/ä-ö-ü-é-è-ß-ñ-ø-å-æ-œ-ç' },
			],
			onError: 'continueRegularOutput',
		});
		const messages = run.main.map(shown);
		expect(messages[0]).toBe(
			'Callback URL (callBackUrl) in item 1 is "crm.example.com/hook?…", which is not an ' +
				'http(s) URL. Enter the full URL, e.g. https://crm.example.com/aicc/release.',
		);
		expect(messages[1]).toMatch(
			/^Callback URL \(callBackUrl\) in item 2 contains "=", which AICC does not allow\./,
		);
		expect(messages[2]).toMatch(
			new RegExp(`^Callback URL \\(callBackUrl\\) in item 3 is "crm\\.example\\.com/ax{43}…" \\(`),
		);
		expect(messages[3]).toMatch(
			new RegExp(
				'^Callback URL \\(callBackUrl\\) in item 4 contains "ä", "ö", "ü", "é", "è", "ß", ' +
					'"ñ", "ø", "å", "æ" and 2 more, which AICC does not allow\\.',
			),
		);
		expect(JSON.stringify(run.main)).not.toContain('s3cr3t');
		expect(ctx.sim.log.entries).toHaveLength(0);
	});
});
