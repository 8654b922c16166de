#!/usr/bin/env node
'use strict';

/**
 * npm run bench:n8n [-- --items 200 --latency 20 --runs 3 --only C16 --profile DIR]: the same
 * createCall requests, side by side in one real n8n 2.x, against the simulator in its own process:
 * the AICC Call node at Concurrency 1, 16 and 64, and n8n's HTTP Request node sending every item at
 * once with a static bearer header (what a user could build by hand); and as many voice
 * notifications (Create Voice Notification V2, a TTS template with three variables) at
 * Concurrency 16, whose cost per item is printed beside the bidirectional call's. Each variant runs
 * --runs times; the median of the node's own execution time (n8n's run data) counts. Prints times,
 * cost per item, ratios, every run's time (the spread) and whether each speed goal is met; asserts
 * nothing. --only runs the variants whose label or workflow id (benchAiccCallC01, C16, C64,
 * benchHttpRequest, benchAiccVoiceC16) holds the text; --profile writes a CPU profile of each
 * execution's n8n process to DIR/<workflow id>-run<n>.cpuprofile (node --cpu-prof; read with
 * bench/profile.js).
 */
const fs = require('node:fs');
const path = require('node:path');

const { createInstance, ensureInstalled, freePort } = require('../scripts/local-n8n');
const { startSimulatorProcess } = require('../simulator/process');
const { AICC_CREDENTIALS, callEachPhone, phonesToCall } = require('../test-e2e/workflows');
const { argument, customerNumbers, fetchToken, option } = require('./common');

const ITEMS = argument('items', 200);
const LATENCY = argument('latency', 20);
const RUNS = argument('runs', 3);
const ONLY = option('only', '');
const PROFILE_DIR = option('profile', '') && path.resolve(option('profile', ''));
const KEYS = { appKey: 'sim-app-key', appSecret: 'sim-app-secret' };
const CREATE_CALL = '/apiaccess/CC-Management/v1/mobileAgent/createCall';

/**
 * ITEMS numbers, one item each, to the node under test: numbers of its own for each run, since
 * the node's duplicate guard would skip the same calls placed again within 10 minutes.
 */
function workflow(id, call, run) {
	return phonesToCall({
		id: runId(id, run),
		name: `Bench ${id}, run ${run + 1}`,
		idPrefix: 'b3c40000-0000-4000-8000-0000000000',
		phones: customerNumbers(ITEMS, run * 1_000_000 + 100_000 * workflowIndex(id)),
		call,
	});
}

const runId = (id, run) => `${id}R${run + 1}`;

function aiccCall(concurrency) {
	return {
		type: 'n8n-nodes-aicc.aiccCall',
		typeVersion: 1,
		parameters: callEachPhone({ concurrency }),
		extra: { credentials: AICC_CREDENTIALS },
	};
}

/** Create Voice Notification V2 to each item's phone: the simulator's reminder template. */
function voiceNotification(concurrency) {
	return {
		type: 'n8n-nodes-aicc.aiccCall',
		typeVersion: 1,
		parameters: {
			resource: 'voiceNotification',
			operation: 'create',
			apiVersion: 'v2',
			called: '={{ $json.phone }}',
			playList: {
				entries: [
					{
						type: 'template',
						templateId: { __rl: true, mode: 'id', value: '2000000000000000001' },
						templateParams: ['Tom', '2026/11/05', '10:30'],
					},
				],
			},
			options: { concurrency },
		},
		extra: { credentials: AICC_CREDENTIALS },
	};
}

function httpRequest(simUrl, token) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${simUrl}${CREATE_CALL}`,
			sendHeaders: true,
			headerParameters: {
				parameters: [
					{ name: 'Authorization', value: `Bearer ${token}` },
					{ name: 'X-APP-Key', value: KEYS.appKey },
				],
			},
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ caller: "88889050", called: $json.phone }) }}',
			options: {},
		},
	};
}

/** Names the profile the last execution's n8n process wrote, and drops those of other processes. */
function keepProfile(id, run) {
	const written = path.join(PROFILE_DIR, 'new');
	const files = fs.existsSync(written) ? fs.readdirSync(written) : [];
	const biggest = files
		.map((file) => path.join(written, file))
		.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
	if (biggest) fs.renameSync(biggest, path.join(PROFILE_DIR, `${id}-run${run + 1}.cpuprofile`));
	fs.rmSync(written, { recursive: true, force: true });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const HTTP_REQUEST = 'HTTP Request node (all at once)';
const COLD = 'AICC Call, Concurrency 64, cold';
const WORKFLOW_IDS = [
	'benchAiccCallC01',
	'benchAiccCallC16',
	'benchAiccCallC64',
	'benchAiccCallC64Cold',
	'benchHttpRequest',
	'benchAiccVoiceC16',
];
const workflowIndex = (id) => WORKFLOW_IDS.indexOf(id);
const VOICE_C16 = 'Voice Notification, Concurrency 16';

/**
 * [label, workflow id, node under test] of each variant. "Cold" starts with no token stored in
 * the credential (a first run, or one after the token was cleared): every request would run n8n's
 * preAuthentication, were the node not to let one get the token for all.
 */
function variants(simUrl, token) {
	return [
		['AICC Call, Concurrency 1', 'benchAiccCallC01', aiccCall(1)],
		['AICC Call, Concurrency 16', 'benchAiccCallC16', aiccCall(16)],
		['AICC Call, Concurrency 64', 'benchAiccCallC64', aiccCall(64)],
		[COLD, 'benchAiccCallC64Cold', aiccCall(64)],
		[HTTP_REQUEST, 'benchHttpRequest', httpRequest(simUrl, token)],
		[VOICE_C16, 'benchAiccVoiceC16', voiceNotification(16)],
	];
}

/** Runs each variant RUNS times; returns every execution time of its Call node by label. */
async function runTimes(n8n, variantList) {
	const times = new Map(variantList.map(([label]) => [label, []]));
	// Interleaved, so that a slow moment of the machine touches every variant alike.
	for (let run = 0; run < RUNS; run++) {
		for (const [label, id] of variantList) {
			if (label === COLD) await n8n.resetCredential();
			const { run: result } = await n8n.execute(runId(id, run));
			const task = result.data.resultData.runData.Call?.[0];
			const placed = (task?.data?.main?.[0] ?? []).length;
			if (result.status !== 'success' || placed !== ITEMS)
				throw new Error(`${label}: run ${result.status}, ${placed} of ${ITEMS} items`);
			times.get(label).push(task.executionTime);
			if (PROFILE_DIR) keepProfile(id, run);
		}
	}
	return times;
}

function printTimes(times) {
	const ms = new Map([...times].map(([label, values]) => [label, median(values)]));
	const http = ms.get(HTTP_REQUEST);
	console.log(
		`AICC Call vs n8n's HTTP Request node in a real n8n 2.x: ${ITEMS} requests per variant,` +
			` ${LATENCY} ms latency, median of ${RUNS} runs`,
	);
	console.log(
		'variant                            |  time ms | per item ms | vs HTTP Request | every run, ms',
	);
	for (const [label, time] of ms) {
		const ratio = `${(time / http).toFixed(2)}x`.padEnd(15);
		const perItem = (time / ITEMS).toFixed(2).padStart(11);
		const runs = times.get(label).join(', ');
		console.log(
			`${label.padEnd(34)} | ${String(time).padStart(8)} | ${perItem} | ${ratio} | ${runs}`,
		);
	}
	const call = ms.get('AICC Call, Concurrency 16');
	const voice = ms.get(VOICE_C16);
	console.log(
		`per item at Concurrency 16: voice notification ${(voice / ITEMS).toFixed(2)} ms, ` +
			`bidirectional call ${(call / ITEMS).toFixed(2)} ms (${(voice / call).toFixed(2)}x)`,
	);
	return ms;
}

/** Each round runs every variant once, back to back: its ratios share the machine's state. */
function printRounds(times) {
	const perRound = (top, bottom) =>
		times
			.get(top)
			.map((time, run) => (time / times.get(bottom)[run]).toFixed(2))
			.join(' ');
	const c1 = 'AICC Call, Concurrency 1';
	const c16 = 'AICC Call, Concurrency 16';
	console.log('ratios in each round:');
	console.log(`  C16 / HTTP Request: ${perRound(c16, HTTP_REQUEST)}`);
	console.log(`  C64 / HTTP Request: ${perRound('AICC Call, Concurrency 64', HTTP_REQUEST)}`);
	console.log(`  C1 / C16: ${perRound(c1, c16)}`);
	console.log(`  C64 cold / C64: ${perRound(COLD, 'AICC Call, Concurrency 64')}`);
	console.log(`  voice C16 / call C16: ${perRound(VOICE_C16, c16)}`);
}

function printGoals(ms) {
	const http = ms.get(HTTP_REQUEST);
	const c1 = ms.get('AICC Call, Concurrency 1');
	const c16 = ms.get('AICC Call, Concurrency 16');
	const c64 = ms.get('AICC Call, Concurrency 64');
	const floorMs = ITEMS * LATENCY;
	const goal = (text, met) => console.log(`  ${text} (${met ? 'met' : 'NOT met'})`);
	console.log('goals:');
	goal(
		`Concurrency 16 within 1.25x of the HTTP Request node: ${(c16 / http).toFixed(2)}x`,
		c16 <= 1.25 * http,
	);
	goal(
		`Concurrency 64 no slower than the HTTP Request node: ${(c64 / http).toFixed(2)}x`,
		c64 <= http,
	);
	goal(`Concurrency 16 at least 10x sequential: ${(c1 / c16).toFixed(1)}x`, c1 / c16 >= 10);
	const cold = ms.get(COLD);
	goal(`Concurrency 64 cold within 1.1x of warm: ${(cold / c64).toFixed(2)}x`, cold <= 1.1 * c64);
	goal(
		`sequential at least 0.9 of the latency floor (${ITEMS} x ${LATENCY} ms):` +
			` ${(floorMs / c1).toFixed(2)}`,
		floorMs / c1 >= 0.9,
	);
}

async function main() {
	await ensureInstalled(2);
	const sim = await startSimulatorProcess({ ...KEYS, latencyMs: LATENCY });
	const n8n = createInstance({
		line: 2,
		name: 'bench',
		port: await freePort(),
		brokerPort: await freePort(),
		simulatorUrl: sim.url,
		env: PROFILE_DIR
			? { NODE_OPTIONS: `--cpu-prof --cpu-prof-interval 250 --cpu-prof-dir=${PROFILE_DIR}/new` }
			: {},
	});
	try {
		await n8n.prepare();
		// The HTTP Request node sends one static token, as a user building it by hand would.
		const token = await fetchToken(sim.url, { ...KEYS, lifetime: 3600 });
		const all = variants(sim.url, token);
		const chosen = all.filter(([label, id]) => label.includes(ONLY) || id.includes(ONLY));
		if (chosen.length === 0) throw new Error(`--only ${ONLY}: no variant has that in its name`);
		for (const [, id, call] of chosen) {
			for (let run = 0; run < RUNS; run++) await n8n.importWorkflow(workflow(id, call, run));
		}
		// The n8n commands so far wrote profiles too; only the executions' count.
		if (PROFILE_DIR) fs.rmSync(path.join(PROFILE_DIR, 'new'), { recursive: true, force: true });
		const times = await runTimes(n8n, chosen);
		if (chosen.length < all.length) {
			for (const [label] of chosen) {
				const perItem = (median(times.get(label)) / ITEMS).toFixed(2);
				console.log(`${label}: ${times.get(label).join(', ')} ms; median ${perItem} ms per item`);
			}
			return;
		}
		const ms = printTimes(times);
		printRounds(times);
		printGoals(ms);
	} finally {
		await n8n.stop();
		await sim.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
