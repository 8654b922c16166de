import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { returnTextOf } from '../../../../shared/codes';
import { nodeOf, parameter } from '../../helpers/parameters';
import * as validate from '../../helpers/validation';
import type { PreparedCall } from '../../transport';
import type { PlacingOperation } from '../operation';
import { readCallOptions } from '../options';
import {
	additionalFields,
	callDataOption,
	calledField,
	displayNumberOption,
	withOptional,
} from './fields';
import { callSerialNoOf, withRawResponse } from './output';

const PATHS: Record<string, string> = {
	v1: '/apiaccess/CC-Management/v1/mobileAgent/createCall',
	v3: '/apiaccess/CC-Management/v3/mobileAgent/createCall',
};

const onAiccBackEnd = { show: { '/backEnd': ['aicc'] } };
const onV1 = { show: { '/apiVersion': ['v1'] } };
const onV1AndAicc = { show: { '/apiVersion': ['v1'], '/backEnd': ['aicc'] } };
const PRESENT_DESCRIPTION =
	"the tenant's access code, or 11 to 14 digits where O&M enabled calling number anonymization. " +
	"Empty uses the tenant's access code.";

const NOT_ON_ITA = ['callData', 'callerPresent', 'agentPresent'];
const NOT_ON_V3 = ['agentPresent', 'callBackUrl'];

/** Refuses a field the chosen API or back end does not take, rather than dropping it silently. */
function refuseUnsupported(
	additional: IDataObject,
	names: string[],
	field: ReturnType<typeof validate.fieldOf>,
	refuser: string,
	fix: string,
) {
	for (const name of names) {
		if (additional[name] !== undefined && additional[name] !== '') {
			const ref = field(name);
			throw validate.invalidField(
				ref,
				`is set, but ${refuser} does not take it`,
				`Remove ${ref.label} from Additional Fields (an expression may fill it), or ${fix}.`,
			);
		}
	}
}

/** The item's Additional Fields, each checked (undefined where not set). */
function checkedAdditionalFields(
	field: ReturnType<typeof validate.fieldOf>,
	additional: IDataObject,
	numbersAsGiven: boolean,
): Record<string, string | undefined> {
	return {
		agentWorkNo: validate.agentWorkNo(field('agentWorkNo'), additional.agentWorkNo),
		callData: validate.callData(field('callData'), additional.callData),
		callerPresent: validate.displayNumber(
			field('callerPresent'),
			additional.callerPresent,
			numbersAsGiven,
		),
		agentPresent: validate.displayNumber(
			field('agentPresent'),
			additional.agentPresent,
			numbersAsGiven,
		),
		callBackUrl: validate.callbackUrl(field('callBackUrl'), additional.callBackUrl),
	};
}

/** Checks the item's fields and builds its request; sends nothing. */
function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const field = validate.fieldOf(nodeOf(this), itemIndex, validate.labelsOf(operation.properties));
	const options = readCallOptions(this, itemIndex);
	const apiVersion = parameter<string>(this, 'apiVersion', itemIndex);
	const backEnd = parameter<string>(this, 'backEnd', itemIndex);
	const additional = parameter<IDataObject>(this, 'additionalFields', itemIndex);
	const number = (name: string) =>
		validate.phoneNumber(
			field(name),
			parameter(this, name, itemIndex),
			options.numbersAsGiven,
			name === 'called' ? '13800138000' : '88889050',
		);

	const v3 = apiVersion === 'v3';
	const optionalCaller = String(parameter(this, 'caller', itemIndex) ?? '').trim() !== '';
	const body: IDataObject = v3
		? withOptional(
				{ softPhone: number('softPhone') },
				{ caller: optionalCaller ? number('caller') : undefined },
			)
		: { caller: number('caller') };
	body.called = validate.allowedCalledNumber(
		field('called'),
		number('called'),
		options.allowedCalledNumbers,
	);
	if (backEnd === 'ita') {
		refuseUnsupported(
			additional,
			NOT_ON_ITA,
			field,
			'the ITA back end',
			'choose the AICC back end',
		);
	}
	if (v3) refuseUnsupported(additional, NOT_ON_V3, field, 'createCall V3', 'choose API Version V1');
	withOptional(body, checkedAdditionalFields(field, additional, options.numbersAsGiven));

	return {
		request: {
			path: PATHS[apiVersion] ?? PATHS.v1,
			body,
			api: 'bidirectional',
			label: 'the bidirectional call request',
			itemIndex,
			limits: options,
		},
		sameCall: [body.called, body.caller ?? body.softPhone, body.callData ?? ''].map(String),
		output: (answer) =>
			withRawResponse(
				{
					success: true,
					retCode: '0',
					message:
						returnTextOf(answer) ||
						'AICC accepted the call: it calls the agent, then connects the customer',
					callSerialNo: callSerialNoOf(answer.result),
				},
				answer,
				options,
			),
	};
}

export const operation: PlacingOperation = {
	value: 'createBidirectional',
	name: 'Create Bidirectional Call',
	description: 'Call the agent first, then connect the customer',
	prepare,
	sameCallMeans: 'the same called number, agent and call data',
	properties: [
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				{
					name: 'V1',
					value: 'v1',
					description:
						'The createCall V1 API: the agent is reached on Caller; takes a callback URL',
				},
				{
					name: 'V3',
					value: 'v3',
					description:
						'The createCall V3 API: the agent is reached on a softphone; takes no Agent ' +
						'Present or callback URL',
				},
			],
			default: 'v1',
			description: 'Which version of the bidirectional call API to use',
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
						'The ITA bidirectional call, for tenants whose administrator chose it; takes no ' +
						'call data or display numbers',
				},
			],
			default: 'aicc',
			description: 'Which bidirectional call type the tenant administrator chose in AICC',
		},
		{
			displayName: 'Caller',
			name: 'caller',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 88889050',
			description:
				"The agent's mobile or softphone number. AICC calls it first and connects the " +
				'customer once the agent answers.',
			hint: 'The agent: AICC rings this number first',
			displayOptions: { show: { apiVersion: ['v1'] } },
		},
		{
			displayName: 'Soft Phone',
			name: 'softPhone',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 88889050',
			description:
				"The agent's softphone number (at most 32 characters). AICC calls it first and " +
				'connects the customer once the agent answers.',
			hint: 'The agent: AICC rings this softphone first',
			displayOptions: { show: { apiVersion: ['v3'] } },
		},
		{
			displayName: 'Caller',
			name: 'caller',
			type: 'string',
			default: '',
			placeholder: 'e.g. 88889050',
			description: "The agent's calling number, optional on V3",
			displayOptions: { show: { apiVersion: ['v3'] } },
		},
		{
			...calledField("The customer's phone number, called once the agent has answered"),
			hint: 'The customer: rung once the agent answers',
		},
		additionalFields([
			displayNumberOption(
				'Agent Present',
				'agentPresent',
				`The number the agent sees as calling: ${PRESENT_DESCRIPTION}`,
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
					'Where AICC posts the release (hang-up) callback of this call, e.g. the production ' +
					'URL of an AICC Trigger. Enter it plainly; the node Base64-encodes it. ' +
					'Only letters, digits and - : . / _ # ? & are allowed, and the host must be on the ' +
					"tenant's callback trust-list.",
				displayOptions: onV1,
			},
			displayNumberOption(
				'Caller Present',
				'callerPresent',
				`The number the customer sees as calling: ${PRESENT_DESCRIPTION}`,
				onAiccBackEnd,
			),
		]),
	],
};
