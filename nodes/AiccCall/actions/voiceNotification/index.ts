import type { Operation, Resource } from '../operation';
import * as create from './create.operation';
import * as getVoices from './getVoices.operation';
import { searchTemplates, searchVoices } from './listSearch';

/** The Voice Notification resource's operations, one file each, in the order of their fields. */
export const operations: Operation[] = [create.operation, getVoices.operation];

export const resource: Resource = {
	value: 'voiceNotification',
	name: 'Voice Notification',
	operations,
	defaultOperation: create.operation.value,
	methods: { listSearch: { searchVoices, searchTemplates } },
};
