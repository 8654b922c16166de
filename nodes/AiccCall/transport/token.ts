import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import { redactText } from '../helpers/redact';
import { tryParseJsonExact } from '../helpers/json';
import { BASE_URL_FIX, normalizeBaseUrl } from './baseUrl';
import { describeHttpFailure, describeNetworkFailure, describeUnreadableAnswer, snippetOf, type Failure } from './failures';

/**
 * The one place an AICC access token is fetched: tokenByAkSk trades the App Key and
 * App Secret for a bearer token. The credential's preAuthentication calls it; n8n stores
 * the token in the credential and asks again only when it is empty or AICC rejected it.
 */
export const EXCHANGE_PATH = '/apigovernance/api/oauth/tokenByAkSk';
export const DEFAULT_TOKEN_LIFETIME = 600;
export const MAX_TOKEN_LIFETIME = 3600;
const TOKEN_TIMEOUT_MS = 30_000;

/** A token exchange that failed; thrown from preAuthentication with a message safe to show. */
export class AiccAuthError extends Error {
	readonly description: string;

	constructor(failure: Pick<Failure, 'message' | 'description'>) {
		super(failure.message);
		this.name = 'AiccAuthError';
		this.description = failure.description;
	}
}

function tokenUrl(credentials: ICredentialDataDecryptedObject): string {
	const explicit = typeof credentials.authBaseUrl === 'string' && credentials.authBaseUrl.trim() !== '';
	const base = normalizeBaseUrl(explicit ? credentials.authBaseUrl : credentials.baseUrl);
	if (!base) {
		const field = explicit ? 'Auth Base URL' : 'Base URL';
		throw new AiccAuthError({
			message: `The credential's ${field} is not a URL with http:// or https://`,
			description: BASE_URL_FIX,
		});
	}
	return `${base}${EXCHANGE_PATH}`;
}

function lifetimeOf(credentials: ICredentialDataDecryptedObject): number {
	const raw = credentials.expiresIn;
	const lifetime = raw === undefined || raw === '' ? DEFAULT_TOKEN_LIFETIME : Number(raw);
	if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_TOKEN_LIFETIME) {
		throw new AiccAuthError({
			message: `The credential's Token Lifetime is ${String(raw)}; AICC takes 1 to ${MAX_TOKEN_LIFETIME} seconds`,
			description: `Open the AICC API credential and set Token Lifetime to a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME}, e.g. ${DEFAULT_TOKEN_LIFETIME}.`,
		});
	}
	return lifetime;
}

function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	return [credentials.appKey, credentials.appSecret, credentials.accessToken]
		.filter((value): value is string => typeof value === 'string' && value !== '');
}

function hostOf(url: string): string {
	return new URL(url).host;
}

async function exchange(helpers: IHttpRequestHelper['helpers'], credentials: ICredentialDataDecryptedObject): Promise<string> {
	const url = tokenUrl(credentials);
	const lifetime = lifetimeOf(credentials);
	const appKey = String(credentials.appKey ?? '').trim();
	const appSecret = String(credentials.appSecret ?? '');
	if (appKey === '' || appSecret === '') {
		throw new AiccAuthError({
			message: 'The credential has no App Key or no App Secret',
			description: "Enter the App Key (AK) and App Secret (SK) of an App in the tenant's API Fabric; the tenant's operations administrator issues them.",
		});
	}
	const what = 'the token request (tokenByAkSk)';
	const sent = await helpers
		.httpRequest({
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/json', 'X-Token-Expire': String(lifetime) },
			body: { app_key: appKey, app_secret: appSecret },
			json: true,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: TOKEN_TIMEOUT_MS,
			skipSslCertificateValidation: credentials.ignoreSslIssues === true,
			disableFollowRedirect: true,
		})
		.then(
			(response: IN8nHttpFullResponse) => ({ response }),
			(error: unknown) => ({ failure: describeNetworkFailure(error, what, hostOf(url)) }),
		);
	if ('failure' in sent) throw new AiccAuthError(sent.failure);
	const { response } = sent;
	const secrets = secretsOf(credentials);
	const text = typeof response.body === 'string' ? response.body : '';
	const snippet = redactText(snippetOf(text), secrets);
	if (response.statusCode === 401) {
		throw new AiccAuthError({
			message: 'AICC rejected the App Key or App Secret (HTTP 401 from tokenByAkSk)',
			description: "Check the credential's App Key (AK) and App Secret (SK) against the App in the tenant's API Fabric; copy them again without spaces. If they are right, ask the tenant administrator whether the App is enabled.",
		});
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		const failure = describeHttpFailure(response.statusCode, what, snippet);
		const authPortHint =
			response.statusCode === 404
				? ' Some tenants serve tokenByAkSk on another port (e.g. 28070): set it in Auth Base URL.'
				: '';
		throw new AiccAuthError({ message: failure.message, description: `${failure.description}${authPortHint}` });
	}
	const parsed = tryParseJsonExact(text);
	if (!parsed.ok) {
		throw new AiccAuthError({
			message: describeUnreadableAnswer(what, snippet).message,
			description: `A gateway, proxy or login page may have answered instead of AICC. Check the credential's Base URL and Auth Base URL. The answer began: ${snippet}`,
		});
	}
	const token = (parsed.value as { AccessToken?: unknown } | null)?.AccessToken;
	if (typeof token !== 'string' || token === '') {
		throw new AiccAuthError({
			message: 'AICC answered the token request without an AccessToken',
			description: `Check that the base URL and Auth Base URL point at the tenant's API Fabric. The answer was: ${snippet}`,
		});
	}
	return token;
}

/**
 * Tokens fetched by this process, per tenant and App, so that requests running at the same
 * time share one exchange instead of stampeding the token endpoint.
 */
interface Issued {
	token: string;
	at: number;
	lifetimeMs: number;
}
const inFlight = new Map<string, Promise<string>>();
const issued = new Map<string, Issued>();
/** How long a freshly fetched token answers callers that still hold the one it replaced. */
const SETTLE_WINDOW_MS = 10_000;

const keys = new WeakMap<ICredentialDataDecryptedObject, string>();

/**
 * Which tenant and App a credential is. Kept per credential object: every request of a run
 * hands n8n the same object, whose tenant and App fields never change (only the token does).
 */
function keyOf(credentials: ICredentialDataDecryptedObject): string {
	let key = keys.get(credentials);
	if (key === undefined) {
		key = createHash('sha256')
			.update(JSON.stringify([credentials.authBaseUrl, credentials.baseUrl, credentials.appKey, credentials.appSecret]))
			.digest('hex');
		keys.set(credentials, key);
	}
	return key;
}

/**
 * The token for a credential whose stored token is empty or was just rejected: joins an
 * exchange already under way, or reuses a token fetched moments ago by a request that found
 * the same stale token; otherwise makes one exchange.
 */
export async function obtainAccessToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const key = keyOf(credentials);
	const pending = inFlight.get(key);
	if (pending) return await pending;
	const latest = issued.get(key);
	const settle = Math.min(SETTLE_WINDOW_MS, (latest?.lifetimeMs ?? 0) / 2);
	if (latest && latest.token !== credentials.accessToken && Date.now() - latest.at < settle) {
		return latest.token;
	}
	const request = exchange(helpers, credentials);
	inFlight.set(key, request);
	try {
		const token = await request;
		issued.set(key, { token, at: Date.now(), lifetimeMs: lifetimeOf(credentials) * 1000 });
		return token;
	} finally {
		inFlight.delete(key);
	}
}

/** Tokens this process holds for the credential, so that no output or error can show them. */
function knownTokens(credentials: ICredentialDataDecryptedObject): string[] {
	const latest = issued.get(keyOf(credentials));
	return [credentials.accessToken, latest?.token].filter((value): value is string => typeof value === 'string' && value !== '');
}

export function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	return [...new Set([...secretsOf(credentials), ...knownTokens(credentials)])];
}
