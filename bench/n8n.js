#!/usr/bin/env node
'use strict';

/**
 * npm run bench:n8n [-- --items 200 --latency 20 --runs 3 --only C16 --profile DIR]: the same
 * createCall requests, side by side in one real n8n 2.x, against the simulator in its own process:
 * the AICC Call node at Concurrency 1, 16 and 64, and n8n's HTTP Request node sending every item at
 * once with a static bearer header (what a user could build by hand). Each variant runs --runs
 * times; the median of the node's own execution time (n8n's run data) counts. Prints times, ratios,
 * every run's time (the spread) and whether each goal of issue 11 is met; asserts nothing. --only
 * runs the variants whose label or workflow id (benchAiccCallC01, C16, C64, benchHttpRequest) holds
 * the text; --profile writes a CPU profile of each execution's n8n process to
 * DIR/<workflow id>-run<n>.cpuprofile (node --cpu-prof; read with bench/profile.js).
 */
const fs = require('node:fs');
const path = require('node:path');

const { createInstance, ensureInstalled, freePort } = require('../scripts/local-n8n');
const { startSimulatorProcess } = require('../simulator/process');

const text = (name, fallback) => {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : process.argv[index + 1];
};
const argument = (name, fallback) => Number(text(name, fallback));
const ITEMS = argument('items', 200);
const LATENCY = argument('latency', 20);
const RUNS = argument('runs', 3);
const ONLY = text('only', '');
const PROFILE_DIR = text('profile', '') && path.resolve(text('profile', ''));
const APP_KEY = 'sim-app-key';
const APP_SECRET = 'sim-app-secret';
const CREATE_CALL = '/apiaccess/CC-Management/v1/mobileAgent/createCall';

/** Manual Trigger → ITEMS numbers → one item each → the node under test, named "Call". */
function workflow(id, call) {
	const phones = Array.from({ length: ITEMS }, (_, index) => ({
		phone: `1380013${String(index).padStart(4, '0')}`,
	}));
	const node = (suffix, name, type, typeVersion, x, parameters, extra = {}) => ({
		id: `b3c40000-0000-4000-8000-0000000000${suffix}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	});
	return {
		id,
		name: `Bench ${id}`,
		nodes: [
			node('01', 'Start', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
			node('02', 'Numbers', 'n8n-nodes-base.set', 3.4, 220, {
				mode: 'raw',
				jsonOutput: JSON.stringify({ phones }),
				options: {},
			}),
			node('03', 'One Item Each', 'n8n-nodes-base.splitOut', 1, 440, {
				fieldToSplitOut: 'phones',
				options: {},
			}),
			node('04', 'Call', call.type, call.typeVersion, 660, call.parameters, call.extra),
		],
		connections: {
			Start: { main: [[{ node: 'Numbers', type: 'main', index: 0 }]] },
			Numbers: { main: [[{ node: 'One Item Each', type: 'main', index: 0 }]] },
			'One Item Each': { main: [[{ node: 'Call', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

function aiccCall(concurrency) {
	return {
		type: 'n8n-nodes-aicc.aiccCall',
		typeVersion: 1,
		parameters: {
			resource: 'call',
			operation: 'createBidirectional',
			caller: '88889050',
			called: '={{ $json.phone }}',
			options: { concurrency },
		},
		extra: { credentials: { aiccApi: { id: 'aiccSimulator001', name: 'AICC Simulator' } } },
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
					{ name: 'X-APP-Key', value: APP_KEY },
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

async function main() {
	await ensureInstalled(2);
	const sim = await startSimulatorProcess({
		appKey: APP_KEY,
		appSecret: APP_SECRET,
		latencyMs: LATENCY,
	});
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
		const token = (
			await (
				await fetch(`${sim.url}/apigovernance/api/oauth/tokenByAkSk`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', 'X-Token-Expire': '3600' },
					body: JSON.stringify({ app_key: APP_KEY, app_secret: APP_SECRET }),
				})
			).json()
		).AccessToken;
		const all = [
			['AICC Call, Concurrency 1', 'benchAiccCallC01', aiccCall(1)],
			['AICC Call, Concurrency 16', 'benchAiccCallC16', aiccCall(16)],
			['AICC Call, Concurrency 64', 'benchAiccCallC64', aiccCall(64)],
			['HTTP Request node (all at once)', 'benchHttpRequest', httpRequest(sim.url, token)],
		];
		const variants = all.filter(([label, id]) => label.includes(ONLY) || id.includes(ONLY));
		if (variants.length === 0) throw new Error(`--only ${ONLY}: no variant has that in its name`);
		for (const [, id, call] of variants) await n8n.importWorkflow(workflow(id, call));
		// The n8n commands so far wrote profiles too; only the executions' count.
		if (PROFILE_DIR) fs.rmSync(path.join(PROFILE_DIR, 'new'), { recursive: true, force: true });
		const times = new Map(variants.map(([label]) => [label, []]));
		// Interleaved, so that a slow moment of the machine touches every variant alike.
		for (let run = 0; run < RUNS; run++) {
			for (const [label, id] of variants) {
				const { run: result } = await n8n.execute(id);
				const task = result.data.resultData.runData.Call?.[0];
				const placed = (task?.data?.main?.[0] ?? []).length;
				if (result.status !== 'success' || placed !== ITEMS)
					throw new Error(`${label}: run ${result.status}, ${placed} of ${ITEMS} items`);
				times.get(label).push(task.executionTime);
				if (PROFILE_DIR) keepProfile(id, run);
			}
		}
		if (variants.length < all.length) {
			for (const [label] of variants) console.log(`${label}: ${times.get(label).join(', ')} ms`);
			return;
		}
		const ms = (label) => median(times.get(label));
		const HTTP = 'HTTP Request node (all at once)';
		const http = ms(HTTP);
		console.log(
			`AICC Call vs n8n's HTTP Request node in a real n8n 2.x: ${ITEMS} createCall requests, ` +
				`${LATENCY} ms latency, median of ${RUNS} runs`,
		);
		console.log('variant                         |  time ms | vs HTTP Request | every run, ms');
		for (const [label] of variants) {
			const ratio = `${(ms(label) / http).toFixed(2)}x`.padEnd(15);
			const runs = times.get(label).join(', ');
			console.log(`${label.padEnd(31)} | ${String(ms(label)).padStart(8)} | ${ratio} | ${runs}`);
		}
		const c1 = ms('AICC Call, Concurrency 1');
		const c16 = ms('AICC Call, Concurrency 16');
		const c64 = ms('AICC Call, Concurrency 64');
		const floorMs = ITEMS * LATENCY;
		const goal = (text, met) => console.log(`  ${text} (${met ? 'met' : 'NOT met'})`);
		// Each round runs every variant once, back to back: its ratios share the machine's state.
		const perRound = (top, bottom) =>
			times
				.get(top)
				.map((time, run) => (time / times.get(bottom)[run]).toFixed(2))
				.join(' ');
		console.log('ratios in each round:');
		console.log(`  C16 / HTTP Request: ${perRound('AICC Call, Concurrency 16', HTTP)}`);
		console.log(`  C64 / HTTP Request: ${perRound('AICC Call, Concurrency 64', HTTP)}`);
		console.log(`  C1 / C16: ${perRound('AICC Call, Concurrency 1', 'AICC Call, Concurrency 16')}`);
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
		goal(
			`sequential at least 0.9 of the latency floor (${ITEMS} x ${LATENCY} ms): ` +
				(floorMs / c1).toFixed(2),
			floorMs / c1 >= 0.9,
		);
	} finally {
		await n8n.stop();
		await sim.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
