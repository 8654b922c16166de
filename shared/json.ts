/**
 * AICC sends some serial numbers as bare JSON numbers with 19 digits, beyond what a
 * JavaScript number holds exactly (2^53). JSON.parse would round them; this parser
 * turns every integer literal that is not a safe integer into a string of its exact
 * digits before parsing, and leaves everything else as JSON.parse would.
 */
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);
/** A JSON integer: no leading zeros, so literals JSON.parse refuses stay refused. */
const JSON_INTEGER = /^-?(0|[1-9]\d*)$/;

function isDigit(char: string): boolean {
	return char >= '0' && char <= '9';
}

/**
 * Whether a JSON integer literal lies beyond ±(2^53 − 1), by comparing digits: no BigInt, so a
 * body holding a 100,000-digit number costs no more than reading it.
 */
function isUnsafeInteger(literal: string): boolean {
	if (!JSON_INTEGER.test(literal)) return false;
	const digits = literal.startsWith('-') ? literal.slice(1) : literal;
	if (digits.length !== MAX_SAFE_DIGITS.length) return digits.length > MAX_SAFE_DIGITS.length;
	return digits > MAX_SAFE_DIGITS;
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
			out += isUnsafeInteger(literal) ? `"${literal}"` : literal;
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
