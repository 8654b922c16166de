'use strict';

/**
 * The package in n8n's queue mode: Redis, PostgreSQL, one n8n 2.x main and two workers, and the
 * AICC simulator. A webhook workflow places one call per POST; three bursts of 500 POSTs check
 * that every call is placed exactly once, count executions per worker and token exchanges, run
 * once more with a simulator that revokes older tokens on every exchange (no item may fail), and
 * measure what Max Calls Per Second means across workers. Then the node's "never twice" across
 * workers (scripts/queue-guard.js): burst 1's numbers sent once more (each dialed again is a
 * duplicate-guard entry another worker's write overwrote: the guard's miss rate, reported);
 * duplicate pairs 0, 50 and 150 ms apart, with an empty and with a full call book (reported per
 * spacing; at most a third of a spacing's pairs on two workers dialed twice); and
 * the Retry button of a failed execution run by a worker. Installs Debian's redis-server and
 * postgresql when missing. Prints each part's duration. Exits 0 when every check holds, 1
 * otherwise. AICC_QUEUE_PARTS=bursts,resend,pairs,retry (any of them) runs only some parts.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createSimulator } = require('../simulator');
const { busiestSecond } = require('../simulator/log');
const { CREDENTIAL, ensureInstalled, createInstance, freePort, say } = require('./local-n8n');
const guard = require('./queue-guard');

const BURST = 500;
const WORKERS = 2;
const PACED_RATE = 10;
const BURST_TIMEOUT_MS = 300_000;
const AGENT = '88889050';
const N8N_MODULES = path.join(__dirname, '..', '.n8n-local', 'n8n-2', 'node_modules');
/** No psqlrc, unaligned tuples only, stop at the first error: output a script can read. */
const PSQL_FLAGS = ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1'];
const CREDENTIALS = { aiccApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };

/** Runs a command; resolves with its output, rejects with it when the command fails. */
function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.once('error', reject);
		child.once('exit', (code) => {
			if (code === 0) resolve(output);
			else reject(new Error(`${command} ${args[0]} exited ${code}:\n${output.slice(-2000)}`));
		});
	});
}

function onPath(binary) {
	return (process.env.PATH ?? '')
		.split(path.delimiter)
		.some((dir) => fs.existsSync(path.join(dir, binary)));
}

/** The bin directory of the newest PostgreSQL Debian installed, or undefined. */
function postgresBin() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((entry) => fs.existsSync(path.join(base, entry, 'bin', 'initdb')));
	versions.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

async function ensurePackages() {
	const missing = [];
	if (!onPath('redis-server')) missing.push('redis-server');
	if (!postgresBin()) missing.push('postgresql');
	if (!missing.length) return;
	say(`Installing ${missing.join(' and ')} with apt-get …`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await run('apt-get', ['update'], { env });
	await run('apt-get', ['install', '-y', ...missing], { env });
}

/** Redis on loopback, without persistence, in its own directory. */
async function startRedis(dir) {
	const port = await freePort();
	fs.mkdirSync(dir);
	const log = fs.openSync(path.join(dir, 'redis.log'), 'w');
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
	const child = spawn('redis-server', [...args, '--dir', dir], { stdio: ['ignore', log, log] });
	fs.closeSync(log);
	const deadline = Date.now() + 15_000;
	while (
		!/Ready to accept connections/.test(fs.readFileSync(path.join(dir, 'redis.log'), 'utf8'))
	) {
		if (child.exitCode !== null || Date.now() > deadline)
			throw new Error(`redis-server did not start; see ${dir}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		port,
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
				return undefined;
			}),
	};
}

/** PostgreSQL as the postgres user (it refuses root) in a temporary data directory. */
async function startPostgres(dir) {
	const bin = postgresBin();
	const uid = Number(await run('id', ['-u', 'postgres']));
	const gid = Number(await run('id', ['-g', 'postgres']));
	const data = path.join(dir, 'data');
	const sockets = path.join(dir, 'sockets');
	fs.mkdirSync(sockets, { recursive: true });
	fs.chownSync(dir, uid, gid);
	fs.chownSync(sockets, uid, gid);
	const asPostgres = { uid, gid, cwd: dir, env: { ...process.env, HOME: dir } };
	const port = await freePort();
	await run(
		path.join(bin, 'initdb'),
		['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'],
		asPostgres,
	);
	// A throw-away database: durability settings off make the bursts cheaper.
	const settings = [
		`-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1`,
		'-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
	].join(' ');
	await run(
		path.join(bin, 'pg_ctl'),
		['start', '-w', '-D', data, '-l', path.join(dir, 'postgres.log'), '-o', settings],
		asPostgres,
	);
	const flags = [...PSQL_FLAGS, '-h', '127.0.0.1', '-p', String(port)];
	const psql = (sql, user = 'n8n', database = 'n8n') =>
		run(path.join(bin, 'psql'), [...flags, '-U', user, '-d', database, '-c', sql]);
	await psql("CREATE USER n8n PASSWORD 'n8n'", 'postgres', 'postgres');
	await psql('CREATE DATABASE n8n OWNER n8n', 'postgres', 'postgres');
	return {
		port,
		psql,
		stop: () => run(path.join(bin, 'pg_ctl'), ['stop', '-w', '-m', 'fast', '-D', data], asPostgres),
	};
}

/** A webhook that answers at once and places a call to the body's `called`. */
function burstWorkflow(id, webhookPath, options) {
	return {
		id,
		name: `Queue burst ${webhookPath}`,
		nodes: [
			{
				id: `${id}-webhook`,
				name: 'Burst Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-hook`,
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'onReceived',
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
					options,
				},
			},
		],
		connections: {
			'Burst Webhook': { main: [[{ node: 'Place Call', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

const WORKFLOWS = {
	plain: burstWorkflow('aiccQueueBurst01', 'queue-burst', {}),
	paced: burstWorkflow('aiccQueuePaced01', 'queue-burst-paced', { callsPerSecond: PACED_RATE }),
};

/** The createCall requests that reached the simulator, without those refused with 401. */
function placedCalls(sim) {
	return sim.log.entries.filter(
		(entry) => /^createCallV\d$/.test(entry.endpoint ?? '') && entry.status !== 401,
	);
}

/** Execution ids each worker's log says it started. */
function startedByWorker(workers) {
	return workers.map((worker) => {
		const text = fs.readFileSync(worker.logFile, 'utf8');
		const started = text.matchAll(/Worker started execution (\d+)/g);
		return [...started].map((match) => Number(match[1]));
	});
}

/** What failed in up to three failed executions, read from n8n's stored run data. */
async function failureMessages(db, after, workflowId) {
	const { parse } = require(path.join(N8N_MODULES, 'flatted'));
	const sql = `SELECT d.data FROM execution_data d
		JOIN execution_entity e ON e.id = d."executionId"
		WHERE e.id > ${after} AND e."workflowId" = '${workflowId}' AND e.status <> 'success'
		LIMIT 3`;
	const rows = (await db.psql(sql)).trim().split('\n').filter(Boolean);
	return rows.map((row) => {
		const result = parse(row).resultData;
		const error = result.runData?.['Place Call']?.[0]?.error ?? result.error;
		return error
			? `${error.message}${error.description ? ` (${error.description})` : ''}`
			: 'no error recorded';
	});
}

/** A number the database answers with, e.g. to SELECT COUNT(*). */
async function queryNumber(db, sql) {
	return Number((await db.psql(sql)).trim());
}

/**
 * POSTs each `called` number to the workflow's webhook, all at once; returns how many got 200,
 * and the other answers by status (or network error code).
 */
async function fireWebhooks(main, workflow, numbers) {
	const url = `${main.url}/webhook/${workflow.nodes[0].parameters.path}`;
	const answers = await Promise.all(
		numbers.map((called) =>
			fetch(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ called }),
			})
				.then((response) => response.status)
				.catch((error) => `network error ${error.cause?.code ?? error.message}`),
		),
	);
	const others = {};
	for (const status of answers.filter((answer) => answer !== 200))
		others[status] = (others[status] ?? 0) + 1;
	return { accepted: answers.filter((status) => status === 200).length, others };
}

/**
 * Waits until every call arrived or every accepted execution ended (some may have failed before
 * calling), then until every execution ended; returns the ms the calls took to arrive.
 */
async function waitForBurst(sim, db, { ofBurst, accepted, started }) {
	const deadline = Date.now() + BURST_TIMEOUT_MS;
	const finishedSql = `SELECT COUNT(*) ${ofBurst} AND status NOT IN ('new', 'running')`;
	const finished = async () => (await queryNumber(db, finishedSql)) >= accepted;
	const pause = () => new Promise((resolve) => setTimeout(resolve, 250));
	while (placedCalls(sim).length < BURST && !(await finished()) && Date.now() < deadline) {
		await pause();
	}
	const callsMs = Date.now() - started;
	while (!(await finished()) && Date.now() < deadline) await pause();
	return callsMs;
}

/** Executions of the burst by status: { success: n, error: n, … }. */
async function statusCounts(db, ofBurst) {
	const rows = await db.psql(`SELECT status, COUNT(*) ${ofBurst} GROUP BY status ORDER BY status`);
	return Object.fromEntries(
		rows
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((row) => row.split('|'))
			.map(([status, count]) => [status, Number(count)]),
	);
}

/**
 * How often each number was called (`perNumber`, a Map), and how many calls went to a number
 * not in `numbers`.
 */
function callsPerNumber(calls, numbers) {
	const perNumber = new Map(numbers.map((number) => [number, 0]));
	let strangers = 0;
	for (const call of calls) {
		if (perNumber.has(call.body?.called))
			perNumber.set(call.body.called, perNumber.get(call.body.called) + 1);
		else strangers += 1;
	}
	return { perNumber, counts: [...perNumber.values()], strangers };
}

/** The simulator placed the call (HTTP 200, retCode "0"). */
function succeeded(call) {
	const text = typeof call.response === 'string' ? call.response : JSON.stringify(call.response);
	return call.status === 200 && /"retCode":"0"/.test(text);
}

/** What a burst shows at the simulator and in n8n's database. */
function tally({ label, sim, workers, webhooks, before, statuses, callsMs, numbers }) {
	const calls = placedCalls(sim);
	const { perNumber, counts, strangers } = callsPerNumber(calls, numbers);
	const failedCalls = calls.filter((call) => !succeeded(call)).length;
	const result = {
		label,
		accepted: webhooks.accepted,
		otherAnswers: webhooks.others,
		requests: calls.length,
		once: counts.filter((count) => count === 1).length,
		missing: counts.filter((count) => count === 0).length,
		twice: counts.filter((count) => count > 1).length,
		strangers,
		unauthorized: sim.log.entries.filter(
			(entry) => /^createCallV\d$/.test(entry.endpoint ?? '') && entry.status === 401,
		).length,
		failedCalls,
		statuses,
		perWorker: startedByWorker(workers).map((ids) => ids.filter((id) => id > before).length),
		tokenExchanges: sim.log.for('token').length,
		busiestSecond: busiestSecond(calls.map((entry) => Date.parse(entry.at))),
		seconds: (callsMs / 1000).toFixed(1),
	};
	result.calledOnce = numbers.filter((number) => perNumber.get(number) === 1);
	result.exactlyOnce = result.missing === 0 && result.twice === 0 && strangers === 0;
	result.noFailedItem =
		failedCalls === 0 && (statuses.success ?? 0) === BURST && Object.keys(statuses).length === 1;
	return result;
}

function printBurst(result, failures) {
	say(`  webhook POSTs answered 200: ${result.accepted}/${BURST}`);
	if (Object.keys(result.otherAnswers).length)
		say(`  other answers to webhook POSTs: ${JSON.stringify(result.otherAnswers)}`);
	say(
		`  createCall requests at the simulator (401s excluded): ${result.requests}` +
			` in ${result.seconds} s`,
	);
	say(
		`  numbers called exactly once: ${result.once}/${BURST}` +
			` (missing ${result.missing}, more than once ${result.twice},` +
			` unknown ${result.strangers})`,
	);
	say(`  createCall answered 401 (then renewed and re-sent): ${result.unauthorized}`);
	say(`  calls not accepted by the simulator: ${result.failedCalls}`);
	say(`  executions by status: ${JSON.stringify(result.statuses)}`);
	for (const message of failures) say(`  failed execution: ${message}`);
	const perWorker = result.perWorker.map((n, i) => `worker ${i + 1}: ${n}`).join(', ');
	say(`  executions per worker: ${perWorker}`);
	say(`  token exchanges: ${result.tokenExchanges}`);
	say(`  most createCall requests started in any 1-second window: ${result.busiestSecond}`);
}

/** Fires BURST webhook POSTs at once, and waits until BURST calls reached the simulator. */
async function burst({ label, sim, main, workers, db, workflow, prefix }) {
	sim.log.clear();
	const before = await queryNumber(db, 'SELECT COALESCE(MAX(id), 0) FROM execution_entity');
	const numbers = Array.from(
		{ length: BURST },
		(_, index) => `${prefix}${String(index).padStart(4, '0')}`,
	);
	const started = Date.now();
	const webhooks = await fireWebhooks(main, workflow, numbers);
	const ofBurst = `FROM execution_entity WHERE id > ${before} AND "workflowId" = '${workflow.id}'`;
	const callsMs = await waitForBurst(sim, db, {
		ofBurst,
		accepted: webhooks.accepted,
		started,
	});
	const statuses = await statusCounts(db, ofBurst);
	const result = tally({
		label,
		sim,
		workers,
		webhooks,
		before,
		statuses,
		callsMs,
		numbers,
	});
	printBurst(result, await failureMessages(db, before, workflow.id));
	return result;
}

/** Redis, PostgreSQL and the simulator; each stop goes onto `cleanups`. */
async function startServices(tmp, cleanups) {
	const redis = await startRedis(path.join(tmp, 'redis'));
	cleanups.push(redis.stop);
	const db = await startPostgres(path.join(tmp, 'postgres'));
	cleanups.push(db.stop);
	say(`Redis on port ${redis.port}, PostgreSQL on port ${db.port}`);
	const sim = await createSimulator({ ringMs: 300, talkMs: 300 }).start();
	cleanups.push(sim.stop);
	return { redis, db, sim };
}

/** What the main and the workers share: the queue, the database and the encryption key. */
function queueEnv(redis, db) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(db.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: 'n8n',
		N8N_ENCRYPTION_KEY: 'aicc-queue-test-key',
	};
}

/**
 * Makes the workflows active (POST /rest/workflows/:id/activate, as the editor's toggle does),
 * then waits until the main knows every workflow's webhook: a GET to a POST-only webhook is
 * answered "not registered for GET requests" once it is registered (no execution, no call).
 */
async function activate(main, workflows) {
	const cookie = await main.login();
	const rest = async (method, route, body) => {
		const response = await fetch(`${main.url}/rest${route}`, {
			method,
			headers: { 'Content-Type': 'application/json', cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status} ${text}`);
		return JSON.parse(text).data;
	};
	for (const workflow of workflows) {
		const { versionId } = await rest('GET', `/workflows/${workflow.id}`);
		await rest('POST', `/workflows/${workflow.id}/activate`, { versionId });
	}
	const deadline = Date.now() + 60_000;
	for (const workflow of workflows) {
		const url = `${main.url}/webhook/${workflow.nodes[0].parameters.path}`;
		for (;;) {
			const text = await fetch(url)
				.then((response) => response.text())
				.catch((error) => String(error));
			if (/not registered for GET requests/.test(text)) break;
			if (Date.now() > deadline) throw new Error(`webhook of ${workflow.id}: ${text}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}

/** The n8n main with the burst workflows active, and WORKERS workers, all started. */
async function startCluster({ tmp, cleanups, sim, env }) {
	const instance = async (name, extra = {}) => {
		const n8n = createInstance({
			line: 2,
			name,
			port: await freePort(),
			brokerPort: await freePort(),
			simulatorUrl: sim.url,
			env: { ...env, ...extra },
		});
		cleanups.push(() => fs.rmSync(n8n.userFolder, { recursive: true, force: true }));
		return n8n;
	};
	const main = await instance('queue-main');
	await main.prepare();
	// One n8n command imports every workflow; they are made active over REST once n8n runs.
	const workflows = [...Object.values(WORKFLOWS), ...guard.WORKFLOWS];
	const file = path.join(main.userFolder, 'queue-workflows.json');
	fs.writeFileSync(file, JSON.stringify(workflows));
	await main.cli(['import:workflow', `--input=${file}`]);
	const workers = [];
	for (let index = 1; index <= WORKERS; index += 1) {
		const worker = await instance(`queue-worker-${index}`, {
			QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
		});
		await worker.prepare({ imports: false });
		worker.logFile = path.join(tmp, `worker-${index}.log`);
		workers.push(worker);
	}
	say('Starting the n8n main and the workers …');
	cleanups.push(main.stop);
	await main.start({ output: fs.createWriteStream(path.join(tmp, 'main.log')) });
	for (const worker of workers) {
		cleanups.push(worker.stop);
		await worker.start({ command: 'worker', output: fs.createWriteStream(worker.logFile) });
	}
	await activate(main, workflows);
	return { main, workers };
}

/**
 * Lost updates: every number a burst called once, sent once more, all at once. Each was written
 * in the call book before it was placed, so each must now be taken for a duplicate; a number
 * dialed again is an entry that another worker's write overwrote (n8n reads the book's row,
 * adds, and writes it back: two workers doing so at once keep only one's additions).
 */
async function resend({ sim, main, workers, db, workflow, numbers }) {
	sim.log.clear();
	const before = await queryNumber(db, 'SELECT COALESCE(MAX(id), 0) FROM execution_entity');
	const started = Date.now();
	const webhooks = await fireWebhooks(main, workflow, numbers);
	const ofBurst = `FROM execution_entity WHERE id > ${before} AND "workflowId" = '${workflow.id}'`;
	await waitForBurst(sim, db, { ofBurst, accepted: webhooks.accepted, started });
	const statuses = await statusCounts(db, ofBurst);
	const { counts, strangers } = callsPerNumber(placedCalls(sim), numbers);
	const result = {
		resent: numbers.length,
		accepted: webhooks.accepted,
		otherAnswers: webhooks.others,
		statuses,
		dialedAgain: counts.filter((count) => count > 0).length,
		strangers,
		perWorker: startedByWorker(workers).map((ids) => ids.filter((id) => id > before).length),
	};
	result.missRate = result.accepted ? result.dialedAgain / result.accepted : NaN;
	say(`  numbers the burst called once, sent again: ${result.resent}`);
	say(`  webhook POSTs answered 200: ${result.accepted}`);
	if (Object.keys(result.otherAnswers).length)
		say(`  other answers to webhook POSTs: ${JSON.stringify(result.otherAnswers)}`);
	say(`  executions by status: ${JSON.stringify(statuses)}`);
	say(`  executions per worker: ${result.perWorker.join('/')}`);
	say(
		`  dialed again (the guard's entry was lost): ${result.dialedAgain}` +
			` of ${result.accepted}, a miss rate of ${(100 * result.missRate).toFixed(1)} %`,
	);
	return result;
}

/** The parts of the run, in order; AICC_QUEUE_PARTS (e.g. "pairs,retry") runs only some. */
const PARTS = ['bursts', 'resend', 'pairs', 'retry'];
const chosenParts = (process.env.AICC_QUEUE_PARTS ?? PARTS.join(','))
	.split(',')
	.map((part) => part.trim())
	.filter((part) => PARTS.includes(part));

/** Runs `work` as a part of the run, printing its title first and its duration after. */
async function part(report, title, work) {
	say(`\n${title}`);
	const started = Date.now();
	try {
		return await work(title);
	} finally {
		const seconds = Math.round((Date.now() - started) / 1000);
		report.durations.push([title.split(':')[0], seconds]);
		say(`  (${seconds} s)`);
	}
}

/**
 * The bursts (plain; after a token expired with revoking exchanges; paced), the lost-update
 * resend of burst 1's numbers, the duplicate pairs and the retry on a worker.
 */
async function runParts(common, report) {
	const { sim } = common;
	const wants = (name) => chosenParts.includes(name);
	const bursts = wants('bursts') || wants('resend');
	if (bursts) {
		report.bursts.push(
			await part(report, `Burst 1: ${BURST} webhook calls`, (label) =>
				burst({ ...common, label, workflow: WORKFLOWS.plain, prefix: '1380001' }),
			),
		);
	}
	if (wants('resend')) {
		report.resend = await part(
			report,
			'Lost updates: each number burst 1 called, sent once more at once',
			() => resend({ ...common, workflow: WORKFLOWS.plain, numbers: report.bursts[0].calledOnce }),
		);
	}
	if (wants('bursts')) {
		sim.config.revokeOnIssue = true;
		sim.expireTokens();
		report.bursts.push(
			await part(
				report,
				'Burst 2: the stored token expired, and a token exchange revokes older tokens',
				(label) => burst({ ...common, label, workflow: WORKFLOWS.plain, prefix: '1380002' }),
			),
		);
		sim.config.revokeOnIssue = false;
		report.bursts.push(
			await part(report, `Burst 3: Max Calls Per Second ${PACED_RATE}`, (label) =>
				burst({ ...common, label, workflow: WORKFLOWS.paced, prefix: '1380003' }),
			),
		);
	}
	if (wants('pairs')) {
		report.pairs = await part(
			report,
			`Duplicate pairs: the same webhook body twice, ${guard.SPACINGS.join(' / ')} ms apart,` +
				` ${guard.PAIRS_PER_SPACING} pairs each, ${guard.LANES} workflows side by side`,
			() => guard.duplicatePairs(common),
		);
	}
	if (wants('retry')) {
		report.retry = await part(
			report,
			'Retry: an execution fails at its 3rd of 5 numbers; the Retry button, run by a worker',
			() => guard.retryOnWorkers(common),
		);
	}
}

/** Prints the summary; returns whether every check of the parts that ran holds. */
function summarize(report, started) {
	const checks = [];
	const check = (label, ok) => {
		checks.push(ok);
		say(`  ${label}: ${ok ? 'PASS' : 'FAIL'}`);
	};
	say('\nSummary');
	if (chosenParts.length < PARTS.length)
		say(`  partial run (AICC_QUEUE_PARTS): ${chosenParts.join(', ')}`);
	const results = report.bursts;
	for (const result of results) {
		say(
			`  ${result.label.split(':')[0]}: exactly once ${result.exactlyOnce ? 'yes' : 'NO'},` +
				` no failed item ${result.noFailedItem ? 'yes' : 'NO'},` +
				` per worker ${result.perWorker.join('/')},` +
				` token exchanges ${result.tokenExchanges},` +
				` busiest second ${result.busiestSecond}`,
		);
	}
	const expected = chosenParts.includes('bursts') ? 3 : chosenParts.includes('resend') ? 1 : 0;
	const all = (test) => results.length === expected && results.every(test);
	if (expected > 0) {
		const neverTwice = all((result) => result.twice === 0 && result.strangers === 0);
		say(`  no number called more than once: ${neverTwice ? 'yes' : 'NO'}`);
		check(
			'at most one token exchange per worker in each burst',
			all((result) => result.tokenExchanges <= WORKERS),
		);
		check(
			'every call placed exactly once',
			all((result) => result.exactlyOnce),
		);
		check(
			'no failed item',
			all((result) => result.noFailedItem),
		);
	}
	if (chosenParts.includes('resend')) {
		const lost = report.resend;
		say(
			lost
				? `  lost updates (not fatal): ${lost.dialedAgain} of ${lost.accepted} numbers resent` +
						` after burst 1 were dialed again (${(100 * lost.missRate).toFixed(1)} %)`
				: '  lost updates: not measured',
		);
		check('the resend ran', Boolean(lost) && lost.accepted === lost.resent);
	}
	if (chosenParts.includes('pairs')) {
		const pairs = report.pairs;
		for (const round of pairs?.rounds ?? []) {
			const rows = round.table.map(
				(row) => `${row.spacing} ms ${row.twice}/${row.pairs} (${row.apart} on two workers)`,
			);
			say(`  pairs dialed twice, ${round.book}: ${rows.join(', ')}`);
		}
		check(
			`duplicate pairs (two workers: at most ${guard.MAX_TWICE_SAID} of those twice;` +
				' one worker: never)',
			Boolean(pairs) && pairs.problems.length === 0,
		);
	}
	if (chosenParts.includes('retry')) {
		const retry = report.retry;
		say(
			`  retry rounds: ${(retry?.rounds ?? [])
				.map((round) => `worker ${round.failedOn} failed, worker ${round.retryOn} retried`)
				.join('; ')}`,
		);
		check(
			'a retry on a worker places every number once and names the earlier calls',
			Boolean(retry) && retry.rounds.length > 0 && retry.problems.length === 0,
		);
	}
	say(`  durations: ${report.durations.map(([label, s]) => `${label} ${s} s`).join(', ')}`);
	say(`  total time: ${Math.round((Date.now() - started) / 1000)} s`);
	return checks.length > 0 && checks.every(Boolean);
}

async function main() {
	const started = Date.now();
	const cleanups = [];
	const stopAll = async () => {
		for (const stop of cleanups.reverse()) {
			try {
				await stop();
			} catch (error) {
				say(`  cleanup: ${error.message.split('\n')[0]}`);
			}
		}
	};
	const report = { bursts: [], durations: [] };
	let failed = false;
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => stopAll().finally(() => process.exit(1)));
	}
	try {
		await ensurePackages();
		await ensureInstalled(2);
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aicc-queue-'));
		fs.chmodSync(tmp, 0o755);
		cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
		const { redis, db, sim } = await startServices(tmp, cleanups);
		const env = queueEnv(redis, db);
		const { main, workers } = await startCluster({ tmp, cleanups, sim, env });
		const ready = Math.round((Date.now() - started) / 1000);
		report.durations.push(['start-up', ready]);
		say(`Ready after ${ready} s: main on ${main.url}, ${WORKERS} workers`);
		await runParts({ sim, main, workers, db }, report);
	} catch (error) {
		say(`\nFAILED: ${error.stack ?? error}`);
		failed = true;
	} finally {
		await stopAll();
	}
	process.exitCode = summarize(report, started) && !failed ? 0 : 1;
}

if (require.main === module) main();

module.exports = { startServices, startCluster, queueEnv, WORKFLOWS };
