import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';
import { explainReturnCode, type AiccApi, type ReturnCodeInfo } from './codes';

/**
 * How a request to AICC failed, in words a user can act on. One module for the token
 * exchange and the call requests, so the same failure reads the same everywhere.
 */

/**
 * What is known about whether AICC acted: `notPlaced` when it provably did not (it refused with a
 * documented status or code, or the request never left: refused connection, certificate, SSRF
 * block, invalid Base URL), `unknown` when it may have (timeouts, 5xx, redirects, undocumented
 * statuses, TLS failures other than the certificate's, garbled answers).
 */
export type CallOutcome = 'placed' | 'notPlaced' | 'unknown';

export interface Failure {
	message: string;
	description: string;
	outcome: Exclude<CallOutcome, 'placed'>;
	httpStatus?: number;
	retCode?: string;
}

const MAY_HAVE_DIALED =
	'The call may or may not have been placed: check the call records in AICC before dialing ' +
	'again. The node does not re-send it, so that nobody is called twice.';
const PLACES_NO_CALL = 'This request places no call, so running it again is safe.';

/** What an answer that leaves the outcome open means: a call maybe placed, or nothing at stake. */
function unsure(placing: boolean): string {
	return placing ? MAY_HAVE_DIALED : PLACES_NO_CALL;
}

const TOKEN_REFUSED_FIX =
	'The App Key and App Secret give a token, but the API refuses it. Check that this App is ' +
	'subscribed to the API in API Fabric, that the tenant has purchased the service, and that ' +
	'the account is in good standing.';

/**
 * TLS failures that provably came before anything was sent: this n8n refused the tenant's
 * certificate while setting up the connection, and sends nothing on one it refused. Any other TLS
 * failure (EPROTO, ERR_SSL_…) may come after the request left, e.g. a connection broken mid-answer.
 */
const CERTIFICATE_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
	'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
	'CERT_SIGNATURE_FAILURE',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_REVOKED',
	'CERT_UNTRUSTED',
	'CERT_REJECTED',
	'CERT_CHAIN_TOO_LONG',
	'INVALID_CA',
	'INVALID_PURPOSE',
	'PATH_LENGTH_EXCEEDED',
	'HOSTNAME_MISMATCH',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_TLS_CERT_ALTNAME_FORMAT',
]);

/** The errors n8n 2.x's SSRF protection throws before it opens a connection. */
const SSRF_ERRORS = new Set(['SsrfBlockedIpError', 'SsrfBlockedHostnameError']);

/** The errors an error was caused by, itself first. */
function causesOf(error: unknown): Array<{ code?: unknown; name?: unknown }> {
	const chain: Array<{ code?: unknown; name?: unknown; cause?: unknown }> = [];
	let current = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		chain.push(current);
		current = current.cause as typeof current;
	}
	return chain;
}

function errorCodes(error: unknown): string[] {
	return causesOf(error)
		.map((cause) => cause.code)
		.filter((code): code is string => typeof code === 'string');
}

function isTlsCode(code: string): boolean {
	return (
		CERTIFICATE_CODES.has(code) ||
		code === 'EPROTO' ||
		code.startsWith('ERR_SSL') ||
		code.startsWith('ERR_TLS')
	);
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : '';
}

/**
 * A failure with no HTTP response: the connection could not be made, or broke, or took too long.
 * `request` names the request, e.g. "the token request".
 */
export function describeNetworkFailure(
	error: unknown,
	request: string,
	host: string,
	placing: boolean,
): Failure {
	const codes = errorCodes(error);
	const has = (...wanted: string[]) => codes.some((code) => wanted.includes(code));
	const text = errorText(error);
	if (has('ECONNABORTED', 'ETIMEDOUT') || /timeout/i.test(text)) {
		return {
			message: `AICC did not answer ${request} in time`,
			description:
				`${host} accepted the connection but sent no answer before the timeout. ` +
				`${unsure(placing)} If AICC is often slow, raise the node's Timeout option.`,
			outcome: 'unknown',
		};
	}
	if (has('ECONNREFUSED')) {
		return {
			message: `AICC refused the connection for ${request}`,
			description:
				`Nothing accepts connections at ${host}. Check the credential's base URL and ` +
				`port, and that the tenant is up. Nothing was sent, so no call was placed.`,
			outcome: 'notPlaced',
		};
	}
	if (has('ENOTFOUND', 'EAI_AGAIN')) {
		return {
			message: `The AICC host in the credential could not be found`,
			description:
				`The name ${host} does not resolve. Check the credential's base URL for ` +
				`typos. Nothing was sent, so no call was placed.`,
			outcome: 'notPlaced',
		};
	}
	if (has('EHOSTUNREACH', 'ENETUNREACH')) {
		return {
			message: `The AICC host cannot be reached`,
			description:
				`There is no network route to ${host}. Check the base URL, and that this n8n ` +
				`may reach the tenant (VPN, firewall). Nothing was sent, so no call was placed.`,
			outcome: 'notPlaced',
		};
	}
	if (causesOf(error).some((cause) => SSRF_ERRORS.has(String(cause.name)))) {
		return {
			message: `n8n's SSRF protection blocked ${request} to AICC`,
			description:
				`${host} is a restricted address for this n8n. This n8n's SSRF protection refuses ` +
				'connections to private or restricted addresses. Ask the n8n administrator to allow the ' +
				"tenant's host (N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES), or check " +
				"the credential's Base URL. Nothing was sent, so no call was placed.",
			outcome: 'notPlaced',
		};
	}
	const certificate = codes.find((code) => CERTIFICATE_CODES.has(code));
	if (certificate !== undefined) {
		return {
			message: `The TLS connection to AICC failed (${certificate})`,
			description:
				`The certificate of ${host} is not trusted by this n8n. For an on-premises ` +
				`tenant with a self-signed certificate, turn on "Ignore SSL Issues (Insecure)" in the ` +
				`credential. Nothing was sent, so no call was placed.`,
			outcome: 'notPlaced',
		};
	}
	const tls = codes.find(isTlsCode);
	if (tls !== undefined) {
		return {
			message: `The TLS connection to AICC broke (${tls})`,
			description:
				`The encrypted connection to ${host} failed, possibly after the request reached ` +
				`AICC. ${unsure(placing)} If every request fails this way, check that the ` +
				"credential's Base URL uses https:// only for a port that serves HTTPS.",
			outcome: 'unknown',
		};
	}
	return {
		message: `The connection to AICC broke during ${request}`,
		description: `${host} closed the connection without a complete answer. ${unsure(placing)}`,
		outcome: 'unknown',
	};
}

interface StatusWording {
	message: (request: string, status: number) => string;
	fix: string;
	outcome: Failure['outcome'];
}

const HTTP_STATUS_WORDING: Record<number, StatusWording> = {
	400: {
		message: (request) => `AICC rejected ${request} as incorrect (HTTP 400)`,
		fix: 'Check the fields and that the base URL points at the tenant itself.',
		outcome: 'notPlaced',
	},
	401: {
		message: (request) =>
			`AICC refused the access token for ${request} even after renewing it (HTTP 401)`,
		fix: TOKEN_REFUSED_FIX,
		outcome: 'notPlaced',
	},
	403: {
		message: (request) => `AICC's gateway forbade ${request} (HTTP 403)`,
		fix:
			"The tenant's firewall (WAF) or IP allow-list refused this n8n, or the App Key is not " +
			"allowed here. Ask the tenant administrator to allow this server's IP address.",
		outcome: 'notPlaced',
	},
	404: {
		message: (request) => `AICC has no such address for ${request} (HTTP 404)`,
		fix:
			"Check the credential's base URL (scheme, host and port) and that the tenant publishes " +
			'this API.',
		outcome: 'notPlaced',
	},
	418: {
		message: () => `AICC's gateway refused the TLS server name (HTTP 418)`,
		fix:
			'Something between n8n and AICC altered the TLS server name (SNI). Connect to the ' +
			"tenant's own host name, not through a proxy that rewrites it.",
		outcome: 'notPlaced',
	},
	429: {
		message: (request) => `AICC kept rejecting ${request} as too many requests (HTTP 429)`,
		fix:
			"AICC did not act on it. Pace the calls (see the node's options) or raise Rate-Limit " +
			'Attempts.',
		outcome: 'notPlaced',
	},
};

/**
 * A redirect: AICC, or a gateway before it, may have acted on the request before answering with
 * one, so it is not sent again.
 */
const REDIRECT_WORDING: StatusWording = {
	message: (request, status) =>
		`AICC redirected ${request} (HTTP ${status}); the node does not follow redirects`,
	fix:
		"Check the credential's base URL: often it needs https:// instead of http://, or the " +
		"tenant's own host name. Following a redirect would send the token to another address.",
	outcome: 'unknown',
};

/** A status AICC does not document: whether it acted is not known. */
const OTHER_STATUS_WORDING: StatusWording = {
	message: (request, status) => `AICC answered ${request} with HTTP ${status}`,
	fix: "Check the credential's base URL and the fields.",
	outcome: 'unknown',
};

/** A failure with an HTTP status other than 2xx. `snippet` is already scrubbed of secrets. */
export function describeHttpFailure(
	status: number,
	request: string,
	snippet: string,
	placing: boolean,
): Failure {
	const said = snippet ? ` AICC said: ${snippet}` : '';
	if (status >= 500) {
		return {
			message: `AICC failed while handling ${request} (HTTP ${status})`,
			description: `${unsure(placing)}${said}`,
			outcome: 'unknown',
			httpStatus: status,
		};
	}
	const wording =
		HTTP_STATUS_WORDING[status] ??
		(status >= 300 && status < 400 ? REDIRECT_WORDING : OTHER_STATUS_WORDING);
	const unknown = wording.outcome === 'unknown' ? `${unsure(placing)} ` : '';
	return {
		message: wording.message(request, status),
		description: `${unknown}${wording.fix}${said}`,
		outcome: wording.outcome,
		httpStatus: status,
	};
}

/** A 2xx answer whose body is not the JSON AICC documents (e.g. a gateway's HTML page). */
export function describeUnreadableAnswer(
	request: string,
	snippet: string,
	placing: boolean,
): Failure {
	const looksHtml = /^\s*</.test(snippet);
	return {
		message: looksHtml
			? `AICC answered ${request} with an HTML page instead of JSON`
			: `AICC's answer to ${request} is not valid JSON`,
		description:
			`A gateway or proxy may have answered in AICC's place, or the base URL points ` +
			`at the wrong service. ${unsure(placing)}${snippet ? ` The answer began: ${snippet}` : ''}`,
		outcome: 'unknown',
	};
}

/** The error a failed item carries, with what is known of the call in its context. */
export function failureError(node: INode, itemIndex: number, failure: Failure): NodeApiError {
	const error = new NodeApiError(node, { outcome: failure.outcome } as JsonObject, {
		message: failure.message,
		description: failure.description,
		httpCode: failure.httpStatus === undefined ? undefined : String(failure.httpStatus),
		itemIndex,
	});
	error.context.outcome = failure.outcome;
	if (failure.retCode !== undefined) error.context.retCode = failure.retCode;
	if (failure.httpStatus !== undefined) error.context.httpStatus = failure.httpStatus;
	return error;
}

/** A non-zero AICC return code. `said` is AICC's own text, already scrubbed of secrets. */
export function describeReturnCode(api: AiccApi, code: string, said: string): Failure {
	const info = explainReturnCode(api, code);
	return {
		message: `AICC return code ${code}: ${info.meaning}`,
		description: said ? `${info.fix} AICC said: "${said}"` : info.fix,
		outcome: info.uncertain ? 'unknown' : 'notPlaced',
		retCode: code,
	};
}

/** A JSON answer with no return code at all. */
export function describeMissingCode(request: string, snippet: string, placing: boolean): Failure {
	return {
		message: `AICC's answer to ${request} has no return code`,
		description: `${unsure(placing)} The answer was: ${snippet}`,
		outcome: 'unknown',
	};
}

/**
 * AICC rejected a token the node had just renewed (within 10 s, or before it ever worked): a
 * further exchange would only be refused again, so the node stops asking (nothing was sent).
 */
export function describeRefusedRenewal(): Failure {
	return {
		outcome: 'notPlaced',
		message: 'AICC refused the access token right after renewing it (HTTP 401)',
		description:
			`${TOKEN_REFUSED_FIX} AICC refused two tokens in a row before either worked, so the ` +
			`node asks for no other for up to 2 minutes; nothing was placed.`,
	};
}

/**
 * A 2xx token answer with no token the node recognises. Only the answer's keys are quoted:
 * its values may hold the token under a name the node does not know.
 */
export function describeMissingToken(keys: string[]): Failure {
	const listed = keys.length > 0 ? keys.slice(0, 20).join(', ') : 'none';
	return {
		message: 'AICC answered the token request without an AccessToken',
		description:
			"Check that the Base URL and Auth Base URL point at the tenant's API Fabric " +
			`(tokenByAkSk). The answer held the keys: ${listed}.`,
		outcome: 'notPlaced',
	};
}

/** An explicit rate-limit return code (ITA 90104029) that stayed after every attempt. */
export function describeRateLimitedCode(
	request: string,
	code: string,
	info: ReturnCodeInfo,
): Failure {
	return {
		message: `AICC kept answering ${request} with return code ${code}: ${info.meaning}`,
		description: `AICC did not act on it. ${info.fix}`,
		outcome: 'notPlaced',
		retCode: code,
	};
}

const BASE_URL_FIX =
	"In the AICC API credential, enter the tenant's address with its scheme, e.g. " +
	'https://service.besclouds.com (a port is allowed, e.g. https://10.1.2.3:28070).';

/**
 * The credential's Base URL (or Auth Base URL) is no URL the node can send to: nothing was sent.
 * `problem` finishes the sentence (see baseUrlProblem).
 */
export function describeBadBaseUrl(
	field: 'Base URL' | 'Auth Base URL',
	problem = 'is not a URL with http:// or https://',
): Failure {
	return {
		message: `The credential's ${field} ${problem}`,
		description: `${BASE_URL_FIX} Nothing was sent, so no call was placed.`,
		outcome: 'notPlaced',
	};
}

/** The credential's Token Lifetime is outside what AICC takes. */
export function describeBadTokenLifetime(raw: unknown, max: number, example: number): Failure {
	const text = String(raw);
	const shown = text.length > 60 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
	return {
		message: `The credential's Token Lifetime is ${shown}; AICC takes 1 to ${max} seconds`,
		description:
			'In the AICC API credential, set Token Lifetime to a whole number of seconds ' +
			`from 1 to ${max}, e.g. ${example}.`,
		outcome: 'notPlaced',
	};
}

export function describeMissingAppKey(): Failure {
	return {
		message: 'The credential has no App Key or no App Secret',
		description:
			"Enter the App Key (AK) and App Secret (SK) of an App in the tenant's API Fabric; the " +
			"tenant's operations administrator issues them.",
		outcome: 'notPlaced',
	};
}

/** tokenByAkSk answered 401: the App Key or App Secret is wrong. */
export function describeRejectedAppKey(): Failure {
	return {
		message: 'AICC rejected the App Key or App Secret (HTTP 401 from tokenByAkSk)',
		description:
			"Check the credential's App Key (AK) and App Secret (SK) against the App in the " +
			"tenant's API Fabric; copy them again without spaces. If they are right, ask the tenant " +
			'administrator whether the App is enabled.',
		outcome: 'notPlaced',
		httpStatus: 401,
	};
}

/** tokenByAkSk answered with another status than 2xx or 401. */
export function describeTokenHttpFailure(
	status: number,
	request: string,
	snippet: string,
): Failure {
	const failure = describeHttpFailure(status, request, snippet, false);
	if (status !== 404) return failure;
	return {
		...failure,
		description:
			`${failure.description} Some tenants serve tokenByAkSk on another port (e.g. 28070): ` +
			'set it in Auth Base URL.',
	};
}

/**
 * tokenByAkSk answered 2xx with something that is not JSON. Nothing of it is quoted: such an
 * answer may hold the new token, which no scrub knows yet. `shape` says what it was, e.g.
 * "text/html, 160 characters".
 */
export function describeUnreadableToken(request: string, html: boolean, shape: string): Failure {
	return {
		message: html
			? `AICC answered ${request} with an HTML page instead of JSON`
			: `AICC's answer to ${request} is not valid JSON`,
		description:
			'A gateway, proxy or login page may have answered instead of AICC. Check the ' +
			`credential's Base URL and Auth Base URL. The answer (${shape}) is not shown: it may ` +
			'hold a new access token.',
		outcome: 'notPlaced',
	};
}

/**
 * The credential test's answer to another HTTP status from tokenByAkSk, which n8n shows as the
 * test's result, the message alone: what went wrong, then how to fix it.
 */
export function describeCredentialTestStatus(status: number): string {
	const { message, description } = describeTokenHttpFailure(
		status,
		'the token request (tokenByAkSk)',
		'',
	);
	return `${message}. ${description}`;
}

/**
 * The credential test's answer to a redirect from tokenByAkSk, which n8n shows as the test's
 * result: the test follows none, since the redirected request would carry the App Secret.
 */
export function describeRedirectedCredentialTest(status: number): string {
	return (
		`AICC redirected the token request (HTTP ${status}); the credential test follows no ` +
		'redirect, which could carry the App Secret to another address. Check the Base URL and ' +
		"Auth Base URL: often https:// instead of http://, or the tenant's own host name."
	);
}
