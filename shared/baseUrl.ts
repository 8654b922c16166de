/** The scheme and a host: what a base URL needs before anything else can be said of it. */
const SCHEME_AND_HOST = /^https?:\/\/[^/\s]+/i;
/** The port of an http(s) URL, if it names one: after the host, before the path. */
const PORT = /^https?:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):([^/?#]*)/i;

/**
 * What is wrong with a base URL, in words that finish "The credential's Base URL …", or
 * undefined when it is a URL the node can send to. It quotes no more of the value than a port.
 */
export function baseUrlProblem(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!SCHEME_AND_HOST.test(text)) return 'is not a URL with http:// or https://';
	const port = PORT.exec(text)?.[1];
	if (port !== undefined && port !== '') {
		const number = /^\d{1,10}$/.test(port) ? Number(port) : NaN;
		if (!(number >= 1 && number <= 65535)) {
			const shown = port.length > 10 ? `${port.slice(0, 10)}…` : port;
			return `has port ${shown}; a port is 1 to 65535`;
		}
	}
	try {
		new URL(text);
	} catch {
		return 'is not a valid URL';
	}
	return undefined;
}

/**
 * The tenant's base URL as AICC paths are appended to it: scheme required, trailing slashes
 * dropped; undefined when it is no URL the node can send to (see baseUrlProblem).
 */
export function normalizeBaseUrl(value: unknown): string | undefined {
	if (baseUrlProblem(value) !== undefined) return undefined;
	return (value as string).trim().replace(/\/+$/, '');
}

/** The host (and port) of a URL, for messages; never throws. */
export function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return /^[a-z]+:\/\/(?:[^/?#@]*@)?([^/?#]*)/i.exec(url)?.[1] ?? '';
	}
}
