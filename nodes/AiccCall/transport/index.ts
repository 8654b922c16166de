import {
	sleep,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

import { baseUrlProblem, hostOf, normalizeBaseUrl } from '../../../shared/baseUrl';
import {
	SUCCESS_CODE,
	explainReturnCode,
	placesCalls,
	returnCodeOf,
	returnTextOf,
	type AiccApi,
} from '../../../shared/codes';
import {
	describeBadBaseUrl,
	describeHttpFailure,
	describeMissingCode,
	describeNetworkFailure,
	describeRateLimitedCode,
	describeReturnCode,
	describeUnreadableAnswer,
	failureError,
	type Failure,
} from '../../../shared/failures';
import { gateOf, onDeparture, type RequestGate, type Ticket } from '../../../shared/gate';
import { tryParseJsonExact } from '../../../shared/json';
import { redactParsed, redactText, snippetOf } from '../../../shared/redact';
import {
	AiccAuthError,
	TokenRefused,
	credentialSecrets,
	heldToken,
	issuedFor,
	issuedHere,
	markNodeRequest,
	mayBeRevoked,
	preAuthenticationError,
	tokenAccepted,
	tokenIssuedFor,
	tokenKeyOf,
	tokenKnownRefused,
	storeHoldsRefused,
	tokenRejected,
} from '../../../shared/token';

/**
 * The one module that talks to AICC's API. It sends each request at most once, except
 * when AICC provably did not act on it: a 401 (re-sent with a newer token, from this process,
 * n8n's credential store or a renewal, at most TOKEN_ROUNDS times) and an explicit rate-limit
 * answer (HTTP 429 or ITA 90104029), re-sent after a pause, a bounded number of times.
 * Timeouts, 5xx and broken connections are never re-sent.
 */

/**
 * Where a request is sent from: a run of the node, or the editor asking for a resource
 * locator's list (a `listSearch` method).
 */
export type AiccContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface AiccSession {
	/**
	 * The credential as read once for the run. Every request hands this same object to n8n, so
	 * a token fetched or renewed for one request serves all the others (n8n also stores it).
	 */
	credentials: ICredentialDataDecryptedObject;
	credentialsDecrypted: ICredentialsDecrypted;
	/** The tenant and App the credential is, for the token bookkeeping. */
	tokenKey: string;
	/** Paces the requests of every execution that uses this credential in this process. */
	gate: RequestGate;
	/** The most requests of this node to start in any second with the credential (0: no limit). */
	perSecond: number;
	/** Why the token exchange failed, once it did: the run's later requests fail the same way. */
	tokenFailure?: Failure;
}

export interface AiccRequest {
	path: string;
	body: IDataObject;
	/** Which AICC API the request calls: it picks the return-code table. */
	api: AiccApi;
	/** The request as messages name it, e.g. "the bidirectional call request". */
	label: string;
	itemIndex: number;
	/**
	 * The item's Timeout, and its attempts in all when AICC answers with a rate limit (1: never
	 * re-send).
	 */
	limits: { timeoutMs: number; maxAttempts: number };
	/** Return codes besides 0 that are an answer, not a failure (e.g. 1, "no data", for records). */
	accept?: string[];
}

/**
 * A call-placing request, checked and built before anything is sent (so that every item is
 * validated before the first call), and how its successful answer becomes the output item.
 */
export interface PreparedCall {
	request: AiccRequest;
	/**
	 * What makes two calls the same call, for the duplicate guard: e.g. the called number, the
	 * agent and the call data (a Duplicate Key the user sets takes their place).
	 */
	sameCall: string[];
	output(answer: IDataObject): IDataObject;
}

const CREDENTIAL_TYPE = 'aiccApi';
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** A Retry-After longer than this is not waited for: the item fails and says so. */
const RETRY_AFTER_LIMIT_MS = 60_000;
/** How often a request whose token AICC refused sends it again with a newer one. */
const TOKEN_ROUNDS = 3;
/** How often, and how far apart, a request whose tokens AICC refused looks for a newer one. */
const STORE_LOOKS = 4;
const STORE_LOOK_WAIT_MS = 250;
/** How often when the refused token is one another process exchanged (that one renews first). */
const OTHERS_STORE_LOOKS = 8;

export async function openSession(ctx: AiccContext, perSecond: number): Promise<AiccSession> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const tokenKey = tokenKeyOf(credentials);
	// A token issued for other settings (the user changed the App Key, App Secret or a URL, and n8n
	// kept the hidden token) counts as none: the first request has n8n get one, which a wrong App
	// Secret fails before anything is sent.
	if (!issuedFor(credentials.accessToken, credentials.tokenIssuedFor, tokenKey)) {
		credentials.accessToken = '';
		credentials.tokenIssuedFor = '';
	}
	const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		credentials,
		credentialsDecrypted: {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data: credentials,
		},
		tokenKey,
		gate: gateOf(tokenKey),
		perSecond,
	};
}

function retryAfterMs(headers: unknown): number | undefined {
	const value = (headers as Record<string, unknown> | undefined)?.['retry-after'];
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoffMs(attempt: number, askedMs: number | undefined): number {
	return askedMs ?? Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
}

interface AxiosLike {
	response?: { status?: number; data?: unknown; headers?: unknown };
}

type Sent =
	| { kind: 'answer'; body: IDataObject }
	| { kind: 'rateLimited'; waitMs?: number; failure: Failure }
	/** AICC refused the token (HTTP 401): it did not act on the request. */
	| { kind: 'tokenRefused'; tried: unknown[]; failure: Failure }
	/** `noToken`: the token exchange itself failed (nothing was sent). */
	| { kind: 'failed'; failure: Failure; noToken?: true };

async function sendOnce(
	ctx: AiccContext,
	session: AiccSession,
	url: string,
	request: AiccRequest,
	ticket: Ticket,
	lead: Lead | undefined,
): Promise<Sent> {
	// Each request hands n8n its own copy of the credential, so that when AICC rejects its token,
	// preAuthentication sees exactly the token this request sent, not one another request renewed.
	// A request asking for a renewal sends none, which makes n8n run preAuthentication first.
	const credentials = { ...session.credentials };
	if (lead?.renewing) credentials.accessToken = '';
	const sentWith = credentials.accessToken;
	markNodeRequest(credentials, lead?.renewing);
	// n8n calls the credential's authenticate once the token is there: the requests waiting for
	// this one's token go on then, not when its answer is back.
	onDeparture(credentials, {
		departing: async () => {
			lead?.close();
			await ticket.departing();
		},
		settled: () => ticket.settled(),
	});
	const sent = await ctx.helpers.httpRequestWithAuthentication
		.call(
			ctx,
			CREDENTIAL_TYPE,
			{
				method: 'POST',
				url,
				body: request.body,
				json: true,
				encoding: 'text',
				returnFullResponse: true,
				timeout: request.limits.timeoutMs,
				skipSslCertificateValidation: session.credentials.ignoreSslIssues === true,
				// AICC does not redirect its API; following one would carry the token elsewhere.
				disableFollowRedirect: true,
			},
			{ credentialsDecrypted: { ...session.credentialsDecrypted, data: credentials } },
		)
		.then(
			(response: IN8nHttpFullResponse) => ({ response }),
			(error: unknown) => ({ error }),
		);
	ticket.settled();
	// A token n8n fetched or renewed for this request serves the run's next requests.
	if (credentials.accessToken !== sentWith) {
		session.credentials.accessToken = credentials.accessToken;
		session.credentials.tokenIssuedFor = credentials.tokenIssuedFor;
	}
	if ('error' in sent) {
		const tried = [sentWith, credentials.accessToken].filter((token) => token !== '');
		const error = preAuthenticationError(credentials) ?? sent.error;
		return refusal(session, request, url, error, [...new Set(tried)]);
	}
	tokenAccepted(session.tokenKey);
	return answerOf(session, request, sent.response);
}

/** What a request that n8n's helper threw for means: refused, rate-limited or failed. */
function refusal(
	session: AiccSession,
	request: AiccRequest,
	url: string,
	error: unknown,
	tried: unknown[],
): Sent {
	const placing = placesCalls(request.api);
	const cause = (error as { cause?: unknown }).cause ?? error;
	if (cause instanceof TokenRefused) {
		return {
			kind: 'tokenRefused',
			tried,
			failure: describeHttpFailure(401, request.label, '', placing),
		};
	}
	if (cause instanceof AiccAuthError) {
		const failure: Failure = {
			message: cause.message,
			description: cause.description,
			outcome: 'notPlaced',
		};
		return { kind: 'failed', failure, noToken: true };
	}
	const response = (cause as AxiosLike).response;
	if (response?.status === undefined) {
		const host = hostOf(url);
		return { kind: 'failed', failure: describeNetworkFailure(cause, request.label, host, placing) };
	}
	const snippet = snippetOf(response.data, credentialSecrets(session.credentials));
	const failure = describeHttpFailure(response.status, request.label, snippet, placing);
	if (response.status === 401) {
		for (const token of tried) tokenRejected(session.tokenKey, token);
		return { kind: 'tokenRefused', tried, failure };
	}
	return response.status === 429
		? { kind: 'rateLimited', waitMs: retryAfterMs(response.headers), failure }
		: { kind: 'failed', failure };
}

/**
 * What a 2xx answer means: AICC's JSON (known secrets scrubbed), a return code it failed with,
 * or garble.
 */
function answerOf(
	session: AiccSession,
	request: AiccRequest,
	response: IN8nHttpFullResponse,
): Sent {
	const placing = placesCalls(request.api);
	const secrets = credentialSecrets(session.credentials);
	const text = typeof response.body === 'string' ? response.body : '';
	const parsed = tryParseJsonExact(text);
	if (
		!parsed.ok ||
		typeof parsed.value !== 'object' ||
		parsed.value === null ||
		Array.isArray(parsed.value)
	) {
		const snippet = snippetOf(text, secrets);
		return { kind: 'failed', failure: describeUnreadableAnswer(request.label, snippet, placing) };
	}
	const body = redactParsed(text, parsed.value as IDataObject, secrets);
	const code = returnCodeOf(body);
	if (code === undefined) {
		const snippet = snippetOf(body, []);
		return { kind: 'failed', failure: describeMissingCode(request.label, snippet, placing) };
	}
	const info = explainReturnCode(request.api, code);
	if (info.rateLimited) {
		return { kind: 'rateLimited', failure: describeRateLimitedCode(request.label, code, info) };
	}
	if (code !== SUCCESS_CODE && !request.accept?.includes(code)) {
		// AICC's text, quoted in an error: scrubbed of credentials under any name, too.
		const said = redactText(returnTextOf(body), []);
		return { kind: 'failed', failure: describeReturnCode(request.api, code, said) };
	}
	return { kind: 'answer', body };
}

/**
 * After AICC refused every token this request tried: a token in n8n's credential store that is
 * none of them, which another process (a queue-mode worker, another n8n) renewed and stored, for
 * the settings this run uses (not one issued after the user changed them, nor before).
 */
async function storedNewerToken(
	ctx: AiccContext,
	session: AiccSession,
	refused: unknown[],
): Promise<string | undefined> {
	// The process whose renewal revoked ours may not have stored its token yet: look a few times,
	// and longer when the token another process stored was refused, for that process's renewal.
	let looks = 1;
	if (mayBeRevoked(session.tokenKey, refused))
		looks = issuedHere(session.tokenKey, refused[0]) ? STORE_LOOKS : OTHERS_STORE_LOOKS;
	for (let look = 1; look <= looks; look++) {
		if (look > 1) await sleep(STORE_LOOK_WAIT_MS);
		const { accessToken: stored, tokenIssuedFor: issued } =
			await ctx.getCredentials(CREDENTIAL_TYPE);
		if (
			issuedFor(stored, issued, session.tokenKey) &&
			!refused.includes(stored) &&
			!tokenKnownRefused(session.tokenKey, stored)
		) {
			return stored;
		}
	}
	return undefined;
}

/**
 * Where the requests of this process that hold no usable token get one, per tenant and App: one
 * request at a time looks in n8n's credential store or lets n8n run preAuthentication (which
 * reads and writes the encrypted credential); the others wait for it and take the token it got.
 * So a first run, or a token that expired with 64 requests in flight, costs one exchange and one
 * credential write, not one per request.
 */
interface Desk {
	done: Promise<void>;
	/** Why the token exchange failed, for the requests that waited for it. */
	failure?: Failure;
}
const desks = new Map<string, Desk>();

/** The request that holds the desk: it gets the token; `close` lets the others go on. */
interface Lead {
	/** The tokens refused so far, when the request asks n8n for a renewal. */
	renewing?: unknown[];
	close(failure?: Failure): void;
}

function openDesk(key: string): Lead {
	let open = () => {};
	const desk: Desk = { done: new Promise<void>((resolve) => (open = resolve)) };
	desks.set(key, desk);
	return {
		close(failure) {
			if (desks.get(key) !== desk) return;
			desks.delete(key);
			desk.failure = failure;
			open();
		},
	};
}

/** Takes a token for the run's next requests, with what it was issued for. */
function takeToken(session: AiccSession, token: string): void {
	session.credentials.accessToken = token;
	session.credentials.tokenIssuedFor = tokenIssuedFor(token, session.tokenKey);
}

function usable(session: AiccSession, refused: unknown[]): boolean {
	const token = session.credentials.accessToken;
	return (
		typeof token === 'string' &&
		token !== '' &&
		!refused.includes(token) &&
		!tokenKnownRefused(session.tokenKey, token)
	);
}

/**
 * Makes sure the request has a token to send, or holds the desk to get one (then returns its
 * Lead). Throws the token exchange's failure to the requests that waited for it.
 */
async function readyToSend(
	ctx: AiccContext,
	session: AiccSession,
	request: AiccRequest,
	refused: unknown[],
): Promise<Lead | undefined> {
	const key = session.tokenKey;
	let held: string | undefined;
	for (;;) {
		if (session.tokenFailure)
			throw failureError(ctx.getNode(), request.itemIndex, session.tokenFailure);
		if (usable(session, refused)) return undefined;
		held = heldToken(key, refused);
		if (held !== undefined && !storeHoldsRefused(key, refused)) {
			takeToken(session, held);
			return undefined;
		}
		const desk = desks.get(key);
		if (desk === undefined) break;
		await desk.done;
		session.tokenFailure ??= desk.failure;
	}
	const lead = openDesk(key);
	if (refused.length === 0) return lead;
	// This process holds a newer token: n8n is to store it over the refused one (no renewal).
	if (held !== undefined) return { ...lead, renewing: [...refused] };
	const stored = await storedNewerToken(ctx, session, refused).catch((error: unknown) => {
		lead.close();
		throw error;
	});
	if (stored === undefined) return { ...lead, renewing: [...refused] };
	takeToken(session, stored);
	lead.close();
	return undefined;
}

/**
 * Sends one request to AICC and returns its successful JSON answer (return code 0, or one the
 * request accepts), secrets scrubbed and big numbers as strings. Anything else fails the item
 * with a NodeApiError whose context says whether the call may have been placed.
 */
export async function aiccRequest(
	ctx: AiccContext,
	session: AiccSession,
	request: AiccRequest,
): Promise<IDataObject> {
	const base = normalizeBaseUrl(session.credentials.baseUrl);
	if (!base) {
		const problem = baseUrlProblem(session.credentials.baseUrl);
		throw failureError(ctx.getNode(), request.itemIndex, describeBadBaseUrl('Base URL', problem));
	}
	const url = `${base}${request.path}`;
	const refused: unknown[] = [];
	let tokenRounds = 0;
	// Sends that count against maxAttempts: the first, and each after a rate limit.
	let attempts = 1;
	for (;;) {
		const lead = await readyToSend(ctx, session, request, refused);
		let sent: Sent | undefined;
		try {
			const ticket = await session.gate.turn(session.perSecond);
			sent = await sendOnce(ctx, session, url, request, ticket, lead);
		} finally {
			// The requests that waited go on; when the exchange failed, they fail with it.
			const failure = sent?.kind === 'failed' && sent.noToken ? sent.failure : undefined;
			if (lead && failure) session.tokenFailure = failure;
			lead?.close(failure);
		}
		if (sent.kind === 'answer') return sent.body;
		if (sent.kind === 'tokenRefused' && tokenRounds < TOKEN_ROUNDS) {
			tokenRounds += 1;
			refused.push(...sent.tried);
			continue;
		}
		if (sent.kind === 'rateLimited' && attempts < request.limits.maxAttempts) {
			const wait = backoffMs(attempts, sent.waitMs);
			if (wait <= RETRY_AFTER_LIMIT_MS) {
				attempts += 1;
				session.gate.pause(wait);
				continue;
			}
		}
		throw failureError(ctx.getNode(), request.itemIndex, sent.failure);
	}
}
