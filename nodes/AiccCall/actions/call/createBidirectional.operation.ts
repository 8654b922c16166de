import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnTextOf } from '../../helpers/codes';
import * as validate from '../../helpers/validation';
import type { AiccSession, PreparedCall } from '../../transport';
import {
	additionalFields,
	callDataOption,
	calledField,
	displayNumberOption,
	withOptional,
} from './fields';
import { callSerialNoOf } from './output';
import { readCallOptions } from './options';

const PATHS: Record<string, string> = {
	v1: '/apiaccess/CC-Management/v1/mobileAgent/createCall',
	v3: '/apiaccess/CC-Management/v3/mobileAgent/createCall',
};

const show = { resource: ['call'], operation: ['createBidirectional'] };
const onAiccBackEnd = { show: { '/backEnd': ['aicc'] } };
const onV1 = { show: { '/apiVersion': ['v1'] } };
const onV1AndAicc = { show: { '/apiVersion': ['v1'], '/backEnd': ['aicc'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'API Version',
		name: 'apiVersion',
		type: 'options',
		options: [
			{
				name: 'V1',
				value: 'v1',
				description: 'The createCall V1 API: the agent is reached on Caller; takes a callback URL',
			},
			{
				name: 'V3',
				value: 'v3',
				description:
					'The createCall V3 API: the agent is reached on a softphone; takes no Agent Present or callback URL',
			},
		],
		default: 'v1',
		description: 'Which version of the bidirectional call API to use',
		displayOptions: { show },
	},
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
				description:
					'The ITA bidirectional call, for tenants whose administrator chose it; takes no call data or display numbers',
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
		displayOptions: { show: { ...show, apiVersion: ['v1'] } },
	},
	{
		displayName: 'Soft Phone',
		name: 'softPhone',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 88889050',
		description:
			"The agent's softphone number (at most 32 characters). AICC calls it first and connects the customer once the agent answers.",
		displayOptions: { show: { ...show, apiVersion: ['v3'] } },
	},
	{
		displayName: 'Caller',
		name: 'caller',
		type: 'string',
		default: '',
		placeholder: 'e.g. 88889050',
		description: "The agent's calling number, optional on V3",
		displayOptions: { show: { ...show, apiVersion: ['v3'] } },
	},
	calledField(show, "The customer's phone number, called once the agent has answered"),
	additionalFields(show, [
		displayNumberOption(
			'Agent Present',
			'agentPresent',
			"The number the agent sees as calling: the tenant's access code, or 11 to 14 digits where number anonymization is enabled. Empty uses the tenant's access code.",
			onV1AndAicc,
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
				"Where AICC posts the release (hang-up) callback of this call, e.g. the production URL of an AICC Call Event Trigger. Enter it plainly; the node Base64-encodes it. Only letters, digits and - : . / _ # ? & are allowed, and the host must be on the tenant's callback trust-list.",
			displayOptions: onV1,
		},
		displayNumberOption(
			'Caller Present',
			'callerPresent',
			"The number the customer sees as calling: the tenant's access code, or 11 to 14 digits where number anonymization is enabled. Empty uses the tenant's access code.",
			onAiccBackEnd,
		),
	]),
];

type Field = [name: string, label: string];
const NOT_ON_ITA: Field[] = [
	['callData', 'Call Data'],
	['callerPresent', 'Caller Present'],
	['agentPresent', 'Agent Present'],
];
const NOT_ON_V3: Field[] = [
	['agentPresent', 'Agent Present'],
	['callBackUrl', 'Callback URL'],
];

/** Refuses a field the chosen API or back end does not take, rather than dropping it silently. */
function refuseUnsupported(
	extra: IDataObject,
	fields: Field[],
	field: (label: string, name: string) => validate.FieldRef,
	what: string,
	fix: string,
) {
	for (const [name, label] of fields) {
		if (extra[name] !== undefined && extra[name] !== '') {
			throw validate.invalidField(
				field(label, name),
				`is set, but ${what} does not take it`,
				`Remove ${label} from Additional Fields (an expression may fill it), or ${fix}.`,
			);
		}
	}
}

/** Checks the item's fields and builds its request; sends nothing. */
export function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): PreparedCall {
	const node = this.getNode();
	const field = (label: string, name: string) => ({ node, itemIndex, label, name });
	const options = readCallOptions(this, session, itemIndex);
	const apiVersion = session.params.get('apiVersion', itemIndex, 'v1') as string;
	const backEnd = session.params.get('backEnd', itemIndex, 'aicc') as string;
	const extra = session.params.get('additionalFields', itemIndex, {}) as IDataObject;
	const number = (label: string, name: string) =>
		validate.phoneNumber(
			field(label, name),
			session.params.get(name, itemIndex, ''),
			options.numbersAsGiven,
			name === 'called' ? '13800138000' : '88889050',
		);

	const v3 = apiVersion === 'v3';
	const body: IDataObject = v3
		? withOptional(
				{ softPhone: number('Soft Phone', 'softPhone') },
				{
					caller:
						String(session.params.get('caller', itemIndex, '')).trim() === ''
							? undefined
							: number('Caller', 'caller'),
				},
			)
		: { caller: number('Caller', 'caller') };
	body.called = validate.allowedCalledNumber(
		field('Called', 'called'),
		number('Called', 'called'),
		options.allowedCalledNumbers,
	);
	if (backEnd === 'ita')
		refuseUnsupported(extra, NOT_ON_ITA, field, 'the ITA back end', 'choose the AICC back end');
	if (v3) refuseUnsupported(extra, NOT_ON_V3, field, 'createCall V3', 'choose API Version V1');
	withOptional(body, {
		agentWorkNo: validate.agentWorkNo(field('Agent Work Number', 'agentWorkNo'), extra.agentWorkNo),
		callData: validate.callData(field('Call Data', 'callData'), extra.callData),
		callerPresent: validate.displayNumber(
			field('Caller Present', 'callerPresent'),
			extra.callerPresent,
			options.numbersAsGiven,
		),
		agentPresent: validate.displayNumber(
			field('Agent Present', 'agentPresent'),
			extra.agentPresent,
			options.numbersAsGiven,
		),
		callBackUrl: validate.callbackUrl(field('Callback URL', 'callBackUrl'), extra.callBackUrl),
	});

	return {
		request: {
			path: PATHS[apiVersion] ?? PATHS.v1,
			body,
			family: 'bidirectional',
			what: 'the bidirectional call request',
			itemIndex,
			limits: options,
		},
		output: (answer) => ({
			success: true,
			retCode: '0',
			message:
				returnTextOf(answer) ||
				'AICC accepted the call: it calls the agent, then connects the customer',
			callSerialNo: callSerialNoOf(answer.result),
			...(options.includeRawResponse ? { rawResponse: answer } : {}),
		}),
	};
}
