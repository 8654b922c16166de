import type { IDataObject } from 'n8n-workflow';

import type { Failure } from '../../../shared/failures';

/**
 * What a run of a call-placing operation already sent, per input item, so that n8n's Retry On
 * Fail (which runs the whole node again, with the same input, in the same execution and process)
 * never dials an item twice. A try records each item whose call was placed, or may have been
 * placed; the next try of the same execution, node and run index returns those results as they
 * were and sends only the items AICC provably did not act on, or that never got their turn.
 * Kept in process memory: n8n runs every try of a node in the process that runs the execution.
 */
export type Recorded = { placed: true; json: IDataObject } | { placed: false; failure: Failure };

/** A run is forgotten this long after its last call; n8n waits at most 5 s between tries. */
const TTL_MS = 10 * 60 * 1000;
/** Runs remembered at once, at most; the least recently used goes first. */
const MAX_RUNS = 1_000;

interface Run {
	items: Map<number, Recorded>;
	touchedAt: number;
}

const runs = new Map<string, Run>();

function forgetIdle(now: number): void {
	for (const [key, run] of runs) {
		if (now - run.touchedAt < TTL_MS && runs.size < MAX_RUNS) break;
		runs.delete(key);
	}
}

export class RunLedger {
	constructor(private readonly run: Run) {}

	/** The result an earlier try already has for this item, if it must not be sent again. */
	get(itemIndex: number): Recorded | undefined {
		return this.run.items.get(itemIndex);
	}

	record(itemIndex: number, result: Recorded): void {
		this.run.items.set(itemIndex, result);
		this.run.touchedAt = Date.now();
	}
}

/** The ledger of one run of one node in one execution; the same object for every try of it. */
export function ledgerOf(executionId: string, nodeId: string, runIndex: number): RunLedger {
	const key = JSON.stringify([executionId, nodeId, runIndex]);
	const now = Date.now();
	let run = runs.get(key);
	if (run === undefined) {
		forgetIdle(now);
		run = { items: new Map(), touchedAt: now };
	} else {
		runs.delete(key);
	}
	run.touchedAt = now;
	// Re-inserted, so the map stays ordered from the least to the most recently used run.
	runs.set(key, run);
	return new RunLedger(run);
}
