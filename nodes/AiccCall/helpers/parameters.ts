import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

/**
 * Reads node parameters for an item. A parameter that holds no expression is the same for
 * every item, so it is read once per run; n8n's getNodeParameter (which evaluates expressions
 * and copies values) runs only for parameters that can differ per item. Values are not to be
 * changed by the caller.
 */
export class ParameterReader {
	private readonly constant = new Map<string, unknown>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	get<T>(name: string, itemIndex: number, fallback: T): T {
		if (this.constant.has(name)) return this.constant.get(name) as T;
		const raw = this.ctx.getNode().parameters[name];
		if (raw === undefined || !hasExpression(raw)) {
			const value = raw === undefined ? fallback : raw;
			this.constant.set(name, value);
			return value as T;
		}
		return this.ctx.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType) as T;
	}
}

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}
