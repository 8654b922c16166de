import type { INodeProperties } from 'n8n-workflow';

import * as call from './call';
import * as voiceNotification from './voiceNotification';
import {
	mergedMethods,
	placesCalls,
	resourceProperties,
	type Operation,
	type Resource,
} from './operation';
import { optionsProperty } from './options';

/** The node's resources, one folder each under `actions/`. */
export const resources: Resource[] = [call.resource, voiceNotification.resource];

/** The editor methods (resource locators' lists) every resource contributes. */
export const methods = mergedMethods(resources);

/** The operation a run asked for, if the node has it. */
export function operationOf(resource: string, operation: string): Operation | undefined {
	return resources
		.find(({ value }) => value === resource)
		?.operations.find(({ value }) => value === operation);
}

/** The node's fields: the Resource menu, each resource's operations and fields, the Options. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [...resources]
			.sort((a, b) => a.name.localeCompare(b.name))
			.map(({ name, value }) => ({ name, value })),
		// n8n's lint wants a literal here; test/node.test.js checks that it is a resource.
		default: 'call',
	},
	...resources.flatMap(resourceProperties),
	optionsProperty(
		resources
			.flatMap(({ operations }) => operations)
			.filter(placesCalls)
			.map(({ value }) => value),
	),
];
