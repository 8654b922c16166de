/**
 * AICC sends some serial numbers as bare JSON numbers with 19 digits, beyond what a
 * JavaScript number holds exactly (2^53). JSON.parse would round them; this parser
 * turns every integer literal that is not a safe integer into a string of its exact
 * digits before parsing, and leaves everything else as JSON.parse would.
 */
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);
/** A JSON integer: no leading zeros, so literals JSON.parse refuses stay refused. */
const JSON_INTEGER = /^-?(0|[1-9]\d*)$/;

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

/**
 * A JSON string (to its closing quote, or to the end of the text), or a run of the characters a
 * JSON number is made of, starting with a digit or a minus.
 */
const TOKEN = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"?|[-\d][\deE.+-]*/g;
/** An unsafe integer has at least as many digits as 2^53 − 1. */
const LONG_DIGITS = new RegExp(`\\d{${MAX_SAFE_DIGITS.length}}`);

function quoteUnsafeIntegers(text: string): string {
	if (!LONG_DIGITS.test(text)) return text;
	return text.replace(TOKEN, (token) =>
		token.startsWith('"') || !isUnsafeInteger(token) ? token : `"${token}"`,
	);
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
