'use strict';

/**
 * The AICC Trigger's webhook(), loaded from the built package as n8n loads it and
 * called on n8n-core's WebhookContext with the request AICC sends. test-e2e/ delivers callbacks
 * to a running n8n over HTTP.
 */
const fs = require('node:fs');
const path = require('node:path');
const { NodeHelpers } = require('n8n-workflow');
const { callTriggerWebhook, loadPackage, logged } = require('./setup');

const ACK = { retCode: '0', retMsg: 'success' };
const MINUTE = 60 * 1000;
const RELEASED = {
	callSerialNo: '1795322914835007919',
	serviceNo: '10086',
	caller: '88889050',
	called: '13800138000',
	callData: 'lead-4711',
	createCallTime: '1795322900000',
	talkingTime: '1795322905000',
	releaseTime: '1795322965000',
	talkDuration: '60',
	releaseReason: '0',
};
const CONNECTED = {
	callSerialNo: '1795322914835007919',
	serviceNo: '10086',
	called: '13800138000',
};

let trigger;
let workflows = 0;

beforeAll(async () => {
	trigger = (await loadPackage()).nodeTypes.aiccCallEventTrigger.type;
});

afterEach(() => jest.restoreAllMocks());

/** A workflow id no other test used, so that no test sees another's remembered callbacks. */
const freshWorkflow = () => `wf-${++workflows}`;

/** The body as n8n's own parser would leave it: the JSON value, or nothing. */
function parsedOrEmpty(text) {
	try {
		return JSON.parse(text);
	} catch {
		return {};
	}
}

/**
 * Delivers a callback (an object, or the body text as sent) to the trigger; returns the HTTP
 * answer and the items the workflow would start with (null when it starts nothing).
 */
async function deliver(body, options = {}) {
	const {
		query = {},
		url,
		parameters = {},
		credentials = {},
		workflowId = freshWorkflow(),
		nodeId = 'trigger-1',
		mode = 'webhook',
		timezone,
	} = options;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const request = { body: parsedOrEmpty(text), rawBody: Buffer.from(text) };
	const { result, status, answer } = await callTriggerWebhook({
		// With a URL, the query is what n8n's Express makes of it.
		request: url === undefined ? { ...request, query } : { ...request, url },
		parameters,
		credentials,
		workflowId,
		nodeId,
		mode,
		timezone,
	});
	expect(result.noWebhookResponse).toBe(true);
	return {
		status,
		answer,
		items: result.workflowData ? result.workflowData[0].map((item) => item.json) : null,
	};
}

describe("the trigger's panel and notice in the editor", () => {
	// n8n's defaults read "Go to AICC Call Event and create an event" (no such thing), and the
	// notice put a localhost production URL beside "AICC calls back over HTTPS" without a word on
	// WEBHOOK_URL.
	const panelOf = () => trigger.description.triggerPanel;
	const texts = () => [
		panelOf().header,
		...Object.values(panelOf().executionsHelp),
		...Object.values(panelOf().activationHint),
	];

	test('they say where the URL goes, how to test, and what WEBHOOK_URL is for', () => {
		expect(panelOf().header).toBe(
			'Receive the callbacks AICC sends when a call is connected or ends',
		);
		const { inactive } = panelOf().executionsHelp;
		expect(inactive).toContain('click <b>Execute step</b>, then send a callback');
		expect(panelOf().activationHint.inactive).toMatch(
			/^To test, click <b>Execute step<\/b> .* send a callback to the <b>Test URL<\/b>/,
		);
		expect(inactive).toContain('<code>npm run simulator</code>');
		// The sample is in the notice only: a newcomer read the same curl line twice.
		expect(inactive).toContain(
			"or run the command at the top of the node's parameters (it matches the trigger's " +
				'settings)',
		);
		expect(inactive).not.toContain('curl');
		expect(inactive).toContain('WEBHOOK_URL');
		expect(panelOf().activationHint.inactive).toContain(
			'publish the workflow (activate it in n8n 1.x) and put the <b>Production URL</b> into ' +
				'the Callback URL of Create Bidirectional Call or Create Voice Notification',
		);
		const notice = trigger.description.properties.find((property) => property.name === 'notice');
		expect(notice.displayName).toMatch(/^To go live \(AICC has no API to register a callback\): /);
		expect(notice.displayName).toContain(
			"ask the system administrator to add the URL's host to the tenant's callback trust-list",
		);
		expect(notice.displayName).toContain(
			"set n8n's WEBHOOK_URL to its public HTTPS address (e.g. https://n8n.example.com/)",
		);
		for (const text of [...texts(), notice.displayName]) {
			expect(text).not.toMatch(/create an event|AICC Call Event\b/);
		}
	});

	/**
	 * The test notices shown for these parameters: how to test, then the command alone. Returns
	 * their names, the instructions, and the body the command sends.
	 */
	function shownSample(parameters) {
		const { description } = trigger;
		const values = NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			null,
			description,
		);
		const shown = description.properties.filter(
			(property) =>
				property.type === 'notice' &&
				NodeHelpers.displayParameter(values, property, null, description),
		);
		const howTo = shown.filter((notice) => notice.displayName.startsWith('To test:'));
		const commands = shown.filter((notice) => notice.displayName.startsWith('curl '));
		expect([howTo.length, commands.length]).toEqual([1, 1]);
		expect(shown.indexOf(commands[0])).toBe(shown.indexOf(howTo[0]) + 1);
		expect(howTo[0].displayName).toMatch(
			new RegExp(
				'^To test: click <b>Execute step</b>, then run the command below in a terminal, with ' +
					'TEST_URL replaced by the <b>Test URL</b> \\(under Webhook URLs at the top',
			),
		);
		// The command is all the notice holds, so that selecting the notice's text copies it.
		const match = /^curl -X POST -H 'Content-Type: application\/json' -d '(\{.*\})' TEST_URL$/.exec(
			commands[0].displayName,
		);
		expect(match).not.toBeNull();
		return {
			name: howTo[0].name,
			text: howTo[0].displayName,
			command: commands[0].name,
			sent: match[1],
		};
	}

	// n8n hides the panel's help while listening; a newcomer had to copy the curl line first.
	test('notices among the parameters, in view while listening, say how to test', async () => {
		expect(trigger.description.properties[0]).toMatchObject({ name: 'testNotice' });
		const { name, command, text, sent } = shownSample({});
		expect([name, command]).toEqual(['testNotice', 'testCommand']);
		expect(text).toContain('Or place a call with the Test URL as its Callback URL');
		expect(text).toMatch(
			/n8n first asks to unpin it: unpin, and the test event takes its place\.$/,
		);
		const { status, answer, items } = await deliver(sent, { mode: 'manual' });
		expect([status, answer]).toEqual([200, ACK]);
		expect(items).toEqual([
			expect.objectContaining({
				event: 'released',
				callType: 'bidirectional',
				callSerialNo: '1795322914835007919',
				answered: true,
				releaseReasonText: 'the called party hung up',
			}),
		]);
	});

	// A newcomer's test event reached the CRM with no lead, agent or talk time, where the README's
	// output has them, and made them doubt a real callback carries them.
	test("the default command's event gives the README's output, field for field", async () => {
		const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('\n## AICC Trigger\n'));
		const documented = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(section)[1]);
		const { items } = await deliver(shownSample({}).sent, { mode: 'manual' });
		expect(items).toEqual([expect.objectContaining(documented)]);
	});

	// A newcomer picked "On Call Connected", posted the release sample, and the filters left it
	// out; another, set to Only Unanswered, read "answered: false" beside "the called party hung
	// up"; a third set a Secret and got HTTP 401 from the command as shown.
	test('the command matches every setting of the trigger, and passes its filters', async () => {
		const secret = 'k9x2Lq7Vd3';
		const seen = new Set();
		for (const callType of ['auto', 'bidirectional', 'voiceNotification'])
			for (const events of [['released'], ['connected'], ['connected', 'released']])
				for (const answered of ['all', 'answered', 'unanswered'])
					for (const withSecret of [false, true]) {
						const parameters = { callType, events, answered, secret: withSecret ? secret : '' };
						const { name, command, text, sent } = shownSample(parameters);
						seen.add(name).add(command);
						const connection =
							callType !== 'voiceNotification' && events.length === 1 && events[0] === 'connected';
						expect(text.includes('followed by ? and the Secret, with no name before it')).toBe(
							withSecret,
						);
						expect(text.includes("AICC sends connections only to the tenant console's URL")).toBe(
							connection,
						);
						const query = withSecret ? { [secret]: '' } : {};
						const { status, answer, items } = await deliver(sent, {
							parameters,
							query,
							mode: 'manual',
						});
						expect([status, answer.retCode]).toEqual([200, '0']);
						if (connection && answered === 'unanswered') {
							// Every connection is an answered call: this setting passes none.
							expect(answer.ignored).toMatch(/^Not passed on: Calls is Only Unanswered/);
							continue;
						}
						expect(items).toHaveLength(1);
						const [item] = items;
						expect(item.event).toBe(connection ? 'connected' : 'released');
						expect(item.answered).toBe(answered !== 'unanswered');
						if (item.callType === 'voiceNotification')
							expect(item.outcome).toBe(
								answered === 'unanswered' ? 'rejectedOrNoAnswer' : 'playedToEnd',
							);
						else if (!connection)
							expect(item.releaseReasonText).toBe(
								answered === 'unanswered'
									? 'the called party did not answer'
									: 'the called party hung up',
							);
					}
		const notices = trigger.description.properties.filter((property) => property.type === 'notice');
		const testing = notices.filter((notice) => /^(To test:|curl )/.test(notice.displayName));
		expect([...seen].sort()).toEqual(testing.map((notice) => notice.name).sort());
	});

	test('while listening, n8n names AICC itself, and the canvas says what it waits for', () => {
		// n8n's editor writes "Go to <display name without ' Trigger'> and create an event" while
		// it listens for a test event, and eventTriggerDescription on the waiting node.
		expect(trigger.description.displayName.replace(/ trigger/i, '')).toBe('AICC');
		expect(trigger.description.eventTriggerDescription).toBe(
			'Waiting for a callback to the Test URL',
		);
	});

	// A newcomer found the readable fields at the far right of some 30 columns.
	test("an item starts with the node's readable fields, then AICC's", async () => {
		const { items } = await deliver(RELEASED, { mode: 'manual' });
		expect(Object.keys(items[0]).slice(0, 6)).toEqual([
			'event',
			'callType',
			'callSerialNo',
			'answered',
			'releaseReason',
			'releaseReasonText',
		]);
		const voice = await deliver(RELEASED, {
			parameters: { callType: 'voiceNotification' },
			mode: 'manual',
		});
		expect(Object.keys(voice.items[0]).slice(0, 8)).toEqual([
			'event',
			'callType',
			'callSerialNo',
			'outcome',
			'outcomeText',
			'answered',
			'releaseReason',
			'releaseReasonText',
		]);
	});
});

describe('secret', () => {
	const parameters = { secret: 'k9x2Lq7Vd3' };

	test('a callback without the secret, or with another, gets 401 and starts nothing', async () => {
		const workflowId = freshWorkflow();
		for (const query of [
			{},
			{ 'wrong-secret': '' },
			{ secret: 'k9x2Lq7Vd' },
			{ k9x2Lq7Vd3x: '' },
		]) {
			const { status, answer, items } = await deliver(RELEASED, { query, parameters, workflowId });
			expect([status, answer.retCode, items]).toEqual([401, '401', null]);
		}
		// n8n's log says why nothing started, and never holds the secret.
		const log = logged.join('');
		expect(log).toContain(
			`AICC Trigger "AICC Trigger" (workflow ${workflowId}) refused a callback with HTTP 401: ` +
				'Unauthorized: the callback URL lacks the secret',
		);
		expect(log).not.toContain('k9x2Lq7Vd3');
	});

	test('the secret as the whole query or as ?secret= is accepted', async () => {
		const bare = await deliver(RELEASED, {
			query: { k9x2Lq7Vd3: '' },
			parameters,
			workflowId: freshWorkflow(),
		});
		expect([bare.status, bare.answer, bare.items.length]).toEqual([200, ACK, 1]);
		const named = await deliver(RELEASED, {
			query: { secret: 'k9x2Lq7Vd3' },
			parameters,
			workflowId: freshWorkflow(),
		});
		expect([named.status, named.answer, named.items.length]).toEqual([200, ACK, 1]);
	});

	test('refused callbacks are not remembered: the real one still fires', async () => {
		const workflowId = freshWorkflow();
		expect((await deliver(RELEASED, { parameters, workflowId })).status).toBe(401);
		const accepted = await deliver(RELEASED, { query: { k9x2Lq7Vd3: '' }, parameters, workflowId });
		expect(accepted.items).toHaveLength(1);
	});

	test('a secret from an expression is resolved as n8n resolves it', async () => {
		const workflowId = freshWorkflow();
		const byExpression = { secret: "={{ 'k9x2' + 'Lq7Vd3' }}" };
		const refused = await deliver(RELEASED, { parameters: byExpression, workflowId });
		expect(refused.status).toBe(401);
		const query = { k9x2Lq7Vd3: '' };
		const accepted = await deliver(RELEASED, { query, parameters: byExpression, workflowId });
		expect([accepted.status, accepted.items.length]).toEqual([200, 1]);
	});

	/** The trigger's production path, as n8n serves it. */
	const PATH = '/webhook/0a1c2e3f-0000-4000-8000-00000000a11a/aicc-call-events';

	// n8n's query parser splits the query at & and =, reads + as a space, decodes %XX and makes
	// objects of [ ]: a secret holding one of these never matched the parsed query.
	describe.each([
		['=', 'k9x2=Lq7Vd3'],
		['&', 'k9x2&Lq7Vd3'],
		['+', 'k9x2+Lq7Vd3'],
		['%', 'k9x2%41Lq7Vd3'],
		['[', 'k9x2[Lq7Vd3'],
	])('a secret holding %s', (_char, secret) => {
		const encoded = encodeURIComponent(secret);
		test.each([
			['?<secret>', `?${secret}`],
			['?<secret, percent-encoded>', `?${encoded}`],
			['?secret=<secret>', `?secret=${secret}`],
			['?secret=<secret, percent-encoded>', `?secret=${encoded}`],
		])('matches as %s', async (_form, query) => {
			const accepted = await deliver(RELEASED, { url: `${PATH}${query}`, parameters: { secret } });
			expect([accepted.status, accepted.answer, accepted.items?.length]).toEqual([200, ACK, 1]);
		});

		test('and another secret, or part of it, does not', async () => {
			const shorter = secret.slice(0, -1);
			for (const query of [`?${shorter}`, `?secret=${encodeURIComponent(shorter)}`, '?x', '']) {
				const refused = await deliver(RELEASED, { url: `${PATH}${query}`, parameters: { secret } });
				expect([refused.status, refused.items]).toEqual([401, null]);
			}
		});
	});

	test('the comparison takes no time that depends on how much of the secret matched', async () => {
		// Both sides are hashed first, so timingSafeEqual always compares 32 bytes: neither the
		// secret's length nor a matching prefix changes what is compared.
		const crypto = require('node:crypto');
		const compared = [];
		const original = crypto.timingSafeEqual;
		jest.spyOn(crypto, 'timingSafeEqual').mockImplementation((a, b) => {
			compared.push([a.length, b.length]);
			return original(a, b);
		});
		for (const query of ['?k', '?k9x2Lq7Vd', `?${'x'.repeat(300)}`, '?secret=k9x2Lq7Vd3'])
			await deliver(RELEASED, { url: `${PATH}${query}`, parameters });
		expect(compared.length).toBeGreaterThan(0);
		expect(compared.every(([a, b]) => a === 32 && b === 32)).toBe(true);
	});

	test('the editor warns only while the secret is empty', () => {
		const { description } = trigger;
		const notice = description.properties.find((property) => property.name === 'noSecretNotice');
		expect(notice).toMatchObject({
			type: 'notice',
			displayName: expect.stringMatching(
				/^Without a secret \(or an AICC Callback Key credential\), anyone who learns this URL can /,
			),
		});
		// An example URL that reads as one (a newcomer stumbled on "end the URL with ? and the
		// secret, e.g. ?k9x2Lq7Vd3"), with the path the trigger listens on.
		expect(notice.displayName).toContain(
			`the Production URL followed by ? and the secret (for the secret k9x2Lq7Vd3: ` +
				`…/${description.webhooks[0].path}?k9x2Lq7Vd3)`,
		);
		const shown = (secret) =>
			NodeHelpers.displayParameter({ secret }, notice, { typeVersion: 1 }, description);
		expect([shown(''), shown('k9x2Lq7Vd3')]).toEqual([true, false]);
	});
});

describe('malformed callbacks', () => {
	test.each([
		['text that is not JSON', 'not json'],
		['a JSON object without callSerialNo', { hello: 'world' }],
		['an empty callSerialNo', { ...RELEASED, callSerialNo: '' }],
		['a null callSerialNo', { ...RELEASED, callSerialNo: null }],
		['a JSON array', [RELEASED]],
		['cut-off JSON', '{"callSerialNo":1795322914835007919,"releaseReason":"0"'],
	])('%s gets 400 and starts nothing', async (_name, body) => {
		const { status, answer, items } = await deliver(body, { workflowId: freshWorkflow() });
		expect([status, answer.retCode, items]).toEqual([400, '400', null]);
	});
});

describe('filters', () => {
	const unanswered = {
		...RELEASED,
		callSerialNo: '1795322914835007002',
		talkingTime: '',
		talkDuration: '0',
		releaseReason: '5',
	};
	const fired = async (parameters) => {
		const workflowId = freshWorkflow();
		const serials = [];
		for (const body of [
			RELEASED,
			unanswered,
			{ ...CONNECTED, callSerialNo: '1795322914835007003' },
		]) {
			const { status, answer, items } = await deliver(body, { parameters, workflowId });
			expect([status, answer]).toEqual([200, ACK]);
			if (items) serials.push(`${items[0].event} ${items[0].callSerialNo}`);
		}
		return serials;
	};

	test('every event by default', async () => {
		expect(await fired({})).toEqual([
			'released 1795322914835007919',
			'released 1795322914835007002',
			'connected 1795322914835007003',
		]);
	});

	test('events, answered or not, and release reasons', async () => {
		expect(await fired({ events: ['connected'] })).toEqual(['connected 1795322914835007003']);
		expect(await fired({ events: ['released'] })).toEqual([
			'released 1795322914835007919',
			'released 1795322914835007002',
		]);
		expect(await fired({ answered: 'answered' })).toEqual([
			'released 1795322914835007919',
			'connected 1795322914835007003',
		]);
		expect(await fired({ answered: 'unanswered' })).toEqual(['released 1795322914835007002']);
		expect(await fired({ releaseReasons: ['5'] })).toEqual([
			'released 1795322914835007002',
			'connected 1795322914835007003',
		]);
	});

	// A newcomer sent the panel's sample (an answered call) to a trigger set to Only Unanswered:
	// n8n went on listening without a word. AICC's callbacks still get the plain answer.
	test.each([
		[
			{ answered: 'unanswered' },
			RELEASED,
			'Calls is Only Unanswered and this call was answered (its talkingTime is set; send ' +
				'"talkingTime": "0" for an unanswered call)',
		],
		[{ answered: 'answered' }, unanswered, 'Calls is Only Answered and this call was not answered'],
		[{ events: ['released'] }, CONNECTED, 'Events does not include connected'],
		[{ releaseReasons: ['5'] }, RELEASED, 'Bidirectional Release Reasons does not include 0'],
	])('a test event left out by %j is answered with why', async (parameters, body, why) => {
		const fix = ": change the trigger's filters, or send a callback that matches them";
		const test = await deliver(body, { parameters, mode: 'manual' });
		expect([test.status, test.answer, test.items]).toEqual([
			200,
			{ ...ACK, ignored: `Not passed on: ${why}${fix}` },
			null,
		]);
		const live = await deliver(body, { parameters });
		expect([live.status, live.answer, live.items]).toEqual([200, ACK, null]);
	});
});

describe('computed fields', () => {
	test('a release callback is made readable', async () => {
		const { items } = await deliver(RELEASED, { workflowId: freshWorkflow() });
		expect(items).toEqual([
			{
				event: 'released',
				callType: 'bidirectional',
				callSerialNo: '1795322914835007919',
				serviceNo: '10086',
				callerNumber: '88889050',
				called: '13800138000',
				callData: 'lead-4711',
				createCallTime: '1795322900000',
				createCallTimeIso: '2026-11-22T04:48:20.000Z',
				talkingTime: '1795322905000',
				talkingTimeIso: '2026-11-22T04:48:25.000Z',
				releaseTime: '1795322965000',
				releaseTimeIso: '2026-11-22T04:49:25.000Z',
				talkDuration: 60,
				releaseReason: '0',
				releaseReasonText: 'the called party hung up',
				answered: true,
			},
		]);
	});

	test("the body's event, answered, reason text, callerNumber, …Iso never win", async () => {
		const spoofed = {
			...RELEASED,
			talkingTime: '',
			releaseReason: '5',
			event: 'connected',
			answered: true,
			releaseReasonText: 'all fine',
			callerNumber: '10000000000',
			talkingTimeIso: 'x',
			releaseTimeIso: '2000-01-01T00:00:00.000Z',
			alertingTimeIso: 'y',
			agentReleaseTimeIso: 'z',
		};
		const [event] = (await deliver(spoofed, { workflowId: freshWorkflow() })).items;
		expect(event).toMatchObject({
			event: 'released',
			answered: false,
			releaseReason: '5',
			releaseReasonText: 'the called party did not answer',
			callerNumber: '88889050',
			talkingTimeIso: null,
			releaseTimeIso: '2026-11-22T04:49:25.000Z',
		});
		expect(event).not.toHaveProperty('alertingTimeIso');
		expect(event).not.toHaveProperty('agentReleaseTimeIso');
		expect(event).not.toHaveProperty('caller');
	});

	test('an unanswered call, whose talkingTime AICC sends as 0, has no talking time', async () => {
		const unanswered = { ...RELEASED, talkingTime: '0', talkDuration: '0', releaseReason: '5' };
		const [event] = (await deliver(unanswered, { workflowId: freshWorkflow() })).items;
		expect(event).toMatchObject({
			answered: false,
			talkingTime: '0',
			talkingTimeIso: null,
			talkDuration: 0,
			releaseTimeIso: '2026-11-22T04:49:25.000Z',
		});
	});

	test('a connection callback claiming to be a release stays a connection', async () => {
		const body = {
			...CONNECTED,
			event: 'released',
			answered: false,
			releaseReasonText: 'x',
			createCallTimeIso: 'y',
		};
		const [event] = (await deliver(body, { workflowId: freshWorkflow() })).items;
		expect(event).toEqual({
			event: 'connected',
			callType: 'bidirectional',
			callSerialNo: '1795322914835007919',
			serviceNo: '10086',
			called: '13800138000',
			releaseReason: null,
			releaseReasonText: null,
			answered: true,
		});
	});

	test('a body that spoofs only computed fields is filtered by what it really is', async () => {
		const spoofed = { ...RELEASED, talkingTime: '', releaseReason: '5', answered: true };
		const { status, items } = await deliver(spoofed, {
			parameters: { answered: 'answered' },
			workflowId: freshWorkflow(),
		});
		expect([status, items]).toEqual([200, null]);
	});
});

describe('repeated callbacks', () => {
	// A day ahead of the real clock, so callbacks other tests left behind have expired.
	const T0 = Date.now() + 24 * 60 * MINUTE;
	const at = (ms) => jest.spyOn(Date, 'now').mockReturnValue(ms);

	test('the same callback again within 10 minutes is acknowledged and starts nothing', async () => {
		const workflowId = freshWorkflow();
		at(T0);
		const first = await deliver(RELEASED, { workflowId });
		expect([first.status, first.answer, first.items.length]).toEqual([200, ACK, 1]);
		for (const later of [0, 1000, 5 * MINUTE, 10 * MINUTE - 1]) {
			at(T0 + later);
			const again = await deliver(RELEASED, { workflowId });
			expect([again.status, again.answer, again.items]).toEqual([200, ACK, null]);
		}
	});

	test('a serial sent as a number and as text is the same callback', async () => {
		const workflowId = freshWorkflow();
		at(T0);
		const asText = await deliver(RELEASED, { workflowId });
		const asNumber = await deliver(
			JSON.stringify(RELEASED).replace('"1795322914835007919"', '1795322914835007919'),
			{ workflowId },
		);
		expect([asText.items.length, asNumber.items]).toEqual([1, null]);
	});

	test('another event, serial, node or workflow still fires', async () => {
		const workflowId = freshWorkflow();
		at(T0);
		expect((await deliver(RELEASED, { workflowId })).items).toHaveLength(1);
		expect((await deliver(CONNECTED, { workflowId })).items[0].event).toBe('connected');
		expect(
			(await deliver({ ...RELEASED, callSerialNo: '1795322914835007920' }, { workflowId })).items,
		).toHaveLength(1);
		expect((await deliver(RELEASED, { workflowId, nodeId: 'trigger-2' })).items).toHaveLength(1);
		expect((await deliver(RELEASED, { workflowId: freshWorkflow() })).items).toHaveLength(1);
		expect((await deliver(RELEASED, { workflowId })).items).toBeNull();
		expect((await deliver(CONNECTED, { workflowId })).items).toBeNull();
	});

	test('10 minutes after it fired, it fires again, and starts a new window', async () => {
		const workflowId = freshWorkflow();
		at(T0);
		expect((await deliver(RELEASED, { workflowId })).items).toHaveLength(1);
		at(T0 + 9 * MINUTE);
		expect((await deliver(RELEASED, { workflowId })).items).toBeNull();
		at(T0 + 10 * MINUTE);
		expect((await deliver(RELEASED, { workflowId })).items).toHaveLength(1);
		at(T0 + 19 * MINUTE);
		expect((await deliver(RELEASED, { workflowId })).items).toBeNull();
	});

	test('a callback the filters drop is not remembered', async () => {
		const workflowId = freshWorkflow();
		at(T0);
		expect(
			(await deliver(RELEASED, { workflowId, parameters: { events: ['connected'] } })).items,
		).toBeNull();
		expect((await deliver(RELEASED, { workflowId })).items).toHaveLength(1);
	});

	test('test events from the editor always fire and are not remembered', async () => {
		const workflowId = freshWorkflow();
		at(T0);
		for (let i = 0; i < 2; i++)
			expect((await deliver(RELEASED, { workflowId, mode: 'manual' })).items).toHaveLength(1);
		expect((await deliver(RELEASED, { workflowId })).items).toHaveLength(1);
		expect((await deliver(RELEASED, { workflowId })).items).toBeNull();
	});

	test('the memory is bounded: beyond 10,000 callbacks the oldest is forgotten', async () => {
		const workflowId = freshWorkflow();
		at(T0 + 30 * MINUTE);
		const serial = (n) => `17953229148350${String(n).padStart(5, '0')}`;
		for (let n = 0; n <= 10_000; n++)
			await deliver({ ...RELEASED, callSerialNo: serial(n) }, { workflowId });
		expect(
			(await deliver({ ...RELEASED, callSerialNo: serial(10_000) }, { workflowId })).items,
		).toBeNull();
		expect(
			(await deliver({ ...RELEASED, callSerialNo: serial(0) }, { workflowId })).items,
		).toHaveLength(1);
	});
});

describe('long integers', () => {
	test('integers beyond 2^53, however long, arrive as exact digits, without BigInt', async () => {
		const bigInt = jest.spyOn(globalThis, 'BigInt');
		const serial = '1795322914835007919123456';
		const huge = '9'.repeat(100_000);
		const text =
			`{"callSerialNo":${serial},"releaseReason":"0","talkingTime":"1","releaseTime":"2",` +
			`"callData":${huge},"tenant":-${huge}}`;
		const [event] = (await deliver(text, { workflowId: freshWorkflow() })).items;
		expect(event.callSerialNo).toBe(serial);
		expect(event.callData).toBe(huge);
		expect(event.tenant).toBe(`-${huge}`);
		expect(bigInt).not.toHaveBeenCalled();
	});
});

describe('signed callbacks', () => {
	const crypto = require('node:crypto');
	const { signBody } = require('../simulator/signing');
	const KEY = 'k9x2Lq7Vd3-shared-key';
	const credentials = { aiccCallbackKeyApi: { sharedSecret: KEY } };
	/** A nonce no other test used: the nonce memory is shared by every trigger in the process. */
	let nonces = 0;
	const nonce = () => `nonce-${process.pid}-${++nonces}`;
	const signed = (body, options = {}) => signBody(body, KEY, { nonce: nonce(), ...options });
	const deliverSigned = (body, options = {}) =>
		deliver(body, { credentials, workflowId: freshWorkflow(), ...options });
	const accepted = (result) => [result.status, result.answer, result.items?.length];
	const refusedWith = (reason) => [
		401,
		{ retCode: '401', retMsg: `Unauthorized: ${reason}` },
		null,
	];
	const refused = (result) => [result.status, result.answer, result.items];
	const VOICE = {
		callSerialNo: '1795322914835009001',
		called: '13800138000',
		callerPresent: '95599',
		createCallTime: '1795322900000',
		talkingTime: '1795322905000',
		releaseTime: '1795322930000',
		talkDuration: '25',
		recordfile: '',
		locationId: '1',
		releaseReason: '1',
	};

	test("the documented construction by hand: sorted name=value, null, '' as c=", async () => {
		const body = { ...RELEASED, c: '', d: null };
		const timestamp = String(Date.now());
		const once = nonce();
		const text =
			'c=,callData=lead-4711,callSerialNo=1795322914835007919,called=13800138000,' +
			'caller=88889050,createCallTime=1795322900000,d=null,releaseReason=0,' +
			'releaseTime=1795322965000,serviceNo=10086,talkDuration=60,talkingTime=1795322905000';
		const signature = crypto
			.createHash('sha256')
			.update(`${KEY}_${timestamp}_${once}_${text}`)
			.digest('base64');
		const result = await deliverSigned({ ...body, timestamp, nonce: once, signature });
		expect(accepted(result)).toEqual([200, ACK, 1]);
	});

	test('the HMAC-SHA256 reading by hand: keyed, with or without the key in the text', async () => {
		const timestamp = String(Math.floor(Date.now() / 1000));
		const body = { callSerialNo: '1795322914835009001', called: '13800138000', releaseReason: '1' };
		const text = 'callSerialNo=1795322914835009001,called=13800138000,releaseReason=1';
		for (const withKey of [true, false]) {
			const once = nonce();
			const signedText = `${withKey ? `${KEY}_` : ''}${timestamp}_${once}_${text}`;
			const signature = crypto.createHmac('sha256', KEY).update(signedText).digest('base64');
			const otherNonce = await deliverSigned({ ...body, timestamp, nonce: nonce(), signature });
			expect(refused(otherNonce)).toEqual(
				refusedWith('the signature does not match the shared key'),
			);
			const right = await deliverSigned({ ...body, timestamp, nonce: once, signature });
			expect(accepted(right)).toEqual([200, ACK, 1]);
		}
	});

	test.each([
		['SHA-256', 'sha256', 'ms'],
		['SHA-256', 'sha256', 's'],
		['HMAC-SHA256', 'hmac', 'ms'],
		['HMAC-SHA256', 'hmac', 's'],
	])(
		'%s, timestamp in %s: bidirectional and voice callbacks accepted, signature fields dropped',
		async (_name, algorithm, unit) => {
			// Values with spaces: the Java sample strips every space before hashing.
			const bidirectional = signed(
				{ ...RELEASED, callData: 'Basic offer, token 7' },
				{ algorithm, unit },
			);
			const voice = signed(VOICE, { algorithm, unit });
			const [first] = (await deliverSigned(bidirectional)).items;
			expect(first).toMatchObject({ callType: 'bidirectional', callData: 'Basic offer, token 7' });
			const [second] = (await deliverSigned(voice)).items;
			expect(second).toMatchObject({ callType: 'voiceNotification', outcome: 'playedToEnd' });
			for (const item of [first, second]) {
				for (const field of ['signature', 'timestamp', 'nonce'])
					expect(item).not.toHaveProperty(field);
			}
		},
	);

	test('a wrong key, a changed field, a cut or garbled signature: 401, no start', async () => {
		const cases = [
			signBody(RELEASED, 'another-shared-key-0', { nonce: nonce() }),
			{ ...signed(RELEASED), called: '13900139000' },
			{ ...signed(RELEASED), releaseReason: '5' },
			{ ...signed(RELEASED), extra: '' },
			{ ...signed(RELEASED), signature: signed(RELEASED).signature.slice(0, 40) },
			{ ...signed(RELEASED), signature: 'not base64 at all!' },
			{ ...signed(RELEASED), signature: Buffer.alloc(32).toString('base64') },
		];
		for (const body of cases) {
			expect(refused(await deliverSigned(body))).toEqual(
				refusedWith('the signature does not match the shared key'),
			);
		}
	});

	test('an unsigned callback, or one missing timestamp, nonce or signature: 401', async () => {
		const whole = signed(RELEASED);
		for (const missing of ['timestamp', 'nonce', 'signature']) {
			const body = { ...whole };
			delete body[missing];
			expect(refused(await deliverSigned(body))).toEqual(
				refusedWith('the callback is not signed (no signature, timestamp or nonce)'),
			);
		}
		expect((await deliverSigned(RELEASED)).status).toBe(401);
	});

	test('a timestamp over 5 minutes old or ahead: 401, in seconds or milliseconds', async () => {
		const now = Date.now();
		for (const [offset, ok] of [
			[-5 * MINUTE - 2000, false],
			[5 * MINUTE + 2000, false],
			[-24 * 60 * MINUTE, false],
			[-5 * MINUTE + 2000, true],
			[5 * MINUTE - 2000, true],
		]) {
			for (const unit of ['ms', 's']) {
				const result = await deliverSigned(signed(RELEASED, { unit, now: now + offset }));
				if (ok) expect(accepted(result)).toEqual([200, ACK, 1]);
				else
					expect(refused(result)).toEqual(
						refusedWith('the timestamp is more than 5 minutes away from the time on this server'),
					);
			}
		}
		const notATime = await deliverSigned(signed(RELEASED, { timestamp: '2026-11-22T04:48:25Z' }));
		expect(refused(notATime)).toEqual(
			refusedWith('the timestamp is not seconds or milliseconds since 1970'),
		);
	});

	test('a replayed nonce: 401, also at another trigger with the same key', async () => {
		const body = signed(RELEASED);
		expect(accepted(await deliverSigned(body))).toEqual([200, ACK, 1]);
		const again = refusedWith('this nonce was already used');
		expect(refused(await deliverSigned(body))).toEqual(again);
		expect(refused(await deliverSigned(body, { nodeId: 'trigger-2' }))).toEqual(again);
		// A re-delivery AICC signs anew (new nonce) is taken, but starts nothing: a repeat.
		const workflowId = freshWorkflow();
		const fresh = () => deliver(signed(RELEASED), { credentials, workflowId });
		expect(accepted(await fresh())).toEqual([200, ACK, 1]);
		expect(accepted(await fresh())).toEqual([200, ACK, undefined]);
	});

	test('a refused callback does not use up its nonce', async () => {
		const body = signed(RELEASED);
		const tampered = { ...body, called: '13900139000' };
		expect((await deliverSigned(tampered)).status).toBe(401);
		expect(accepted(await deliverSigned(body))).toEqual([200, ACK, 1]);
	});

	test('test events from the editor are checked too', async () => {
		expect((await deliverSigned(RELEASED, { mode: 'manual' })).status).toBe(401);
		expect(accepted(await deliverSigned(signed(RELEASED), { mode: 'manual' }))).toEqual([
			200,
			ACK,
			1,
		]);
	});

	test('with a secret as well, a callback needs both', async () => {
		const parameters = { secret: 'k9x2Lq7Vd3' };
		const url = '/webhook/x/aicc-call-events';
		expect((await deliverSigned(signed(RELEASED), { parameters, url })).status).toBe(401);
		expect((await deliverSigned(RELEASED, { parameters, url: `${url}?k9x2Lq7Vd3` })).status).toBe(
			401,
		);
		const both = await deliverSigned(signed(RELEASED), { parameters, url: `${url}?k9x2Lq7Vd3` });
		expect(accepted(both)).toEqual([200, ACK, 1]);
	});

	test('a key shorter than 16 characters: nothing accepted, the answer says why', async () => {
		const short = { aiccCallbackKeyApi: { sharedSecret: 'short-key' } };
		const result = await deliver(signBody(RELEASED, 'short-key'), { credentials: short });
		expect([result.status, result.items]).toEqual([500, null]);
		expect(result.answer.retMsg).toMatch(
			/AICC Callback Key credential is missing, or its key is shorter than 16/,
		);
	});

	test("the credential's test checks what AICC requires of a key", async () => {
		const test = trigger.methods.credentialTest.aiccCallbackKeyTest;
		expect(await test.call({}, { data: { sharedSecret: 'x'.repeat(15) } })).toEqual({
			status: 'Error',
			message:
				'The shared key has 15 characters; AICC requires at least 16. Copy the whole key from ' +
				'the AICC console.',
		});
		expect(await test.call({}, { data: { sharedSecret: '' } })).toMatchObject({ status: 'Error' });
		expect(await test.call({}, { data: { sharedSecret: KEY } })).toMatchObject({ status: 'OK' });
	});

	test('the credential: a secret field, not in the workflow; optional on the trigger', async () => {
		const loader = await loadPackage();
		const credential = loader.credentialTypes.aiccCallbackKeyApi.type;
		const key = credential.properties.find((property) => property.name === 'sharedSecret');
		expect(key).toMatchObject({ type: 'string', typeOptions: { password: true }, required: true });
		expect(credential.authenticate).toBeUndefined();
		expect(trigger.description.credentials).toEqual([
			{ name: 'aiccCallbackKeyApi', required: false, testedBy: 'aiccCallbackKeyTest' },
		]);
		const secret = trigger.description.properties.find((property) => property.name === 'secret');
		expect(secret.description).not.toMatch(/signs nothing|does not sign callbacks/i);
		expect(secret.description).toMatch(/AICC Callback Key credential/);
		const notice = credential.properties.find((property) => property.type === 'notice');
		expect(notice.displayName).toMatch(/SHA-256.*HMAC-SHA256.*accepts either/);
	});
});

describe('voice notifications', () => {
	const VOICE = {
		callSerialNo: '1795322914835009001',
		called: '13800138000',
		callerPresent: '95599',
		createCallTime: '2022/02/17,13:10:06:836',
		alertingTime: '1795322901000',
		talkingTime: '1795322905000',
		releaseTime: '1795322930000',
		talkDuration: '25',
		recordfile: '',
		locationId: '1',
		releaseReason: '1',
	};

	test('a release callback without serviceNo is read as a voice notification', async () => {
		const { items } = await deliver(VOICE, { timezone: 'Asia/Shanghai' });
		expect(items).toEqual([
			{
				event: 'released',
				callType: 'voiceNotification',
				callSerialNo: '1795322914835009001',
				called: '13800138000',
				callerPresent: '95599',
				createCallTime: '2022/02/17,13:10:06:836',
				createCallTimeIso: '2022-02-17T05:10:06.836Z',
				alertingTime: '1795322901000',
				alertingTimeIso: '2026-11-22T04:48:21.000Z',
				talkingTime: '1795322905000',
				talkingTimeIso: '2026-11-22T04:48:25.000Z',
				releaseTime: '1795322930000',
				releaseTimeIso: '2026-11-22T04:48:50.000Z',
				talkDuration: 25,
				recordfile: '',
				locationId: '1',
				releaseReason: '1',
				releaseReasonText: 'the called party hung up after the notice was played',
				outcome: 'playedToEnd',
				outcomeText: 'answered, and the notice was played to the end',
				answered: true,
			},
		]);
	});

	test.each([
		['0', 'answered', true, 'the called party answered, then hung up'],
		['1', 'playedToEnd', true, 'the called party hung up after the notice was played'],
		['4', 'rejectedOrNoAnswer', false, 'the called party rejected the call or did not answer'],
		['6', 'failed', false, 'the call failed before it rang'],
		['8', 'failed', false, 'no resources were available'],
		['9', 'failed', false, 'the call timed out in the queue'],
		['10', 'failed', false, 'the call was restricted'],
		['999', 'failed', false, 'the platform (UAP) failed to start recording'],
		['7', 'unknown', false, 'reason 7'],
	])('release reason %s: outcome %s, answered %s', async (reason, outcome, answered, text) => {
		const unanswered = answered ? {} : { talkingTime: '0', talkDuration: '0' };
		const body = { ...VOICE, ...unanswered, releaseReason: reason };
		const [event] = (await deliver(body)).items;
		expect(event).toMatchObject({ outcome, answered, releaseReasonText: text });
		expect(event.outcomeText).toEqual(expect.any(String));
	});

	test('Callbacks From decides the reading when set; detection otherwise', async () => {
		const asVoice = { callType: 'voiceNotification' };
		const [forced] = (await deliver(RELEASED, { parameters: asVoice })).items;
		expect(forced).toMatchObject({ callType: 'voiceNotification', outcome: 'answered' });
		const asBidirectional = { callType: 'bidirectional' };
		const [read] = (await deliver(VOICE, { parameters: asBidirectional })).items;
		expect(read).toMatchObject({
			callType: 'bidirectional',
			releaseReasonText: 'the caller hung up',
		});
		expect(read).not.toHaveProperty('outcome');
		for (const field of ['serviceNo', 'caller', 'callData', 'agentTalkDuration']) {
			const [detected] = (await deliver({ ...VOICE, [field]: '1' })).items;
			expect([field, detected.callType]).toEqual([field, 'bidirectional']);
		}
		const [connected] = (await deliver(CONNECTED)).items;
		expect(connected).toMatchObject({ event: 'connected', callType: 'bidirectional' });
	});

	test('filters: outcomes, voice reasons, answered; not the bidirectional reasons', async () => {
		const bodies = [
			{ ...VOICE, callSerialNo: '1795322914835009101', releaseReason: '1' },
			{ ...VOICE, callSerialNo: '1795322914835009102', releaseReason: '4', talkingTime: '0' },
			{ ...VOICE, callSerialNo: '1795322914835009103', releaseReason: '8', talkingTime: '' },
			{ ...RELEASED, callSerialNo: '1795322914835009104' },
		];
		const fired = async (parameters) => {
			const workflowId = freshWorkflow();
			const serials = [];
			for (const body of bodies) {
				const { status, items } = await deliver(body, { parameters, workflowId });
				expect(status).toBe(200);
				if (items) serials.push(items[0].callSerialNo.slice(-3));
			}
			return serials;
		};
		expect(await fired({})).toEqual(['101', '102', '103', '104']);
		expect(await fired({ voiceOutcomes: ['failed', 'rejectedOrNoAnswer'] })).toEqual([
			'102',
			'103',
			'104',
		]);
		expect(await fired({ voiceReleaseReasons: ['4'] })).toEqual(['102', '104']);
		expect(await fired({ releaseReasons: ['5'] })).toEqual(['101', '102', '103']);
		expect(await fired({ answered: 'unanswered' })).toEqual(['102', '103']);
		expect(await fired({ events: ['connected'] })).toEqual([]);
		expect(await fired({ callType: 'voiceNotification', voiceOutcomes: ['playedToEnd'] })).toEqual([
			'101',
		]);
	});

	test('a test event the outcome or reason filters leave out is answered with why', async () => {
		const rejected = { ...VOICE, releaseReason: '4', talkingTime: '0' };
		const answerTo = async (parameters) =>
			(await deliver(rejected, { parameters, mode: 'manual' })).answer.ignored;
		expect(await answerTo({ voiceOutcomes: ['playedToEnd'] })).toMatch(
			/^Not passed on: Voice Notification Outcomes does not include rejectedOrNoAnswer: /,
		);
		expect(await answerTo({ voiceReleaseReasons: ['1'] })).toMatch(
			/^Not passed on: Voice Notification Release Reasons does not include 4: /,
		);
	});

	test("a body's own outcome, outcomeText and callType never win", async () => {
		const spoofed = {
			...VOICE,
			releaseReason: '4',
			talkingTime: '0',
			outcome: 'playedToEnd',
			outcomeText: 'x',
			callType: 'bidirectional',
			answered: true,
		};
		const [event] = (await deliver(spoofed)).items;
		expect(event).toMatchObject({
			callType: 'voiceNotification',
			outcome: 'rejectedOrNoAnswer',
			outcomeText: 'rejected, or not answered before the ringing timed out',
			answered: false,
		});
	});

	test('the editor shows the filters of the kind of call chosen', () => {
		const { description } = trigger;
		const shown = (name, callType) =>
			NodeHelpers.displayParameter(
				{ callType },
				description.properties.find((property) => property.name === name),
				{ typeVersion: 1 },
				description,
			);
		const table = ['events', 'releaseReasons', 'voiceOutcomes', 'voiceReleaseReasons'].map(
			(name) => [
				name,
				['auto', 'bidirectional', 'voiceNotification'].map((callType) => shown(name, callType)),
			],
		);
		expect(table).toEqual([
			['events', [true, true, false]],
			['releaseReasons', [true, true, false]],
			['voiceOutcomes', [true, false, true]],
			['voiceReleaseReasons', [true, false, true]],
		]);
	});
});

describe('what the trigger remembers', () => {
	const { Recent } = require('../dist/nodes/AiccCallEventTrigger/recent');

	test('an entry is remembered for the window, then forgotten', () => {
		const recent = new Recent(1000, 10);
		expect(recent.seen(['a'], 0)).toBe(false);
		expect(recent.seen(['a'], 999)).toBe(true);
		expect(recent.seen(['a'], 1000)).toBe(false);
		expect(recent.seen(['a'], 1500)).toBe(true);
	});

	test('bounded in size: the oldest entry goes first', () => {
		const recent = new Recent(60_000, 3);
		for (const key of ['a', 'b', 'c', 'd']) expect(recent.seen([key], 0)).toBe(false);
		expect(recent.seen(['d'], 1)).toBe(true);
		expect(recent.seen(['a'], 1)).toBe(false);
	});
});
