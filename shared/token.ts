import { createHash, createHmac } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { baseUrlProblem, hostOf, normalizeBaseUrl } from './baseUrl';
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

	constructor(failure: Failure) {
		super(failure.message);
		this.name = 'AiccAuthError';
		this.description = failure.description;
	}
}

/**
 * Thrown from preAuthentication for a node request whose token AICC refused, when this process
 * holds no newer one: the node looks in n8n's credential store before asking for a renewal.
 */
export class TokenRefused extends Error {
	constructor() {
		super('AICC refused the access token');
		this.name = 'TokenRefused';
	}
}

function tokenUrl(credentials: ICredentialDataDecryptedObject): string {
	const explicit =
		typeof credentials.authBaseUrl === 'string' && credentials.authBaseUrl.trim() !== '';
	const value = explicit ? credentials.authBaseUrl : credentials.baseUrl;
	const base = normalizeBaseUrl(value);
	if (!base) {
		const field = explicit ? 'Auth Base URL' : 'Base URL';
		throw new AiccAuthError(describeBadBaseUrl(field, baseUrlProblem(value)));
	}
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
	return [
		credentials.appKey,
		credentials.appSecret,
		credentials.accessToken,
		credentials.tokenIssuedFor,
	].filter((value): value is string => typeof value === 'string' && value !== '');
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

/** What an answer is, without a word of it: its media type and length. */
function shapeOf(response: IN8nHttpFullResponse, text: string): { html: boolean; shape: string } {
	const header = (response.headers ?? {})['content-type'];
	const type = /^\s*([\w.+-]+\/[\w.+-]+)/.exec(typeof header === 'string' ? header : '')?.[1];
	const html = type === 'text/html' || /^\s*<(!doctype html|html)/i.test(text);
	return { html, shape: `${type ?? 'no content type'}, ${text.length} characters` };
}

/** The token in tokenByAkSk's answer, or the error that says why there is none. */
function tokenFromAnswer(response: IN8nHttpFullResponse, secrets: string[]): string {
	const text = typeof response.body === 'string' ? response.body : '';
	if (response.statusCode === 401) throw new AiccAuthError(describeRejectedAppKey());
	if (response.statusCode < 200 || response.statusCode >= 300) {
		const snippet = snippetOf(text, secrets);
		throw new AiccAuthError(describeTokenHttpFailure(response.statusCode, EXCHANGE_NAME, snippet));
	}
	const parsed = tryParseJsonExact(text);
	if (!parsed.ok) {
		const { html, shape } = shapeOf(response, text);
		throw new AiccAuthError(describeUnreadableToken(EXCHANGE_NAME, html, shape));
	}
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
		const host = hostOf(request.url);
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
 * one exchange, and a request whose token AICC refused takes a newer one this process already
 * holds. Otherwise the node first looks in n8n's credential store, where another worker or n8n
 * may have stored a newer token (on tenants where a new token revokes the older ones, that token
 * is the one that works), and asks for a renewal only when the store holds none. Renewals are
 * bounded: when the last two tokens exchanged were both refused before any token worked, no
 * further one is exchanged for 2 minutes (an App not subscribed to the API).
 */
interface Issued {
	token: string;
	at: number;
	lifetimeMs: number;
	/** AICC answered a request made with it with 401. */
	rejected: boolean;
}
interface KeyState {
	latest?: Issued;
	/** Tokens issued earlier, kept out of what the node shows. */
	earlier: string[];
	/** Tokens exchanged since a request last went through with any token. */
	unproven: number;
	exchange?: Promise<string>;
	/**
	 * Tokens of other processes that n8n's store held and AICC refused, which this process has
	 * since had n8n replace with its own token in the store (the latest few).
	 */
	replacedInStore: string[];
}
const states = new Map<string, KeyState>();
const EARLIER_KEPT = 4;
/** How long a request without a token joins a token fetched that recently. */
const SETTLE_WINDOW_MS = 10_000;
/** How long exchanges pause after two tokens in a row were refused before any worked. */
const REFUSED_HOLD_MS = 120_000;
/** How many tokens exchanged in a row, none of them working, make exchanges pause. */
const UNPROVEN_LIMIT = 2;
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

/**
 * Which tenant and App a token was issued for (`key`, tokenKeyOf's), stored beside the token in
 * the credential's `tokenIssuedFor`. n8n keeps hidden fields when a user edits a credential, so a
 * token issued for an older App Key, App Secret or URL would otherwise go on serving the new
 * ones (even a wrong App Secret, until the token expires). Keyed by the token, so that the stored
 * value tells nothing about the App Secret to anyone without the token.
 */
export function tokenIssuedFor(token: string, key: string): string {
	return createHmac('sha256', token).update(key).digest('hex');
}

/**
 * Whether this token, with this `tokenIssuedFor` (as read from n8n's store), was issued for the
 * tenant and App `key`. A credential stored by an older version has none: its token renews once.
 */
export function issuedFor(token: unknown, issued: unknown, key: string): token is string {
	return (
		typeof token === 'string' &&
		token !== '' &&
		typeof issued === 'string' &&
		issued === tokenIssuedFor(token, key)
	);
}

function stateOf(key: string): KeyState {
	let state = states.get(key);
	if (state === undefined) {
		state = { earlier: [], unproven: 0, replacedInStore: [] };
		states.set(key, state);
	}
	return state;
}

/** Records that AICC refused this token, so that it is not handed to another request. */
export function tokenRejected(key: string, token: unknown): void {
	const latest = states.get(key)?.latest;
	if (latest !== undefined && latest.token === token) latest.rejected = true;
}

/** Records that AICC let a request through: the tokens exchanged so far are proven. */
export function tokenAccepted(key: string): void {
	const state = states.get(key);
	if (state !== undefined) state.unproven = 0;
}

/** Whether AICC is known to have refused this token: this process replaced it or saw a 401. */
export function tokenKnownRefused(key: string, token: unknown): boolean {
	const state = states.get(key);
	if (state === undefined || typeof token !== 'string') return false;
	return state.earlier.includes(token) || (state.latest?.token === token && state.latest.rejected);
}

/** Whether this process exchanged this token. */
export function issuedHere(key: string, token: unknown): boolean {
	const state = states.get(key);
	if (state === undefined || typeof token !== 'string') return false;
	return state.latest?.token === token || state.earlier.includes(token);
}

/**
 * Whether AICC's refusal of these tokens may be another process's renewal revoking them, so that
 * its newer token may soon be in n8n's credential store: not when the token this process
 * exchanged reached its lifetime, nor when two tokens in a row were refused before any worked.
 */
export function mayBeRevoked(key: string, refused: unknown[]): boolean {
	const state = states.get(key);
	if (state === undefined) return true;
	const latest = state.latest;
	const expired =
		latest !== undefined &&
		refused.includes(latest.token) &&
		Date.now() - latest.at >= latest.lifetimeMs * REUSE_SHARE;
	return !expired && state.unproven < UNPROVEN_LIMIT;
}

/**
 * Node requests, marked so that preAuthentication hands a refused token back to the node (which
 * looks in the credential store first) rather than renewing it; `renewing` lists the tokens the
 * node saw refused when it asks for a renewal.
 */
interface NodeRequest {
	renewing?: unknown[];
	/** What preAuthentication threw for the request (n8n 1.x's NodeApiError drops the cause). */
	failed?: Error;
}
const nodeRequests = new WeakMap<ICredentialDataDecryptedObject, NodeRequest>();

export function markNodeRequest(
	credentials: ICredentialDataDecryptedObject,
	renewing?: unknown[],
): void {
	nodeRequests.set(credentials, { renewing });
}

async function renew(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
	state: KeyState,
): Promise<string> {
	const latest = state.latest;
	if (
		latest !== undefined &&
		state.unproven >= UNPROVEN_LIMIT &&
		Date.now() - latest.at < REFUSED_HOLD_MS
	) {
		throw new AiccAuthError(describeRefusedRenewal());
	}
	const request = exchange(helpers, credentials);
	state.exchange = request;
	try {
		const token = await request;
		if (state.latest) state.earlier = [state.latest.token, ...state.earlier].slice(0, EARLIER_KEPT);
		state.latest = {
			token,
			at: Date.now(),
			lifetimeMs: lifetimeOf(credentials) * 1000,
			rejected: false,
		};
		state.unproven += 1;
		return token;
	} finally {
		state.exchange = undefined;
	}
}

/** The latest token, when it may serve a request whose own token is `than` (or none). */
function newerThan(state: KeyState, than: unknown[], windowMs: number): string | undefined {
	const latest = state.latest;
	if (latest === undefined || latest.rejected || than.includes(latest.token)) return undefined;
	return Date.now() - latest.at < windowMs ? latest.token : undefined;
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
	return await tokenFor(helpers, credentials).catch(async (error: unknown) => {
		const request = nodeRequests.get(credentials);
		if (request && error instanceof Error) request.failed = error;
		// Asked by n8n itself, not by a node request: the credential test, whose result n8n shows
		// as the message alone, so the message says the fix too.
		if (!request && error instanceof AiccAuthError) {
			return await Promise.reject(new Error(`${error.message}. ${error.description}`));
		}
		return await Promise.reject(error);
	});
}

/** What preAuthentication threw for this node request, if anything. */
export function preAuthenticationError(
	credentials: ICredentialDataDecryptedObject,
): Error | undefined {
	return nodeRequests.get(credentials)?.failed;
}

async function tokenFor(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const key = tokenKeyOf(credentials);
	const state = stateOf(key);
	const rejected = typeof credentials.accessToken === 'string' ? credentials.accessToken : '';
	const request = nodeRequests.get(credentials);
	const renewing = request?.renewing;
	if (request) request.renewing = undefined;
	if (rejected !== '') tokenRejected(key, rejected);
	// A node request whose token AICC refused goes back to the node, which takes a newer token
	// this process holds, or looks in n8n's store, or renews, one request at a time: were n8n to
	// re-send it here with another token, it would write the credential again for each request.
	if (request && rejected !== '') throw new TokenRefused();
	if (state.exchange) return await state.exchange;
	if (renewing) {
		const lifetime = (state.latest?.lifetimeMs ?? 0) * REUSE_SHARE;
		const token =
			newerThan(state, renewing, lifetime) ?? (await renew(helpers, credentials, state));
		// n8n stores the token returned here, over the refused ones another process had stored.
		const foreign = renewing.filter(
			(refused): refused is string => typeof refused === 'string' && !issuedHere(key, refused),
		);
		state.replacedInStore = [...foreign, ...state.replacedInStore].slice(0, EARLIER_KEPT);
		return token;
	}
	if (rejected === '') {
		return newerThan(state, [], SETTLE_WINDOW_MS) ?? (await renew(helpers, credentials, state));
	}
	const newer = newerThan(state, [rejected], (state.latest?.lifetimeMs ?? 0) * REUSE_SHARE);
	return newer ?? (await renew(helpers, credentials, state));
}

/**
 * The token this process holds for a tenant and App, when it may serve a request that has none
 * or had `refused` refused: none of those, not known refused, and young.
 */
export function heldToken(key: string, refused: unknown[]): string | undefined {
	const state = states.get(key);
	if (state === undefined) return undefined;
	return newerThan(state, refused, (state.latest?.lifetimeMs ?? 0) * REUSE_SHARE);
}

/**
 * Whether n8n's store held a token of another process that AICC refused (one of `refused`), and
 * still does as far as this process knows: then the token this process holds must be stored
 * again, so that the other processes find it (on tenants where each new token revokes the older
 * ones, they would otherwise renew, and revoke it).
 */
export function storeHoldsRefused(key: string, refused: unknown[]): boolean {
	const state = states.get(key);
	return refused.some(
		(token) =>
			typeof token === 'string' &&
			!issuedHere(key, token) &&
			!(state?.replacedInStore.includes(token) ?? false),
	);
}

/** Tokens this process holds for the credential, so that no output or error can show them. */
function knownTokens(credentials: ICredentialDataDecryptedObject): string[] {
	const state = states.get(tokenKeyOf(credentials));
	return [credentials.accessToken, state?.latest?.token, ...(state?.earlier ?? [])].filter(
		(value): value is string => typeof value === 'string' && value !== '',
	);
}

export function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	return [...new Set([...secretsOf(credentials), ...knownTokens(credentials)])];
}
