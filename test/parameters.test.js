'use strict';

const { parameter } = require('../dist/nodes/AiccCall/helpers/parameters');
const { setupEach, bidirectional, shown } = require('./setup');

/**
 * A parameter that maps one field of the item as a whole (`={{ $json.phone }}`) is read from the
 * item, without n8n's expression engine, when the field holds text, a number or a boolean. The
 * node does with every item what it does when n8n evaluates the mapping.
 */
const ctx = setupEach();

/** What a field of an item may hold, the plain values and the ones left to n8n. */
const ITEMS = [
	{ phone: '13800138000' },
	{ phone: 13800138001 },
	{ phone: ' 138-0013-8002 ' },
	{ phone: '' },
	{ phone: true },
	{},
	{ phone: null },
	{ phone: { number: '13800138003' } },
	{ phone: ['13800138004'] },
];

/** The numbers the simulator was asked to call, and every output item without its serial. */
async function outcome(called) {
	const before = ctx.calls().length;
	const result = await ctx.run({
		// The same calls twice (n8n's reading, then the node's): the duplicate guard stays off.
		parameters: bidirectional({ called }, { duplicateWindow: 0 }),
		items: ITEMS,
		onError: 'continueRegularOutput',
	});
	const sent = ctx
		.calls()
		.slice(before)
		.map((entry) => entry.body.called)
		.sort();
	const items = result.main.map((item) => ({ ...item, callSerialNo: undefined }));
	return { sent, items };
}

describe('a field mapped as a whole', () => {
	// Wrapped in parentheses, the same mapping is one only n8n's expression engine reads.
	test.each([
		['={{ $json.phone }}', '={{ ($json.phone) }}'],
		['={{$json["phone"]}}', '={{ ($json["phone"]) }}'],
		["={{ $json['phone'] }}", "={{ ($json['phone']) }}"],
	])('%s: every item as with n8n evaluating it', async (mapped, evaluated) => {
		const byN8n = await outcome(evaluated);
		const read = await outcome(mapped);
		expect(read).toEqual(byN8n);
		expect(read.sent).toEqual(['13800138000', '13800138001', '13800138002']);
		expect(read.items.map((item) => item.success ?? false)).toEqual([
			true,
			true,
			true,
			false,
			false,
			false,
			false,
			false,
			false,
		]);
		// A list is no phone number, even of one entry, in either case: it would be sent as "a,b".
		expect(shown(read.items[8])).toBe(
			'Called in item 9 is a list (1 entry), not one phone number. Map one number per ' +
				'item, e.g. {{ $json.phones[0] }}, or split the list into items first (Split Out node).',
		);
	});

	test.each(['constructor', 'caller'])(
		"a field n8n's expressions guard (%s) is still n8n's to read",
		async (name) => {
			const result = await ctx.run({
				parameters: bidirectional({ called: `={{ $json.${name} }}` }),
				items: [{ [name]: '13800138000' }],
				onError: 'continueRegularOutput',
			});
			expect(result.main[0].success).not.toBe(true);
			expect(result.main[0].error).toMatch(new RegExp(name));
			expect(ctx.calls()).toHaveLength(0);
		},
	);
});

describe('parameter', () => {
	/** A node context with a mapped and a fixed parameter; counts n8n's evaluations. */
	function context(parameters, items) {
		const evaluated = [];
		return {
			evaluated,
			getNode: () => ({ parameters }),
			getInputData: () => items.map((json) => ({ json })),
			getNodeParameter: (name, itemIndex) => {
				evaluated.push([name, itemIndex]);
				return 'from n8n';
			},
		};
	}

	test('reads plain mapped values from the item and leaves everything else to n8n', () => {
		const ctxOf = context(
			{ called: '={{ $json.phone }}', caller: '88889050', softPhone: '=+86{{ $json.phone }}' },
			[{ phone: '13800138000' }, { phone: 13800138001 }, {}, { phone: { n: 1 } }],
		);
		const called = [0, 1, 2, 3].map((item) => parameter(ctxOf, 'called', item));
		expect(called).toEqual(['13800138000', 13800138001, 'from n8n', 'from n8n']);
		expect(parameter(ctxOf, 'caller', 0)).toBe('88889050');
		expect(parameter(ctxOf, 'softPhone', 0)).toBe('from n8n');
		expect(ctxOf.evaluated).toEqual([
			['called', 2],
			['called', 3],
			['softPhone', 0],
		]);
	});
});
