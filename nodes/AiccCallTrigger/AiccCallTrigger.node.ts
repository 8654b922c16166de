import { createHash, timingSafeEqual } from 'crypto';
import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	CALL_DURATION_FIELDS,
	CALL_TIME_FIELDS,
	REASON_TEXT,
	readableCall,
	reasonText,
	textOrNull,
} from '../../shared/callRecord';
import { tryParseJsonExact } from '../../shared/json';

/** What AICC expects back from a callback receiver. */
const ACKNOWLEDGED = { retCode: '0', retMsg: 'success' };
/** A callback also says when the call was created. */
const TIME_FIELDS = ['createCallTime', ...CALL_TIME_FIELDS];

/** SHA-256 of a text: both sides of a comparison are 32 bytes, whatever their lengths. */
const digestOf = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether `secret` is one of `candidates`, in time that depends neither on the secret's length
 * nor on how much of it a candidate matched: digests are compared, every candidate is compared.
 */
function oneOf(candidates: string[], secret: string): boolean {
	const wanted = digestOf(secret);
	let found = false;
	for (const candidate of candidates) {
		if (timingSafeEqual(digestOf(candidate), wanted)) found = true;
	}
	return found;
}

/** A query part as sent, and percent-decoded when that differs (and is valid). */
function spellings(part: string): string[] {
	try {
		const decoded = decodeURIComponent(part);
		return decoded === part ? [part] : [part, decoded];
	} catch {
		// Not valid percent-encoding (e.g. a secret holding a bare %): only the text as sent.
		return [part];
	}
}

/**
 * What a callback's URL may carry as the secret: the whole raw query (`?s3cret`, which AICC's
 * callBackUrl allows), the rest after `secret=`, each `&`-separated part and each `secret=`
 * value, as sent and percent-decoded; then what n8n's query parser made of it. The raw query
 * matters: n8n's parser splits at & and =, reads + as a space, decodes %XX and makes objects of
 * [ ], so a secret holding one of these never matches the parsed query alone.
 */
function secretCandidates(rawQuery: string | undefined, query: IDataObject): string[] {
	const candidates: string[] = [];
	if (rawQuery !== undefined && rawQuery !== '') {
		const parts = [rawQuery, ...rawQuery.split('&')];
		for (const part of parts) {
			candidates.push(...spellings(part));
			if (part.startsWith('secret=')) candidates.push(...spellings(part.slice('secret='.length)));
		}
	}
	if (typeof query.secret === 'string') candidates.push(query.secret);
	candidates.push(...Object.keys(query));
	return candidates;
}

/** The raw query of the request URL (after the first ?), or undefined when it has none. */
function rawQueryOf(request: { originalUrl?: unknown; url?: unknown }): string | undefined {
	const url = typeof request.originalUrl === 'string' ? request.originalUrl : request.url;
	if (typeof url !== 'string') return undefined;
	const at = url.indexOf('?');
	return at === -1 ? undefined : url.slice(at + 1);
}

function bodyOf(rawBody: unknown, parsed: unknown): IDataObject | undefined {
	const fromRaw = Buffer.isBuffer(rawBody)
		? tryParseJsonExact(rawBody.toString('utf8'))
		: { ok: false as const };
	const value = fromRaw.ok ? fromRaw.value : parsed;
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const body = value as IDataObject;
	return body.callSerialNo === undefined || body.callSerialNo === null || body.callSerialNo === ''
		? undefined
		: body;
}

/** Keys the node computes: a callback body's own copies are dropped, never passed for them. */
const COMPUTED_KEYS = new Set([
	'event',
	'answered',
	'releaseReasonText',
	'callerNumber',
	...TIME_FIELDS.map((field) => `${field}Iso`),
]);

/** One readable event from AICC's release (hang-up) or connection callback. */
function eventOf(body: IDataObject): IDataObject {
	const sent = Object.fromEntries(Object.entries(body).filter(([key]) => !COMPUTED_KEYS.has(key)));
	const released = 'releaseReason' in sent || 'releaseTime' in sent;
	const reason = released ? textOrNull(sent.releaseReason) : null;
	const talking = textOrNull(sent.talkingTime);
	return {
		event: released ? 'released' : 'connected',
		...readableCall(sent, TIME_FIELDS, CALL_DURATION_FIELDS),
		releaseReason: reason,
		releaseReasonText: reasonText(reason),
		answered: released ? talking !== null && talking !== '0' : true,
	};
}

/**
 * AICC and gateways re-deliver callbacks; one that already started an execution within the last
 * 10 minutes starts no other. The memory is per process (in queue mode each webhook process keeps
 * its own), bounded in size, and expires lazily on access: node code may not use timers.
 */
const REPEAT_WINDOW_MS = 10 * 60 * 1000;
const MAX_REMEMBERED = 10_000;
const firedAt = new Map<string, number>();

/** Whether this callback already fired within the window; remembers it as fired now if not. */
function isRepeat(parts: string[], now: number): boolean {
	// Hashed, so that a huge callSerialNo in a body costs no memory here.
	const key = createHash('sha256').update(parts.join('\n')).digest('base64');
	for (const [oldest, at] of firedAt) {
		if (now - at < REPEAT_WINDOW_MS && firedAt.size < MAX_REMEMBERED) break;
		firedAt.delete(oldest);
	}
	const at = firedAt.get(key);
	if (at !== undefined && now - at < REPEAT_WINDOW_MS) return true;
	// Re-inserted at the end, so the Map stays in firing order for the pruning above.
	firedAt.delete(key);
	firedAt.set(key, now);
	return false;
}

export class AiccCallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AICC Call Event Trigger',
		name: 'aiccCallTrigger',
		icon: {
			light: 'file:../../shared/icons/aicc.svg',
			dark: 'file:../../shared/icons/aicc.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when AICC reports that a call was connected or released (hung up)',
		defaults: { name: 'AICC Call Event Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'aicc-call-events' },
		],
		properties: [
			{
				displayName:
					"AICC has no API to register a callback. Put this node's production URL into Create " +
					"Bidirectional Call's Callback URL (or the tenant console's release or connection " +
					'callback setting), and ask the system administrator to add its host to the ' +
					"tenant's callback trust-list. AICC calls back over HTTPS with TLS 1.2 or newer.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				placeholder: 'e.g. k9x2Lq7Vd3',
				description:
					'Optional. AICC signs nothing: with a secret set, only callbacks whose URL ends in ? ' +
					'and the secret are accepted, others get HTTP 401. Use letters, digits, - _ and . ' +
					'only (what a callback URL may hold).',
			},
			{
				displayName:
					'Without a secret, anyone who learns this URL can start the workflow. Set a secret ' +
					'above, then end the callback URL with ? and the secret, e.g. ?k9x2Lq7Vd3.',
				name: 'noSecretNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { secret: [''] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Connected',
						value: 'connected',
						description: 'The connection callback (configured in the tenant console)',
					},
					{
						name: 'Released (Hung Up)',
						value: 'released',
						description: 'The release callback, when the call ends',
					},
				],
				default: ['connected', 'released'],
				description: 'Which callbacks start the workflow',
			},
			{
				displayName: 'Calls',
				name: 'answered',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Only Answered', value: 'answered' },
					{ name: 'Only Unanswered', value: 'unanswered' },
				],
				default: 'all',
				description:
					'Whether to start the workflow only for calls the customer answered, or did not',
			},
			{
				displayName: 'Release Reasons',
				name: 'releaseReasons',
				type: 'multiOptions',
				options: Object.entries(REASON_TEXT).map(([value, text]) => ({
					name: `${value}: ${text[0].toUpperCase()}${text.slice(1)}`,
					value,
				})),
				default: [],
				description:
					'Only released calls with one of these reasons; none chosen means every reason',
			},
		],
	};

	// AICC has no API to register or remove a callback URL: there is nothing to create or delete.
	// The user puts the production URL into callBackUrl or the tenant console (see the notice).
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const response = this.getResponseObject();
		const secret = this.getNodeParameter('secret', '') as string;
		const query = (request.query ?? {}) as IDataObject;
		if (secret !== '' && !oneOf(secretCandidates(rawQueryOf(request), query), secret)) {
			response
				.status(401)
				.json({ retCode: '401', retMsg: 'Unauthorized: the callback URL lacks the secret' });
			return { noWebhookResponse: true };
		}
		const body = bodyOf((request as unknown as { rawBody?: unknown }).rawBody, request.body);
		if (!body) {
			response.status(400).json({
				retCode: '400',
				retMsg: 'Malformed callback: expected a JSON object with callSerialNo',
			});
			return { noWebhookResponse: true };
		}
		const event = eventOf(body);
		const events = this.getNodeParameter('events', []) as string[];
		const answered = this.getNodeParameter('answered', 'all') as string;
		const reasons = this.getNodeParameter('releaseReasons', []) as string[];
		const wanted =
			events.includes(event.event as string) &&
			(answered === 'all' || (answered === 'answered') === event.answered) &&
			(reasons.length === 0 ||
				event.event !== 'released' ||
				reasons.includes(String(event.releaseReason)));
		// The answer AICC expects is sent here, the same in every n8n version, before the workflow
		// runs; a repeat gets it too, so that AICC stops re-sending.
		response.status(200).json(ACKNOWLEDGED);
		if (!wanted) return { noWebhookResponse: true };
		// A test event ("Listen for test event" in the editor) is sent on purpose: never a repeat.
		const workflowId = this.getWorkflow().id ?? '';
		const parts = [workflowId, this.getNode().id, String(event.event), String(event.callSerialNo)];
		if (this.getMode() !== 'manual' && isRepeat(parts, Date.now())) {
			return { noWebhookResponse: true };
		}
		return { noWebhookResponse: true, workflowData: [[{ json: event }]] };
	}
}
