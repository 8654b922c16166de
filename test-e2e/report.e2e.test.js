'use strict';

/**
 * The daily call report example in a real n8n (2.x and the 1.x line), against the simulator and a
 * local receiver standing in for the team chat, run as `n8n execute` runs it (from Try It): today's
 * bidirectional calls, answered and not, become one chat message with the counts; a day without
 * calls still gets one, of zeros; a chat that cannot be reached sends the report to Chat Not
 * Reached with what to fix.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createSimulator } = require('../simulator');
const { ensureInstalled, createInstance, freePort, nodeOutput } = require('../scripts/local-n8n');
const { createReceiver } = require('./receiver');
const { INSTALL_TIME, E2E_LINES, SIM_KEYS, expectNoSecrets } = require('./common');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const AGENT = '88889050';
const ANSWERS = '13800138000';
const HANGS_UP_FIRST = '13800138001';
const NEVER_ANSWERS = '13900139001';
const NEVER_ANSWERS_EITHER = '13900139002';
const CHAT_PATH = '/hooks/daily-calls';
const UNREACHABLE = 'aiccReportNoChat';

const nodeOf = (workflow, name) => workflow.nodes.find((node) => node.name === name);

/**
 * A time zone where it is about noon now, so that "today" began hours ago and ends hours from now
 * whenever the test runs: { zone, offset } (offset in hours east of UTC, -11 to 12).
 */
function noonZone(now) {
	const offset = 12 - new Date(now).getUTCHours();
	if (offset === 0) return { zone: 'UTC', offset };
	// IANA's Etc zones count the other way: Etc/GMT-8 is UTC+8.
	return { zone: offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`, offset };
}

/** The report's message for these figures; `first` is its first line up to the count. */
const message = (first, calls, answered, talk, reasons) =>
	[
		`${first}: ${calls}`,
		`Answered: ${answered}, not answered: ${calls - answered}`,
		`Talk time: ${talk}`,
		`By reason: ${reasons}`,
	].join('\n');

describe.each(E2E_LINES)('the daily call report example in n8n %s.x', (line) => {
	const report = JSON.parse(
		fs.readFileSync(path.join(__dirname, '..', 'examples', 'daily-call-report.json'), 'utf8'),
	);
	const now = Date.now();
	const { zone, offset } = noonZone(now);
	/** Midnight today in that zone, and today's date there. */
	const startOfToday = Math.floor((now + offset * HOUR) / DAY) * DAY - offset * HOUR;
	const today = new Date(now + offset * HOUR).toISOString().slice(0, 10);
	let sim;
	let chat;
	let n8n;

	beforeAll(async () => {
		await ensureInstalled(line);
		sim = await createSimulator({
			...SIM_KEYS,
			ringMs: 5000,
			unansweredNumbers: [NEVER_ANSWERS, NEVER_ANSWERS_EITHER],
		}).start();
		chat = await createReceiver().start();
		n8n = createInstance({
			line,
			name: 'report',
			port: await freePort(),
			brokerPort: await freePort(),
			simulatorUrl: sim.url,
			env: { GENERIC_TIMEZONE: zone },
		});

		// The example as a user sets it up: the chat's webhook in Post To Team Chat. A copy posts to
		// a port nothing listens on, as the placeholder URL fails to reach a chat.
		const post = nodeOf(report, 'Post To Team Chat').parameters;
		expect(post.url).toBe(`https://chat.example.com${CHAT_PATH}`);
		const unreachable = structuredClone(report);
		post.url = `${chat.url}${CHAT_PATH}`;
		Object.assign(unreachable, { id: UNREACHABLE, name: `${report.name} (no chat)` });
		const nowhere = `http://127.0.0.1:${await freePort()}${CHAT_PATH}`;
		nodeOf(unreachable, 'Post To Team Chat').parameters.url = nowhere;

		await n8n.prepare({ imports: false });
		await n8n.resetCredential();
		await n8n.importWorkflows([report, unreachable]);
	}, INSTALL_TIME);

	afterAll(async () => {
		await chat?.stop();
		await sim?.stop();
	});

	/** Adds a call the simulator made at `createdAt`, talking for `talkSeconds` if answered. */
	const call = (called, createdAt, { talkSeconds = 0, kind = 'bidirectional', reason } = {}) => {
		sim.config.talkMs = talkSeconds * 1000;
		const record = sim.addRecord({ caller: AGENT, called, createdAt, kind });
		if (reason !== undefined) record.reasonCode = reason;
		return record;
	};
	const records = () => sim.log.for('queryCallDetailRecord');

	/** Runs the report from Try It; returns the run and the Count The Calls item. */
	const runReport = async (workflowId = report.id) => {
		const { run } = await n8n.execute(workflowId);
		expect(run.status).toBe('success');
		expectNoSecrets(sim, run);
		const [[counted]] = nodeOutput(run, 'Count The Calls');
		return { run, counted };
	};

	test("today's calls become one message with the counts, answered and not", async () => {
		call(ANSWERS, startOfToday + HOUR, { talkSeconds: 120 });
		call(HANGS_UP_FIRST, now - 2 * HOUR, { talkSeconds: 45, reason: 1 });
		call(NEVER_ANSWERS, now - HOUR);
		call(NEVER_ANSWERS_EITHER, now - 30 * MINUTE);
		// Not counted: yesterday's call, and today's calls of other kinds (Task Type).
		call(ANSWERS, startOfToday - 10 * MINUTE, { talkSeconds: 300 });
		call(ANSWERS, now - 20 * MINUTE, { talkSeconds: 30, kind: 'voiceNotification' });
		call(ANSWERS, now - 10 * MINUTE, { talkSeconds: 30, kind: 'anonymous' });

		const { run, counted } = await runReport();

		// Today in the workflow's time zone, until now; bidirectional calls only.
		expect(records()).toHaveLength(1);
		const [asked] = records().map((entry) => entry.body);
		expect(asked).toMatchObject({ startTime: startOfToday, taskType: 1, offset: 0 });
		expect(asked.endTime).toBeGreaterThanOrEqual(now);
		const [[first]] = nodeOutput(run, "Get Today's Call Records");
		expect(first).toMatchObject({ callType: 'bidirectional', called: ANSWERS, talkDuration: 120 });

		expect(counted).toEqual({
			date: today,
			until: expect.stringMatching(/^\d\d:\d\d$/),
			calls: 4,
			answered: 2,
			notAnswered: 2,
			talkMinutes: 2.8,
			averageTalkMinutes: 1.4,
			byReason: {
				'the called party did not answer': 2,
				'the called party hung up': 1,
				'the caller hung up': 1,
			},
			text: expect.any(String),
		});
		const until = counted.until;
		expect(chat.at(CHAT_PATH)).toEqual([
			expect.objectContaining({
				method: 'POST',
				body: {
					text: message(
						`Calls on ${today} until ${until}`,
						4,
						2,
						'2.8 min in all, 1.4 min per answered call',
						'the called party did not answer: 2; the called party hung up: 1; ' +
							'the caller hung up: 1',
					),
				},
			}),
		]);
		expect(counted.text).toBe(chat.at(CHAT_PATH)[0].body.text);
		expect(nodeOutput(run, 'Chat Not Reached')).toEqual([]);
	});

	test('a day without calls still gets its report, of zeros', async () => {
		sim.calls.clear();
		sim.log.clear();
		chat.requests.length = 0;

		const { run, counted } = await runReport();

		// AICC answers "no data" (retCode 1): no records, which the node passes on as one empty item.
		const [entry] = records();
		const answer = typeof entry.response === 'string' ? JSON.parse(entry.response) : entry.response;
		expect(answer.retCode).toBe('1');
		expect(nodeOutput(run, "Get Today's Call Records")).toEqual([[{}]]);
		expect(counted).toMatchObject({
			calls: 0,
			answered: 0,
			notAnswered: 0,
			talkMinutes: 0,
			averageTalkMinutes: 0,
			byReason: {},
		});
		expect(chat.at(CHAT_PATH).map((request) => request.body)).toEqual([
			{
				text: message(
					`Calls on ${today} until ${counted.until}`,
					0,
					0,
					'0 min in all, 0 min per answered call',
					'no calls',
				),
			},
		]);
	});

	test('an unreachable chat sends the report to Chat Not Reached, with the fix', async () => {
		call(ANSWERS, now - HOUR, { talkSeconds: 60 });
		chat.requests.length = 0;

		const { run, counted } = await runReport(UNREACHABLE);

		expect(counted).toMatchObject({ calls: 1, answered: 1, talkMinutes: 1 });
		expect(nodeOutput(run, 'Post To Team Chat')[0]).toEqual([]);
		expect(nodeOutput(run, 'Chat Not Reached')).toEqual([
			[
				{
					fix: 'Post To Team Chat failed: put your chat webhook URL into Post To Team Chat.',
					problem: expect.stringMatching(/\S/),
					report: counted.text,
				},
			],
		]);
		expect(chat.requests).toEqual([]);
	});
});
