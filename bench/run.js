#!/usr/bin/env node
'use strict';

/**
 * npm run bench [-- --items 1000 --latency 20 --concurrency 16]: runs N items through n8n-core's
 * real WorkflowExecute against the simulator with a fixed latency, at concurrency 1, 4 and 16, and
 * prints items per second beside the floor (a bare keep-alive HTTP loop making the same
 * requests at the same concurrency), the ratio, token requests and peak memory. The simulator
 * runs in its own process, as a tenant would, so it does not take CPU from the node under test.
 * It prints figures and asserts nothing.
 */
const http = require('node:http');

const { startSimulatorProcess } = require('../simulator/process');
const { createHarness } = require('../test/harness');
const { callEachPhone } = require('../test-e2e/workflows');
const { argument, customerNumbers, fetchToken, column } = require('./common');

const ITEMS = argument('items', 1000);
const LATENCY = argument('latency', 20);
const only = argument('concurrency');
const CONCURRENCIES = only === undefined ? [1, 4, 16] : [only];
const KEYS = { appKey: 'bench-app-key', appSecret: 'bench-app-secret' };
const PATH = '/apiaccess/CC-Management/v1/mobileAgent/createCall';

let peakRss = 0;
const sampler = setInterval(() => {
	peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

function post(agent, url, token, body) {
	return new Promise((resolve, reject) => {
		const data = JSON.stringify(body);
		const request = http.request(
			`${url}${PATH}`,
			{
				method: 'POST',
				agent,
				headers: {
					'Content-Type': 'application/json',
					'Content-Length': Buffer.byteLength(data),
					Authorization: `Bearer ${token}`,
					'X-APP-Key': KEYS.appKey,
				},
			},
			(response) => {
				response.resume();
				response.on('end', resolve);
			},
		);
		request.on('error', reject);
		request.end(data);
	});
}

/** The floor: the same requests from a bare keep-alive HTTP client, `concurrency` at a time. */
async function floor(sim, concurrency) {
	const token = await fetchToken(sim.url, { ...KEYS, lifetime: 600 });
	const numbers = customerNumbers(ITEMS);
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < ITEMS) {
				const index = next++;
				await post(agent, sim.url, token, { caller: '88889050', called: numbers[index] });
			}
		}),
	);
	agent.destroy();
	return ITEMS / ((performance.now() - started) / 1000);
}

async function node(sim, concurrency) {
	const harness = await createHarness();
	harness.credentials.add('bench', { baseUrl: sim.url, ...KEYS, expiresIn: 600 });
	const items = customerNumbers(ITEMS).map((phone) => ({ phone }));
	await sim.admin('reset');
	const started = performance.now();
	const result = await harness.run({
		credentialId: 'bench',
		items,
		parameters: callEachPhone({ concurrency }),
	});
	const seconds = (performance.now() - started) / 1000;
	const failed = result.main.filter((item) => !item.success).length + (result.error ? ITEMS : 0);
	const { requests } = await sim.admin('stats');
	const writes = harness.credentials.writes;
	return { rate: ITEMS / seconds, tokens: requests.token ?? 0, writes, failed };
}

async function main() {
	console.log(
		`AICC Call benchmark: ${ITEMS} items, ${LATENCY} ms simulated latency, Node ${process.version}`,
	);
	console.log(
		'concurrency | node items/s | floor items/s | node/floor | token requests | ' +
			'credential writes | failed',
	);
	const rows = [];
	for (const concurrency of CONCURRENCIES) {
		const sim = await startSimulatorProcess({ ...KEYS, latencyMs: LATENCY });
		const floorRate = await floor(sim, concurrency);
		const measured = await node(sim, concurrency);
		await sim.stop();
		rows.push({ concurrency, ...measured, floorRate });
		const cells = [
			column(concurrency, 11),
			column(measured.rate.toFixed(1), 12),
			column(floorRate.toFixed(1), 13),
			column((measured.rate / floorRate).toFixed(2), 10),
			column(measured.tokens, 14),
			column(measured.writes, 17),
			measured.failed,
		];
		console.log(cells.join(' | '));
	}
	printTargets(rows);
	console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
	clearInterval(sampler);
}

function printTargets(rows) {
	const rowAt = (concurrency) => rows.find((row) => row.concurrency === concurrency);
	const verdict = (met) => (met ? 'met' : 'NOT met');
	console.log('targets:');
	if (rowAt(1)) {
		const ratio = rowAt(1).rate / rowAt(1).floorRate;
		console.log(
			`  sequential at least 0.9 of the raw floor: ${ratio.toFixed(2)} (${verdict(ratio >= 0.9)})`,
		);
	}
	if (rowAt(1) && rowAt(16)) {
		const speedup = rowAt(16).rate / rowAt(1).rate;
		console.log(
			`  concurrency 16 at least 10x sequential: ${speedup.toFixed(1)}x` +
				` (${verdict(speedup >= 10)})`,
		);
	}
	const tokens = rows.map((row) => row.tokens);
	console.log(
		`  one token request per run: ${tokens.join(', ')}` +
			` (${verdict(tokens.every((count) => count === 1))})`,
	);
	// Each run starts with no token stored: n8n runs preAuthentication, and writes the encrypted
	// credential, for each request that leaves without one.
	const writes = rows.map((row) => row.writes);
	console.log(
		`  one credential write per run, from a cold start: ${writes.join(', ')}` +
			` (${verdict(writes.every((count) => count === 1))})`,
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
