'use strict';

const { tryParseJsonExact } = require('../dist/shared/json');

describe('tryParseJsonExact', () => {
	test('keeps every digit of integers beyond 2^53 as strings', () => {
		expect(
			tryParseJsonExact(
				'{"a":1795322914835007919,"b":-9007199254740993,"c":[12345678901234567890]}',
			),
		).toEqual({
			ok: true,
			value: { a: '1795322914835007919', b: '-9007199254740993', c: ['12345678901234567890'] },
		});
	});

	test('leaves safe numbers, decimals, exponents and strings as JSON.parse does', () => {
		const text =
			'{"n":9007199254740991,"m":-9007199254740991,"d":1.5,"e":1e21,' +
			'"f":-12345678901234567890.5,"g":1E+400,' +
			'"s":"12345678901234567890 \\" 1795322914835007919","t":true,"z":null}';
		expect(tryParseJsonExact(text)).toEqual({ ok: true, value: JSON.parse(text) });
	});

	test('keeps integers of any length as their exact digits, without BigInt', () => {
		const bigInt = jest.spyOn(globalThis, 'BigInt');
		const long = '1795322914835007919123456';
		const huge = `7${'0'.repeat(99_999)}`;
		expect(tryParseJsonExact(`{"a":${long},"b":-${long},"c":[${huge},-${huge}]}`)).toEqual({
			ok: true,
			value: { a: long, b: `-${long}`, c: [huge, `-${huge}`] },
		});
		expect(bigInt).not.toHaveBeenCalled();
		bigInt.mockRestore();
	});

	test('draws the line at 2^53 - 1, counting digits', () => {
		const parsed = (literal) => tryParseJsonExact(`[${literal}]`).value[0];
		expect(parsed('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
		expect(parsed('-9007199254740991')).toBe(Number.MIN_SAFE_INTEGER);
		expect(parsed('9007199254740992')).toBe('9007199254740992');
		expect(parsed('-9007199254740992')).toBe('-9007199254740992');
		expect(parsed('9007199254740999')).toBe('9007199254740999');
		expect(parsed('8999999999999999')).toBe(8999999999999999);
		expect(parsed('1000000000000000')).toBe(1000000000000000);
		expect(parsed('10000000000000000')).toBe('10000000000000000');
		expect(parsed('0')).toBe(0);
		expect(parsed('-0')).toBe(-0);
		expect(parsed('-42')).toBe(-42);
	});

	test('leaves what JSON.parse refuses refused, however long', () => {
		const padded = `0${'9'.repeat(30)}`;
		for (const literal of ['0012', '-0012', padded, `-${padded}`, '--1', '-', '1-2']) {
			expect(tryParseJsonExact(`{"a":${literal}}`)).toEqual({ ok: false });
		}
	});

	test('reports unreadable text instead of throwing', () => {
		expect(tryParseJsonExact('<html>')).toEqual({ ok: false });
		expect(tryParseJsonExact('{"retCode":"0","result":{"callSerialNo":17')).toEqual({ ok: false });
		expect(tryParseJsonExact('')).toEqual({ ok: false });
	});
});
