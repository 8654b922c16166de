import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { failureError } from '../../../../shared/failures';
import { nodeOf, parameter } from '../../helpers/parameters';
import * as validate from '../../helpers/validation';
import { aiccRequest, type AiccSession } from '../../transport';
import { downloadFile } from '../../transport/download';
import { ItemWithBinary, type OperationOutput, type ReadingOperation } from '../operation';
import { readCallOptions } from '../options';
import { callSerialNoField, numberProperty } from './fields';
import { withRawResponse } from './output';

const PATH = '/apiaccess/CC-Management/v1/mobileAgent/getRecordingAddress';

/** AICC's recording URLs are valid for 5 minutes. */
const VALID_MS = 5 * 60 * 1000;
const MEGABYTE = 1_048_576;

const downloadField: INodeProperties = {
	displayName: 'Download Recording',
	name: 'download',
	type: 'boolean',
	default: false,
	description:
		'Whether to download the recording into the item as a file (n8n binary data), e.g. to ' +
		'upload it to a CRM in the next node, before the link expires',
};

const binaryPropertyField: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field to put the file in',
	displayOptions: { show: { download: [true] } },
};

const maxSizeField = numberProperty(
	'Max File Size (MB)',
	'maxFileSize',
	[1, 1024],
	50,
	'A larger recording fails the item instead of filling the memory of n8n (an hour of 8 kHz ' +
		'16-bit WAV is about 55 MB). The Timeout option bounds the whole download.',
	{ displayOptions: { show: { download: [true] } } },
);

/** AICC's recording formats, for a file name when the link's path has no extension. */
const EXTENSIONS: Record<string, string> = {
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/wave': 'wav',
	'audio/vnd.wave': 'wav',
	'audio/mpeg': 'mp3',
	'audio/mp3': 'mp3',
	'audio/ogg': 'ogg',
	'audio/amr': 'amr',
};

/** `<callSerialNo>.<extension>`: the extension of the link's file, else of the MIME type. */
function fileNameOf(serial: string, url: string, mimeType: string): string {
	let fromPath: string | undefined;
	try {
		fromPath = /\.([a-z0-9]{1,5})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
	} catch {
		// Not a URL: the MIME type alone names the extension.
		fromPath = undefined;
	}
	const extension = fromPath ?? EXTENSIONS[mimeType.toLowerCase()];
	return extension ? `${serial}.${extension}` : serial;
}

async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): Promise<OperationOutput> {
	const field = validate.fieldOf(nodeOf(this), itemIndex);
	const serial = validate.callSerialNo(
		field('callSerialNo', 'Call Serial Number'),
		parameter(this, 'callSerialNo', itemIndex),
	);
	const download = parameter(this, 'download', itemIndex) === true;
	const binaryProperty = download
		? String(parameter(this, 'binaryPropertyName', itemIndex) ?? '').trim()
		: '';
	const maxMegabytes = download
		? validate.numberField(
				field('maxFileSize', 'Max File Size (MB)'),
				parameter(this, 'maxFileSize', itemIndex),
				maxSizeField,
			)
		: 0;
	if (download && binaryProperty === '') {
		throw validate.invalidField(
			field('binaryPropertyName', 'Put Output File in Field'),
			'is empty',
			'Enter the name of the binary field to put the recording in, e.g. data.',
		);
	}
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
	const url = typeof result.url === 'string' ? result.url : '';
	const json = withRawResponse(
		{ callSerialNo: serial, url, expiresAt: new Date(askedAt + VALID_MS).toISOString() },
		answer,
		options,
	);
	if (!download) return json;
	if (url === '') {
		throw failureError(this.getNode(), itemIndex, {
			message: `AICC returned no recording URL for call ${serial}`,
			description:
				'The call may have no recording (it was not answered, or recording is off for the ' +
				'tenant).',
			outcome: 'notPlaced',
		});
	}
	const file = await downloadFile(this, {
		url,
		maxBytes: maxMegabytes * MEGABYTE,
		timeoutMs: options.timeoutMs,
		itemIndex,
		expiresAt: askedAt + VALID_MS,
	});
	const binary = await this.helpers.prepareBinaryData(
		file.data,
		fileNameOf(serial, url, file.mimeType),
		file.mimeType || undefined,
	);
	return new ItemWithBinary(json, { [binaryProperty]: binary });
}

export const operation: ReadingOperation = {
	value: 'getRecordingUrl',
	name: 'Get Recording URL',
	description: "A link to a call's recording, valid for 5 minutes; or the recording as a file",
	execute,
	properties: [
		callSerialNoField(
			'The callSerialNo of an answered call. The URL AICC returns is valid for 5 minutes: ' +
				'download it right away (or turn on Download Recording).',
		),
		downloadField,
		binaryPropertyField,
		maxSizeField,
	],
};
