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

const PATH = '/apiaccess/ccmessaging/v1/mobileagent/createcall';

const show = { resource: ['call'], operation: ['createAnonymous'] };

export const description: INodeProperties[] = [
	calledField(
		show,
		"The customer's phone number. AICC creates the task; a client SDK then dials the returned SIP address.",
	),
	additionalFields(show, [
		callDataOption(),
		displayNumberOption(
			'Caller Present',
			'callerPresent',
			"The number shown to the customer and the customer manager. Empty uses the platform's calling number.",
		),
	]),
];

/** Checks the item's fields and builds its request; sends nothing. */
export function prepare(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): PreparedCall {
	const node = this.getNode();
	const field = (label: string, name: string) => ({ node, itemIndex, label, name });
	const options = readCallOptions(this, session, itemIndex);
	const extra = session.params.get('additionalFields', itemIndex, {}) as IDataObject;
	const called = validate.phoneNumber(
		field('Called', 'called'),
		session.params.get('called', itemIndex, ''),
		options.numbersAsGiven,
		'13800138000',
	);

	const body = withOptional(
		{
			called: validate.allowedCalledNumber(
				field('Called', 'called'),
				called,
				options.allowedCalledNumbers,
			),
		},
		{
			callData: validate.callData(field('Call Data', 'callData'), extra.callData),
			callerPresent: validate.displayNumber(
				field('Caller Present', 'callerPresent'),
				extra.callerPresent,
				options.numbersAsGiven,
			),
		},
	);

	return {
		request: {
			path: PATH,
			body,
			family: 'anonymous',
			what: 'the anonymous call request',
			itemIndex,
			limits: options,
		},
		output: (answer) => {
			const data = (answer.resultData ?? {}) as IDataObject;
			return {
				success: true,
				retCode: '0',
				message: returnTextOf(answer) || 'AICC created the anonymous call task',
				callSerialNo: callSerialNoOf(data),
				sipServiceAddress: typeof data.sipServiceAddress === 'string' ? data.sipServiceAddress : '',
				accessCode:
					data.accesscode === undefined || data.accesscode === null ? '' : String(data.accesscode),
				...(options.includeRawResponse ? { rawResponse: answer } : {}),
			};
		},
	};
}
