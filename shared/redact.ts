/**
 * Keeps the App Key, App Secret and access tokens out of anything the node shows: text and
 * JSON taken from AICC's answers are scrubbed before they reach an item, an error or a log.
 * Two rules: every known secret is replaced wherever it appears (as is, JSON-escaped or
 * URL-encoded), and any value under a key that names a secret (token, secret, password,
 * authorization, app key; in JSON, a query, a form or a header line) is replaced whatever it is,
 * as is any Bearer or Basic credential, so a token AICC sends under a name the node does not
 * know is not shown either.
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

/** The spellings a secret can take inside a text: as is, JSON-escaped, URL-encoded. */
function spellingsOf(secrets: readonly string[]): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		const encoded = encodeURIComponent(secret);
		forms.add(secret);
		forms.add(JSON.stringify(secret).slice(1, -1));
		forms.add(JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'));
		forms.add(encoded);
		forms.add(encoded.replace(/%20/g, '+'));
		forms.add(encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
	}
	// Longest first, so a form that contains another is replaced whole.
	return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * The spellings of the last few lists of secrets: a run asks for the same list with every answer
 * (a credential's secrets change only when its token does).
 */
const spellings = new Map<string, string[]>();
const SPELLINGS_KEPT = 16;

function formsOf(secrets: readonly string[]): string[] {
	const key = JSON.stringify(secrets);
	let forms = spellings.get(key);
	if (forms === undefined) {
		forms = spellingsOf(secrets);
		if (spellings.size >= SPELLINGS_KEPT) spellings.delete(spellings.keys().next().value as string);
		spellings.set(key, forms);
	}
	return forms;
}

function replaceForms(text: string, forms: readonly string[]): string {
	let out = text;
	for (const form of forms) {
		if (out.includes(form)) out = out.split(form).join(REDACTED);
	}
	return out;
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

export function redactText(text: string, secrets: readonly string[]): string {
	const forms = formsOf(secrets);
	const json = parsedJson(text);
	if (json !== undefined && typeof json === 'object' && json !== null) {
		return replaceForms(JSON.stringify(redactValue(json, forms)), forms);
	}
	return replaceSecretFields(replaceForms(text, forms));
}

function redactValue(value: unknown, forms: readonly string[]): unknown {
	if (typeof value === 'string') return replaceSecretFields(replaceForms(value, forms));
	if (Array.isArray(value)) return value.map((entry) => redactValue(entry, forms));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) {
			out[key] =
				SECRET_KEY.test(key) && entry !== '' && entry !== null
					? REDACTED
					: redactValue(entry, forms);
		}
		return out;
	}
	return value;
}

/**
 * A JSON answer, parsed, with its secrets scrubbed. Most answers hold none: a look at the text
 * (does any spelling of a secret, a secret-named key or a credential scheme occur?) spares them
 * the walk through every value.
 */
export function redactParsed<T>(text: string, value: T, secrets: readonly string[]): T {
	const forms = formsOf(secrets);
	const suspect =
		SECRET_KEY.test(text) ||
		/bearer|basic/i.test(text) ||
		forms.some((form) => text.includes(form));
	return suspect ? (redactValue(value, forms) as T) : value;
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
