import type { Operation, Resource } from '../operation';
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

export const resource: Resource = {
	value: 'call',
	name: 'Call',
	operations,
	defaultOperation: createBidirectional.operation.value,
};
