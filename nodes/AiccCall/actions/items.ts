import { NodeApiError, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { OperationOutput } from './operation';

/** What running one input item gave: its output JSON, or the error that failed it. */
export type NodeError = NodeApiError | NodeOperationError;
export type ItemResult = { ok: true; json: OperationOutput } | { ok: false; error: NodeError };

/** How many invalid items, or placed calls, an error names before it only counts the rest. */
const LISTED = 20;

export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

export async function settle(
	ctx: IExecuteFunctions,
	itemIndex: number,
	work: () => Promise<OperationOutput>,
): Promise<ItemResult> {
	return await Promise.resolve()
		.then(work)
		.then(
			(json): ItemResult => ({ ok: true, json }),
			(error: unknown): ItemResult => ({ ok: false, error: asNodeError(ctx, error, itemIndex) }),
		);
}

/** Up to LISTED lines, then how many more there are. */
export function listed<T>(entries: T[], line: (entry: T) => string): string {
	const shown = entries.slice(0, LISTED).map(line);
	const more = entries.length - shown.length;
	return [...shown, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
}

/** An error as one line: what happened, then (when it has one) how to fix it. */
export function withFix(error: NodeError): string {
	const fix = error.description ?? '';
	return fix === '' || error.message.includes(fix) ? error.message : `${error.message}. ${fix}`;
}
