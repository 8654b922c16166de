'use strict';

/**
 * The node's "never twice" promises across queue-mode workers, for scripts/queue-test.js:
 * - duplicate pairs: the same webhook body twice, 0, 50 and 150 ms apart, each pair its own
 *   number, as n8n hands them to its workers. Pairs run one at a time per "lane", a workflow of
 *   its own (so its own call book row: pairs of different lanes never write the same row). Each
 *   pair is counted at the simulator, with the worker that ran each execution and the gap between
 *   their starts there;
 * - the Retry button (POST /rest/executions/:id/retry) of an execution that failed at its 3rd of
 *   5 numbers, run by a worker: every number placed once, the retry's first items skipped with
 *   the failed execution's callSerialNos.
 */
const fs = require('node:fs');

const { CREDENTIAL, say } = require('./local-n8n');
const { restOf } = require('../test-e2e/rest');
const { MAX_ENTRIES } = require('../dist/nodes/AiccCall/helpers/callBook');

const AGENT = '88889050';
const CREDENTIALS = { aiccApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
/** How far apart the two POSTs of a pair are sent. */
const SPACINGS = [0, 50, 150];
const PAIRS_PER_SPACING = 40;
/** Workflows whose pairs run side by side; within a lane, one pair at a time. */
const LANES = 4;
/**
 * The largest share of a spacing's pairs that ran on two workers that may be dialed twice (with
 * either book). n8n's store has no lock, so two executions that reach the node on two workers
 * before either's write lands both find the book empty; how long that takes is how loaded the
 * machine is (the two executions' start gap at the workers spread from 0 to 2,000 ms for POSTs
 * 150 ms apart at load 13). Measured on loaded 2-core machines with the 4,000-entry book: 0 to 7
 * of the 22 to 38 pairs on two workers at each spacing (7 of 38 at 0 ms, load 8); the
 * 20,000-entry book without repair gave 8 to 17 of 40; a guard that does not hold between
 * workers dials all of them twice. More than this share is more than the window explains: a
 * regression. A share, not a count, so that how many pairs land on two workers does not decide.
 */
const MAX_TWICE_SHARE = 1 / 3;
const MAX_TWICE_SAID = 'a third';
/** Pairs per spacing n8n may leave unanswered (see ANSWER_TIMEOUT_MS) before a round fails. */
const MAX_UNANSWERED = 2;
/** Rounds of "fail, then Retry" until the retry ran on each worker's side at least once. */
const MAX_RETRY_ROUNDS = 4;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Webhook (answers with the last node's item) → AICC Call → the execution's ID added. */
function laneWorkflow(lane) {
	const id = `aiccQueuePairs0${lane}`;
	return {
		id,
		name: `Queue duplicate pairs, lane ${lane}`,
		nodes: [
			{
				id: `${id}-webhook`,
				name: 'Pair Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-hook`,
				parameters: {
					httpMethod: 'POST',
					path: `queue-pairs-${lane}`,
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				id: `${id}-call`,
				name: 'Place Call',
				type: 'n8n-nodes-aicc.aiccCall',
				typeVersion: 1,
				position: [220, 0],
				credentials: CREDENTIALS,
				parameters: {
					resource: 'call',
					operation: 'createBidirectional',
					caller: AGENT,
					called: '={{ $json.body.called }}',
					additionalFields: {},
					options: {},
				},
			},
			{
				id: `${id}-id`,
				name: 'Execution ID',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [440, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							{
								id: 'executionId',
								name: 'executionId',
								value: '={{ $execution.id }}',
								type: 'string',
							},
						],
					},
					includeOtherFields: true,
					options: {},
				},
			},
		],
		connections: {
			'Pair Webhook': { main: [[{ node: 'Place Call', type: 'main', index: 0 }]] },
			'Place Call': { main: [[{ node: 'Execution ID', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/** Webhook → one item per `phones` entry → AICC Call (one at a time, stops at a failure). */
const RETRY_WORKFLOW = {
	id: 'aiccQueueRetry01',
	name: 'Queue retry on another worker',
	nodes: [
		{
			id: 'aiccQueueRetry01-webhook',
			name: 'Retry Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'aiccQueueRetry01-hook',
			parameters: {
				httpMethod: 'POST',
				path: 'queue-retry',
				responseMode: 'onReceived',
				options: {},
			},
		},
		{
			id: 'aiccQueueRetry01-split',
			name: 'One Item Each',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.phones', options: {} },
		},
		{
			id: 'aiccQueueRetry01-call',
			name: 'Call',
			type: 'n8n-nodes-aicc.aiccCall',
			typeVersion: 1,
			position: [440, 0],
			credentials: CREDENTIALS,
			parameters: {
				resource: 'call',
				operation: 'createBidirectional',
				caller: AGENT,
				called: '={{ $json.phone }}',
				additionalFields: {},
				options: {},
			},
		},
	],
	connections: {
		'Retry Webhook': { main: [[{ node: 'One Item Each', type: 'main', index: 0 }]] },
		'One Item Each': { main: [[{ node: 'Call', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

const LANE_WORKFLOWS = Array.from({ length: LANES }, (_, index) => laneWorkflow(index + 1));
const WORKFLOWS = [...LANE_WORKFLOWS, RETRY_WORKFLOW];

/** Which worker (1-based) each execution ID's "Worker started execution" line is in. */
function workerOf(workers) {
	const byExecution = new Map();
	workers.forEach((worker, index) => {
		const text = fs.readFileSync(worker.logFile, 'utf8');
		for (const match of text.matchAll(/Worker started execution (\d+)/g))
			byExecution.set(match[1], index + 1);
	});
	return byExecution;
}

/** createCall requests for a number, and those the simulator placed (HTTP 200, retCode 0). */
function dialsOf(sim, number) {
	const requests = sim.log
		.for('createCallV1')
		.filter((entry) => entry.body?.called === number && entry.status !== 401);
	const placed = requests.filter(
		(entry) => entry.status === 200 && /"retCode":"0"/.test(String(entry.response)),
	);
	return { requests: requests.length, placed };
}

/** The callSerialNo the simulator answered a placed call with. */
function serialOf(entry) {
	return /"callSerialNo":"?(\d+)/.exec(String(entry.response))?.[1];
}

/**
 * How long a webhook that answers with the last node's item may take. n8n's main in queue mode
 * now and then never answers such a webhook (measured: 1 POST in a few hundred, its execution
 * done); without a limit the request would wait for fetch's own 300 s.
 */
const ANSWER_TIMEOUT_MS = 30_000;

/** POSTs `body`; { sentAt, status, json } (status 'network error' when none came). */
async function post(url, body) {
	const sentAt = Date.now();
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
		});
		const text = await response.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { sentAt, status: response.status, json, text };
	} catch (error) {
		const reason = error.name === 'TimeoutError' ? `no answer in ${ANSWER_TIMEOUT_MS} ms` : '';
		return {
			sentAt,
			status: 'network error',
			text: reason || String(error.cause?.code ?? error.message),
		};
	}
}

/** The same body twice, `spacing` ms apart (0: both at once); both answers. */
async function sendPair(url, called, spacing) {
	const first = post(url, { called });
	if (spacing > 0) await sleep(spacing);
	const second = post(url, { called });
	return await Promise.all([first, second]);
}

/**
 * When each of these executions started at its worker (ms since 1970), and how long it ran
 * (ms), from n8n's database.
 */
async function startTimes(db, ids) {
	if (ids.length === 0) return new Map();
	const rows = await db.psql(
		`SELECT id, (EXTRACT(EPOCH FROM "startedAt") * 1000)::bigint,
			(EXTRACT(EPOCH FROM "stoppedAt" - "startedAt") * 1000)::bigint
		FROM execution_entity WHERE id IN (${ids.map(Number).join(',')})`,
	);
	return new Map(
		rows
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((row) => row.split('|'))
			.map(([id, at, ran]) => [id, { at: Number(at), ran: Number(ran) }]),
	);
}

const median = (values) => {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};

/** Sends every pair, one at a time per lane, lanes side by side; returns what each got. */
async function sendPairs({ main, prefix }) {
	const pairs = [];
	for (let index = 0; index < SPACINGS.length * PAIRS_PER_SPACING; index++) {
		pairs.push({
			index,
			// Spacings take turns, so that each meets the same load over the run.
			spacing: SPACINGS[index % SPACINGS.length],
			lane: index % LANES,
			number: `${prefix}${String(index).padStart(4, '0')}`,
		});
	}
	await Promise.all(
		LANE_WORKFLOWS.map(async (workflow, lane) => {
			const url = `${main.url}/webhook/${workflow.nodes[0].parameters.path}`;
			for (const pair of pairs.filter((entry) => entry.lane === lane))
				pair.answers = await sendPair(url, pair.number, pair.spacing);
		}),
	);
	return pairs;
}

/** What each pair came to: workers, start gap, dials, and what the skipped item said. */
async function readPairs({ pairs, sim, db, workers }) {
	const workerById = workerOf(workers);
	const ids = pairs.flatMap((pair) =>
		pair.answers.map((answer) => answer.json?.executionId).filter(Boolean),
	);
	const started = await startTimes(db, ids);
	for (const pair of pairs) {
		const executions = pair.answers.map((answer) => {
			const id = answer.json?.executionId;
			return {
				id,
				status: answer.status,
				worker: workerById.get(id),
				startedAt: started.get(id)?.at,
				ran: started.get(id)?.ran,
				skipReason: answer.json?.skipped ? answer.json.skipReason : undefined,
				repeats: answer.json?.repeats,
				sentAt: answer.sentAt,
			};
		});
		pair.executions = executions;
		pair.sentGap = executions[1].sentAt - executions[0].sentAt;
		pair.startGap =
			executions[0].startedAt && executions[1].startedAt
				? Math.abs(executions[1].startedAt - executions[0].startedAt)
				: undefined;
		pair.answered = executions.every((execution) => execution.status === 200 && execution.id);
		pair.workers = executions.map((execution) => execution.worker ?? '?').join('+');
		pair.sameWorker =
			executions[0].worker !== undefined &&
			pair.workers.split('+')[0] === pair.workers.split('+')[1];
		const dials = dialsOf(sim, pair.number);
		pair.dials = dials.placed.length;
		pair.requests = dials.requests;
		pair.duplicates = executions.filter((execution) => execution.skipReason === 'duplicate');
	}
	return pairs;
}

/** Per spacing: how many pairs, on which workers, dialed twice, and the gaps at the workers. */
function pairsTable(pairs) {
	return SPACINGS.map((spacing) => {
		const group = pairs.filter((pair) => pair.spacing === spacing);
		const twice = group.filter((pair) => pair.dials > 1);
		const apart = group.filter((pair) => !pair.sameWorker);
		const gaps = group.map((pair) => pair.startGap).filter((gap) => gap !== undefined);
		const ran = group.flatMap((pair) => pair.executions.map((execution) => execution.ran));
		return {
			spacing,
			pairs: group.length,
			answered: group.filter((pair) => pair.answered).length,
			apart: apart.length,
			same: group.length - apart.length,
			byWorkers: countBy(group, (pair) => pair.workers),
			twice: twice.length,
			twiceApart: twice.filter((pair) => !pair.sameWorker).length,
			twiceSame: twice.filter((pair) => pair.sameWorker).length,
			never: group.filter((pair) => pair.dials === 0).length,
			unexplained: group.filter(
				(pair) => pair.answered && pair.dials === 1 && pair.duplicates.length !== 1,
			).length,
			named: group.filter((pair) => pair.duplicates[0]?.repeats?.executionId).length,
			sentGapMax: Math.max(...group.map((pair) => pair.sentGap)),
			startGapMedian: median(gaps),
			startGapMin: Math.min(...gaps),
			startGapMax: Math.max(...gaps),
			twiceStartGaps: twice.map((pair) => pair.startGap),
			ranMedian: median(ran.filter((ms) => ms >= 0)),
			unanswered: group
				.filter((pair) => !pair.answered)
				.flatMap((pair) =>
					pair.answers.filter((answer) => answer.status !== 200 || !answer.json?.executionId),
				)
				.map((answer) => `${answer.status} ${String(answer.text).slice(0, 200)}`),
		};
	});
}

/** Upper bounds (ms) of the start-gap buckets. */
const GAP_BUCKETS = [10, 25, 50, 100, 200, Infinity];

/** Pairs on two workers per start gap at the workers: "<= 10 ms: 7 (2 twice), …". */
function gapBuckets(pairs) {
	const apart = pairs.filter((pair) => !pair.sameWorker && pair.startGap !== undefined);
	let low = -1;
	return GAP_BUCKETS.map((high) => {
		const inside = apart.filter((pair) => pair.startGap > low && pair.startGap <= high);
		const label = high === Infinity ? `> ${low} ms` : `<= ${high} ms`;
		low = high;
		return `${label}: ${inside.length} (${inside.filter((pair) => pair.dials > 1).length} twice)`;
	}).join(', ');
}

function countBy(list, key) {
	const counts = {};
	for (const entry of list) counts[key(entry)] = (counts[key(entry)] ?? 0) + 1;
	return counts;
}

function printPairs(table, pairs) {
	say(
		'  spacing | pairs | same worker | two workers | dialed twice (two workers) |' +
			' start gap at workers: median [min..max] ms | skipped item names the execution',
	);
	for (const row of table) {
		say(
			`  ${String(row.spacing).padStart(4)} ms | ${String(row.pairs).padStart(5)} |` +
				` ${String(row.same).padStart(11)} | ${String(row.apart).padStart(11)} |` +
				` ${String(row.twice).padStart(12)} (${row.twiceApart})${' '.repeat(10)} |` +
				` ${row.startGapMedian} [${row.startGapMin}..${row.startGapMax}]` +
				`${' '.repeat(20)} | ${row.named}/${row.pairs - row.twice}`,
		);
	}
	for (const row of table) {
		say(
			`  ${row.spacing} ms: workers per pair (first+second) ${JSON.stringify(row.byWorkers)};` +
				` largest gap between the two POSTs ${row.sentGapMax} ms;` +
				` an execution ran ${row.ranMedian} ms (median)`,
		);
		for (const answer of row.unanswered) say(`  ${row.spacing} ms: a POST got ${answer}`);
	}
	say(`  pairs on two workers by how far apart they started there: ${gapBuckets(pairs)}`);
	for (const pair of pairs.filter((entry) => entry.dials > 1)) {
		say(
			`  dialed twice: ${pair.number} (${pair.spacing} ms pair, POSTs ${pair.sentGap} ms` +
				` apart), executions ${pair.executions.map((execution) => execution.id).join(' and ')}` +
				` on workers ${pair.workers}, started ${pair.startGap} ms apart`,
		);
	}
}

/**
 * What must hold: every pair dialed at least once; a pair on one worker never twice (that
 * worker's writes take turns); an answered pair not dialed twice has one item skipped as a
 * duplicate; at most MAX_TWICE_SHARE of a spacing's pairs on two workers dialed twice. Pairs on
 * two workers dialed twice are the residual: reported, and failed only beyond that share. Dials
 * are counted at the simulator, so a pair whose webhook n8n left unanswered still counts; more
 * than MAX_UNANSWERED such pairs in a spacing make the measurement unreliable.
 */
function pairsVerdict(table) {
	const problems = [];
	for (const row of table) {
		const at = `${row.spacing} ms`;
		if (row.pairs - row.answered > MAX_UNANSWERED)
			problems.push(`${at}: ${row.pairs - row.answered} pairs not answered with an item`);
		if (row.never > 0) problems.push(`${at}: ${row.never} pairs never dialed`);
		if (row.twiceSame > 0)
			problems.push(`${at}: ${row.twiceSame} pairs on one worker dialed twice`);
		if (row.unexplained > 0)
			problems.push(`${at}: ${row.unexplained} pairs dialed once without a duplicate item`);
	}
	for (const row of table) {
		const most = Math.floor(row.apart * MAX_TWICE_SHARE);
		if (row.twice > most)
			problems.push(
				`${row.spacing} ms: ${row.twice} of ${row.apart} pairs on two workers dialed twice ` +
					`(at most ${most}, ${MAX_TWICE_SAID})`,
			);
	}
	return problems;
}

/**
 * Fills each lane's call book to MAX_ENTRIES entries, as the book of a node that has placed a
 * few thousand calls stays (about four entries a call; the oldest go first): n8n reads and
 * writes the whole row on every claim, so its size sets how long a read-modify-write takes.
 */
async function fillBooks(db) {
	for (const workflow of LANE_WORKFLOWS) {
		const node = workflow.nodes[1].id;
		// Random entries shaped as n8n stores them: base64 MD5 hashes.
		const hashes = `SELECT json_agg(encode(decode(md5(random()::text || n), 'hex'), 'base64'))
			FROM generate_series(1, ${MAX_ENTRIES}) n`;
		await db.psql(
			`INSERT INTO processed_data ("workflowId", context, value)
			SELECT '${workflow.id}', 'n:${node}',
				json_build_object('mode', 'entries', 'data', (${hashes}))::text
			ON CONFLICT ("workflowId", context) DO UPDATE SET value = EXCLUDED.value`,
		);
	}
	const sizes = await db.psql(
		`SELECT MIN(length(value)) FROM processed_data WHERE "workflowId" LIKE 'aiccQueuePairs%'`,
	);
	return Number(sizes.trim());
}

/** Empties each lane's call book (a node that has not placed calls yet). */
async function emptyBooks(db) {
	await db.psql(`DELETE FROM processed_data WHERE "workflowId" LIKE 'aiccQueuePairs%'`);
}

/** Lane executions since `before` whose webhook got no answer: id, status, worker. */
async function printUnanswered(db, before, pairs) {
	const answered = new Set(
		pairs.flatMap((pair) => pair.answers.map((answer) => answer.json?.executionId)),
	);
	const rows = await db.psql(
		`SELECT id, status FROM execution_entity WHERE id > ${before}
		AND "workflowId" LIKE 'aiccQueuePairs%' ORDER BY id`,
	);
	const missing = rows
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((row) => row.split('|'))
		.filter(([id]) => !answered.has(id));
	for (const [id, status] of missing)
		say(`  n8n gave no webhook answer for execution ${id} (status ${status})`);
}

/** The pairs with the lanes' books empty, then full; each round its own numbers. */
const BOOKS = [
	{ name: 'an empty call book', prefix: '1385', prepare: emptyBooks },
	{ name: `a full call book (${MAX_ENTRIES} entries)`, prefix: '1384', prepare: fillBooks },
];

/** Part: duplicate pairs across the workers, with each kind of book. */
async function duplicatePairs({ main, workers, db, sim }) {
	const rounds = [];
	for (const book of BOOKS) {
		const bytes = await book.prepare(db);
		say(`  With ${book.name}${bytes ? ` (${Math.round(bytes / 1024)} KB a row)` : ''}:`);
		sim.log.clear();
		const before = Number(
			(await db.psql('SELECT COALESCE(MAX(id), 0) FROM execution_entity')).trim(),
		);
		const pairs = await sendPairs({ main, prefix: book.prefix });
		await readPairs({ pairs, sim, db, workers });
		const table = pairsTable(pairs);
		printPairs(table, pairs);
		await printUnanswered(db, before, pairs);
		const problems = pairsVerdict(table).map((problem) => `${book.name}: ${problem}`);
		for (const problem of problems) say(`  FAIL ${problem}`);
		rounds.push({ book: book.name, table, problems });
	}
	return { rounds, problems: rounds.flatMap((round) => round.problems) };
}

/** Placed calls for `numbers` at the simulator, by number: [serial, …]. */
function placedSerials(sim, numbers) {
	return Object.fromEntries(
		numbers.map((number) => [number, dialsOf(sim, number).placed.map(serialOf)]),
	);
}

/**
 * One round: 5 numbers, the 3rd refused once (code 21), then the Retry button. With `nudge`,
 * one more execution (a call on lane 1) runs between the two: n8n's queue tends to hand jobs to
 * the workers in turn, so the retry then tends to run on the worker that ran the failed one.
 */
async function retryRound({ main, workers, sim, rest, round, nudge }) {
	const numbers = Array.from({ length: 5 }, (_, index) => `1386${round}00000${index}`);
	const problems = [];
	const expect = (ok, what) => {
		if (!ok) problems.push(what);
	};
	sim.inject({ endpoint: 'createCallV1', kind: 'code', code: '21', match: { called: numbers[2] } });
	const before = (await rest.executions(RETRY_WORKFLOW.id)).length;
	const url = `${main.url}/webhook/${RETRY_WORKFLOW.nodes[0].parameters.path}`;
	const answer = await post(url, { phones: numbers.map((phone) => ({ phone })) });
	expect(answer.status === 200, `webhook answered ${answer.status}`);
	const [failed] = await rest.settled(RETRY_WORKFLOW.id, before + 1);
	expect(failed.status === 'error', `the first execution ended ${failed.status}, not error`);
	const first = placedSerials(sim, numbers);
	expect(
		first[numbers[0]].length === 1 && first[numbers[1]].length === 1,
		'the first two numbers were not placed once each by the failed execution',
	);
	expect(
		first[numbers[3]].length === 0 && first[numbers[4]].length === 0,
		'numbers after the failure were sent by the failed execution',
	);

	if (nudge) {
		const lane = `${main.url}/webhook/${LANE_WORKFLOWS[0].nodes[0].parameters.path}`;
		await post(lane, { called: `1387${round}000000` });
	}
	await rest.retry(failed.id, false);
	const list = await rest.settled(RETRY_WORKFLOW.id, before + 2);
	const retried = list.find((execution) => execution.retryOf === failed.id);
	const byWorker = workerOf(workers);
	const result = {
		round,
		failed: failed.id,
		retry: retried?.id,
		failedOn: byWorker.get(failed.id),
		retryOn: byWorker.get(retried?.id),
	};
	expect(retried?.mode === 'retry', 'no execution in mode retry of the failed one');
	expect(retried?.status === 'success', `the retry ended ${retried?.status}`);
	expect(result.retryOn !== undefined, 'no worker log says it started the retry');

	const after = placedSerials(sim, numbers);
	for (const number of numbers)
		expect(after[number].length === 1, `${number} placed ${after[number].length} times`);
	const output = retried ? ((await rest.nodeOutput(retried.id, 'Call'))[0] ?? []) : [];
	result.items = output.map((item) => (item.skipped ? item.skipReason : 'placed'));
	expect(output.length === 5, `the retry's Call node gave ${output.length} items`);
	output.forEach((item, index) => {
		const serial = after[numbers[index]][0];
		if (index < 2) {
			expect(
				item.skipped === true &&
					item.skipReason === 'placedBefore' &&
					item.success === true &&
					item.callSerialNo === serial &&
					item.repeats?.executionId === failed.id &&
					item.repeats?.callSerialNo === serial &&
					item.repeats?.outcome === 'placed',
				`retry item ${index} does not repeat execution ${failed.id}'s call ${serial}: ` +
					JSON.stringify(item),
			);
		} else {
			expect(
				!item.skipped && item.success === true && item.callSerialNo === serial,
				`retry item ${index} is not the call placed now (${serial}): ${JSON.stringify(item)}`,
			);
		}
	});
	result.serials = output.slice(0, 2).map((item) => item.callSerialNo);
	result.problems = problems;
	return result;
}

/**
 * Part: the Retry button, run by a worker; rounds until the retry ran on the other worker than
 * the failed execution, and on the same one.
 */
async function retryOnWorkers({ main, workers, sim }) {
	const rest = restOf(main);
	const rounds = [];
	const seen = () => ({
		other: rounds.some((round) => round.retryOn && round.retryOn !== round.failedOn),
		same: rounds.some((round) => round.retryOn && round.retryOn === round.failedOn),
	});
	for (let round = 1; round <= MAX_RETRY_ROUNDS; round++) {
		const nudge = seen().other && !seen().same;
		const result = await retryRound({ main, workers, sim, rest, round, nudge });
		rounds.push(result);
		say(
			`  round ${round}: execution ${result.failed} failed on worker ${result.failedOn};` +
				` its retry ${result.retry} ran on worker ${result.retryOn}` +
				` (${result.retryOn === result.failedOn ? 'the same' : 'the other'} worker);` +
				` retry items: ${result.items.join(', ')};` +
				` items 0-1 repeat callSerialNo ${result.serials.join(', ')}`,
		);
		for (const problem of result.problems) say(`  FAIL round ${round}: ${problem}`);
		if (seen().other && seen().same) break;
	}
	const problems = rounds.flatMap((round) =>
		round.problems.map((p) => `round ${round.round}: ${p}`),
	);
	if (!seen().other)
		say(
			`  NOTE: in ${rounds.length} rounds n8n never gave the retry to the other worker;` +
				' only the same-worker case was shown',
		);
	return { rounds, seen: seen(), problems };
}

module.exports = {
	WORKFLOWS,
	SPACINGS,
	PAIRS_PER_SPACING,
	LANES,
	MAX_TWICE_SAID,
	duplicatePairs,
	retryOnWorkers,
	dialsOf,
};
