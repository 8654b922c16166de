import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { normalizeBaseUrl } from './baseUrl';
import {
	describeBadBaseUrl,
	describeBadTokenLifetime,
	describeMissingAppKey,
	describeMissingToken,
	describeNetworkFailure,
	describeRefusedRenewal,
	describeRejectedAppKey,
	describeTokenHttpFailure,
	describeUnreadableToken,
	type Failure,
} from './failures';
import { tryParseJsonExact } from './json';
import { snippetOf } from './redact';

/**
 * The one place an AICC access token is fetched: tokenByAkSk trades the App Key and
 * App Secret for a bearer token. The credential's preAuthentication calls it; n8n stores
 * the token in the credential and asks again only when it is empty or AICC rejected it.
 */
export const EXCHANGE_PATH = '/apigovernance/api/oauth/tokenByAkSk';
export const DEFAULT_TOKEN_LIFETIME = 600;
export const MAX_TOKEN_LIFETIME = 3600;
const TOKEN_TIMEOUT_MS = 30_000;
const EXCHANGE_NAME = 'the token request (tokenByAkSk)';

/** A token exchange that failed; thrown from preAuthentication with a message safe to show. */
export class AiccAuthError extends Error {
	readonly description: string;

	/** The node declined to renew a token AICC refused (rather than an exchange failing). */
	readonly tokenRefused: boolean;

	constructor(failure: Failure, tokenRefused = false) {
		super(failure.message);
		this.name = 'AiccAuthError';
		this.description = failure.description;
		this.tokenRefused = tokenRefused;
	}
}

function tokenUrl(credentials: ICredentialDataDecryptedObject): string {
	const explicit =
		typeof credentials.authBaseUrl === 'string' && credentials.authBaseUrl.trim() !== '';
	const base = normalizeBaseUrl(explicit ? credentials.authBaseUrl : credentials.baseUrl);
	if (!base) throw new AiccAuthError(describeBadBaseUrl(explicit ? 'Auth Base URL' : 'Base URL'));
	return `${base}${EXCHANGE_PATH}`;
}

function lifetimeOf(credentials: ICredentialDataDecryptedObject): number {
	const raw = credentials.expiresIn;
	const lifetime = raw === undefined || raw === '' ? DEFAULT_TOKEN_LIFETIME : Number(raw);
	if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_TOKEN_LIFETIME) {
		throw new AiccAuthError(
			describeBadTokenLifetime(raw, MAX_TOKEN_LIFETIME, DEFAULT_TOKEN_LIFETIME),
		);
	}
	return lifetime;
}

function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	return [credentials.appKey, credentials.appSecret, credentials.accessToken].filter(
		(value): value is string => typeof value === 'string' && value !== '',
	);
}

/** The exchange's request: the App Key and App Secret, checked to be there. */
function exchangeRequest(credentials: ICredentialDataDecryptedObject): IHttpRequestOptions {
	const url = tokenUrl(credentials);
	const lifetime = lifetimeOf(credentials);
	const appKey = String(credentials.appKey ?? '').trim();
	const appSecret = String(credentials.appSecret ?? '');
	if (appKey === '' || appSecret === '') throw new AiccAuthError(describeMissingAppKey());
	return {
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
	};
}

/** The token in tokenByAkSk's answer, or the error that says why there is none. */
function tokenFromAnswer(response: IN8nHttpFullResponse, secrets: string[]): string {
	const text = typeof response.body === 'string' ? response.body : '';
	const snippet = snippetOf(text, secrets);
	if (response.statusCode === 401) throw new AiccAuthError(describeRejectedAppKey());
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw new AiccAuthError(describeTokenHttpFailure(response.statusCode, EXCHANGE_NAME, snippet));
	}
	const parsed = tryParseJsonExact(text);
	if (!parsed.ok) throw new AiccAuthError(describeUnreadableToken(EXCHANGE_NAME, snippet));
	const token = tokenIn(parsed.value);
	if (token === undefined) throw new AiccAuthError(describeMissingToken(keysOf(parsed.value)));
	return token;
}

async function exchange(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const request = exchangeRequest(credentials);
	const response = await helpers.httpRequest(request).catch((error: unknown) => {
		const host = new URL(request.url).host;
		throw new AiccAuthError(describeNetworkFailure(error, EXCHANGE_NAME, host, false));
	});
	return tokenFromAnswer(response as IN8nHttpFullResponse, secretsOf(credentials));
}

const TOKEN_KEYS = ['AccessToken', 'accessToken', 'access_token'];

/**
 * The token in a tokenByAkSk answer: AccessToken as documented, or a common other spelling, at
 * the top or under result/data.
 */
function tokenIn(answer: unknown): string | undefined {
	const top = (answer ?? {}) as Record<string, unknown>;
	for (const scope of [top, top.result, top.data]) {
		if (!scope || typeof scope !== 'object') continue;
		for (const key of TOKEN_KEYS) {
			const value = (scope as Record<string, unknown>)[key];
			if (typeof value === 'string' && value !== '') return value;
		}
	}
	return undefined;
}

/** The keys of an answer, one level deep (e.g. "result.jwt"), to describe it without its values. */
function keysOf(answer: unknown): string[] {
	if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return [];
	return Object.entries(answer).flatMap(([key, value]) =>
		value && typeof value === 'object' && !Array.isArray(value)
			? Object.keys(value).map((inner) => `${key}.${inner}`)
			: [key],
	);
}

/**
 * Tokens fetched by this process, per tenant and App. Requests running at the same time share
 * one exchange, a request that finds a token rejected uses the one another request already
 * fetched, and renewals are bounded: a token that replaced a rejected one and is itself
 * rejected within 10 s of being issued, or before it ever worked (for 2 minutes), is not
 * replaced (a further exchange would be refused too, and with tenants where a new token
 * revokes the older ones, renewing in turn would only reject each other's tokens).
 */
interface Issued {
	token: string;
	at: number;
	lifetimeMs: number;
	/** Issued because AICC rejected the token before it. */
	afterRejection: boolean;
	/** AICC let a request through with it at least once. */
	accepted: boolean;
	/** AICC answered a request made with it with 401. */
	rejected: boolean;
}
const inFlight = new Map<string, Promise<string>>();
const issued = new Map<string, Issued>();
/** Tokens issued earlier, per tenant and App, still kept out of what the node shows. */
const earlier = new Map<string, string[]>();
const EARLIER_KEPT = 4;
/** How long after a renewal a rejection is taken as final rather than a reason to renew again. */
const SETTLE_WINDOW_MS = 10_000;
/** How long a renewed token that AICC refused before it ever worked holds off further renewals. */
const REFUSED_HOLD_MS = 120_000;
/** A token is reused while younger than this share of its lifetime. */
const REUSE_SHARE = 0.9;

const keys = new WeakMap<ICredentialDataDecryptedObject, string>();

/**
 * Which tenant and App a credential is. Kept per credential object: the tenant and App fields
 * of a run's credential never change (only the token does).
 */
export function tokenKeyOf(credentials: ICredentialDataDecryptedObject): string {
	let key = keys.get(credentials);
	if (key === undefined) {
		key = createHash('sha256')
			.update(
				JSON.stringify([
					credentials.authBaseUrl,
					credentials.baseUrl,
					credentials.appKey,
					credentials.appSecret,
				]),
			)
			.digest('hex');
		keys.set(credentials, key);
	}
	return key;
}

/** Records that AICC refused this token, so that it is not handed to another request. */
export function tokenRejected(key: string, token: unknown): void {
	const latest = issued.get(key);
	if (latest !== undefined && latest.token === token) latest.rejected = true;
}

/**
 * Records that AICC let a request through with this token, so a later 401 for it means it
 * expired or was revoked.
 */
export function tokenAccepted(key: string, token: unknown): void {
	const latest = issued.get(key);
	if (latest !== undefined && latest.token === token) latest.accepted = true;
}

async function renew(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
	key: string,
	afterRejection: boolean,
) {
	const request = exchange(helpers, credentials);
	inFlight.set(key, request);
	try {
		const token = await request;
		const previous = issued.get(key);
		if (previous)
			earlier.set(key, [previous.token, ...(earlier.get(key) ?? [])].slice(0, EARLIER_KEPT));
		issued.set(key, {
			token,
			at: Date.now(),
			lifetimeMs: lifetimeOf(credentials) * 1000,
			afterRejection,
			accepted: false,
			rejected: false,
		});
		return token;
	} finally {
		inFlight.delete(key);
	}
}

/**
 * The token for a request whose credential holds no token yet, or whose token AICC just
 * rejected (`credentials.accessToken` is then exactly the rejected one: each request hands n8n
 * its own copy of the credential).
 */
export async function obtainAccessToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const key = tokenKeyOf(credentials);
	const pending = inFlight.get(key);
	if (pending) return await pending;
	const rejected = typeof credentials.accessToken === 'string' ? credentials.accessToken : '';
	const latest = issued.get(key);
	const age = latest ? Date.now() - latest.at : Infinity;
	// A request with no token yet joins a token fetched moments ago; one whose rejected token this
	// process issued before takes the newer one as long as it lives. A rejected token this process
	// never issued came from elsewhere (another worker, via n8n's store) and may be newer than ours.
	const ours = rejected === '' || (earlier.get(key) ?? []).includes(rejected);
	const reusable =
		latest && age < (rejected === '' ? SETTLE_WINDOW_MS : latest.lifetimeMs * REUSE_SHARE);
	if (latest && reusable) {
		if (latest.token === rejected) latest.rejected = true;
		else if (!latest.rejected && ours) return latest.token;
		if (
			latest.afterRejection &&
			(age < SETTLE_WINDOW_MS || (!latest.accepted && age < REFUSED_HOLD_MS))
		) {
			throw new AiccAuthError(describeRefusedRenewal(), true);
		}
	}
	return await renew(helpers, credentials, key, rejected !== '');
}

/** Tokens this process holds for the credential, so that no output or error can show them. */
function knownTokens(credentials: ICredentialDataDecryptedObject): string[] {
	const key = tokenKeyOf(credentials);
	return [credentials.accessToken, issued.get(key)?.token, ...(earlier.get(key) ?? [])].filter(
		(value): value is string => typeof value === 'string' && value !== '',
	);
}

export function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	return [...new Set([...secretsOf(credentials), ...knownTokens(credentials)])];
}
