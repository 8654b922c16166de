/**
 * AICC sends some serial numbers as bare JSON numbers with 19 digits, beyond what a
 * JavaScript number holds exactly (2^53). JSON.parse would round them; this parser
 * turns every integer literal that is not a safe integer into a string of its exact
 * digits before parsing, and leaves everything else as JSON.parse would.
 */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function isDigit(char: string): boolean {
	return char >= '0' && char <= '9';
}

function quoteUnsafeIntegers(text: string): string {
	let out = '';
	let index = 0;
	while (index < text.length) {
		const char = text[index];
		if (char === '"') {
			const start = index;
			index++;
			while (index < text.length && text[index] !== '"') {
				index += text[index] === '\\' ? 2 : 1;
			}
			index++;
			out += text.slice(start, index);
			continue;
		}
		if (char === '-' || isDigit(char)) {
			const start = index;
			index++;
			while (index < text.length && /[0-9eE.+-]/.test(text[index])) index++;
			const literal = text.slice(start, index);
			const isInteger = /^-?\d+$/.test(literal);
			const unsafe = isInteger && (BigInt(literal) > MAX_SAFE || BigInt(literal) < -MAX_SAFE);
			out += unsafe ? `"${literal}"` : literal;
			continue;
		}
		out += char;
		index++;
	}
	return out;
}

/** Parses JSON text, keeping integers beyond 2^53 as strings of their exact digits. */
function parseJsonExact(text: string): unknown {
	return JSON.parse(quoteUnsafeIntegers(text));
}

type ParsedJson = { ok: true; value: unknown } | { ok: false };

/** Parses AICC's JSON exactly (see above), reporting unreadable text instead of throwing. */
export function tryParseJsonExact(text: string): ParsedJson {
	try {
		return { ok: true, value: parseJsonExact(text) };
	} catch {
		return { ok: false };
	}
}
