import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { openSession } from '../transport';
import { asNodeError, settle, stoppingError, type ItemResult, type NodeError } from './items';
import { outputItems, placesCalls } from './operation';
import { readRunOptions } from './options';
import { PlacingRun, withPlacedCalls } from './placing';
import { operationOf } from './resources';

/**
 * The item a failed input item becomes with Continue On Fail: what happened (`message`), what
 * to do (`error`), whether the call may have been placed (`outcome`) and AICC's code. n8n
 * replaces the JSON of any item that carries an error object, so the error stays out of the
 * item. n8n moves an item to the error output only when its JSON holds just `error` and
 * `message` (n8n 1.x; 2.x also allows `details`), so there `error` holds the rest.
 */
function failedItem(
	error: NodeError,
	itemIndex: number,
	toErrorOutput: boolean,
	placing: boolean,
): INodeExecutionData {
	const facts = {
		success: false,
		...(placing ? { outcome: (error.context.outcome as string | undefined) ?? 'unknown' } : {}),
		retCode: (error.context.retCode as string | undefined) ?? null,
	};
	const message = error.message;
	const fix = error.description ?? error.message;
	return {
		json: toErrorOutput
			? { message, error: { ...facts, description: fix } }
			: { ...facts, message, error: fix },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Runs `count` items, up to `concurrency` at a time, keeping each result at its item's index.
 * Without Continue On Fail the first failure stops new items from starting; those in flight
 * finish.
 */
async function runAll(
	count: number,
	concurrency: number,
	continueOnFail: boolean,
	runItem: (itemIndex: number) => Promise<ItemResult>,
): Promise<{ results: ItemResult[]; failed: boolean }> {
	const results: ItemResult[] = new Array(count);
	let failed = false;
	let next = 0;
	const worker = async () => {
		while (next < count && !(failed && !continueOnFail)) {
			const itemIndex = next++;
			const result = await runItem(itemIndex);
			results[itemIndex] = result;
			if (!result.ok) failed = true;
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
	return { results, failed };
}

/**
 * Runs every input item through its operation, up to Concurrency at a time, and returns its
 * output items (one per input item; as many as it found for Get Call Records) in input order,
 * paired to it. Without Continue On Fail the first failure fails the node; for call-placing
 * operations its error names every call the run placed.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	// Resource and operation take no expressions: one operation serves every item.
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const chosen = operationOf(resource, operation);
	if (!chosen)
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	const placing = placesCalls(chosen);
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	let runOptions: ReturnType<typeof readRunOptions>;
	try {
		runOptions = readRunOptions(this, placing);
	} catch (error) {
		// A run option the whole run depends on: with Continue On Fail, every item fails with it.
		const failure = asNodeError(this, error, 0);
		if (!continueOnFail) throw stoppingError(failure, undefined, items.length);
		return [items.map((_, itemIndex) => failedItem(failure, itemIndex, toErrorOutput, placing))];
	}
	const session = await openSession(this, runOptions.perSecond);
	let placingRun: PlacingRun | undefined;
	let runItem: (itemIndex: number) => Promise<ItemResult>;
	if (placesCalls(chosen)) {
		const run = await PlacingRun.start(this, chosen, session, continueOnFail);
		placingRun = run;
		runItem = async (itemIndex) => await run.runItem(itemIndex);
	} else {
		runItem = async (itemIndex) =>
			await settle(
				this,
				itemIndex,
				async () => await chosen.execute.call(this, itemIndex, session),
			);
	}
	const { results, failed } = await runAll(
		items.length,
		runOptions.concurrency,
		continueOnFail,
		runItem,
	);
	await placingRun?.finish(results);
	if (failed && !continueOnFail) {
		const firstFailure = results.findIndex((result) => result !== undefined && !result.ok);
		const error = (results[firstFailure] as { error: NodeError }).error;
		const stopping = stoppingError(error, firstFailure, items.length);
		throw placingRun
			? withPlacedCalls(stopping, placingRun.placedCalls(results, firstFailure))
			: stopping;
	}
	if (!placesCalls(chosen))
		chosen.finish?.call(
			this,
			results.map((result) => (result?.ok ? result.json : undefined)),
		);
	return [
		results.flatMap((result, itemIndex) => {
			if (!result.ok) return [failedItem(result.error, itemIndex, toErrorOutput, placing)];
			return outputItems(result.json).map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
		}),
	];
}
