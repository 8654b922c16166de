#!/usr/bin/env node
'use strict';

/**
 * npm run demo: the npm start set-up, headless: runs the first example workflow (a CRM lead →
 * Create Bidirectional Call) with `n8n execute` against the simulator, prints the result items
 * as a table, and exits 0 on success, 1 otherwise.
 */
const { createSimulator } = require('../simulator');
const { ensureInstalled, createInstance, freePort, nodeOutput, say } = require('./local-n8n');

const WORKFLOW = 'aiccExampleLead1';
const NODE = 'Agent Calls The Lead';

function table(rows) {
	const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
	const cell = (value) =>
		typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
	const widths = columns.map((column) =>
		Math.max(column.length, ...rows.map((row) => cell(row[column]).length)),
	);
	const line = (values) => values.map((value, index) => value.padEnd(widths[index])).join(' | ');
	return [
		line(columns),
		widths.map((width) => '-'.repeat(width)).join('-|-'),
		...rows.map((row) => line(columns.map((column) => cell(row[column])))),
	].join('\n');
}

async function main() {
	await ensureInstalled(2);
	const sim = await createSimulator({ appKey: 'sim-app-key', appSecret: 'sim-app-secret' }).start();
	try {
		const n8n = createInstance({
			line: 2,
			name: 'demo',
			port: await freePort(),
			brokerPort: await freePort(),
			simulatorUrl: sim.url,
		});
		say(
			'Running the example "CRM lead → agent calls the lead now" in n8n 2.x' +
				` against the simulator at ${sim.url} …`,
		);
		await n8n.prepare();
		const { run } = await n8n.execute(WORKFLOW);
		const [items = []] = nodeOutput(run, NODE);
		say('');
		say(table(items));
		say('');
		const ok =
			run.status === 'success' && items.length > 0 && items.every((item) => item.success === true);
		say(
			ok
				? `Done: ${items.length} call placed at the simulator.`
				: `The run did not succeed (status ${run.status}).`,
		);
		return ok ? 0 : 1;
	} finally {
		await sim.stop();
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`npm run demo failed: ${error.message}`);
		process.exit(1);
	},
);
