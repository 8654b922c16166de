#!/usr/bin/env node
'use strict';

/**
 * npm run screenshots: starts the simulator and a real n8n 2.x, opens the example workflow's
 * AICC Call node and the AICC Simulator credential in Debian's Chromium (driven by
 * playwright-core), and saves docs/node.png and docs/credential.png for the README.
 * Needs the chromium package (apt-get install chromium).
 */
const path = require('node:path');
const { chromium } = require('playwright-core');

const { createSimulator } = require('../simulator');
const { ensureInstalled, createInstance, freePort, say } = require('./local-n8n');

const DOCS = path.join(__dirname, '..', 'docs');
const BROWSER = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The AICC Call node in examples/crm-lead-bidirectional-call.json. */
const NODE_ID = '6a1b9a41-7d4c-4a39-9a55-0c7f0e1a0005';

async function main() {
	await ensureInstalled(2);
	const sim = await createSimulator({ appKey: 'sim-app-key', appSecret: 'sim-app-secret' }).start();
	const n8n = createInstance({ line: 2, name: 'screenshots', port: await freePort(), brokerPort: await freePort(), simulatorUrl: sim.url });
	let browser;
	try {
		await n8n.prepare();
		await n8n.start();
		const [name, value] = (await n8n.login()).split('=');
		browser = await chromium.launch({
			executablePath: BROWSER,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
		});
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		await context.addCookies([{ name, value, domain: '127.0.0.1', path: '/' }]);
		const page = await context.newPage();

		// n8n opens a node's settings when its id follows the workflow's in the URL.
		await page.goto(`${n8n.url}/workflow/aiccExampleLead1/${NODE_ID}`);
		await page.getByText('Create Bidirectional Call').first().waitFor();
		await page.waitForTimeout(1500);
		await page.screenshot({ path: path.join(DOCS, 'node.png') });
		say('saved docs/node.png');

		await page.goto(`${n8n.url}/home/credentials/aiccSimulator001`);
		await page.getByText('App Secret').first().waitFor();
		await page.waitForTimeout(1500);
		await page.screenshot({ path: path.join(DOCS, 'credential.png') });
		say('saved docs/credential.png');
	} finally {
		await browser?.close();
		await n8n.stop();
		await sim.stop();
	}
}

main().catch((error) => {
	console.error(`npm run screenshots failed: ${error.message}`);
	process.exit(1);
});
