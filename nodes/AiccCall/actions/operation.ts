import type {
	IBinaryKeyData,
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
} from 'n8n-workflow';

import type { AiccSession, PreparedCall } from '../transport';

/**
 * What one `<operation>.operation.ts` file exports as `operation`: its menu entry, its fields
 * and how it runs. The resource's index lists the files; the menu, the router's table and each
 * field's "show only for this operation" derive from that list (and a test checks the node's
 * subtitle against it: n8n's lint wants the subtitle written out).
 */
interface OperationBase {
	/** The Operation parameter's value, e.g. "getState". */
	value: string;
	/** The menu entry and subtitle, e.g. "Get Call State". */
	name: string;
	description: string;
	/** The operation's own fields, without the resource and operation conditions. */
	properties: INodeProperties[];
}

/**
 * An output item that carries files (n8n binary data, made with `this.helpers.prepareBinaryData`)
 * besides its JSON: what an operation returns to attach a file to its item.
 */
export class ItemWithBinary {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

/** What an operation's `execute` returns for an input item: one output item, several, or files. */
export type OperationOutput = IDataObject | IDataObject[] | ItemWithBinary;

/** The output items (before the router pairs them to their input item) an output becomes. */
export function outputItems(output: OperationOutput): INodeExecutionData[] {
	if (output instanceof ItemWithBinary) return [{ json: output.json, binary: output.binary }];
	return (Array.isArray(output) ? output : [output]).map((json) => ({ json }));
}

/** An operation that places no call: its `execute` runs per item. */
export interface ReadingOperation extends OperationBase {
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		session: AiccSession,
	): Promise<OperationOutput>;
	/** Looks at what the run's items gave (undefined for an item that failed), e.g. to add a hint. */
	finish?(this: IExecuteFunctions, outputs: Array<OperationOutput | undefined>): void;
}

/**
 * An operation that places calls: its `prepare` checks an item and builds its request, for every
 * item before the first is sent.
 */
export interface PlacingOperation extends OperationBase {
	prepare(this: IExecuteFunctions, itemIndex: number, session: AiccSession): PreparedCall;
	/** What `PreparedCall.sameCall` holds, in words, for the item a duplicate becomes. */
	sameCallMeans: string;
}

export type Operation = ReadingOperation | PlacingOperation;

/**
 * Whether an operation places calls: it has a `prepare`. Which AICC APIs place calls is written
 * in `shared/codes.ts`; an operation that calls one prepares its requests before any is sent.
 */
export function placesCalls(operation: Operation): operation is PlacingOperation {
	return 'prepare' in operation;
}

/** The editor's methods of a node: `listSearch` (a resource locator's list), `loadOptions`, … */
export type NodeMethods = NonNullable<INodeType['methods']>;

/**
 * One resource of the node (one folder under `actions/`): its entry in the Resource menu and its
 * operations. The node's menus and fields, and the router's table, derive from the list of
 * resources in `actions/resources.ts`.
 */
export interface Resource {
	/** The Resource parameter's value, e.g. "call". */
	value: string;
	/** The Resource menu entry, e.g. "Call". */
	name: string;
	operations: Operation[];
	/** The operation a new node of this resource starts with. */
	defaultOperation: string;
	/**
	 * The editor methods its fields name (e.g. `listSearch.searchVoices` for a resource locator's
	 * list); the node's `methods` merge every resource's.
	 */
	methods?: NodeMethods;
}

/** Every resource's editor methods in one object, as the node class declares them. */
export function mergedMethods(resources: Resource[]): NodeMethods {
	const merged: Record<string, Record<string, unknown>> = {};
	for (const { value, methods = {} } of resources) {
		for (const [kind, functions] of Object.entries(methods)) {
			const into = (merged[kind] ??= {});
			for (const [name, method] of Object.entries(functions as Record<string, unknown>)) {
				if (name in into) throw new Error(`Resource ${value}: method ${kind}.${name} is taken`);
				into[name] = method;
			}
		}
	}
	return merged as NodeMethods;
}

/**
 * Shows each property only for this resource and operation, besides its own conditions. The
 * resource and operation come first: n8n shows a field as soon as one condition it reaches names
 * a field set by an expression, so another operation's field (with the same condition, e.g. on
 * `apiVersion`) must be ruled out before that.
 */
function showOnlyFor(resource: string, operation: string, properties: INodeProperties[]) {
	return properties.map((property): INodeProperties => {
		const own: IDisplayOptions = property.displayOptions ?? {};
		return {
			...property,
			displayOptions: {
				...own,
				show: { resource: [resource], operation: [operation], ...own.show },
			},
		};
	});
}

/**
 * An operation's name in sentence case, e.g. "Get recording URL" for "Get Recording URL": its
 * entry in the editor's action list, a new node's default name (short enough for the canvas) and
 * what n8n tells an AI agent the tool does.
 */
export function actionOf(name: string): string {
	return name
		.split(' ')
		.map((word, index) => (index === 0 || word === word.toUpperCase() ? word : word.toLowerCase()))
		.join(' ');
}

/** A resource's Operation menu (alphabetical, as n8n asks) and every operation's fields. */
export function resourceProperties({
	value: resource,
	operations,
	defaultOperation,
}: Resource): INodeProperties[] {
	const menu: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [...operations]
			.sort((a, b) => a.name.localeCompare(b.name))
			.map(({ name, value, description }) => ({
				name,
				value,
				description,
				action: actionOf(name),
			})),
		default: defaultOperation,
	};
	return [
		menu,
		...operations.flatMap((operation) =>
			showOnlyFor(resource, operation.value, operation.properties),
		),
	];
}
