import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { nodeOf, parameter } from '../../helpers/parameters';
import * as validate from '../../helpers/validation';
import { aiccRequest, type AiccSession } from '../../transport';
import type { ReadingOperation } from '../operation';
import { readCallOptions } from '../options';
import { callSerialNoField } from './fields';
import { withRawResponse } from './output';

const PATH = '/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress';

/** AICC's recording URLs are valid for 5 minutes. */
const VALID_MS = 5 * 60 * 1000;

async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): Promise<IDataObject> {
	const serial = validate.callSerialNo(
		validate.fieldOf(nodeOf(this), itemIndex)('callSerialNo', 'Call Serial Number'),
		parameter(this, 'callSerialNo', itemIndex),
	);
	const options = readCallOptions(this, itemIndex);
	const askedAt = Date.now();
	const answer = await aiccRequest(this, session, {
		path: PATH,
		body: { callSerialNo: serial },
		api: 'recording',
		label: 'the recording address request',
		itemIndex,
		limits: options,
	});
	const result = (answer.result ?? {}) as IDataObject;
	return withRawResponse(
		{
			callSerialNo: serial,
			url: typeof result.url === 'string' ? result.url : '',
			expiresAt: new Date(askedAt + VALID_MS).toISOString(),
		},
		answer,
		options,
	);
}

export const operation: ReadingOperation = {
	value: 'getRecordingUrl',
	name: 'Get Recording URL',
	description: "A link to a call's recording, valid for 5 minutes",
	action: 'Get the recording URL of a call',
	execute,
	properties: [
		callSerialNoField(
			'The callSerialNo of an answered call. The URL AICC returns is valid for 5 minutes: ' +
				'download it right away.',
		),
	],
};
