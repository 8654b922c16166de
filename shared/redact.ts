/**
 * Keeps the App Key, App Secret and access tokens out of anything the node shows. Two rules:
 * - Everywhere (output items, raw responses, errors, logs): every known secret is replaced
 *   wherever it appears, in any spelling (as is, JSON-escaped, with \\uXXXX escapes or
 *   URL-encoded).
 * - Only in error text (the snippets of AICC's answers that errors quote): any value under a key
 *   that names a secret (token, secret, password, authorization, app key; in JSON, a query, a
 *   form or a header line) is replaced whatever it is, as is any Bearer or Basic credential, so a
 *   token AICC sends under a name the node does not know is not shown either.
 * A user's data in output items (Call Data, a recording URL's query) is never otherwise altered:
 * "Basic offer, token 7" stays as it is.
 */
const REDACTED = '[redacted]';
const SECRET_NAME = 'token|secret|password|passwd|authori[sz]ation|app_?key|credential';
const SECRET_KEY = new RegExp(SECRET_NAME, 'i');
/** A JSON (or single-quoted) member whose key names a secret: the key (group 1) and its value. */
const QUOTED_VALUE = `"(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'`;
const SECRET_MEMBER = new RegExp(
	`((["'])[^"'\\\\]*(?:${SECRET_NAME})[^"'\\\\]*\\2\\s*:\\s*)(${QUOTED_VALUE}|[^\\s,{}[\\]]+)`,
	'gi',
);
/** A form, query or header field (key=value, key: value) whose key names a secret. */
const SECRET_FIELD = new RegExp(
	`(\\b[\\w.-]*(?:${SECRET_NAME})[\\w.-]*\\s*[=:]\\s*)` +
		`(?!\\[redacted\\]|(?:Bearer|Basic)\\s)[^&\\s"',;]+`,
	'gi',
);
const SCHEME = /(\b(?:Bearer|Basic)\s+)[\w.~+/=-]+/gi;

/** Hex digits as a pattern that takes either case: "3d" matches 3d and 3D. */
function anyCase(hex: string): string {
	return hex.replace(/[a-f]/gi, (digit) => `[${digit.toLowerCase()}${digit.toUpperCase()}]`);
}

const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');
const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const JSON_SHORT_ESCAPES: Record<string, string> = {
	'"': '\\"',
	'\\': '\\\\',
	'/': '\\/',
	'\b': '\\b',
	'\f': '\\f',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
};

/**
 * Every way one character of a secret can be written in a text: as is, JSON-escaped (\" or
 * \u003d, as Java's Gson writes = < > & '), or URL-encoded (%3D, %3d, + for a space).
 */
function characterPattern(char: string): string {
	const ways = [escapeRegExp(char)];
	const short = JSON_SHORT_ESCAPES[char];
	if (short !== undefined) ways.push(escapeRegExp(short));
	let unicode = '';
	for (let index = 0; index < char.length; index++)
		unicode += `\\\\u${anyCase(hex(char.charCodeAt(index), 4))}`;
	ways.push(unicode);
	let bytes: string;
	try {
		bytes = encodeURIComponent(char);
	} catch {
		bytes = '';
	}
	if (bytes === char) bytes = `%${hex(char.charCodeAt(0), 2).toUpperCase()}`;
	if (bytes !== '') ways.push(anyCase(bytes));
	if (char === ' ') ways.push('\\+');
	return `(?:${ways.join('|')})`;
}

/**
 * One pattern for every known secret in any of its spellings, each character written any of the
 * ways above (so a mix of them too). Longest secret first, so one that contains another is
 * replaced whole. Null when there is no secret long enough to look for.
 */
function patternOf(secrets: readonly string[]): RegExp | null {
	const long = [...new Set(secrets)]
		.filter((secret) => secret.length >= 4)
		.sort((a, b) => b.length - a.length);
	if (long.length === 0) return null;
	const alternatives = long.map((secret) => Array.from(secret).map(characterPattern).join(''));
	return new RegExp(alternatives.join('|'), 'g');
}

/**
 * The patterns of the last few lists of secrets: a run asks for the same list with every answer
 * (a credential's secrets change only when its token does).
 */
const patterns = new Map<string, RegExp | null>();
const PATTERNS_KEPT = 16;

function formsOf(secrets: readonly string[]): RegExp | null {
	const key = JSON.stringify(secrets);
	let pattern = patterns.get(key);
	if (pattern === undefined) {
		pattern = patternOf(secrets);
		if (patterns.size >= PATTERNS_KEPT) patterns.delete(patterns.keys().next().value as string);
		patterns.set(key, pattern);
	}
	return pattern;
}

function replaceForms(text: string, forms: RegExp | null): string {
	return forms === null ? text : text.replace(forms, REDACTED);
}

/** Whether a text holds any known secret in any spelling. */
function holdsSecret(text: string, forms: RegExp | null): boolean {
	return forms !== null && text.search(forms) !== -1;
}

function replaceSecretFields(text: string): string {
	if (!SECRET_KEY.test(text) && !/bearer|basic/i.test(text)) return text;
	return text
		.replace(SCHEME, `$1${REDACTED}`)
		.replace(SECRET_MEMBER, `$1"${REDACTED}"`)
		.replace(SECRET_FIELD, `$1${REDACTED}`);
}

/** JSON text, parsed, so that whole values under secret keys (objects too) can be replaced. */
function parsedJson(text: string): unknown {
	if (!/^\s*[[{]/.test(text)) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Text for an error: known secrets, then secret-named fields and credential schemes. */
export function redactText(text: string, secrets: readonly string[]): string {
	const forms = formsOf(secrets);
	const json = parsedJson(text);
	if (json !== undefined && typeof json === 'object' && json !== null) {
		return replaceForms(JSON.stringify(redactValue(json, forms, true)), forms);
	}
	return replaceSecretFields(replaceForms(text, forms));
}

/**
 * A value with its known secrets replaced (keys too); `inError` also replaces values under
 * secret-named keys and credential schemes.
 */
function redactValue(value: unknown, forms: RegExp | null, inError: boolean): unknown {
	if (typeof value === 'string') {
		const scrubbed = replaceForms(value, forms);
		return inError ? replaceSecretFields(scrubbed) : scrubbed;
	}
	if (Array.isArray(value)) return value.map((entry) => redactValue(entry, forms, inError));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) {
			out[replaceForms(key, forms)] =
				inError && SECRET_KEY.test(key) && entry !== '' && entry !== null
					? REDACTED
					: redactValue(entry, forms, inError);
		}
		return out;
	}
	return value;
}

/**
 * A JSON answer, parsed, with its known secrets scrubbed, for output items: nothing else in it
 * changes. Most answers hold none: a look at the text spares them the walk through every value
 * (the pattern takes every escaped spelling, so a secret in a parsed value is in the text).
 */
export function redactParsed<T>(text: string, value: T, secrets: readonly string[]): T {
	const forms = formsOf(secrets);
	return holdsSecret(text, forms) ? (redactValue(value, forms, false) as T) : value;
}

/**
 * The first characters of a body, on one line and scrubbed, for an error description. Scrubbed
 * before it is cut: a secret that straddles the cut is still replaced whole.
 */
export function snippetOf(body: unknown, secrets: readonly string[], limit = 200): string {
	const text =
		typeof body === 'string'
			? body
			: body === undefined || body === null
				? ''
				: JSON.stringify(body);
	const line = redactText(text, secrets).replace(/\s+/g, ' ').trim();
	return line.length > limit ? `${line.slice(0, limit)}…` : line;
}
