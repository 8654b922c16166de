#!/usr/bin/env node
'use strict';

/**
 * npm start: the AICC simulator and a real n8n 2.x with this package installed, a credential
 * "AICC Simulator" and the example workflows, and a preset owner. n8n's own log is shown, each
 * line prefixed with "n8n │ ". Ctrl-C stops everything.
 */
const { createSimulator, describeCallback } = require('../simulator');
const fs = require('node:fs');
const path = require('node:path');
const {
	OWNER,
	EXAMPLES,
	ensureInstalled,
	ensurePortFree,
	createInstance,
	say,
} = require('./local-n8n');

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const BROKER_PORT = Number(process.env.N8N_RUNNERS_BROKER_PORT ?? 5679);
const SIM_PORT = Number(process.env.AICC_SIM_PORT ?? 8089);
/** n8n's time zone: GENERIC_TIMEZONE if set, else this machine's. */
const TIME_ZONE =
	process.env.GENERIC_TIMEZONE || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
// Lifelike calls, so that Get Call State shows each state and Wait Until Call Ends waits (a
// newcomer found every call ended at once); the tests keep the simulator's short default.
const RING_SECONDS = 3;
const TALK_SECONDS = 12;
const N8N_PREFIX = 'n8n │ ';
/** The example workflows prepare() imports, one per file in examples/. */
const EXAMPLE_COUNT = fs.readdirSync(EXAMPLES).filter((file) => file.endsWith('.json')).length;
/** The example whose outcome half the demo runs by itself. */
const REMINDER = JSON.parse(
	fs.readFileSync(path.join(EXAMPLES, 'appointment-reminder-voice-notification.json'), 'utf8'),
);
/** Set once Ctrl-C (or SIGTERM) asked to stop. */
let stopping = false;

/** The most characters of a message to the simulator's inbox that the console shows. */
const INBOX_SHOWN = 300;

/**
 * An example as the demo runs it. The appointment reminder is set up as its sticky note says (its
 * Callback URL is its trigger's Production URL, on this n8n) and published below, so that a
 * reminder's outcome comes back by itself: a newcomer saw the simulator call back the example's
 * placeholder host, and nothing came. The CRM and chat webhooks (placeholders on example.com) go
 * to the simulator's inbox, so that the examples end on their success path, not "CRM Not Reached".
 */
function forTheDemo(workflow, simulatorUrl) {
	for (const node of workflow.nodes) {
		const fields = node.type === 'n8n-nodes-aicc.aiccCall' && node.parameters.additionalFields;
		if (workflow.id === REMINDER.id && fields?.callBackUrl)
			fields.callBackUrl = `http://localhost:${N8N_PORT}${new URL(fields.callBackUrl).pathname}`;
		const url = node.type === 'n8n-nodes-base.httpRequest' && node.parameters.url;
		// URL.canParse, not URL.parse: the latter is missing from Node 20 before 20.18.
		const target = typeof url === 'string' && URL.canParse(url) ? new URL(url) : undefined;
		if (target?.hostname.endsWith('.example.com'))
			node.parameters.url = `${simulatorUrl}/inbox/${target.hostname}${target.pathname}`;
	}
	return workflow;
}

/** What the inbox received, in one line. */
function describeInbox({ path: where, body }) {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const shown = text.length > INBOX_SHOWN ? `${text.slice(0, INBOX_SHOWN)}…` : text;
	return `inbox ${where} received (in place of your CRM or chat): ${shown}`;
}

/** A writer that passes text on to `stream` line by line, each line starting with `prefix`. */
function prefixedLines(prefix, stream) {
	let partial = '';
	return {
		write(text) {
			const lines = (partial + text).split('\n');
			partial = lines.pop();
			for (const line of lines) stream.write(`${prefix}${line}\n`);
		},
	};
}

async function main() {
	await ensurePortFree(
		N8N_PORT,
		`Stop what uses it (another n8n?), or pick another port: N8N_PORT=5690 npm start`,
	);
	await ensurePortFree(
		BROKER_PORT,
		`n8n's task broker needs it; pick another: N8N_RUNNERS_BROKER_PORT=5699 npm start`,
	);
	await ensurePortFree(
		SIM_PORT,
		`The AICC simulator needs it; pick another: AICC_SIM_PORT=8090 npm start`,
	);
	await ensureInstalled(2);

	const sim = await createSimulator({
		port: SIM_PORT,
		appKey: 'sim-app-key',
		appSecret: 'sim-app-secret',
		ringMs: RING_SECONDS * 1000,
		talkMs: TALK_SECONDS * 1000,
		// Each callback the simulator sends, and why a trigger left a test event out.
		onCallback: (record) => say(`simulator │ ${describeCallback(record)}`),
		onInbox: (message) => say(`simulator │ ${describeInbox(message)}`),
	}).start();
	say(
		`AICC simulator on ${sim.url} (App Key sim-app-key, App Secret sim-app-secret; its calls ` +
			`ring for ${RING_SECONDS} s, then talk for ${TALK_SECONDS} s)`,
	);
	const n8n = createInstance({
		line: 2,
		name: 'start',
		port: N8N_PORT,
		brokerPort: BROKER_PORT,
		simulatorUrl: sim.url,
		// This machine's time zone, not n8n's default (America/New_York): a newcomer read Get Call
		// Records' times at -05:00.
		env: { GENERIC_TIMEZONE: TIME_ZONE },
	});
	// Ctrl-C stops n8n and the simulator at any point, also while n8n is still starting.
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the simulator …');
		await n8n.stop();
		await sim.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	say('Loading the package into n8n and importing the credential and the examples …');
	await n8n.prepare({ fresh: false, adapt: (workflow) => forTheDemo(workflow, sim.url) });
	await n8n.activate(REMINDER.id);
	say(`Starting n8n (its log follows, each line starting with "${N8N_PREFIX}") …`);
	say(
		'  n8n warns about things this demo does not use: "Failed to start Python task runner" ' +
			'(Code nodes in Python) and deprecated settings. None of it stops the examples. ' +
			'"Processed 0 draft workflows, 1 published workflows" is the appointment reminder, ' +
			'published so that its outcomes come back by themselves. It also prints ' +
			'the stack of each error a node raises (e.g. NodeOperationError for a mistyped number); ' +
			'the editor shows the same error with its fix.',
	);
	await n8n.start({ output: prefixedLines(N8N_PREFIX, process.stdout) });

	say('');
	say(`n8n is ready: ${n8n.url}`);
	say(`  Log in as ${OWNER.email} with password ${OWNER.password}`);
	say(
		`  Credential "AICC Simulator" points at the simulator; the ${EXAMPLE_COUNT} examples are ` +
			`under Workflows (${n8n.url}/home/workflows): open one and press Execute workflow.`,
	);
	say(
		'  The appointment reminder is published, with its Callback URL on this n8n: about 15 s ' +
			"after a reminder, its outcome runs by itself (the workflow's Executions tab). The " +
			"examples' CRM and chat webhooks post to the simulator's inbox, which prints what it gets.",
	);
	say(
		"  What the nodes sent AICC (the simulator's request log, the AK, SK and tokens masked): " +
			`curl -s -X POST ${sim.url}/__sim -H 'Content-Type: application/json' ` +
			`-d '{"action":"log"}'`,
	);
	say(`  Time zone: ${TIME_ZONE} (set GENERIC_TIMEZONE to change it)`);
	say('  Press Ctrl-C to stop n8n and the simulator.');

	n8n.process.once('exit', async (code) => {
		if (stopping) return;
		say(`n8n exited (code ${code}).`);
		await sim.stop();
		process.exit(1);
	});
}

main().catch((error) => {
	// Stopping ends n8n or an import before they finish; stop() reports and exits.
	if (stopping) return;
	console.error(`npm start failed: ${error.message}`);
	process.exit(1);
});
