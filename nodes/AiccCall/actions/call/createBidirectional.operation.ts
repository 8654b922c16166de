import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnTextOf } from '../../helpers/codes';
import * as validate from '../../helpers/validation';
import { aiccRequest, type AiccSession } from '../../transport';
import { additionalFields, callDataOption, calledField, displayNumberOption, withOptional } from './fields';
import { callSerialNoOf } from './output';
import { readCallOptions } from './options';

export const PATH = '/apiaccess/CC-Management/v1/mobileAgent/createCall';

const show = { resource: ['call'], operation: ['createBidirectional'] };
const onAiccBackEnd = { show: { '/backEnd': ['aicc'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Back End',
		name: 'backEnd',
		type: 'options',
		options: [
			{
				name: 'AICC',
				value: 'aicc',
				description: "AICC's own bidirectional call (the usual one)",
			},
			{
				name: 'ITA',
				value: 'ita',
				description: 'The ITA bidirectional call, for tenants whose administrator chose it; takes no call data or display numbers',
			},
		],
		default: 'aicc',
		description: 'Which bidirectional call type the tenant administrator chose in AICC',
		displayOptions: { show },
	},
	{
		displayName: 'Caller',
		name: 'caller',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 88889050',
		description:
			"The agent's mobile or softphone number. AICC calls it first and connects the customer once the agent answers.",
		displayOptions: { show },
	},
	calledField(show, "The customer's phone number, called once the agent has answered"),
	additionalFields(show, [
			displayNumberOption(
				'Agent Present',
				'agentPresent',
				"The number the agent sees as calling: the tenant's access code, or 11 to 14 digits where number anonymization is enabled. Empty uses the tenant's access code.",
				onAiccBackEnd,
			),
			{
				displayName: 'Agent Work Number',
				name: 'agentWorkNo',
				type: 'string',
				default: '',
				placeholder: 'e.g. 10086',
				description: 'The work number (1 to 5 digits) of the agent placing the call',
			},
			callDataOption(onAiccBackEnd),
			{
				displayName: 'Callback URL',
				name: 'callBackUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://crm.example.com/aicc/release',
				description:
					"Where AICC posts the release (hang-up) callback of this call. Enter it plainly; the node Base64-encodes it. Only letters, digits and - : . / _ # ? & are allowed, and the host must be on the tenant's callback trust-list.",
			},
			displayNumberOption(
				'Caller Present',
				'callerPresent',
				"The number the customer sees as calling: the tenant's access code, or 11 to 14 digits where number anonymization is enabled. Empty uses the tenant's access code.",
				onAiccBackEnd,
			),
	]),
];

const NOT_ON_ITA: Array<[name: string, label: string]> = [
	['callData', 'Call Data'],
	['callerPresent', 'Caller Present'],
	['agentPresent', 'Agent Present'],
];

export async function execute(this: IExecuteFunctions, itemIndex: number, session: AiccSession): Promise<IDataObject> {
	const node = this.getNode();
	const field = (label: string, name: string) => ({ node, itemIndex, label, name });
	const options = readCallOptions(this, itemIndex);
	const backEnd = this.getNodeParameter('backEnd', itemIndex, 'aicc') as string;
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const body: IDataObject = {
		caller: validate.phoneNumber(field('Caller', 'caller'), this.getNodeParameter('caller', itemIndex, ''), options.numbersAsGiven, '88889050'),
		called: validate.phoneNumber(field('Called', 'called'), this.getNodeParameter('called', itemIndex, ''), options.numbersAsGiven, '13800138000'),
	};
	if (backEnd === 'ita') {
		for (const [name, label] of NOT_ON_ITA) {
			if (extra[name] !== undefined && extra[name] !== '') {
				throw validate.invalidField(
					field(label, name),
					'is set, but the ITA back end does not take it',
					`Remove ${label} from Additional Fields (an expression may fill it), or choose the AICC back end.`,
				);
			}
		}
	}
	withOptional(body, {
		agentWorkNo: validate.agentWorkNo(field('Agent Work Number', 'agentWorkNo'), extra.agentWorkNo),
		callData: validate.callData(field('Call Data', 'callData'), extra.callData),
		callerPresent: validate.displayNumber(field('Caller Present', 'callerPresent'), extra.callerPresent, options.numbersAsGiven),
		agentPresent: validate.displayNumber(field('Agent Present', 'agentPresent'), extra.agentPresent, options.numbersAsGiven),
		callBackUrl: validate.callbackUrl(field('Callback URL', 'callBackUrl'), extra.callBackUrl),
	});

	const answer = await aiccRequest(this, session, {
		path: PATH,
		body,
		family: 'bidirectional',
		what: 'the bidirectional call request',
		itemIndex,
		timeoutMs: options.timeoutMs,
		maxAttempts: options.maxAttempts,
	});
	return {
		success: true,
		retCode: '0',
		message: returnTextOf(answer) || 'AICC accepted the call: it calls the agent, then connects the customer',
		callSerialNo: callSerialNoOf(answer.result),
		...(options.includeRawResponse ? { rawResponse: answer } : {}),
	};
}
