import type { IExecuteFunctions, INode } from 'n8n-workflow';

/**
 * Node parameters for an item. A parameter that holds no expression is the same for every item,
 * so it is read once per run; n8n's getNodeParameter (which evaluates expressions and copies
 * values) runs only for parameters that can differ per item. n8n fills in the default of every
 * parameter the editor shows, so defaults are declared once, in the fields. Callers must not
 * change the values.
 */
class ParameterReader {
	private readonly constant = new Map<string, unknown>();

	private readonly raw: Record<string, unknown>;

	/** n8n's getNode() deep-copies the node on every call; one copy serves the run. */
	readonly node: INode;

	constructor(private readonly ctx: IExecuteFunctions) {
		this.node = ctx.getNode();
		this.raw = this.node.parameters;
	}

	get(name: string, itemIndex: number): unknown {
		if (this.constant.has(name)) return this.constant.get(name);
		const raw = this.raw[name];
		if (raw !== undefined && !hasExpression(raw)) {
			this.constant.set(name, raw);
			return raw;
		}
		return this.ctx.getNodeParameter(name, itemIndex);
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
