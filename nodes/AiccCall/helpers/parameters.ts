import {
	isSafeObjectProperty,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

/**
 * `={{ $json.name }}` or `={{ $json["name"] }}`: the whole parameter is one field of the item, the
 * way most workflows map a number or a serial number into the node.
 */
const ITEM_FIELD =
	/^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\])\s*\}\}$/;

/**
 * Whether the running n8n's expressions refuse a name (`constructor`, `caller`, …): its own list
 * decides. n8n before 1.100 has none to ask, and there every mapping stays n8n's to evaluate.
 */
function guardedByN8n(field: string): boolean {
	return typeof isSafeObjectProperty !== 'function' || !isSafeObjectProperty(field);
}

/** The field a parameter maps as a whole, or null when it is any other expression. */
function itemFieldOf(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const match = ITEM_FIELD.exec(raw);
	const field = match ? (match[1] ?? match[2] ?? match[3]) : undefined;
	return field === undefined || guardedByN8n(field) ? null : field;
}

/** A value n8n's expression would return exactly as it is: text, a finite number or a boolean. */
function isPlainValue(value: unknown): value is string | number | boolean {
	return (
		typeof value === 'string' ||
		typeof value === 'boolean' ||
		(typeof value === 'number' && Number.isFinite(value))
	);
}

/**
 * Where a parameter's value comes from, worked out once per run: the same value for every item,
 * a field of each item, or n8n's getNodeParameter.
 */
type Source = { value: unknown } | { field: string } | 'n8n';

/**
 * Node parameters for an item. A parameter that holds no expression is the same for every item,
 * so it is read once per run. A parameter that maps one field of the item (`={{ $json.phone }}`)
 * is read from the item when the field holds text, a number or a boolean: the value n8n's
 * expression engine would return, without its cost (about 1 ms per item, more than the rest of
 * the item's work). n8n's getNodeParameter (which evaluates expressions and copies values) runs
 * for every other expression, for a mapped field that is missing or holds anything else, and for
 * a name n8n's expressions refuse, so its errors and conversions stay n8n's. n8n fills in the
 * default of every parameter the editor shows, so defaults are declared once, in the fields.
 * Callers must not change the values.
 */
class ParameterReader {
	private readonly sources = new Map<string, Source>();

	private readonly raw: Record<string, unknown>;

	private readonly items: INodeExecutionData[];

	/** n8n's getNode() deep-copies the node on every call; one copy serves the run. */
	readonly node: INode;

	constructor(private readonly ctx: IExecuteFunctions) {
		this.node = ctx.getNode();
		this.raw = this.node.parameters;
		this.items = ctx.getInputData();
	}

	get(name: string, itemIndex: number): unknown {
		const source = this.sourceOf(name);
		if (source !== 'n8n') {
			if ('value' in source) return source.value;
			const value = this.fieldValue(source.field, itemIndex);
			if (value !== undefined) return value;
		}
		return this.ctx.getNodeParameter(name, itemIndex);
	}

	private sourceOf(name: string): Source {
		let source = this.sources.get(name);
		if (source === undefined) {
			const raw = this.raw[name];
			if (raw !== undefined && !hasExpression(raw)) {
				source = { value: raw };
			} else {
				const field = itemFieldOf(raw);
				source = field === null ? 'n8n' : { field };
			}
			this.sources.set(name, source);
		}
		return source;
	}

	/** An item's field, when it holds a plain value. */
	private fieldValue(field: string, itemIndex: number): unknown {
		const json: IDataObject | undefined = this.items[itemIndex]?.json;
		if (!json || !Object.prototype.hasOwnProperty.call(json, field)) return undefined;
		const value = json[field];
		return isPlainValue(value) ? value : undefined;
	}
}

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

const readers = new WeakMap<IExecuteFunctions, ParameterReader>();

function readerOf(ctx: IExecuteFunctions): ParameterReader {
	let reader = readers.get(ctx);
	if (reader === undefined) {
		reader = new ParameterReader(ctx);
		readers.set(ctx, reader);
	}
	return reader;
}

/** The value of the node parameter `name` for an item. */
export function parameter<T = unknown>(ctx: IExecuteFunctions, name: string, itemIndex: number): T {
	return readerOf(ctx).get(name, itemIndex) as T;
}

/** The node, as getNode() returns it, read once per run, for errors. Callers must not change it. */
export function nodeOf(ctx: IExecuteFunctions): INode {
	return readerOf(ctx).node;
}
