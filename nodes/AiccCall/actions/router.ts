import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { openSession, type AiccSession } from '../transport';
import * as call from './call';
import { readRunOptions } from './call/options';

type Execute = (this: IExecuteFunctions, itemIndex: number, session: AiccSession) => Promise<IDataObject | IDataObject[]>;

/** Each operation, and whether it places calls (its failures then say whether a call may have been placed). */
interface Operation {
	execute: Execute;
	placesCalls: boolean;
}

const operations: Record<string, Record<string, Operation>> = {
	call: {
		createAnonymous: { execute: call.createAnonymous.execute, placesCalls: true },
		createBidirectional: { execute: call.createBidirectional.execute, placesCalls: true },
		getRecordingUrl: { execute: call.getRecordingUrl.execute, placesCalls: false },
		getRecords: { execute: call.getRecords.execute, placesCalls: false },
		getState: { execute: call.getState.execute, placesCalls: false },
	},
};

type NodeError = NodeApiError | NodeOperationError;
type ItemResult = { ok: true; json: IDataObject | IDataObject[] } | { ok: false; error: NodeError };

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

async function runItem(ctx: IExecuteFunctions, session: AiccSession, execute: Execute, itemIndex: number): Promise<ItemResult> {
	return await Promise.resolve()
		.then(async () => await execute.call(ctx, itemIndex, session))
		.then(
			(json): ItemResult => ({ ok: true, json }),
			(error: unknown): ItemResult => ({ ok: false, error: asNodeError(ctx, error, itemIndex) }),
		);
}

/**
 * The item a failed input item becomes with Continue On Fail: what happened (`message`), what
 * to do (`error`), whether the call may have been placed (`outcome`) and AICC's code. n8n
 * replaces the JSON of any item that carries an error object, so the error stays out of the
 * item. n8n moves an item to the error output only when its JSON holds just `error` and
 * `message` (n8n 1.x; 2.x also allows `details`), so there `error` holds the rest.
 */
function failedItem(error: NodeError, itemIndex: number, toErrorOutput: boolean, placesCalls: boolean): INodeExecutionData {
	const facts = {
		success: false,
		...(placesCalls ? { outcome: (error.context.outcome as string | undefined) ?? 'unknown' } : {}),
		retCode: (error.context.retCode as string | undefined) ?? null,
	};
	const message = error.message;
	const fix = error.description ?? error.message;
	return {
		json: toErrorOutput ? { message, error: { ...facts, description: fix } } : { ...facts, message, error: fix },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Runs every input item through its operation, up to Concurrency at a time, and returns its
 * output items (one per input item; as many as it found for Get Call Records) in input order,
 * paired to it. Without Continue On Fail the first failure stops new items from starting, lets
 * those in flight finish, and fails the node.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	// Resource and operation take no expressions: one operation serves every item.
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const chosen = operations[resource]?.[operation];
	if (!chosen) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	const { concurrency, intervalMs } = readRunOptions(this);
	const session = await openSession(this, intervalMs);
	const results: INodeExecutionData[][] = new Array(items.length);
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	let firstError: NodeError | undefined;
	let next = 0;

	const worker = async () => {
		while (next < items.length && firstError === undefined) {
			const itemIndex = next++;
			const result = await runItem(this, session, chosen.execute, itemIndex);
			if (result.ok) {
				const jsons = Array.isArray(result.json) ? result.json : [result.json];
				results[itemIndex] = jsons.map((json) => ({ json, pairedItem: { item: itemIndex } }));
			} else if (continueOnFail) {
				results[itemIndex] = [failedItem(result.error, itemIndex, toErrorOutput, chosen.placesCalls)];
			} else {
				firstError ??= result.error;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
	if (firstError) throw firstError;
	return [results.flat()];
}
