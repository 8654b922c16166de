import type { INodeProperties } from 'n8n-workflow';

import { resourceProperties, type Operation } from '../operation';
import { optionsProperty } from '../options';
import * as createAnonymous from './createAnonymous.operation';
import * as createBidirectional from './createBidirectional.operation';
import * as getRecordingUrl from './getRecordingUrl.operation';
import * as getRecords from './getRecords.operation';
import * as getState from './getState.operation';

/** The Call resource's operations, one file each, in the order their fields appear. */
export const operations: Operation[] = [
	createBidirectional.operation,
	createAnonymous.operation,
	getState.operation,
	getRecords.operation,
	getRecordingUrl.operation,
];

export const description: INodeProperties[] = [
	...resourceProperties('call', operations, createBidirectional.operation.value),
	optionsProperty(
		operations.filter((operation) => operation.placesCalls).map(({ value }) => value),
	),
];
