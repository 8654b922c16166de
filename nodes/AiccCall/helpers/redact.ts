/**
 * Keeps the App Key, App Secret and access tokens out of anything the node shows:
 * text taken from AICC's answers is scrubbed before it reaches an item or an error.
 */
const REDACTED = '[redacted]';

export function redactText(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret.length >= 4) out = out.split(secret).join(REDACTED);
	}
	return out;
}

export function redactDeep<T>(value: T, secrets: readonly string[]): T {
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry) => redactDeep(entry, secrets)) as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) out[key] = redactDeep(entry, secrets);
		return out as T;
	}
	return value;
}
