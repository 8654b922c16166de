'use strict';

const { tryParseJsonExact } = require('../dist/nodes/AiccCall/helpers/json');

describe('tryParseJsonExact', () => {
	test('keeps every digit of integers beyond 2^53 as strings', () => {
		expect(tryParseJsonExact('{"a":1795322914835007919,"b":-9007199254740993,"c":[12345678901234567890]}')).toEqual({
			ok: true,
			value: { a: '1795322914835007919', b: '-9007199254740993', c: ['12345678901234567890'] },
		});
	});

	test('leaves safe numbers, decimals, exponents and strings as JSON.parse does', () => {
		const text = '{"n":9007199254740991,"d":1.5,"e":1e21,"s":"12345678901234567890 \\" 1795322914835007919","t":true,"z":null}';
		expect(tryParseJsonExact(text)).toEqual({ ok: true, value: JSON.parse(text) });
	});

	test('reports unreadable text instead of throwing', () => {
		expect(tryParseJsonExact('<html>')).toEqual({ ok: false });
		expect(tryParseJsonExact('{"retCode":"0","result":{"callSerialNo":17')).toEqual({ ok: false });
		expect(tryParseJsonExact('')).toEqual({ ok: false });
	});
});
