import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as validate from '../../helpers/validation';
import { aiccRequest, type AiccSession } from '../../transport';
import { callSerialNoField } from './fields';
import { readCallOptions } from './options';

const PATH = '/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress';

/** AICC's recording URLs are valid for 5 minutes. */
const VALID_MS = 5 * 60 * 1000;

const show = { resource: ['call'], operation: ['getRecordingUrl'] };

export const description: INodeProperties[] = [
	callSerialNoField(
		show,
		'The callSerialNo of an answered call. The URL AICC returns is valid for 5 minutes: download it right away.',
	),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): Promise<IDataObject> {
	const node = this.getNode();
	const serial = validate.callSerialNo(
		{ node, itemIndex, label: 'Call Serial Number', name: 'callSerialNo' },
		session.params.get('callSerialNo', itemIndex, ''),
	);
	const options = readCallOptions(this, session, itemIndex);
	const askedAt = Date.now();
	const answer = await aiccRequest(this, session, {
		path: PATH,
		body: { callSerialNo: serial },
		family: 'recording',
		what: 'the recording address request',
		itemIndex,
		limits: options,
	});
	const result = (answer.result ?? {}) as IDataObject;
	return {
		callSerialNo: serial,
		url: typeof result.url === 'string' ? result.url : '',
		expiresAt: new Date(askedAt + VALID_MS).toISOString(),
		...(options.includeRawResponse ? { rawResponse: answer } : {}),
	};
}
