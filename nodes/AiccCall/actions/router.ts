import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { failureError, type Failure } from '../../../shared/failures';
import { ledgerOf, type RunLedger } from '../helpers/ledger';
import { aiccRequest, openSession, type AiccSession } from '../transport';
import { outputItems, placesCalls, type OperationOutput, type PlacingOperation } from './operation';
import { readRunOptions } from './options';
import { operationOf } from './resources';

type NodeError = NodeApiError | NodeOperationError;
type ItemResult = { ok: true; json: OperationOutput } | { ok: false; error: NodeError };

/** How many invalid items, or placed calls, an error names before it only counts the rest. */
const LISTED = 20;

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

async function settle(
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

function listed<T>(entries: T[], line: (entry: T) => string): string {
	const shown = entries.slice(0, LISTED).map(line);
	const more = entries.length - shown.length;
	return [...shown, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
}

/** One error for every invalid item of a call-placing run: nothing was sent. */
function invalidItemsError(ctx: IExecuteFunctions, invalid: Array<[number, NodeError]>): NodeError {
	if (invalid.length === 1) return invalid[0][1];
	const error = new NodeOperationError(
		ctx.getNode(),
		`${invalid.length} items are invalid, so no call was placed`,
		{
			itemIndex: invalid[0][0],
			description:
				`Fix these items (or set the node to continue on fail to call the valid ` +
				`ones):\n${listed(invalid, ([, item]) => item.message)}`,
		},
	);
	error.context.outcome = 'notPlaced';
	error.context.invalidItems = invalid.map(([itemIndex, item]) => ({
		item: itemIndex,
		message: item.message,
	}));
	return error;
}

/**
 * What a failed call request's error says, to fail the item the same way on a retry without
 * sending it.
 */
function factsOf(error: NodeError): Failure {
	const { httpStatus, retCode } = error.context as { httpStatus?: number; retCode?: string };
	return {
		message: error.message,
		description: error.description ?? '',
		outcome: 'unknown',
		...(httpStatus === undefined ? {} : { httpStatus }),
		...(retCode === undefined ? {} : { retCode }),
	};
}

/** An item of this run whose call was placed, or may have been. */
interface PlacedCall {
	item: number;
	callSerialNo?: string;
	outcome: 'placed' | 'unknown';
	message?: string;
}

/**
 * The error that fails a call-placing run, made to name every call the run placed or may have
 * placed, so that the user can leave those items out before running again.
 */
function withPlacedCalls(error: NodeError, placed: PlacedCall[]): NodeError {
	if (placed.length === 0) return error;
	const lines = listed(placed, (entry) =>
		entry.outcome === 'placed'
			? `item ${entry.item}: placed, callSerialNo ${entry.callSerialNo || '(none returned)'}`
			: `item ${entry.item}: may have been placed (${entry.message ?? 'outcome unknown'})`,
	);
	const calls = placed.length === 1 ? 'call was' : 'calls were';
	error.message =
		`${error.message} (${placed.length} other ${calls} placed or may have been ` +
		`placed by this run: see the details before running it again)`;
	error.description =
		`${error.description ?? ''}\n\nAlready placed, or possibly placed, by this run; leave these ` +
		`items out before running it again, or their customers are called twice:\n${lines}`.trim();
	error.context.placedCalls = placed;
	return error;
}

/**
 * The ledger that keeps n8n's Retry On Fail from dialing an item twice, when that setting is on.
 * Refuses the run when there is no execution to tie the ledger to.
 */
function ledgerFor(ctx: IExecuteFunctions): RunLedger | undefined {
	const node = ctx.getNode();
	if (node.retryOnFail !== true) return undefined;
	const executionId = ctx.getExecutionId();
	if (!executionId) {
		throw new NodeOperationError(
			node,
			'Retry On Fail is on, but this run has no execution ID, so the node cannot tell a retry ' +
				'from a new run',
			{
				description:
					'No call was placed. Turn off Retry On Fail in the node settings: a retry could ' +
					'otherwise call the same customers twice.',
			},
		);
	}
	return ledgerOf(executionId, node.id ?? node.name, ctx.getWorkflowDataProxy(0).$runIndex);
}

/**
 * How a call-placing operation runs an item: every item is checked before the first request
 * (without Continue On Fail, one invalid item means no request at all), and under Retry On Fail an
 * item whose call was placed, or may have been, returns what the earlier try got instead of
 * sending again.
 */
function placingRunner(
	ctx: IExecuteFunctions,
	chosen: PlacingOperation,
	session: AiccSession,
	ledger: RunLedger | undefined,
	continueOnFail: boolean,
): (itemIndex: number) => Promise<ItemResult> {
	const prepared = ctx.getInputData().map((_, itemIndex) => {
		try {
			return chosen.prepare.call(ctx, itemIndex, session);
		} catch (error) {
			return asNodeError(ctx, error, itemIndex);
		}
	});
	const invalid = prepared.flatMap(
		(entry, itemIndex): Array<[number, NodeError]> =>
			entry instanceof Error && !ledger?.get(itemIndex) ? [[itemIndex, entry]] : [],
	);
	if (!continueOnFail && invalid.length > 0) throw invalidItemsError(ctx, invalid);
	return async (itemIndex) => {
		const earlier = ledger?.get(itemIndex);
		if (earlier) {
			return earlier.placed
				? { ok: true, json: earlier.json }
				: { ok: false, error: failureError(ctx.getNode(), itemIndex, earlier.failure) };
		}
		const entry = prepared[itemIndex];
		if (entry instanceof Error) return { ok: false, error: entry };
		const result = await settle(ctx, itemIndex, async () =>
			entry.output(await aiccRequest(ctx, session, entry.request)),
		);
		if (result.ok) ledger?.record(itemIndex, { placed: true, json: result.json as IDataObject });
		else if (result.error.context.outcome !== 'notPlaced')
			ledger?.record(itemIndex, { placed: false, failure: factsOf(result.error) });
		return result;
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

/** Every call a failed run placed or may have placed, besides the item that failed it. */
function placedCallsBesides(results: ItemResult[], firstFailure: number): PlacedCall[] {
	return results.flatMap((result, itemIndex): PlacedCall[] => {
		if (result === undefined || itemIndex === firstFailure) return [];
		if (result.ok)
			return [
				{
					item: itemIndex,
					callSerialNo: (result.json as IDataObject).callSerialNo as string,
					outcome: 'placed',
				},
			];
		return result.error.context.outcome === 'notPlaced'
			? []
			: [{ item: itemIndex, outcome: 'unknown', message: result.error.message }];
	});
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
		runOptions = readRunOptions(this);
	} catch (error) {
		// A run option the whole run depends on: with Continue On Fail, every item fails with it.
		const failure = asNodeError(this, error, 0);
		if (!continueOnFail) throw failure;
		return [items.map((_, itemIndex) => failedItem(failure, itemIndex, toErrorOutput, placing))];
	}
	const ledger = placing ? ledgerFor(this) : undefined;
	const session = await openSession(this, runOptions.perSecond);
	const runItem = placesCalls(chosen)
		? placingRunner(this, chosen, session, ledger, continueOnFail)
		: async (itemIndex: number) =>
				await settle(
					this,
					itemIndex,
					async () => await chosen.execute.call(this, itemIndex, session),
				);
	const { results, failed } = await runAll(
		items.length,
		runOptions.concurrency,
		continueOnFail,
		runItem,
	);
	if (failed && !continueOnFail) {
		const firstFailure = results.findIndex((result) => result !== undefined && !result.ok);
		const error = (results[firstFailure] as { error: NodeError }).error;
		throw placing ? withPlacedCalls(error, placedCallsBesides(results, firstFailure)) : error;
	}
	return [
		results.flatMap((result, itemIndex) => {
			if (!result.ok) return [failedItem(result.error, itemIndex, toErrorOutput, placing)];
			return outputItems(result.json).map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
		}),
	];
}
