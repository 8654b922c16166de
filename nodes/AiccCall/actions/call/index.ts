import type { INodeProperties } from 'n8n-workflow';

import * as createAnonymous from './createAnonymous.operation';
import * as createBidirectional from './createBidirectional.operation';
import { callOptions } from './options';

export { createAnonymous, createBidirectional };

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
				action: 'Create an anonymous call',
			},
			{
				name: 'Create Bidirectional Call',
				value: 'createBidirectional',
				description: 'Call the agent first, then connect the customer',
				action: 'Create a bidirectional call',
			},
		],
		default: 'createBidirectional',
	},
	...createBidirectional.description,
	...createAnonymous.description,
	callOptions,
];
