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

const PATH = '/apiaccess/ccmessaging/v1/mobileagent/createcall';

/** Checks the item's fields and builds its request; sends nothing. */
function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const field = validate.fieldOf(nodeOf(this), itemIndex, validate.labelsOf(operation.properties));
	const options = readCallOptions(this, itemIndex);
	const additional = parameter<IDataObject>(this, 'additionalFields', itemIndex);
	const called = validate.phoneNumber(
		field('called'),
		parameter(this, 'called', itemIndex),
		options.numbersAsGiven,
		'13800138000',
	);

	const body = withOptional(
		{
			called: validate.allowedCalledNumber(field('called'), called, options.allowedCalledNumbers),
		},
		{
			callData: validate.callData(field('callData'), additional.callData),
			callerPresent: validate.displayNumber(
				field('callerPresent'),
				additional.callerPresent,
				options.numbersAsGiven,
			),
		},
	);

	return {
		request: {
			path: PATH,
			body,
			api: 'anonymous',
			label: 'the anonymous call request',
			itemIndex,
			limits: options,
		},
		sameCall: [body.called, body.callData ?? ''].map(String),
		output: (answer) => {
			const data = (answer.resultData ?? {}) as IDataObject;
			const accessCode = data.accesscode;
			return withRawResponse(
				{
					success: true,
					retCode: '0',
					message: returnTextOf(answer) || 'AICC created the anonymous call task',
					callSerialNo: callSerialNoOf(data),
					sipServiceAddress:
						typeof data.sipServiceAddress === 'string' ? data.sipServiceAddress : '',
					accessCode: accessCode === undefined || accessCode === null ? '' : String(accessCode),
				},
				answer,
				options,
			);
		},
	};
}

export const operation: PlacingOperation = {
	value: 'createAnonymous',
	name: 'Create Anonymous Call',
	description: 'Create a masked outbound call task that a client SDK then dials',
	prepare,
	sameCallMeans: 'the same called number and call data',
	properties: [
		calledField(
			"The customer's phone number. AICC creates the task; a client SDK then dials the " +
				'returned SIP address.',
		),
		additionalFields([
			callDataOption(),
			displayNumberOption(
				'Caller Present',
				'callerPresent',
				'The number shown to the customer and the customer manager. Empty uses the ' +
					"platform's calling number.",
			),
		]),
	],
};
