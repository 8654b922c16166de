/** The tenant's base URL as AICC paths are appended to it: scheme required, trailing slashes dropped. */
export function normalizeBaseUrl(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^https?:\/\/[^/\s]+/i.test(text)) return undefined;
	return text.replace(/\/+$/, '');
}

export const BASE_URL_FIX =
	"Open the AICC API credential and enter the tenant's address with its scheme, e.g. https://service.besclouds.com (a port is allowed, e.g. https://10.1.2.3:28070).";
