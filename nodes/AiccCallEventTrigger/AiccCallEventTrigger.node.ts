import {
	NodeConnectionTypes,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	CALLBACK_KEY_CREDENTIAL,
	MIN_CALLBACK_KEY_LENGTH,
	callbackKeyProblem,
} from '../../shared/callbackKey';
import { REASON_TEXT, VOICE_REASON_TEXT } from '../../shared/callRecord';
import { tryParseJsonExact } from '../../shared/json';
import { VOICE_OUTCOME_TEXT, callTypeOf, eventOf, type VoiceOutcome } from './events';
import { SETUP_NOTICE, TEST_NOTICES, TRIGGER_PANEL } from './panel';
import { Recent } from './recent';
import { carriesSecret } from './secret';
import { REFUSAL_TEXT, SIGNING_FIELDS, checkSignature } from './signature';

/** The filters' labels, written once: the editor shows them, a left-out test event names them. */
const FILTER_LABEL = {
	events: 'Events',
	answered: 'Calls',
	releaseReasons: 'Bidirectional Release Reasons',
	voiceOutcomes: 'Voice Notification Outcomes',
	voiceReleaseReasons: 'Voice Notification Release Reasons',
} as const;

/** The Calls filter's choices. */
const ANSWERED_OPTIONS = [
	{ name: 'All', value: 'all' },
	{ name: 'Only Answered', value: 'answered' },
	{ name: 'Only Unanswered', value: 'unanswered' },
];

/** What AICC expects back from a callback receiver. */
const ACKNOWLEDGED = { retCode: '0', retMsg: 'success' };

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

/**
 * AICC and gateways re-deliver callbacks; one that already started an execution within the last
 * 10 minutes starts no other. The memory is per process (in queue mode each webhook process keeps
 * its own) and holds at most 10,000 callbacks.
 */
const fired = new Recent(10 * 60 * 1000, 10_000);

/** The shared key of the trigger's AICC Callback Key credential; undefined if none is usable. */
async function sharedKeyOf(ctx: IWebhookFunctions): Promise<string | undefined> {
	const credentials = await ctx.getCredentials(CALLBACK_KEY_CREDENTIAL).then(
		(data) => data,
		() => undefined,
	);
	const key = credentials?.sharedSecret;
	return typeof key === 'string' && callbackKeyProblem(key) === undefined ? key : undefined;
}

const capitalized = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;

export class AiccCallEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AICC Trigger',
		name: 'aiccCallEventTrigger',
		icon: {
			light: 'file:../../shared/icons/aicc.svg',
			dark: 'file:../../shared/icons/aicc.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when AICC reports that a call was connected or released (hung up), ' +
			'or that a voice notification ended',
		// Used as given; n8n appends its tracking query to the codex file's link, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-aicc/n8n-nodes-aicc#aicc-trigger',
		defaults: { name: 'AICC Trigger' },
		// Shown on the canvas while n8n listens for a test event (else "create an event in AICC").
		eventTriggerDescription: 'Waiting for a callback to the Test URL',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Optional: with it, only callbacks AICC signed with the shared key are accepted.
		credentials: [
			{ name: CALLBACK_KEY_CREDENTIAL, required: false, testedBy: 'aiccCallbackKeyTest' },
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'aicc-call-events' },
		],
		triggerPanel: TRIGGER_PANEL,
		properties: [
			...TEST_NOTICES,
			{
				displayName: SETUP_NOTICE,
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
					'Optional. With a secret set, only callbacks whose URL ends in ? and the secret (or ' +
					'?secret= and the secret) are accepted, others get HTTP 401. For callbacks AICC does ' +
					'not sign (URLs set in the tenant console); to check the signature of signed ' +
					'callbacks, select an AICC Callback Key credential. A callback URL may hold only ' +
					'letters, digits and - : . / _ # ? &.',
			},
			{
				displayName:
					'Without a secret (or an AICC Callback Key credential), anyone who learns this URL ' +
					'can start the workflow. Set a Secret above and give AICC the Production URL ' +
					'followed by ? and the secret (for the secret k9x2Lq7Vd3: ' +
					'…/aicc-call-events?k9x2Lq7Vd3).',
				name: 'noSecretNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { secret: [''] } },
			},
			{
				displayName: 'Callbacks From',
				name: 'callType',
				type: 'options',
				options: [
					{
						name: 'Detect From the Callback',
						value: 'auto',
						description:
							'A callback with serviceNo (or caller, callData, agent times) is a bidirectional ' +
							"call's; one without is a voice notification's",
					},
					{
						name: 'Bidirectional Calls',
						value: 'bidirectional',
						description: 'Read every callback as a bidirectional call',
					},
					{
						name: 'Voice Notifications',
						value: 'voiceNotification',
						description: 'Read every callback as the end of a voice notification',
					},
				],
				default: 'auto',
				description: 'Which kind of call the callbacks to this URL are about',
			},
			{
				displayName: FILTER_LABEL.events,
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Connected',
						value: 'connected',
						action: 'On Call Connected',
						description:
							"A bidirectional call's connection callback (configured in the tenant console)",
					},
					{
						name: 'Released (Hung Up)',
						value: 'released',
						action: 'On Call or Voice Notification Ended',
						description: 'The release callback, when a call or voice notification ends',
					},
				],
				default: ['connected', 'released'],
				description: 'Which callbacks start the workflow',
				displayOptions: { hide: { callType: ['voiceNotification'] } },
			},
			{
				displayName: FILTER_LABEL.answered,
				name: 'answered',
				type: 'options',
				options: ANSWERED_OPTIONS,
				default: 'all',
				description:
					'Whether to start the workflow only for calls the customer answered, or did not',
			},
			{
				displayName: FILTER_LABEL.releaseReasons,
				name: 'releaseReasons',
				type: 'multiOptions',
				options: Object.entries(REASON_TEXT).map(([value, text]) => ({
					name: `${value}: ${capitalized(text)}`,
					value,
				})),
				default: [],
				description:
					'Only released bidirectional calls with one of these reasons; none chosen means ' +
					'every reason',
				displayOptions: { hide: { callType: ['voiceNotification'] } },
			},
			{
				displayName: FILTER_LABEL.voiceOutcomes,
				name: 'voiceOutcomes',
				type: 'multiOptions',
				options: (
					['answered', 'playedToEnd', 'rejectedOrNoAnswer', 'failed'] as VoiceOutcome[]
				).map((value) => ({
					name: capitalized(value.replace(/([A-Z])/g, ' $1').toLowerCase()),
					value,
					description: capitalized(VOICE_OUTCOME_TEXT[value]),
				})),
				default: [],
				description:
					'Only voice notifications with one of these outcomes; none chosen means every outcome',
				displayOptions: { hide: { callType: ['bidirectional'] } },
			},
			{
				displayName: FILTER_LABEL.voiceReleaseReasons,
				name: 'voiceReleaseReasons',
				type: 'multiOptions',
				options: Object.entries(VOICE_REASON_TEXT).map(([value, text]) => ({
					name: `${value}: ${capitalized(text)}`,
					value,
				})),
				default: [],
				description:
					'Only voice notifications with one of these release reasons; none chosen means ' +
					'every reason',
				displayOptions: { hide: { callType: ['bidirectional'] } },
			},
		],
	};

	methods = {
		credentialTest: {
			/**
			 * AICC has no API that could prove a callback key: the test checks what AICC's console
			 * requires of one, so that a mistyped key is caught before callbacks are refused.
			 */
			async aiccCallbackKeyTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = callbackKeyProblem(credential.data?.sharedSecret);
				return problem === undefined
					? {
							status: 'OK',
							message:
								`The shared key has at least ${MIN_CALLBACK_KEY_LENGTH} characters, as AICC ` +
								'requires. Whether it is the one set in the AICC console shows when AICC ' +
								'calls back.',
						}
					: { status: 'Error', message: problem };
			},
		},
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
		// Logged too: a refused callback starts nothing, and AICC keeps its answer to itself (a
		// newcomer whose callback lacked the secret found no trace of it in n8n).
		const refuse = (status: number, retMsg: string): IWebhookResponseData => {
			this.logger.warn(
				`AICC Trigger "${this.getNode().name}" (workflow ${this.getWorkflow().id ?? ''}) ` +
					`refused a callback with HTTP ${status}: ${retMsg}`,
			);
			response.status(status).json({ retCode: String(status), retMsg });
			return { noWebhookResponse: true };
		};
		const secret = this.getNodeParameter('secret', '') as string;
		if (secret !== '' && !carriesSecret(request, secret)) {
			return refuse(401, 'Unauthorized: the callback URL lacks the secret');
		}
		const body = bodyOf((request as unknown as { rawBody?: unknown }).rawBody, request.body);
		if (!body) return refuse(400, 'Malformed callback: expected a JSON object with callSerialNo');
		// With an AICC Callback Key credential, only callbacks AICC signed with the key, within 5
		// minutes and never before, are taken; a test event from the editor too.
		const signed = this.getNode().credentials?.[CALLBACK_KEY_CREDENTIAL] !== undefined;
		if (signed) {
			const key = await sharedKeyOf(this);
			if (key === undefined) {
				return refuse(
					500,
					'The trigger cannot check signatures: its AICC Callback Key credential is missing, ' +
						`or its key is shorter than ${MIN_CALLBACK_KEY_LENGTH} characters`,
				);
			}
			const check = checkSignature(body, key, Date.now());
			if (!check.ok) return refuse(401, `Unauthorized: ${REFUSAL_TEXT[check.reason]}`);
		}
		const callType = callTypeOf(body, this.getNodeParameter('callType', 'auto') as string);
		const event = eventOf(body, callType, this.getTimezone(), signed ? SIGNING_FIELDS : []);
		const filters: Filters = {
			events: this.getNodeParameter('events', ['connected', 'released']) as string[],
			answered: this.getNodeParameter('answered', 'all') as string,
			releaseReasons: this.getNodeParameter('releaseReasons', []),
			voiceOutcomes: this.getNodeParameter('voiceOutcomes', []),
			voiceReleaseReasons: this.getNodeParameter('voiceReleaseReasons', []),
		};
		const leftOut = whyLeftOut(event, callType, filters);
		// The answer AICC expects is sent here, the same in every n8n version, before the workflow
		// runs; a repeat gets it too, so that AICC stops re-sending. A test event the filters leave
		// out is answered with why, since n8n goes on listening without a word.
		const test = this.getMode() === 'manual';
		response
			.status(200)
			.json(test && leftOut !== undefined ? { ...ACKNOWLEDGED, ignored: leftOut } : ACKNOWLEDGED);
		if (leftOut !== undefined) return { noWebhookResponse: true };
		// A test event (Execute step while building) is sent on purpose: never a repeat.
		const workflowId = this.getWorkflow().id ?? '';
		const parts = [workflowId, this.getNode().id, String(event.event), String(event.callSerialNo)];
		if (!test && fired.seen(parts, Date.now())) {
			return { noWebhookResponse: true };
		}
		return { noWebhookResponse: true, workflowData: [[{ json: event }]] };
	}
}

/** Whether a filter lets a value through: nothing chosen lets everything through. */
function chosen(filter: unknown, value: unknown): boolean {
	const values = Array.isArray(filter) ? filter.map(String) : [];
	return values.length === 0 || values.includes(String(value));
}

/** The trigger's filters, as set in the editor. */
interface Filters {
	events: string[];
	answered: string;
	releaseReasons: unknown;
	voiceOutcomes: unknown;
	voiceReleaseReasons: unknown;
}

/** Which filter leaves a callback out, said so that a test event's sender can change it. */
function whyLeftOut(event: IDataObject, callType: string, filters: Filters): string | undefined {
	const fix = ": change the trigger's filters, or send a callback that matches them";
	const lacks = (filter: keyof typeof FILTER_LABEL, value: unknown) =>
		`Not passed on: ${FILTER_LABEL[filter]} does not include ${String(value)}${fix}`;
	if (!filters.events.includes(String(event.event))) return lacks('events', event.event);
	if (filters.answered !== 'all' && (filters.answered === 'answered') !== event.answered) {
		const wanted = ANSWERED_OPTIONS.find((option) => option.value === filters.answered)?.name;
		const was = event.answered
			? 'answered (its talkingTime is set; send "talkingTime": "0" for an unanswered call)'
			: 'not answered';
		return `Not passed on: ${FILTER_LABEL.answered} is ${wanted} and this call was ${was}${fix}`;
	}
	const voice = callType === 'voiceNotification';
	if (voice && !chosen(filters.voiceOutcomes, event.outcome)) {
		return lacks('voiceOutcomes', event.outcome);
	}
	const reasons = voice ? 'voiceReleaseReasons' : 'releaseReasons';
	if ((voice || event.event === 'released') && !chosen(filters[reasons], event.releaseReason)) {
		return lacks(reasons, event.releaseReason);
	}
	return undefined;
}
