'use strict';

const { setupEach, bidirectional, anonymous, shown } = require('./setup');

/**
 * Allowed Called Numbers (issue 13, part 1): a called number that starts with none of the listed
 * prefixes (both cleaned the same way) fails its item as notPlaced, and nothing is sent for it.
 * Requests are counted at the simulator.
 */
const ctx = setupEach();

const FIX =
	'Check the number. If it should be callable, ' +
	"add its prefix to the node's Allowed Called Numbers option.";
/** The refusal's message (its fix, FIX, is the description), for item `itemIndex`. */
const refusal = (itemIndex, number, list) =>
	`Called in item ${itemIndex + 1} is ${number}, ` +
	`which matches none of the Allowed Called Numbers (${list})`;

const OPERATIONS = [
	['Create Bidirectional Call', bidirectional, 'createCallV1'],
	['Create Anonymous Call', anonymous, 'createCallAnonymous'],
];

describe.each(OPERATIONS)('%s', (_operation, parameters, endpoint) => {
	const run = (allowedCalledNumbers, items, extra = {}) =>
		ctx.run({
			parameters: parameters({ called: '={{ $json.phone }}' }, { allowedCalledNumbers, ...extra }),
			items: items.map((phone) => ({ phone })),
			onError: 'continueRegularOutput',
		});

	test('numbers are compared after cleaning, and so are the prefixes', async () => {
		const result = await run('+86 138, (0755)', [
			'(0755) 8888-1234',
			'+86 138 0013 8000',
			'+86.138.0013.8001',
		]);
		expect(result.main.map((item) => item.success)).toEqual([true, true, true]);
		expect(ctx.calls(endpoint).map((entry) => entry.body.called)).toEqual([
			'075588881234',
			'+8613800138000',
			'+8613800138001',
		]);
	});

	test('a refused item fails alone, as notPlaced, naming the list; others are placed', async () => {
		const result = await run('+86138, 0755', [
			'+86 138 0013 8000',
			'13900139000',
			'0755-8888-1234',
			'+8613900139000',
		]);
		expect(result.main.map((item) => item.success)).toEqual([true, false, true, false]);
		expect(result.main[1]).toEqual({
			success: false,
			outcome: 'notPlaced',
			retCode: null,
			message: refusal(1, '13900139000', '+86138, 0755'),
			error: FIX,
		});
		expect(result.main[3]).toMatchObject({
			outcome: 'notPlaced',
			message: refusal(3, '+8613900139000', '+86138, 0755'),
		});
		expect(result.items[0].map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3]);
		expect(ctx.calls(endpoint).map((entry) => entry.body.called)).toEqual([
			'+8613800138000',
			'075588881234',
		]);
	});

	test('the error output gets the refusal with its outcome', async () => {
		const result = await ctx.run({
			parameters: parameters({ called: '={{ $json.phone }}' }, { allowedCalledNumbers: '0755' }),
			items: [{ phone: '075588881234' }, { phone: '13800138000' }],
			onError: 'continueErrorOutput',
		});
		expect(result.main).toHaveLength(1);
		expect(result.errors).toEqual([
			{
				message: refusal(1, '13800138000', '0755'),
				error: { success: false, outcome: 'notPlaced', retCode: null, description: FIX },
			},
		]);
		expect(ctx.calls(endpoint)).toHaveLength(1);
	});

	test('without Continue On Fail one refused number means no request at all', async () => {
		const result = await ctx.run({
			parameters: parameters({ called: '={{ $json.phone }}' }, { allowedCalledNumbers: '0755' }),
			items: [{ phone: '075588881234' }, { phone: '075588881235' }, { phone: '13800138000' }],
		});
		expect(result.error.message).toBe(refusal(2, '13800138000', '0755'));
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test('an entry that is not a number prefix fails with a message naming the option', async () => {
		const result = await run('0755, mobile', ['075588881234']);
		expect(result.main[0]).toEqual({
			success: false,
			outcome: 'notPlaced',
			retCode: null,
			message:
				'Allowed Called Numbers (allowedCalledNumbers) in item 1 holds "mobile", ' +
				'which is not a number prefix',
			error: 'List number prefixes separated by commas, e.g. +86138, 0755, 138111.',
		});
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test.each([
		['empty', ''],
		['only separators and spaces', ' , ,'],
	])('a list that is %s allows any number', async (_label, list) => {
		const result = await run(list, ['13800138000', '+44 20 7946 0000']);
		expect(result.main.map((item) => item.success)).toEqual([true, true]);
		expect(ctx.calls(endpoint)).toHaveLength(2);
	});

	test('no option at all allows any number', async () => {
		const result = await ctx.run({ parameters: parameters({ called: '13900139000' }) });
		expect(result.main[0].success).toBe(true);
		expect(ctx.calls(endpoint)).toHaveLength(1);
	});

	test('the list may come from an expression, per item', async () => {
		const result = await ctx.run({
			parameters: parameters(
				{ called: '={{ $json.phone }}' },
				{ allowedCalledNumbers: '={{ $json.allowed }}' },
			),
			items: [
				{ phone: '13800138000', allowed: '138' },
				{ phone: '13800138000', allowed: '139' },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.main.map((item) => item.success)).toEqual([true, false]);
		expect(result.main[1].message).toBe(refusal(1, '13800138000', '139'));
		expect(ctx.calls(endpoint)).toHaveLength(1);
	});

	test('Send Numbers As Given compares the number as given', async () => {
		const result = await run(
			'+86138',
			['+8613800138000', '+86-138-0013-8000', '+86 138 0013 8000'],
			{ numbersAsGiven: true },
		);
		expect(result.main.map((item) => item.success)).toEqual([true, false, false]);
		expect(result.main[1].message).toBe(refusal(1, '+86-138-0013-8000', '+86138'));
		expect(result.main[2].message).toBe(refusal(2, '+86 138 0013 8000', '+86138'));
		expect(ctx.calls(endpoint).map((entry) => entry.body.called)).toEqual(['+8613800138000']);
	});

	test('with Send Numbers As Given, nothing but one dialable number passes the list', async () => {
		const result = await ctx.run({
			parameters: parameters(
				{ called: '={{ $json.phone }}' },
				{ allowedCalledNumbers: '138', numbersAsGiven: true },
			),
			items: [
				// An expression returning a list, which n8n would send as "a,b".
				{ phone: ['13800138000', '13900139000'] },
				{ phone: '13800138000,13900139000' },
				{ phone: '13800138000 13900139000' },
				{ phone: { number: '13800138000' } },
				{ phone: '13800138001' },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.main.map((item) => item.success)).toEqual([false, false, false, false, true]);
		expect(result.main.map((item) => item.outcome)).toEqual([
			'notPlaced',
			'notPlaced',
			'notPlaced',
			'notPlaced',
			undefined,
		]);
		expect(shown(result.main[0])).toBe(
			'Called in item 1 is a list (2 entries), not one phone number. Map one number ' +
				'per item, e.g. {{ $json.phones[0] }}, or split the list into items first (Split Out ' +
				'node).',
		);
		expect(shown(result.main[1])).toBe(
			'Called in item 2 is "13800138000,13900139000", which is not one dialable ' +
				'number. With Allowed Called Numbers set, a number sent as given must be digits only ' +
				'(a leading + is allowed), so that the list holds for everything AICC could dial. ' +
				'Enter one number per item, or turn off Send Numbers As Given to have spaces, dashes ' +
				'and brackets removed.',
		);
		expect(shown(result.main[2])).toMatch(/^Called in item 3 is "13800138000 1390/);
		expect(shown(result.main[3])).toBe(
			'Called in item 4 is an object, not one phone number. Map the number itself, as ' +
				'text or a number, e.g. {{ $json.contact.phone }}.',
		);
		expect(ctx.calls(endpoint).map((entry) => entry.body.called)).toEqual(['13800138001']);
	});

	test('with Send Numbers As Given a prefix holding spaces is not a number prefix', async () => {
		const result = await run('+86 138', ['+86 138 0013 8000'], { numbersAsGiven: true });
		expect(result.main[0].message).toMatch(
			/^Allowed Called Numbers \(allowedCalledNumbers\) in item 1 holds "\+86 138", which is not/,
		);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});
});

test('Create Bidirectional Call checks only Called against the list, not Caller', async () => {
	const result = await ctx.run({
		parameters: bidirectional(
			{ caller: '88889050', called: '0755 8888 1234' },
			{ allowedCalledNumbers: '0755' },
		),
	});
	expect(result.main[0].success).toBe(true);
	expect(ctx.calls()[0].body).toMatchObject({ caller: '88889050', called: '075588881234' });
});

test('V3 checks Called against the list too', async () => {
	const result = await ctx.run({
		parameters: bidirectional(
			{ apiVersion: 'v3', softPhone: '88889050', caller: '', called: '13800138000' },
			{ allowedCalledNumbers: '0755' },
		),
		onError: 'continueRegularOutput',
	});
	expect(result.main[0]).toMatchObject({
		success: false,
		outcome: 'notPlaced',
		message: refusal(0, '13800138000', '0755'),
	});
	expect(ctx.sim.log.entries).toHaveLength(0);
});
