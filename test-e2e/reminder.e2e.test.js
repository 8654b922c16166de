'use strict';

/**
 * The appointment reminder example in a real n8n (2.x and the 1.x line), against the simulator
 * and a local receiver standing in for the CRM: a CRM webhook books an appointment, the AICC Call
 * node plays the reminder template with the customer's name, date and time (Create Voice
 * Notification V2), the webhook answers with the callSerialNo, and when the notification ends the
 * AICC Trigger's release callback becomes one outcome posted to the CRM.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createSimulator } = require('../simulator');
const { ensureInstalled, createInstance, freePort } = require('../scripts/local-n8n');
const { createReceiver } = require('./receiver');
const { INSTALL_TIME, E2E_LINES, expectNoSecrets, postJson: post } = require('./common');

const HEARS_IT_ALL = '13800138000';
const NEVER_ANSWERS = '13900139001';
const HANGS_UP_EARLY = '13900139002';
const TEMPLATE = '2000000000000000001';

const nodeOf = (workflow, name) => workflow.nodes.find((node) => node.name === name);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const base64 = (text) => Buffer.from(text).toString('base64');
const isoOf = (milliseconds) => new Date(Number(milliseconds)).toISOString();

/** Polls until `done()` is true or `patience` ms have passed. */
async function until(done, patience = 30_000) {
	for (let waited = 0; !(await done()) && waited < patience; waited += 100) await sleep(100);
}

/** POSTs once the webhook is registered (a 404 started nothing, so sending again is safe). */
async function postWhenRegistered(url, body) {
	let response;
	await until(async () => (response = await post(url, body)).status !== 404);
	return response;
}

describe.each(E2E_LINES)('the appointment reminder example in n8n %s.x', (line) => {
	const reminder = JSON.parse(
		fs.readFileSync(
			path.join(__dirname, '..', 'examples', 'appointment-reminder-voice-notification.json'),
			'utf8',
		),
	);
	let sim;
	let crm;
	let n8n;
	let triggerUrl;

	beforeAll(async () => {
		await ensureInstalled(line);
		sim = await createSimulator({
			ringMs: 300,
			talkMs: 1000,
			unansweredNumbers: [NEVER_ANSWERS],
			voiceOutcomes: { [HANGS_UP_EARLY]: 0 },
		}).start();
		crm = await createReceiver().start();
		n8n = createInstance({
			line,
			name: 'reminder',
			port: await freePort(),
			brokerPort: await freePort(),
			simulatorUrl: sim.url,
		});
		const trigger = nodeOf(reminder, 'Reminder Ended');
		const ownPath = `/webhook/${trigger.webhookId}/aicc-call-events`;
		triggerUrl = `${n8n.url}${ownPath}`;

		// The example as a user sets it up: the trigger's own URL as the Callback URL, the CRM's
		// webhook in Send Outcome To CRM.
		const play = nodeOf(reminder, 'Play The Reminder').parameters;
		expect(play.additionalFields.callBackUrl).toMatch(new RegExp(`^https://[^/]+${ownPath}$`));
		play.additionalFields.callBackUrl = triggerUrl;
		nodeOf(reminder, 'Send Outcome To CRM').parameters.url = `${crm.url}/reminder-outcome`;

		await n8n.prepare();
		await n8n.importWorkflow(reminder);
		await n8n.activate(reminder.id);
		await n8n.start();
		// A body without callSerialNo gets 400 from a registered trigger and starts nothing.
		expect((await postWhenRegistered(triggerUrl, {})).status).toBe(400);
	}, INSTALL_TIME);

	afterAll(async () => {
		await n8n?.stop();
		await crm?.stop();
		await sim?.stop();
	});

	/** Books an appointment through the CRM webhook; returns the webhook's answer. */
	const book = async (appointmentId, customerName, phone, startsAt) => {
		const response = await postWhenRegistered(`${n8n.url}/webhook/aicc-appointment-booked`, {
			appointmentId,
			customerName,
			phone,
			startsAt,
		});
		expect(response.status).toBe(200);
		return await response.json();
	};
	const notificationsTo = (called) =>
		sim.log.for('createVoiceNotificationV2').filter((entry) => entry.body.called === called);
	const callbackOf = (serial) =>
		sim.callbacks.find((callback) => callback.body.callSerialNo === serial);

	test('each booking plays its reminder once; each ending posts its outcome', async () => {
		const heard = await book('appt-1001', 'Tom', HEARS_IT_ALL, '2026-11-05T10:30:00+08:00');
		const missed = await book('appt-1002', 'Li Lei', NEVER_ANSWERS, '2026-11-06T09:00:00+08:00');
		const early = await book('appt-1003', 'Ann', HANGS_UP_EARLY, '2026-11-07T16:45:00-05:00');
		for (const answer of [heard, missed, early]) {
			expect(answer).toEqual({
				callSerialNo: expect.stringMatching(/^\d{19}$/),
				skipped: false,
				retCode: '0',
				message: 'Created successfully.',
			});
		}

		expect(notificationsTo(HEARS_IT_ALL).map((entry) => entry.body)).toEqual([
			{
				called: HEARS_IT_ALL,
				playList: [{ templateId: TEMPLATE, templateParams: ['Tom', '2026/11/05', '10:30'] }],
				callBackUrl: base64(triggerUrl),
			},
		]);
		expect(notificationsTo(NEVER_ANSWERS)[0].body.playList[0].templateParams).toEqual([
			'Li Lei',
			'2026/11/06',
			'09:00',
		]);
		// The appointment's own time, whatever the zone of n8n or the CRM.
		expect(notificationsTo(HANGS_UP_EARLY)[0].body.playList[0].templateParams).toEqual([
			'Ann',
			'2026/11/07',
			'16:45',
		]);

		await until(() => crm.at('/reminder-outcome').length >= 3);
		await sleep(1500);
		expect(sim.callbacks.map(({ url, status }) => [url, status])).toEqual([
			[triggerUrl, 200],
			[triggerUrl, 200],
			[triggerUrl, 200],
		]);
		const posts = crm.at('/reminder-outcome');
		expect(posts.map((request) => request.method)).toEqual(['POST', 'POST', 'POST']);
		const outcomes = Object.fromEntries(posts.map(({ body }) => [body.callSerialNo, body]));
		const outcome = (answer, customerNumber, fields) => ({
			callSerialNo: answer.callSerialNo,
			releaseReason: callbackOf(answer.callSerialNo).body.releaseReason,
			endedAt: isoOf(callbackOf(answer.callSerialNo).body.releaseTime),
			customerNumber,
			...fields,
		});
		expect(outcomes).toEqual({
			[heard.callSerialNo]: outcome(heard, HEARS_IT_ALL, {
				heardWholeReminder: true,
				answered: true,
				outcome: 'playedToEnd',
				outcomeText: 'answered, and the notice was played to the end',
			}),
			[missed.callSerialNo]: outcome(missed, NEVER_ANSWERS, {
				heardWholeReminder: false,
				answered: false,
				outcome: 'rejectedOrNoAnswer',
				outcomeText: 'rejected, or not answered before the ringing timed out',
			}),
			[early.callSerialNo]: outcome(early, HANGS_UP_EARLY, {
				heardWholeReminder: false,
				answered: true,
				outcome: 'answered',
				outcomeText: 'answered, but hung up before the notice may have ended',
			}),
		});
		expect(outcomes[heard.callSerialNo].releaseReason).toBe('1');
		expect(outcomes[missed.callSerialNo].releaseReason).toBe('4');
		expect(outcomes[early.callSerialNo].releaseReason).toBe('0');
		expectNoSecrets(sim, posts);
	});

	test('a booking the reminder cannot use places nothing', async () => {
		const before = sim.log.for('createVoiceNotificationV2').length;
		const response = await post(`${n8n.url}/webhook/aicc-appointment-booked`, {
			appointmentId: 'appt-1004',
			customerName: 'Tom {VIP}',
			phone: HEARS_IT_ALL,
			startsAt: '2026-11-05T10:30:00+08:00',
		});
		// The node fails before any request; its error output answers 422 with what is wrong.
		expect(response.status).toBe(422);
		expect(await response.json()).toEqual({
			success: false,
			error: expect.stringContaining('{VIP}'),
			fix: expect.any(String),
			retCode: null,
		});
		expect(sim.log.for('createVoiceNotificationV2')).toHaveLength(before);
	});
});
