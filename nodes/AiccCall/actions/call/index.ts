import type { INodeProperties } from 'n8n-workflow';

import * as createAnonymous from './createAnonymous.operation';
import * as createBidirectional from './createBidirectional.operation';
import * as getRecordingUrl from './getRecordingUrl.operation';
import * as getRecords from './getRecords.operation';
import * as getState from './getState.operation';
import { callOptions } from './options';

export { createAnonymous, createBidirectional, getRecordingUrl, getRecords, getState };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Create Anonymous Call',
				value: 'createAnonymous',
				description: 'Create a masked outbound call task that a client SDK then dials',
				action: 'Create a masked call task for a client SDK to dial',
			},
			{
				name: 'Create Bidirectional Call',
				value: 'createBidirectional',
				description: 'Call the agent first, then connect the customer',
				action: 'Call an agent then connect them to a customer',
			},
			{
				name: 'Get Call Records',
				value: 'getRecords',
				description: 'List the call records of any time range',
				action: 'Get call records',
			},
			{
				name: 'Get Call State',
				value: 'getState',
				description: "A call's state and, once it ended, why; can wait until it ends",
				action: 'Get the state of a call',
			},
			{
				name: 'Get Recording URL',
				value: 'getRecordingUrl',
				description: "A link to a call's recording, valid for 5 minutes",
				action: 'Get the recording URL of a call',
			},
		],
		default: 'createBidirectional',
	},
	...createBidirectional.description,
	...createAnonymous.description,
	...getState.description,
	...getRecords.description,
	...getRecordingUrl.description,
	callOptions,
];
