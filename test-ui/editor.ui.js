#!/usr/bin/env node
'use strict';

/**
 * npm run test:ui: the editor in a real browser. Starts the AICC simulator and the n8n 2.x that
 * npm start runs, drives Debian's Chromium with playwright-core through a newcomer's first
 * contact: log in, create and test an AICC API credential, press Execute workflow in each example
 * as it opens (no trigger picked, nothing set up), find the nodes in the node picker with their
 * own descriptions, open the AICC Trigger and its test-event help, and pick a
 * voice-notification template From List in the appointment reminder example. Each step leaves a
 * screenshot in test-ui/artifacts/; when every step passes, the README's screenshots in docs/
 * are refreshed from the same run.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium, selectors } = require('playwright-core');

const { createSimulator } = require('../simulator');
const { OWNER, ensureInstalled, createInstance, freePort, say } = require('../scripts/local-n8n');
const { AiccCall } = require('../dist/nodes/AiccCall/AiccCall.node.js');
const {
	AiccCallEventTrigger,
} = require('../dist/nodes/AiccCallEventTrigger/AiccCallEventTrigger.node.js');

const ARTIFACTS = path.join(__dirname, 'artifacts');
const DOCS = path.join(__dirname, '..', 'docs');
const CHROMIUM = '/usr/bin/chromium';
const SIM_KEYS = { appKey: 'sim-app-key', appSecret: 'sim-app-secret' };
const WRONG_SECRET_MESSAGE = 'AICC rejected the App Key or App Secret (HTTP 401 from tokenByAkSk)';
/** The example imported by prepare(), and its AICC Call node. */
const LEAD_WORKFLOW = 'aiccExampleLead1';
const LEAD_CALL_NODE = '6a1b9a41-7d4c-4a39-9a55-0c7f0e1a0005';
/** The appointment reminder example imported by prepare(), and its AICC Call node. */
const VOICE_WORKFLOW = 'aiccExampleVoice';
const VOICE_CALL_NODE = '7e2a1c55-3b9d-4f60-8c1e-0a1cc0005006';
const TRIGGER_WORKFLOW = {
	id: 'aiccUiTrigger01',
	name: 'AICC: call events (UI test)',
	nodes: [
		{
			id: 'b3c1f3d2-0c55-4d0e-9a51-0a1cc0000001',
			name: 'AICC Trigger',
			type: 'n8n-nodes-aicc.aiccCallEventTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'b3c1f3d2-0c55-4d0e-9a51-0a1cc0000002',
			parameters: { secret: 'k9x2Lq7Vd3', events: ['released'], answered: 'unanswered' },
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
	pinData: {},
	active: false,
};
const TIMEOUT = 30_000;
/**
 * The other examples prepare() imports (the CRM lead's has a step of its own), and the simulator
 * request each one's default Execute workflow sends (none: the example's sample event leads to a
 * chat or CRM webhook, not to AICC).
 */
const EXAMPLES = [
	{ id: 'aiccExampleList2', name: 'contact list', request: 'createCallAnonymous' },
	{ id: 'aiccExampleMiss3', name: 'missed-call follow-up', request: null },
	{ id: 'aiccExampleCrm04', name: 'call outcome to CRM', request: null },
	{ id: VOICE_WORKFLOW, name: 'appointment reminder', request: 'createVoiceNotificationV2' },
	{ id: 'aiccExampleDay06', name: 'daily call report', request: 'queryCallDetailRecord' },
];
/** The built nodes' descriptions, as n8n reads them from dist/. */
const NODES = [new AiccCall().description, new AiccCallEventTrigger().description];

/** Debian's Chromium; installed with apt-get when missing (CI machines start without it). */
function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	if (process.getuid?.() !== 0) {
		throw new Error(`${CHROMIUM} is missing: run sudo apt-get install -y chromium`);
	}
	say('Installing Chromium (apt-get install -y chromium) …');
	for (const args of [['update'], ['install', '-y', 'chromium']]) {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
		if (result.status !== 0) {
			throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
		}
	}
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
	}
}

/** Fails with a message saying what the page should have shown. */
function expect(condition, message) {
	if (!condition) throw new Error(message);
}

/** Headless, and none of Chromium's own traffic (updates, sync, QUIC) in the way. */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Takes numbered screenshots into ARTIFACTS; each call returns its file. */
function screenshotter(page) {
	let shot = 0;
	return async (name) => {
		shot += 1;
		const file = path.join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`);
		await page.screenshot({ path: file });
		return file;
	};
}

/** The steps, in order: [name, run]; `docs` collects the screenshots docs/ shows. */
function editorSteps(page, screenshot, sim, docs) {
	return [
		['log in as the preset owner', () => logIn(page, screenshot)],
		[
			'create the AICC API credential and test it',
			async () => (docs.credential = await credential(page, screenshot, sim)),
		],
		[
			'execute the CRM lead example as it opens and read the output',
			async () => Object.assign(docs, await execute(page, screenshot, sim)),
		],
		...EXAMPLES.map(({ id, name, request }) => [
			`Execute workflow in the ${name} example as it opens succeeds`,
			() => executeAsOpened(page, screenshot, sim, id, request),
		]),
		[
			"the reminder's outcome half runs from Reminder Ended's own Execute workflow button",
			() => executeAsOpened(page, screenshot, sim, VOICE_WORKFLOW, null, 'Reminder Ended'),
		],
		['the node picker shows each node with its own description', () => picker(page, screenshot)],
		[
			'open the AICC Trigger and its test-event help',
			async () => (docs.trigger = await trigger(page, screenshot)),
		],
		[
			"listening for a test event, the trigger's panel names AICC",
			() => listening(page, screenshot),
		],
		[
			'pick a voice-notification template From List, and search the list',
			async () => (docs.voices = await voiceList(page, screenshot, sim)),
		],
	];
}

/** Runs every step, even after one fails; returns whether each passed. */
async function runSteps(steps, screenshot) {
	const results = [];
	for (const [name, run] of steps) {
		const started = Date.now();
		try {
			await run();
			results.push(true);
			say(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		} catch (error) {
			results.push(false);
			const file = await screenshot('failed').catch(() => undefined);
			say(`FAIL ${name}: ${error.message.split('\n')[0]}`);
			if (file) say(`     page at failure: ${path.relative(process.cwd(), file)}`);
		}
	}
	return results;
}

function refreshDocs(docs) {
	for (const [name, file] of Object.entries(docs)) {
		fs.copyFileSync(file, path.join(DOCS, `${name}.png`));
	}
	say(
		`Refreshed ${Object.keys(docs)
			.map((name) => `docs/${name}.png`)
			.join(', ')}`,
	);
}

async function main() {
	selectors.setTestIdAttribute('data-test-id');
	fs.rmSync(ARTIFACTS, { recursive: true, force: true });
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	ensureChromium();
	await ensureInstalled(2);

	const sim = await createSimulator(SIM_KEYS).start();
	const n8n = createInstance({
		line: 2,
		name: 'ui',
		port: await freePort(),
		brokerPort: await freePort(),
		simulatorUrl: sim.url,
	});
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aicc-ui-chromium-'));
	let context;
	try {
		say('Preparing n8n (package, credential, examples) …');
		await n8n.prepare();
		await n8n.importWorkflow(TRIGGER_WORKFLOW);
		say('Starting n8n …');
		await n8n.start();
		say(`n8n is ready: ${n8n.url}`);

		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			args: CHROMIUM_ARGS,
			viewport: { width: 1440, height: 900 },
			baseURL: n8n.url,
		});
		context.setDefaultTimeout(TIMEOUT);
		const page = context.pages()[0] ?? (await context.newPage());
		const screenshot = screenshotter(page);
		const docs = {};
		const results = await runSteps(editorSteps(page, screenshot, sim, docs), screenshot);
		if (results.every(Boolean)) refreshDocs(docs);
		return results;
	} finally {
		await context?.close();
		fs.rmSync(profile, { recursive: true, force: true });
		await n8n.stop();
		await sim.stop();
	}
}

async function logIn(page, screenshot) {
	await page.goto('/signin');
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
	await page.getByTestId('password').locator('input').fill(OWNER.password);
	await screenshot('sign-in');
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	await page
		.getByTestId('project-home-menu-item')
		.waitFor()
		.catch(() => {
			throw new Error(`signing in as ${OWNER.email} did not open n8n's home page`);
		});
	await screenshot('signed-in');
}

/** Creates the credential in the UI; returns the tested credential's screenshot. */
async function credential(page, screenshot, sim) {
	await page.goto('/home/credentials/create');
	await page.getByTestId('new-credential-type-select').locator('input').fill('AICC API');
	const option = page.getByTestId('new-credential-type-select-option');
	await option.filter({ hasText: 'AICC API' }).first().click();
	await page.getByTestId('new-credential-type-button').click();
	const modal = page.getByTestId('editCredential-modal');
	const field = (name) => modal.getByTestId(`parameter-input-${name}`).locator('input');
	await field('baseUrl').fill(sim.url);
	await field('appKey').fill(SIM_KEYS.appKey);
	await field('appSecret').fill(SIM_KEYS.appSecret);
	await screenshot('credential-filled');

	const save = modal.getByTestId('credential-save-button').locator('button');
	sim.log.clear();
	await save.click();
	const success = modal.getByTestId('credentials-config-container-test-success');
	await success.waitFor().catch(() => {
		throw new Error('after Save, the credential shows no successful connection test');
	});
	const tested = await screenshot('credential-tested');
	const exchanges = sim.log.for('token').length;
	expect(exchanges >= 1, 'the credential test sent no token request to the simulator');

	await field('appSecret').fill('wrong-secret');
	await save.click();
	// n8n shows "Couldn't connect with these settings", and the credential's message under More
	// details.
	await modal.getByText('More details').click();
	await modal
		.getByText(WRONG_SECRET_MESSAGE)
		.waitFor()
		.catch(async () => {
			const shown = (await modal.innerText()).replace(/\s+/g, ' ').slice(0, 400);
			throw new Error(
				`a wrong App Secret does not show "${WRONG_SECRET_MESSAGE}"; shown: ${shown}`,
			);
		});
	await screenshot('credential-wrong-secret');
	await page.keyboard.press('Escape');
	return tested;
}

/** Executes the example from the editor; returns the node panel before and after for docs/. */
async function execute(page, screenshot, sim) {
	await page.goto(`/workflow/${LEAD_WORKFLOW}`);
	await page.getByTestId('execute-workflow-button').waitFor();
	await screenshot('lead-workflow');

	await page.goto(`/workflow/${LEAD_WORKFLOW}/${LEAD_CALL_NODE}`);
	const ndv = page.getByTestId('ndv');
	const operation = await ndv
		.getByTestId('parameter-input-operation')
		.locator('input')
		.inputValue();
	expect(
		operation === 'Create Bidirectional Call',
		`the AICC Call node's panel shows operation "${operation}", not Create Bidirectional Call`,
	);
	await page.waitForTimeout(1000);
	const node = await screenshot('call-node');
	await ndv.getByTestId('ndv-close-button').click();

	// Execute workflow as a newcomer presses it: n8n picks the webhook, which has a pinned sample.
	sim.log.clear();
	await page.getByTestId('execute-workflow-button').click();
	const named = page.locator('[data-node-name="Agent Calls The Lead"]');
	const callNode = page.getByTestId('canvas-node').and(named);
	await callNode
		.getByTestId('canvas-node-status-success')
		.waitFor()
		.catch(() => {
			throw new Error('after Execute workflow, the AICC Call node did not finish successfully');
		});
	await screenshot('lead-executed');
	const calls = sim.log.for('createCallV1');
	expect(calls.length === 1, `the execution placed ${calls.length} calls, expected 1`);
	// The response text as sent: callSerialNo is 19 digits, a bare JSON number AICC may send.
	const issued = /"callSerialNo":"?(\d+)/.exec(String(calls[0].response))?.[1];
	expect(issued, `the simulator issued no callSerialNo: ${calls[0].response}`);

	await callNode.dblclick();
	const items = page.getByTestId('output-panel').getByTestId('ndv-data-container');
	await items
		.getByText(issued, { exact: true })
		.waitFor({ timeout: 10_000 })
		.catch(async () => {
			const shown = (await items.innerText()).replace(/\s+/g, ' ').slice(0, 400);
			throw new Error(`the output panel does not show callSerialNo ${issued}; it shows: ${shown}`);
		});
	const execution = await screenshot('call-node-output');
	return { node, execution };
}

/**
 * The workflow's executions, newest first, as n8n's REST API lists them: [{ id, status }].
 * Asked from the page, as the editor asks: n8n accepts the session only with the editor's
 * browser-id header (and ends the session when a request lacks it).
 */
async function executionsOf(page, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { status, body } = await page.evaluate(async (url) => {
		const headers = { 'browser-id': globalThis.localStorage.getItem('n8n-browserId') ?? '' };
		const response = await fetch(url, { headers, credentials: 'include' });
		return { status: response.status, body: await response.text() };
	}, `/rest/executions?filter=${filter}&limit=10`);
	expect(status === 200, `listing executions answered HTTP ${status}: ${body.slice(0, 200)}`);
	const { data } = JSON.parse(body);
	return data.results ?? data;
}

/**
 * Opens an example as imported, presses Execute workflow without picking a trigger (or the button
 * n8n shows on the trigger `from` when the pointer is over it), and expects one execution that
 * succeeds: not one waiting for a test event, not an error.
 */
async function executeAsOpened(page, screenshot, sim, workflowId, request, from) {
	await page.goto(`/workflow/${workflowId}`);
	const button = page.getByTestId(
		from ? `execute-workflow-button-${from}` : 'execute-workflow-button',
	);
	await button.waitFor({ state: from ? 'attached' : 'visible' });
	const before = (await executionsOf(page, workflowId)).length;
	sim.log.clear();
	// A trigger's own button shows only on hover: the click is sent to it directly.
	await (from ? button.dispatchEvent('click') : button.click());
	let runs = [];
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		runs = await executionsOf(page, workflowId);
		if (runs.length > before && !['new', 'running'].includes(runs[0].status)) break;
		await page.waitForTimeout(500);
	}
	await screenshot(`executed-${workflowId}${from ? '-from-trigger' : ''}`);
	const label = (await button.innerText()).replace(/\s+/g, ' ').trim();
	expect(
		runs.length > before,
		`Execute workflow started no execution within 60 s; the button shows "${label}"`,
	);
	expect(
		runs[0].status === 'success',
		`Execute workflow ended with status "${runs[0].status}" (execution ${runs[0].id})`,
	);
	if (request) {
		const sent = sim.log.for(request).length;
		expect(sent >= 1, `the execution sent no ${request} request to the simulator`);
	}
}

/** Text as a panel shows it: HTML tags dropped, entities and spaces collapsed. */
function shownText(html) {
	return html
		.replace(/<br\s*\/?>/g, ' ')
		.replace(/<[^>]+>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&nbsp;/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * The node picker's AICC items after searching for `query`: [{ name, description }]. A node with
 * actions is an action item (it opens its list of actions), any other a node item.
 */
async function pickerItems(page, query = 'AICC') {
	await page.getByTestId('node-creator').getByPlaceholder('Search nodes').fill(query);
	const items = page
		.getByTestId('node-creator-node-item')
		.or(page.getByTestId('node-creator-action-item'));
	await items
		.filter({ hasText: 'AICC' })
		.first()
		.waitFor()
		.catch(() => {
			throw new Error(`searching the node picker for "${query}" lists none of the AICC nodes`);
		});
	const shown = [];
	for (const item of await items.filter({ hasText: 'AICC' }).all()) {
		const name = (await item.getByTestId('node-creator-item-name').innerText()).trim();
		const about = item.getByTestId('node-creator-item-description');
		const description = (await about.count()) > 0 ? (await about.innerText()).trim() : '';
		shown.push({ name, description });
	}
	return shown;
}

/** Fails unless `items` hold one named after a node of `names`, described as `description`. */
function expectListed(items, where, names, description) {
	const listed = items.map((item) => `"${item.name}": "${item.description}"`).join(', ');
	say(`     ${where} lists ${listed || 'no AICC node'}`);
	const named = items.filter((item) => names.includes(item.name));
	expect(named.length > 0, `${where} lists no "${names.join('" or "')}"; it lists ${listed}`);
	for (const item of named) {
		expect(
			item.description === description,
			`${where} shows "${item.name}" as "${item.description}", not as "${description}"`,
		);
	}
}

/**
 * Searches the node picker for "AICC", with descriptions read from the built node classes in
 * dist/. As a workflow's first step it lists triggers: the AICC entry (named after the trigger,
 * or after the package's action node that n8n groups it with) describes the trigger. As the next
 * step it lists actions: "AICC Call" describes the action node, not the trigger.
 */
async function picker(page, screenshot) {
	const [action, trigger] = NODES;
	await page.goto('/workflow/new');
	await page.getByTestId('canvas-add-button').click();
	const first = await pickerItems(page);
	await screenshot('picker-first-step');
	await page.goto(`/workflow/${TRIGGER_WORKFLOW.id}`);
	await page.getByTestId('execute-workflow-button').waitFor();
	await page.getByTestId('node-creator-plus-button').click();
	const next = await pickerItems(page);
	await screenshot('picker-next-step');
	// A newcomer searched for what the node does; the codex files' aliases find it.
	const byTask = await pickerItems(page, 'call state');
	await page.keyboard.press('Escape');
	// n8n lists a trigger without " Trigger" in its name, and may list the action node too.
	const triggerNames = [trigger.displayName, trigger.displayName.replace(/ trigger$/i, '')];
	expectListed(first, 'the first-step picker', triggerNames, trigger.description);
	for (const [items, where] of [
		[first, 'the first-step picker'],
		[next, 'the next-step picker'],
		[byTask, 'the next-step picker searched for "call state"'],
	]) {
		if (where !== 'the first-step picker' || items.some((item) => item.name === action.displayName))
			expectListed(items, where, [action.displayName], action.description);
	}
}

/** Opens the trigger's panel; returns its screenshot for docs/trigger.png. */
async function trigger(page, screenshot) {
	await page.goto(`/workflow/${TRIGGER_WORKFLOW.id}/${TRIGGER_WORKFLOW.nodes[0].id}`);
	const ndv = page.getByTestId('ndv');
	await ndv
		.getByText('AICC has no API to register a callback')
		.waitFor()
		.catch(() => {
			throw new Error("the AICC Trigger's panel does not show its set-up notice");
		});
	// The command alone in a notice, so that selecting the notice's text copies it; the trigger is
	// set to Only Unanswered, so it sends an unanswered call's release.
	await ndv
		.getByText(/^curl -X POST .*"talkingTime":"0".* TEST_URL$/)
		.waitFor()
		.catch(() => {
			throw new Error(
				"the AICC Trigger's panel shows no notice holding only the curl command of an " +
					'unanswered call',
			);
		});
	const calls = await ndv.getByTestId('parameter-input-answered').locator('input').inputValue();
	expect(calls === 'Only Unanswered', `the trigger's Calls field shows "${calls}"`);
	await ndv.getByText('Webhook URLs', { exact: true }).click();
	// The toggle above the URL: the panel's hint also says Production URL, in bold, before it.
	await ndv.getByText('Production URL', { exact: true }).filter({ visible: true }).last().click();
	const url = ndv.getByText(/\/webhook\/\S*aicc-call-events/).first();
	await url.waitFor().catch(() => {
		throw new Error("the trigger's Webhook URLs show no production URL (/webhook/…)");
	});
	await page.waitForTimeout(500);
	const shot = await screenshot('trigger');
	await testEventHelp(ndv, screenshot);
	return shot;
}

/**
 * The trigger panel's help on sending a test event, as the built trigger's
 * description.triggerPanel words it: its header, and its help for a workflow not yet published.
 */
async function testEventHelp(ndv, screenshot) {
	const panel = NODES[1].triggerPanel;
	if (!panel) {
		say('     SKIP test-event help: dist/ has no description.triggerPanel for the trigger');
		return;
	}
	const inactive = (text) => (typeof text === 'string' ? text : text?.inactive);
	const expectShown = async (texts) => {
		const shown = (await ndv.innerText()).replace(/\s+/g, ' ');
		for (const text of texts.filter((one) => typeof one === 'string' && one.length > 0)) {
			const start = shownText(text).slice(0, 60);
			expect(
				shown.includes(start),
				`the trigger panel does not show "${start}…"; it shows: ${shown.slice(0, 400)}`,
			);
		}
	};
	// Shown at once: the header and the hint under the Execute step button.
	await expectShown([panel.header, inactive(panel.activationHint)]);
	// The executions help sits in n8n's folded "When will this node trigger my flow?".
	await ndv
		.getByText(/When will this node trigger my flow/)
		.first()
		.click()
		.catch(() => {
			throw new Error('the trigger panel has no "When will this node trigger my flow?" to open');
		});
	await ndv.page().waitForTimeout(300);
	await expectShown([inactive(panel.executionsHelp)]);
	await screenshot('trigger-test-event-help');
}

/**
 * Clicks the trigger's Execute step (listening for a test event) and reads n8n's hint, which
 * it builds from the display name ("Go to <name without Trigger> and create an event"), then
 * stops listening.
 */
async function listening(page, screenshot) {
	await page.goto(`/workflow/${TRIGGER_WORKFLOW.id}/${TRIGGER_WORKFLOW.nodes[0].id}`);
	const ndv = page.getByTestId('ndv');
	await ndv.getByTestId('node-execute-button').first().click();
	const hint = ndv.getByText(/create an event/i).first();
	await hint.waitFor({ timeout: TIMEOUT }).catch(() => {
		throw new Error("the trigger's panel shows no listening hint after Execute step");
	});
	const text = (await hint.innerText()).trim();
	say(`     listening, the panel says "${text}"`);
	await screenshot('trigger-listening');
	await ndv.getByRole('button', { name: 'Stop Listening' }).first().click();
	expect(/\bAICC\b/.test(text), `the listening hint does not name AICC: "${text}"`);
	expect(!/Call Event/.test(text), `the listening hint names no such thing: "${text}"`);
}

/**
 * Opens the reminder example's AICC Call node, opens its Template field's list (a resource
 * locator: n8n calls the node's searchTemplates, which asks the simulator's
 * queryVoiceNotificationRecording), searches it and picks a template. Returns the list's
 * screenshot for docs/voices.png.
 */
async function voiceList(page, screenshot, sim) {
	sim.log.clear();
	await page.goto(`/workflow/${VOICE_WORKFLOW}/${VOICE_CALL_NODE}`);
	const ndv = page.getByTestId('ndv');
	const field = ndv.getByTestId('resource-locator-templateId');
	await field.waitFor().catch(() => {
		throw new Error("the reminder's AICC Call node shows no Template field (a resource locator)");
	});
	await field.scrollIntoViewIfNeeded();
	await field
		.getByTestId('rlc-input')
		.first()
		.click({ timeout: 10_000 })
		.catch(async () => {
			const html = (await field.innerHTML()).replace(/\s+/g, ' ').slice(0, 600);
			throw new Error(`the Template field could not be opened: ${html}`);
		});
	const items = page.getByTestId('rlc-item');
	await items
		.filter({ hasText: 'Delivery notice' })
		.first()
		.waitFor()
		.catch(async () => {
			const shown = (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300);
			throw new Error(
				`the Template field's list does not show the simulator's templates: ${shown}`,
			);
		});
	const names = (await items.allInnerTexts()).map((text) => text.trim());
	for (const name of ['Appointment reminder', 'Delivery notice', 'Verification code']) {
		expect(
			names.some((shown) => shown.startsWith(name)),
			`the list lacks "${name}"; it shows ${names.join(', ')}`,
		);
	}
	const asked = sim.log.for('queryVoiceNotificationRecording');
	expect(
		asked.length >= 1 && asked.every((entry) => entry.body.type === 2),
		`the list asked AICC for ${JSON.stringify(asked.map((entry) => entry.body))}, not templates`,
	);
	await page.waitForTimeout(300);
	const shot = await screenshot('voice-template-list');

	// The search box is the input itself in n8n 2.x, or holds it.
	const search = page.getByTestId('rlc-search').first();
	const isInput = (await search.evaluate((element) => element.tagName)) === 'INPUT';
	await (isInput ? search : search.locator('input')).fill('verification');
	await items.filter({ hasText: 'Delivery notice' }).waitFor({ state: 'detached' });
	await items
		.filter({ hasText: 'Verification code' })
		.first()
		.waitFor()
		.catch(() => {});
	// n8n keeps the chosen item (Appointment reminder) on top of any search's results.
	const found = (await items.allInnerTexts())
		.map((text) => text.trim())
		.filter((text) => !text.startsWith('Appointment reminder'));
	expect(
		found.length === 1 && found[0].startsWith('Verification code'),
		`searching "verification" lists ${found.join(', ') || 'nothing'}`,
	);
	await items.filter({ hasText: 'Verification code' }).first().click();
	const chosen = await field.locator('input').last().inputValue();
	expect(
		chosen === 'Verification code (1: NUM_1)',
		`the Template field shows "${chosen}" once picked, not its name with its variable count`,
	);
	await screenshot('voice-template-picked');
	return shot;
}

main().then(
	(results) => {
		const passed = results.filter(Boolean).length;
		say(`${passed} passed, ${results.length - passed} failed`);
		process.exit(results.length > 0 && passed === results.length ? 0 : 1);
	},
	(error) => {
		console.error(`npm run test:ui failed: ${error.message}`);
		say('0 passed, 1 failed');
		process.exit(1);
	},
);
