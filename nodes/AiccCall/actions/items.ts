import { NodeApiError, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { itemNumber } from '../helpers/validation';
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

/**
 * The error the node stops with, failed by item `itemIndex` (undefined: by no one item), without
 * n8n's item index. With the index, n8n's editor adds its own count from 0 when the input holds
 * several items ("Called in item 3 is … [item 2]"), which a newcomer read as two items. So the
 * message names the item as the package counts, from 1: validation's messages do already; others
 * (AICC's answers) get "(item 3)" when there are several items.
 */
export function stoppingError(
	error: NodeError,
	itemIndex: number | undefined,
	itemCount: number,
): NodeError {
	delete error.context.itemIndex;
	if (itemIndex === undefined || itemCount < 2) return error;
	const item = `item ${itemNumber(itemIndex)}`;
	if (!new RegExp(`\\b${item}\\b`).test(error.message))
		error.message = `${error.message} (${item})`;
	return error;
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
