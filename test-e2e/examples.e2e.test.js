'use strict';

/**
 * The call-flow examples in a real n8n (2.x and the 1.x line), against the simulator and a
 * local receiver standing in for the chat and CRM webhooks: the missed-call follow-up calls a
 * lead once more and notifies the team when that call is missed too; the CRM example posts one
 * summary per ended call. First calls are placed through the lead example's webhook, with the
 * simulator's tenant-wide release callback pointing at the example under test; a bad number
 * sent to that webhook gets a 422 that says what is wrong.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createSimulator } = require('../simulator');
const { ensureInstalled, createInstance, freePort } = require('../scripts/local-n8n');
const { createReceiver } = require('./receiver');
const { INSTALL_TIME, E2E_LINES, postJson: post } = require('./common');

const AGENT = '88889050';
const ANSWERS = '13800138000';
const NEVER_ANSWERS = '13900139001';
const ANSWERS_SECOND_TIME = '13900139002';
const WAIT_SECONDS = 2;

const nodeOf = (workflow, name) => workflow.nodes.find((node) => node.name === name);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const base64 = (text) => Buffer.from(text).toString('base64');
const isoOf = (milliseconds) => new Date(Number(milliseconds)).toISOString();

function example(file) {
	return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'examples', file), 'utf8'));
}

/** The production path of a trigger node's webhook. */
function triggerPath(workflow, name) {
	return `/webhook/${nodeOf(workflow, name).webhookId}/aicc-call-events`;
}

/** Polls until `done()` is true or `patience` ms have passed. */
async function until(done, patience = 30_000) {
	for (let waited = 0; !(await done()) && waited < patience; waited += 100) await sleep(100);
}

/**
 * POSTs once the webhook is registered: n8n 2.x activates workflows after the editor is up.
 * A 404 (no such webhook yet) started nothing, so sending again cannot dial twice.
 */
async function postWhenRegistered(url, body) {
	let response;
	await until(async () => (response = await post(url, body)).status !== 404);
	return response;
}

describe.each(E2E_LINES)('examples in n8n %s.x', (line) => {
	const missed = example('missed-call-follow-up.json');
	const crm = example('call-outcome-to-crm.json');
	let sim;
	let receiver;
	let n8n;
	let missedUrl;
	let crmUrl;

	beforeAll(async () => {
		await ensureInstalled(line);
		sim = await createSimulator({
			ringMs: 300,
			talkMs: 1000,
			unansweredNumbers: [NEVER_ANSWERS, ANSWERS_SECOND_TIME],
		}).start();
		receiver = await createReceiver().start();
		n8n = createInstance({
			line,
			name: 'examples',
			port: await freePort(),
			brokerPort: await freePort(),
			simulatorUrl: sim.url,
		});
		missedUrl = `${n8n.url}${triggerPath(missed, 'Unanswered Call Ended')}`;
		crmUrl = `${n8n.url}${triggerPath(crm, 'Call Ended')}`;

		// The examples as a user sets them up: the trigger's own URL as the follow-up's Callback
		// URL, the webhooks pointed at the receiver; and a Wait of seconds instead of minutes.
		const followUp = nodeOf(missed, 'Call The Lead Again').parameters.additionalFields;
		const ownPath = triggerPath(missed, 'Unanswered Call Ended');
		expect(followUp.callBackUrl).toMatch(new RegExp(`^https://[^/]+${ownPath}$`));
		followUp.callBackUrl = missedUrl;
		nodeOf(missed, 'Notify The Team').parameters.url = `${receiver.url}/missed-calls`;
		nodeOf(missed, 'Wait 2 Minutes').parameters = { amount: WAIT_SECONDS, unit: 'seconds' };
		nodeOf(crm, 'Send To CRM').parameters.url = `${receiver.url}/crm`;

		await n8n.prepare();
		await n8n.importWorkflows([missed, crm]);
		for (const workflow of [missed, crm]) await n8n.activate(workflow.id);
		await n8n.activate('aiccExampleLead1');
		await n8n.start();
		// A body without callSerialNo gets 400 from a registered trigger and starts nothing.
		for (const url of [missedUrl, crmUrl]) {
			expect((await postWhenRegistered(url, {})).status).toBe(400);
		}
	}, INSTALL_TIME);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.stop();
		await sim?.stop();
	});

	/** Places a first call through the lead example's webhook; returns its callSerialNo. */
	const placeLeadCall = async (leadId, customerPhone) => {
		const body = { leadId, agentPhone: AGENT, customerPhone };
		const response = await postWhenRegistered(`${n8n.url}/webhook/aicc-new-lead`, body);
		const { callSerialNo } = await response.json();
		expect(callSerialNo).toMatch(/^\d{19}$/);
		return callSerialNo;
	};
	const callsTo = (called) =>
		sim.log.for('createCallV1').filter((entry) => entry.body.called === called);
	const callbacksFor = (called) =>
		sim.callbacks.filter((callback) => callback.body.called === called);
	/** Time for a Wait, a call that rings and a callback more: whatever else would happen, has. */
	const settle = () => sleep(WAIT_SECONDS * 1000 + 3000);

	test('a bad number from the CRM gets 422 saying what is wrong, and no call', async () => {
		const before = sim.log.for('createCallV1').length;
		const body = { leadId: 'lead-4714', agentPhone: AGENT, customerPhone: 'call me maybe' };
		const response = await postWhenRegistered(`${n8n.url}/webhook/aicc-new-lead`, body);
		expect(response.status).toBe(422);
		const answer = await response.json();
		expect(answer).toEqual({
			success: false,
			error: expect.stringMatching(
				/^Called in item \d+ is "call me maybe", which is not a phone number/,
			),
			fix: expect.any(String),
			retCode: null,
		});
		expect(sim.log.for('createCallV1')).toHaveLength(before);
	});

	test('a missed call gets one follow-up; a second miss notifies the team once', async () => {
		sim.config.callbackUrl = missedUrl;
		const first = await placeLeadCall('lead-4711', NEVER_ANSWERS);
		await until(() => receiver.at('/missed-calls').length > 0);
		await settle();

		expect(callsTo(NEVER_ANSWERS).map((call) => call.body)).toEqual([
			{ caller: AGENT, called: NEVER_ANSWERS, callData: 'lead-4711' },
			{
				caller: AGENT,
				called: NEVER_ANSWERS,
				callData: 'lead-4711#retry',
				callBackUrl: base64(missedUrl),
			},
		]);
		const callbacks = callbacksFor(NEVER_ANSWERS);
		const seen = callbacks.map(({ url, status, body }) => [url, status, body.releaseReason]);
		expect(seen).toEqual([
			[missedUrl, 200, '5'],
			[missedUrl, 200, '5'],
		]);
		expect(callbacks[0].body.callSerialNo).toBe(first);

		const followUp = callbacks[1].body;
		expect(receiver.at('/missed-calls')).toEqual([
			expect.objectContaining({
				method: 'POST',
				body: {
					text:
						`Lead lead-4711 (${NEVER_ANSWERS}) did not answer the follow-up call ` +
						`either: the called party did not answer. Agent ${AGENT}, ` +
						`last try ended ${isoOf(followUp.releaseTime)}.`,
					lead: 'lead-4711',
					customerNumber: NEVER_ANSWERS,
					agentNumber: AGENT,
					callSerialNo: followUp.callSerialNo,
				},
			}),
		]);
	});

	test('an answered follow-up or first call gets no notification and no more calls', async () => {
		sim.config.callbackUrl = missedUrl;
		receiver.requests.length = 0;
		await placeLeadCall('lead-4712', ANSWERS_SECOND_TIME);
		await until(() => callbacksFor(ANSWERS_SECOND_TIME).length === 1);
		// The customer picks up the next time (the follow-up is placed after the Wait).
		sim.config.unansweredNumbers = [NEVER_ANSWERS];
		await placeLeadCall('lead-4713', ANSWERS);
		await until(() => callbacksFor(ANSWERS_SECOND_TIME).length === 2);
		await settle();

		expect(callsTo(ANSWERS_SECOND_TIME).map((call) => call.body.callData)).toEqual([
			'lead-4712',
			'lead-4712#retry',
		]);
		const reasons = (called) =>
			callbacksFor(called).map(({ status, body }) => [status, body.releaseReason]);
		expect(reasons(ANSWERS_SECOND_TIME)).toEqual([
			[200, '5'],
			[200, '0'],
		]);
		expect(callsTo(ANSWERS).map((call) => call.body.callData)).toEqual(['lead-4713']);
		expect(reasons(ANSWERS)).toEqual([[200, '0']]);
		expect(receiver.requests).toEqual([]);
	});

	test('the CRM example posts one summary per ended call, answered or not', async () => {
		sim.config.callbackUrl = crmUrl;
		sim.callbacks.length = 0;
		receiver.requests.length = 0;
		const answered = await placeLeadCall('lead-5001', ANSWERS);
		const notAnswered = await placeLeadCall('lead-5002', NEVER_ANSWERS);
		await until(() => receiver.at('/crm').length >= 2);
		await sleep(2000);

		expect(sim.callbacks.map(({ url, status }) => [url, status])).toEqual([
			[crmUrl, 200],
			[crmUrl, 200],
		]);
		const callback = (serial) =>
			sim.callbacks.find(({ body }) => body.callSerialNo === serial).body;
		const posts = receiver.at('/crm');
		expect(posts.map((request) => request.method)).toEqual(['POST', 'POST']);
		const summaries = Object.fromEntries(posts.map(({ body }) => [body.callSerialNo, body]));
		expect(summaries).toEqual({
			[answered]: {
				callSerialNo: answered,
				lead: 'lead-5001',
				answered: true,
				talkSeconds: Number(callback(answered).talkDuration),
				reason: 'the called party hung up',
				endedAt: isoOf(callback(answered).releaseTime),
				customerNumber: ANSWERS,
				agentNumber: AGENT,
			},
			[notAnswered]: {
				callSerialNo: notAnswered,
				lead: 'lead-5002',
				answered: false,
				talkSeconds: 0,
				reason: 'the called party did not answer',
				endedAt: isoOf(callback(notAnswered).releaseTime),
				customerNumber: NEVER_ANSWERS,
				agentNumber: AGENT,
			},
		});
		expect(summaries[answered].talkSeconds).toBeGreaterThan(0);
	});
});
