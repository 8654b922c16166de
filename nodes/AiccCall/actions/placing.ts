import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { failureError, type Failure } from '../../../shared/failures';
import { callBookOf, type CallBook } from '../helpers/callBook';
import { RunLedger, type Recorded } from '../helpers/ledger';
import * as repeats from '../helpers/repeats';
import { aiccRequest, type AiccSession, type PreparedCall } from '../transport';
import { itemNumber } from '../helpers/validation';
import {
	asNodeError,
	listed,
	settle,
	stoppingError,
	withFix,
	type ItemResult,
	type NodeError,
} from './items';
import type { PlacingOperation } from './operation';
import { readRepeatOptions, type RepeatOptions } from './options';

/**
 * How an operation that places calls runs its items. Every item is checked before the first
 * request (without Continue On Fail, one invalid item means no request at all). Then no item is
 * sent that AICC may already have acted on, whatever n8n runs again:
 * - Retry On Fail (the node again, same execution) and the Retry button of a failed execution
 *   (a new execution, same input): the run's ledger in the execution's context data returns what
 *   the earlier try or execution got;
 * - two retries of the same failed execution: each writes the run's items in the call book;
 * - a retry of an execution that crashed while placing calls: the batches it had begun are in
 *   the call book, by what the run's items are;
 * - a webhook delivered twice, a sub-workflow or an agent run again: the duplicate guard finds
 *   the same call from this node within the Duplicate Window in the call book.
 * Items not sent come out as items that say so (`skipped`, `skipReason`, `repeats`).
 */

/** Why an item was not sent, and which call it repeats. */
type SkipReason = 'placedBefore' | 'duplicate';
interface Repeated {
	executionId: string | null;
	callSerialNo: string | null;
	/** When the earlier call was sent (ISO), where known. */
	placedAt: string | null;
	outcome: 'placed' | 'unknown' | 'inFlight';
}

/** An item that was not sent: the earlier call's facts, and why. */
function skippedItem(
	reason: SkipReason,
	repeated: Repeated,
	message: string,
	earlier: IDataObject = {},
): IDataObject {
	const placed = repeated.outcome === 'placed';
	return {
		...earlier,
		success: placed,
		...(placed ? {} : { outcome: 'unknown' }),
		retCode: (earlier.retCode as string | undefined) ?? null,
		message,
		callSerialNo: repeated.callSerialNo ?? '',
		skipped: true,
		skipReason: reason,
		repeats: repeated,
	};
}

const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());

function fromSeen(seen: repeats.SeenCall | undefined): Repeated {
	return {
		executionId: seen?.executionId ?? null,
		callSerialNo: seen?.callSerialNo ?? null,
		placedAt: iso(seen?.at),
		outcome: seen?.outcome ?? 'unknown',
	};
}

/** "execution 42 placed this call at …", or what is known of it. */
function describeRepeated(repeated: Repeated, whose: string): string {
	const when = repeated.placedAt ? ` at ${repeated.placedAt}` : '';
	const serial = repeated.callSerialNo ? ` (callSerialNo ${repeated.callSerialNo})` : '';
	if (repeated.outcome === 'placed') return `${whose} placed this call${when}${serial}`;
	if (repeated.outcome === 'inFlight') return `${whose} is placing this call now${when}`;
	return `${whose} may have placed this call${when}`;
}

const minutesText = (minutes: number) => `${minutes} minute${minutes === 1 ? '' : 's'}`;

/**
 * How long the Duplicate Window holds the call back, and until when: a newcomer's call repeated
 * after 12 minutes was skipped "within the Duplicate Window of 10 minutes".
 */
function describeHold(repeat: RepeatOptions, repeated: Repeated): string {
	const now = Date.now();
	const placedAt = repeated.placedAt === null ? undefined : Date.parse(repeated.placedAt);
	const { until, exact } = repeats.heldUntil(repeat.windowMs, placedAt, now);
	const minutes = repeat.windowMs / 60_000;
	const elapsed = placedAt === undefined ? undefined : Math.floor((now - placedAt) / 60_000);
	let ago = '';
	if (elapsed !== undefined)
		ago = `That was ${elapsed < 1 ? 'less than a minute' : minutesText(elapsed)} ago. `;
	return (
		`${ago}The Duplicate Window of ${minutesText(minutes)} holds the same call back for ` +
		`${minutes} to ${2 * minutes} minutes after it was placed (it counts in steps of ` +
		`${minutesText(minutes)}): here until ${exact ? '' : 'at least '}` +
		`${new Date(until).toISOString()}.`
	);
}

const CHECK_RECORDS = " Check AICC's call records before calling again.";
const NONE_PLACED =
	'No call was placed: the node checks every item before the first call, and an invalid one ' +
	'stops them all.';

/** What became of an item this run: sent and placed or maybe placed, not placed, not sent. */
type Fate = 'placed' | 'unknown' | 'notPlaced' | 'skipped';

/** An item a batch wrote down: the entries it wrote first, and what the book answered. */
interface Claim {
	/** Entries this item was the first to write: crossed out if its call is not placed. */
	own: string[];
	verdict: { kind: 'send' } | { kind: 'sibling' } | { kind: 'duplicate'; of?: number };
}

interface Plan {
	prepared?: PreparedCall;
	invalid?: NodeError;
	repeat?: RepeatOptions;
	identity?: string;
}

export class PlacingRun {
	private readonly plans: Plan[];

	private readonly ledger: RunLedger;

	private readonly book: CallBook;

	private readonly fingerprint: string;

	/** Batches of the run a crashed execution had begun (found by a retry of it). */
	private crashed = new Set<number>();

	/**
	 * Whether this run repeats a failed execution's run (the Retry button): another retry of the
	 * same execution may run too, so each item is written down under the run's ID.
	 */
	private readonly retried: boolean;

	private readonly batches = new Map<number, Promise<void>>();

	private readonly claims = new Map<number, Claim>();

	private readonly fates = new Map<number, Fate>();

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly chosen: PlacingOperation,
		private readonly session: AiccSession,
		runIndex: number,
	) {
		this.ledger = RunLedger.of(ctx, runIndex);
		this.retried = ctx.getMode() === 'retry' && this.ledger.known;
		this.book = callBookOf(ctx, ctx.getNode());
		this.plans = ctx.getInputData().map((_, itemIndex) => this.plan(itemIndex));
		this.fingerprint = repeats.runFingerprint(this.plans.map((plan) => plan.identity));
	}

	/**
	 * Checks every item and, for a retried execution that left no ledger (it crashed, or never
	 * reached this node), finds the batches it had begun. Without Continue On Fail, throws one
	 * error for every invalid item, before anything is sent.
	 */
	static async start(
		ctx: IExecuteFunctions,
		chosen: PlacingOperation,
		session: AiccSession,
		continueOnFail: boolean,
	): Promise<PlacingRun> {
		const run = new PlacingRun(ctx, chosen, session, ctx.getWorkflowDataProxy(0).$runIndex);
		const invalid = run.plans.flatMap(
			({ invalid: error }, itemIndex): Array<[number, NodeError]> =>
				error && !run.ledger.get(itemIndex) ? [[itemIndex, error]] : [],
		);
		if (!continueOnFail && invalid.length > 0)
			throw stoppingError(
				invalidItemsError(ctx, invalid, run.plans.length),
				invalid.length === 1 ? invalid[0][0] : undefined,
				run.plans.length,
			);
		if (ctx.getMode() === 'retry' && !run.ledger.known) await run.findCrashedBatches();
		return run;
	}

	private plan(itemIndex: number): Plan {
		try {
			const prepared = this.chosen.prepare.call(this.ctx, itemIndex, this.session);
			const repeat = readRepeatOptions(this.ctx, itemIndex);
			const identity = repeats.callIdentity(this.chosen.value, prepared.sameCall, repeat.key);
			return { prepared, repeat, identity };
		} catch (error) {
			return { invalid: asNodeError(this.ctx, error, itemIndex) };
		}
	}

	private batchCount(): number {
		return Math.ceil(this.plans.length / repeats.BATCH);
	}

	private async findCrashedBatches(): Promise<void> {
		const now = Date.now();
		const entries = Array.from({ length: this.batchCount() }, (_, batch) =>
			repeats.batchEntriesSince(this.fingerprint, batch, now),
		);
		const written = await this.book.claim(entries.flat());
		this.crashed = new Set(
			entries.flatMap((since, batch) => (since.some((entry) => written.has(entry)) ? [batch] : [])),
		);
		// Looking wrote the entries; a batch that was not begun is not begun by looking.
		await this.book.release(entries.flat().filter((entry) => !written.has(entry)));
	}

	/** Runs one item: returns its result, sending it only when nothing else can answer it. */
	async runItem(itemIndex: number): Promise<ItemResult> {
		const earlier = this.ledger.get(itemIndex);
		if (earlier) return this.fromLedger(itemIndex, earlier);
		const { prepared, invalid, repeat, identity } = this.plans[itemIndex];
		if (invalid || !prepared || !repeat || !identity) {
			this.fates.set(itemIndex, 'notPlaced');
			return { ok: false, error: invalid as NodeError };
		}
		const batch = Math.floor(itemIndex / repeats.BATCH);
		if (this.crashed.has(batch)) return this.skip(itemIndex, 'placedBefore', crashRepeated());
		try {
			await this.claimBatch(batch);
		} catch (error) {
			this.fates.set(itemIndex, 'notPlaced');
			return { ok: false, error: asNodeError(this.ctx, error, itemIndex) };
		}
		const verdict = (this.claims.get(itemIndex) as Claim).verdict;
		if (verdict.kind !== 'send') return this.skipRepeat(itemIndex, verdict, repeat);
		return await this.send(itemIndex, prepared, repeat, identity);
	}

	private fromLedger(itemIndex: number, earlier: Recorded): ItemResult {
		if (earlier.executionId === this.ledger.executionId) {
			// Retry On Fail: the earlier try's result, as it was.
			this.fates.set(itemIndex, earlier.placed ? 'placed' : 'unknown');
			return earlier.placed
				? { ok: true, json: earlier.json }
				: { ok: false, error: failureError(this.ctx.getNode(), itemIndex, earlier.failure) };
		}
		const repeated: Repeated = {
			executionId: earlier.executionId,
			callSerialNo: earlier.placed ? ((earlier.json.callSerialNo as string) ?? null) : null,
			placedAt: iso(earlier.at),
			outcome: earlier.placed ? 'placed' : 'unknown',
		};
		const why = `Not sent again: ${describeRepeated(repeated, `execution ${earlier.executionId}`)}`;
		this.fates.set(itemIndex, 'skipped');
		return {
			ok: true,
			json: earlier.placed
				? skippedItem('placedBefore', repeated, `${why}.`, earlier.json)
				: skippedItem(
						'placedBefore',
						repeated,
						`${why} (${earlier.failure.message}).${CHECK_RECORDS}`,
					),
		};
	}

	private skip(itemIndex: number, reason: SkipReason, [repeated, why]: [Repeated, string]) {
		this.fates.set(itemIndex, 'skipped');
		return { ok: true as const, json: skippedItem(reason, repeated, why) };
	}

	private skipRepeat(itemIndex: number, verdict: Claim['verdict'], repeat: RepeatOptions) {
		if (verdict.kind === 'sibling') {
			const repeated = fromSeen(repeats.seenCall(repeats.runItemEntry(this.ledger.id, itemIndex)));
			const whose = repeated.executionId
				? `execution ${repeated.executionId} (another retry of the same execution)`
				: 'another retry of the same execution';
			const why = `Not sent again: ${describeRepeated(repeated, whose)}.`;
			return this.skip(itemIndex, 'placedBefore', [
				repeated,
				repeated.outcome === 'placed' ? why : `${why}${CHECK_RECORDS}`,
			]);
		}
		const identity = this.plans[itemIndex].identity as string;
		const repeated = fromSeen(repeats.seenCall(identity));
		const whose =
			verdict.kind === 'duplicate' && verdict.of !== undefined
				? `item ${itemNumber(verdict.of)} of this run`
				: repeated.executionId
					? `execution ${repeated.executionId}`
					: 'another execution of this node (in another n8n process, or before a restart)';
		const same = repeat.key ? 'the same Duplicate Key' : this.chosen.sameCallMeans;
		const why =
			'Skipped as a duplicate, not placed again: ' +
			`${describeRepeated(repeated, whose)}, with ${same}. ${describeHold(repeat, repeated)} ` +
			"To call again now, add the node's Duplicate Window option (Options, Add Option) set to " +
			"0, or a Duplicate Key of the call's own.";
		return this.skip(itemIndex, 'duplicate', [repeated, why]);
	}

	/** Writes a batch's items down before the first of them is sent (once per batch). */
	private async claimBatch(batch: number): Promise<void> {
		let claimed = this.batches.get(batch);
		if (claimed === undefined) {
			claimed = this.writeBatch(batch);
			this.batches.set(batch, claimed);
		}
		await claimed;
	}

	private async writeBatch(batch: number): Promise<void> {
		const now = Date.now();
		const runId = this.ledger.id;
		const wanted: Array<{ itemIndex: number; runItem?: string; check?: string; forward?: string }> =
			[];
		for (let itemIndex = batch * repeats.BATCH; itemIndex < this.plans.length; itemIndex++) {
			if (itemIndex >= (batch + 1) * repeats.BATCH) break;
			const { prepared, repeat, identity } = this.plans[itemIndex];
			if (!prepared || !repeat || !identity || this.ledger.get(itemIndex)) continue;
			const guard =
				repeat.windowMs > 0 ? repeats.guardEntries(identity, repeat.windowMs, now) : undefined;
			const runItem = this.retried ? repeats.runItemEntry(runId, itemIndex) : undefined;
			wanted.push({ itemIndex, runItem, ...guard });
		}
		const entries = wanted.flatMap(({ runItem, check, forward }) =>
			[runItem, check, forward].filter((entry): entry is string => entry !== undefined),
		);
		entries.push(repeats.batchEntry(this.fingerprint, batch, now));
		const written = await this.book.claim([...new Set(entries)]);
		const firstOf = new Map<string, number>();
		for (const { itemIndex, runItem, check, forward } of wanted) {
			const first = check === undefined ? undefined : firstOf.get(check);
			const own = (first === undefined ? [runItem, check, forward] : [runItem]).filter(
				(entry): entry is string => entry !== undefined && !written.has(entry),
			);
			let verdict: Claim['verdict'] = { kind: 'send' };
			if (runItem !== undefined && written.has(runItem)) verdict = { kind: 'sibling' };
			else if (first !== undefined) verdict = { kind: 'duplicate', of: first };
			else if (check !== undefined && written.has(check)) verdict = { kind: 'duplicate' };
			if (check !== undefined && first === undefined) firstOf.set(check, itemIndex);
			this.claims.set(itemIndex, { own, verdict });
		}
	}

	private async send(
		itemIndex: number,
		prepared: PreparedCall,
		repeat: RepeatOptions,
		identity: string,
	): Promise<ItemResult> {
		const executionId = this.ledger.executionId;
		const keys = [identity, repeats.runItemEntry(this.ledger.id, itemIndex)];
		const at = Date.now();
		repeats.noteCall(keys, { executionId, at, outcome: 'inFlight' }, repeat.windowMs);
		const result = await settle(this.ctx, itemIndex, async () =>
			prepared.output(await aiccRequest(this.ctx, this.session, prepared.request)),
		);
		if (result.ok) {
			const json = result.json as IDataObject;
			this.ledger.record(itemIndex, { placed: true, json, executionId, at });
			this.fates.set(itemIndex, 'placed');
			const callSerialNo = json.callSerialNo as string;
			repeats.noteCall(keys, { executionId, at, outcome: 'placed', callSerialNo }, repeat.windowMs);
		} else if (result.error.context.outcome === 'notPlaced') {
			this.fates.set(itemIndex, 'notPlaced');
			repeats.forgetCall(keys);
		} else {
			const failure = factsOf(result.error);
			this.ledger.record(itemIndex, { placed: false, failure, executionId, at });
			this.fates.set(itemIndex, 'unknown');
			repeats.noteCall(keys, { executionId, at, outcome: 'unknown' }, repeat.windowMs);
		}
		return result;
	}

	/**
	 * After the run (or when it stopped at a failure): crosses out what the batches wrote for
	 * items that placed no call (not placed, skipped, or never sent), tells how many items were
	 * not sent again, and forgets the ledger when every item passed.
	 */
	async finish(results: ItemResult[]): Promise<void> {
		const unplaced = [...this.claims].flatMap(([itemIndex, claim]) => {
			const fate = this.fates.get(itemIndex);
			return fate === 'placed' || fate === 'unknown' ? [] : claim.own;
		});
		await this.book.release(unplaced).catch((error: unknown) => {
			this.ctx.addExecutionHints({
				message:
					`${asNodeError(this.ctx, error, 0).message}: the calls this run did not place stay ` +
					'written down, so the same calls are taken for repeats until their Duplicate ' +
					'Window passes.',
				location: 'outputPane',
			});
		});
		const skipped = [...this.fates.values()].filter((fate) => fate === 'skipped').length;
		if (skipped > 0) {
			const [which, each] =
				this.plans.length === 1
					? ['The item was', 'it']
					: [`${skipped} of ${this.plans.length} items were`, 'each'];
			this.ctx.addExecutionHints({
				message:
					`${which} skipped, not placed again: ${each} repeats a call placed (or maybe ` +
					'placed) before, and says which (skipped, skipReason, repeats).',
				location: 'outputPane',
			});
		}
		if (results.length === this.plans.length && results.every((result) => result?.ok))
			this.ledger.forget();
	}

	/** The calls this run placed or may have placed, besides the item that failed it. */
	placedCalls(results: ItemResult[], firstFailure: number): PlacedCall[] {
		return results.flatMap((result, itemIndex): PlacedCall[] => {
			const fate = this.fates.get(itemIndex);
			if (result === undefined || itemIndex === firstFailure) return [];
			if (fate === 'placed' && result.ok) {
				const callSerialNo = (result.json as IDataObject).callSerialNo as string;
				return [{ item: itemNumber(itemIndex), callSerialNo, outcome: 'placed' }];
			}
			return fate === 'unknown' && !result.ok
				? [{ item: itemNumber(itemIndex), outcome: 'unknown', message: result.error.message }]
				: [];
		});
	}
}

function crashRepeated(): [Repeated, string] {
	return [
		{ executionId: null, callSerialNo: null, placedAt: null, outcome: 'unknown' },
		'Not sent again: the execution this retry repeats stopped while it was placing these ' +
			'calls (n8n may have crashed or restarted), so this call may have been placed.' +
			CHECK_RECORDS,
	];
}

/** One error for every invalid item of a call-placing run: nothing was sent. */
function invalidItemsError(
	ctx: IExecuteFunctions,
	invalid: Array<[number, NodeError]>,
	itemCount: number,
): NodeError {
	if (invalid.length === 1) {
		// A newcomer with one bad number of three asked whether the other two had been called.
		const [[, error]] = invalid;
		if (itemCount > 1) error.description = `${error.description ?? ''} ${NONE_PLACED}`.trim();
		return error;
	}
	const error = new NodeOperationError(
		ctx.getNode(),
		`${invalid.length} items are invalid, so no call was placed`,
		{
			description:
				`Fix these items (or set the node to continue on fail to call the valid ` +
				`ones):\n${listed(invalid, ([, item]) => withFix(item))}`,
		},
	);
	error.context.outcome = 'notPlaced';
	error.context.invalidItems = invalid.map(([itemIndex, item]) => ({
		item: itemNumber(itemIndex),
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
export interface PlacedCall {
	/** The item's number as the editor shows it (the first item is 1). */
	item: number;
	callSerialNo?: string;
	outcome: 'placed' | 'unknown';
	message?: string;
}

/**
 * The error that fails a call-placing run, made to name every call the run placed or may have
 * placed, and what running it again does with them.
 */
export function withPlacedCalls(error: NodeError, placed: PlacedCall[]): NodeError {
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
		`${error.description ?? ''}\n\nAlready placed, or possibly placed, by this run. Retrying ` +
		'this execution (Executions, then Retry) does not place them again, nor does a new run ' +
		'within the Duplicate Window; after that, leave these items out, or their customers are ' +
		`called twice:\n${lines}`.trim();
	error.context.placedCalls = placed;
	return error;
}
