import type { IDataObject } from 'n8n-workflow';

import type { CallOptions } from '../options';

/** The call serial number as a string of every digit AICC sent ('' when it sent none). */
export function callSerialNoOf(result: unknown): string {
	const value = (result as { callSerialNo?: unknown } | null | undefined)?.callSerialNo;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return '';
}

/** An output item, with AICC's answer as it was sent when Include Raw Response is on. */
export function withRawResponse(
	output: IDataObject,
	answer: IDataObject,
	options: CallOptions,
): IDataObject {
	return options.includeRawResponse ? { ...output, rawResponse: answer } : output;
}
