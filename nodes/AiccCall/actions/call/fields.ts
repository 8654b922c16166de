import type { IDataObject, IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Fields several operations have, described once; each operation says what differs. */

/** A number field from `min` to `max`; its default is also the example its errors give. */
export function numberProperty(
	displayName: string,
	name: string,
	[minValue, maxValue]: [number, number],
	defaultValue: number,
	description: string,
	more: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'number',
		default: defaultValue,
		description,
		...more,
		typeOptions: { minValue, maxValue, ...more.typeOptions },
	};
}

export function calledField(description: string): INodeProperties {
	return {
		displayName: 'Called',
		name: 'called',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 13800138000',
		description,
	};
}

export function additionalFields(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options,
	};
}

export function callDataOption(displayOptions?: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Call Data',
		name: 'callData',
		type: 'string',
		default: '',
		placeholder: 'e.g. lead-4711',
		description:
			'Up to 1024 characters AICC keeps with the call and returns in its records and ' +
			'callbacks, e.g. a CRM record ID',
		...(displayOptions ? { displayOptions } : {}),
	};
}

export function displayNumberOption(
	displayName: string,
	name: string,
	description: string,
	displayOptions?: IDisplayOptions,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		placeholder: 'e.g. 95599',
		description,
		...(displayOptions ? { displayOptions } : {}),
	};
}

export function callSerialNoField(description: string): INodeProperties {
	return {
		displayName: 'Call Serial Number',
		name: 'callSerialNo',
		type: 'string',
		required: true,
		// Mapped from the item before, as a node placed after Create Bidirectional Call needs it.
		default: '={{ $json.callSerialNo }}',
		placeholder: 'e.g. 1795322914835007919',
		description,
	};
}

/** Adds the optional fields that have a value to a request body. */
export function withOptional(
	body: IDataObject,
	optional: Record<string, string | undefined>,
): IDataObject {
	for (const [name, value] of Object.entries(optional)) {
		if (value !== undefined) body[name] = value;
	}
	return body;
}
