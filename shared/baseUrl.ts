/**
 * The tenant's base URL as AICC paths are appended to it: scheme required, trailing slashes
 * dropped.
 */
export function normalizeBaseUrl(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^https?:\/\/[^/\s]+/i.test(text)) return undefined;
	return text.replace(/\/+$/, '');
}
