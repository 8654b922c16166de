import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

/**
 * Where the node writes down the calls it is about to place, so that n8n running the same work
 * again (a webhook delivered twice, a retried or crashed execution, another queue-mode worker)
 * finds them: n8n's processed-data store, the one Remove Duplicates uses. It lives in n8n's
 * database, survives restarts and is shared by every worker, one list per workflow and node.
 * n8n keeps only hashes of the entries, so the book answers "was this written before?", no more.
 *
 * n8n reads the list, adds to it and writes it back, which is not atomic: within this process
 * the node takes turns per workflow and node, so that no write is lost and no two executions
 * see the same entry as new; between processes a small window remains (measured by
 * `npm run test:queue`). Where n8n offers no store (an n8n without it, or a workflow that was
 * never saved), the book is kept in this process's memory and says so.
 */
export interface CallBook {
	/**
	 * Writes `entries` down; resolves with those that were already written. Throws, as a failure
	 * that placed nothing, when n8n's store fails.
	 */
	claim(entries: string[]): Promise<Set<string>>;
	/** Crosses `entries` out (calls that were not placed after all). Throws what n8n's did. */
	release(entries: string[]): Promise<void>;
	/** Whether the book is n8n's database (shared and durable), not this process's memory. */
	readonly durable: boolean;
}

/**
 * How many entries the book keeps per workflow and node; the oldest go first. A call writes two
 * (one when Duplicate Window is 0), so the book remembers this node's last 2,000 calls or more.
 * n8n reads and writes the whole list each time: a longer one makes every write slower, and the
 * window in which two workers' writes can undo each other wider.
 */
export const MAX_ENTRIES = 4_000;
/** How often a claim checks that another process's write did not undo its own. */
const REPAIRS = 3;
const OPTIONS = { mode: 'entries' as const, maxEntries: MAX_ENTRIES };

/** The last write of each workflow and node in this process: the next one waits for it. */
const turns = new Map<string, Promise<unknown>>();

async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
	const before = turns.get(key) ?? Promise.resolve();
	const mine = before.then(work, work);
	const settled = mine.then(
		() => undefined,
		() => undefined,
	);
	turns.set(key, settled);
	try {
		return await mine;
	} finally {
		if (turns.get(key) === settled) turns.delete(key);
	}
}

/** The book kept in this process, where n8n has none: per workflow and node, oldest out first. */
const local = new Map<string, Set<string>>();
/** How many workflow-and-node books this process keeps at most. */
const LOCAL_BOOKS = 1_000;

function localBook(key: string): Set<string> {
	let book = local.get(key);
	if (book === undefined) {
		if (local.size >= LOCAL_BOOKS) local.delete(local.keys().next().value as string);
		book = new Set();
		local.set(key, book);
	}
	return book;
}

const localStore = {
	claim(key: string, entries: string[]): Set<string> {
		const book = localBook(key);
		const written = new Set(entries.filter((entry) => book.has(entry)));
		for (const entry of entries) {
			book.delete(entry);
			book.add(entry);
		}
		for (const oldest of book) {
			if (book.size <= MAX_ENTRIES) break;
			book.delete(oldest);
		}
		return written;
	},
	release(key: string, entries: string[]): void {
		const book = localBook(key);
		for (const entry of entries) book.delete(entry);
	},
};

/** n8n answers this way when it has no processed-data store (none set up, no workflow ID). */
function storeMissing(error: unknown): boolean {
	return (error as { code?: unknown } | null)?.code === 'ERR_ASSERTION';
}

/** n8n's store failed (its database, say): nothing may be sent that was not written down. */
function bookError(node: INode, error: unknown): NodeOperationError {
	const failure = new NodeOperationError(
		node,
		"n8n's database did not take the calls the node was about to place, so none was sent",
		{
			description:
				"The node writes every call down in n8n's processed-data store before placing it, " +
				'so that n8n running the work again never calls twice. Check that n8n reaches its ' +
				`database, then run the items again. n8n said: ${(error as Error)?.message ?? error}`,
		},
	);
	failure.context.outcome = 'notPlaced';
	return failure;
}

/**
 * Two executions that write this node's first entries at the same time both insert the list;
 * the database refuses the second. Writing once more then finds the list and adds to it.
 * Resolves with what `work` gave, or with the error it threw twice.
 */
async function onceMore<T>(
	work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	for (let attempt = 1; ; attempt++) {
		try {
			return { ok: true, value: await work() };
		} catch (error) {
			if (storeMissing(error) || attempt === 2) return { ok: false, error };
		}
	}
}

/**
 * Another process (a queue-mode worker) that read the list before this write and writes it back
 * after drops this write's entries. Writing them once more puts back those that went missing,
 * and says which: until none did, or REPAIRS times.
 */
async function repair(
	mine: string[],
	record: (
		list: string[],
	) => Promise<{ ok: true; value: { processed: unknown[] } } | { ok: false; error: unknown }>,
): Promise<void> {
	let missing = mine;
	for (let round = 0; round < REPAIRS && missing.length > 0; round++) {
		const answer = await record(missing);
		if (!answer.ok) return;
		const present = new Set(answer.value.processed.map(String));
		missing = missing.filter((entry) => !present.has(entry));
	}
}

/** The call book of the node running in `ctx`. */
export function callBookOf(ctx: IExecuteFunctions, node: INode): CallBook {
	const workflowId = ctx.getWorkflow().id ?? '';
	const key = JSON.stringify([workflowId, node.id ?? node.name]);
	const helpers = ctx.helpers;
	let durable = workflowId !== '' && typeof helpers.checkProcessedAndRecord === 'function';
	return {
		get durable() {
			return durable;
		},
		async claim(entries) {
			if (entries.length === 0) return new Set();
			return await inTurn(key, async () => {
				if (durable) {
					const record = async (list: string[]) =>
						await onceMore(
							async () => await helpers.checkProcessedAndRecord(list, 'node', OPTIONS),
						);
					const answer = await record(entries);
					if (answer.ok) {
						const written = new Set(answer.value.processed.map(String));
						await repair(
							entries.filter((entry) => !written.has(entry)),
							record,
						);
						return written;
					}
					if (!storeMissing(answer.error)) throw bookError(node, answer.error);
					durable = false;
				}
				return localStore.claim(key, entries);
			});
		},
		async release(entries) {
			if (entries.length === 0) return;
			await inTurn(key, async () => {
				if (durable)
					await onceMore(async () => await helpers.removeProcessed(entries, 'node', OPTIONS));
				else localStore.release(key, entries);
			});
		},
	};
}
