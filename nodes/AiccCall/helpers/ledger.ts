import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Failure } from '../../../shared/failures';

/**
 * What a run of a call-placing operation already sent, per input item, kept in the execution's
 * own context data (n8n's `getContext('node')`). Two ways n8n runs the same items again read it:
 * - Retry On Fail runs the whole node again, with the same input, in the same execution;
 * - the Retry button of a failed execution runs a new execution that starts again at the failed
 *   node, with its original input and run index, and with the failed execution's context data.
 * Either way, an item whose call was placed, or may have been, is not sent again; only the items
 * AICC provably did not act on, and those that never got their turn, are.
 *
 * The context data lives as long as the execution and is saved with it, in n8n's database (so a
 * retry after a restart, or on another queue-mode worker, finds it too), and is never dropped
 * while its run is going. A run that every item passed needs no memory: n8n neither retries the
 * node nor restarts an execution there, so its entry is removed.
 */
export type Recorded = (
	| { placed: true; json: IDataObject }
	| { placed: false; failure: Failure }
) & {
	/** The execution that sent it: a retried execution's ID differs from it. */
	executionId: string;
	/** When it was sent (ms since 1970). */
	at: number;
};

/** One run of the node (a run index) as the context data keeps it. */
interface StoredRun {
	/**
	 * The run's own ID, made when it first ran: every retry of its execution (and a retry of a
	 * retry) inherits it, so that two retries of the same failed execution see each other's
	 * calls in the call book.
	 */
	id: string;
	items: Record<string, Recorded>;
}
type StoredRuns = Record<string, StoredRun>;

const KEY = 'aiccCalls';

export class RunLedger {
	private constructor(
		private readonly runs: StoredRuns,
		private readonly runIndex: string,
		/** The execution running now. */
		readonly executionId: string,
	) {}

	/** The ledger of this run of the node (its run index), in the execution's context data. */
	static of(ctx: IExecuteFunctions, runIndex: number): RunLedger {
		const context = ctx.getContext('node');
		const runs = (context[KEY] ?? (context[KEY] = {})) as StoredRuns;
		return new RunLedger(runs, String(runIndex), ctx.getExecutionId() ?? '');
	}

	/**
	 * Whether a try or an execution ran this run of the node before (and did not end with every
	 * item passed). A retried execution that finds nothing ran the node for the first time, or
	 * repeats an execution that stopped before it could save anything (a crash).
	 */
	get known(): boolean {
		return this.runs[this.runIndex] !== undefined;
	}

	/** This run of the node, begun now if it had not: a retry of the execution then knows it ran. */
	private begin(): StoredRun {
		return (this.runs[this.runIndex] ??= { id: randomUUID(), items: {} });
	}

	/** The run's ID (see StoredRun), once it began. */
	get id(): string {
		return this.begin().id;
	}

	/** The result an earlier try already has for this item, if it must not be sent again. */
	get(itemIndex: number): Recorded | undefined {
		return this.runs[this.runIndex]?.items[itemIndex];
	}

	record(itemIndex: number, result: Recorded): void {
		this.begin().items[itemIndex] = result;
	}

	/** Forgets the run: every item passed, so nothing will run it again. */
	forget(): void {
		delete this.runs[this.runIndex];
	}
}
