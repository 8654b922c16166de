/**
 * Keeps the App Key, App Secret and access tokens out of anything the node shows: text and
 * JSON taken from AICC's answers are scrubbed before they reach an item, an error or a log.
 * Two rules: every known secret is replaced wherever it appears (as is, JSON-escaped or
 * URL-encoded), and any value under a key that names a secret (token, secret, password,
 * authorization, app key) is replaced whatever it is, so a token AICC sends under a key the
 * node does not know is not shown either.
 */
const REDACTED = '[redacted]';
const SECRET_KEY = /token|secret|password|authori[sz]ation|app_?key|credential/i;
/** A JSON member whose key names a secret: the key (group 1) and its value (string, number, literal). */
const SECRET_MEMBER =
	/("[^"\\]*(?:token|secret|password|authori[sz]ation|app_?key|credential)[^"\\]*"\s*:\s*)("(?:[^"\\]|\\.)*"|[^\s,{}[\]]+)/gi;
/** A form or query field (key=value) whose key names a secret. */
const SECRET_FIELD = /(\b[\w.-]*(?:token|secret|password|authori[sz]ation|app_?key)[\w.-]*=)[^&\s"']+/gi;
const BEARER = /(\bBearer\s+)[\w.~+/=-]+/gi;

/** The spellings a secret can take inside a text: as is, JSON-escaped, URL-encoded. */
function formsOf(secrets: readonly string[]): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		forms.add(secret);
		forms.add(JSON.stringify(secret).slice(1, -1));
		forms.add(encodeURIComponent(secret));
		forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
	}
	// Longest first, so a form that contains another is replaced whole.
	return [...forms].sort((a, b) => b.length - a.length);
}

function replaceForms(text: string, forms: readonly string[]): string {
	let out = text;
	for (const form of forms) {
		if (out.includes(form)) out = out.split(form).join(REDACTED);
	}
	return out;
}

function replaceSecretFields(text: string): string {
	if (!SECRET_KEY.test(text) && !/bearer/i.test(text)) return text;
	return text
		.replace(SECRET_MEMBER, `$1"${REDACTED}"`)
		.replace(SECRET_FIELD, `$1${REDACTED}`)
		.replace(BEARER, `$1${REDACTED}`);
}

export function redactText(text: string, secrets: readonly string[]): string {
	return replaceSecretFields(replaceForms(text, formsOf(secrets)));
}

function redactValue(value: unknown, forms: readonly string[]): unknown {
	if (typeof value === 'string') return replaceSecretFields(replaceForms(value, forms));
	if (Array.isArray(value)) return value.map((entry) => redactValue(entry, forms));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) {
			out[key] = SECRET_KEY.test(key) && entry !== '' && entry !== null ? REDACTED : redactValue(entry, forms);
		}
		return out;
	}
	return value;
}

export function redactDeep<T>(value: T, secrets: readonly string[]): T {
	return redactValue(value, formsOf(secrets)) as T;
}

/**
 * The first characters of a body, on one line and scrubbed, for an error description. Scrubbed
 * before it is cut: a secret that straddles the cut is still replaced whole.
 */
export function snippetOf(body: unknown, secrets: readonly string[], limit = 200): string {
	const text =
		typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body);
	const line = redactText(text, secrets).replace(/\s+/g, ' ').trim();
	return line.length > limit ? `${line.slice(0, limit)}…` : line;
}
