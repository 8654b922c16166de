'use strict';

/**
 * The package in a real n8n: n8n lists the node and the credential, the example workflows run
 * against the simulator and give the expected items, the same lead run again is not called twice,
 * one token exchange serves two executions, an expired token is renewed, failures reach the error
 * output, the webhook example answers,
 * the credential test makes a real token exchange, and the AICC Trigger receives
 * the simulator's release callback of a call it placed, and starts one execution for a callback
 * delivered twice; a secret holding = & + % [ matches; with an AICC Callback Key credential, only
 * correctly signed callbacks start it (bidirectional and voice notification). For n8n 2.x and the
 * 1.x line.
 */
const { createSimulator } = require('../simulator');
const { ensureInstalled, createInstance, freePort, nodeOutput } = require('../scripts/local-n8n');
const fs = require('node:fs');
const path = require('node:path');
const {
	TRIGGERS,
	PLACE_CALL,
	RECORDING,
	RECORDED_SERIAL,
	CALLBACK_SECRET,
	AWKWARD_SECRET,
	CALLBACK_KEY,
	triggerUrl,
} = require('./workflows');
const {
	INSTALL_TIME,
	SIM_KEYS,
	EMPTY_CALLED,
	expectNoSecrets,
	E2E_LINES,
	getJson,
} = require('./common');

/** Release callbacks as AICC sends them: answered, unanswered, and a connected event. */
const RELEASED = {
	callSerialNo: '1795322914835007001',
	serviceNo: '10086',
	caller: '88889050',
	called: '13800138000',
	callData: 'lead-1',
	createCallTime: '1795322900000',
	alertingTime: '1795322901000',
	talkingTime: '1795322905000',
	releaseTime: '1795322965000',
	talkDuration: '60',
	releaseReason: '0',
};
const UNANSWERED = {
	...RELEASED,
	callSerialNo: '1795322914835007002',
	talkingTime: '',
	talkDuration: '0',
	releaseReason: '5',
};
const CONNECTED =
	'{"callSerialNo":1795322914835007003,"serviceNo":"10086","called":"13800138000",' +
	'"callData":"lead-3"}';

/**
 * The lead example with lead `n`'s data: another CRM event, which the duplicate guard lets through
 * (the example's own lead, placed once, is a repeat for the guard's 10 minutes).
 */
function anotherLead(n) {
	const example = fs.readFileSync(
		path.join(__dirname, '..', 'examples', 'crm-lead-bidirectional-call.json'),
		'utf8',
	);
	const workflow = JSON.parse(
		example
			.split('lead-4711')
			.join(`lead-471${n}`)
			.split('(010) 8888-9060')
			.join(`(010) 8888-906${n}`),
	);
	return { ...workflow, id: `aiccExampleLead1n${n}`, name: `${workflow.name} (lead ${n})` };
}
const LEADS = { 2: anotherLead(2), 3: anotherLead(3) };

/** What the trigger answers to every callback it takes. */
const ACKNOWLEDGED = { retCode: '0', retMsg: 'success' };

describe.each(E2E_LINES)('n8n %s.x', (line) => {
	let sim;
	let n8n;

	beforeAll(async () => {
		await ensureInstalled(line);
		sim = await createSimulator({ ...SIM_KEYS, ringMs: 300, talkMs: 300 }).start();
		n8n = createInstance({
			line,
			name: 'e2e',
			port: await freePort(),
			brokerPort: await freePort(),
			simulatorUrl: sim.url,
		});
		await n8n.prepare();
		// The signed trigger's credential: n8n encrypts the plain data on import.
		const keyFile = path.join(n8n.userFolder, 'aicc-callback-key.json');
		fs.writeFileSync(
			keyFile,
			JSON.stringify([
				{
					id: CALLBACK_KEY.id,
					name: CALLBACK_KEY.name,
					type: 'aiccCallbackKeyApi',
					data: { sharedSecret: CALLBACK_KEY.key },
				},
			]),
		);
		await n8n.cli(['import:credentials', `--input=${keyFile}`]);
		const active = [PLACE_CALL, ...Object.values(TRIGGERS)];
		await n8n.importWorkflows([...active, RECORDING, ...Object.values(LEADS)]);
		for (const workflow of active) await n8n.activate(workflow.id);
		await n8n.activate('aiccExampleLead1');
	}, INSTALL_TIME);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	const lead =
		'the bidirectional example places the call; the same lead again is not called twice;' +
		' one token exchange serves two';
	test(lead, async () => {
		const first = await n8n.execute('aiccExampleLead1');
		expect(first.run.status).toBe('success');
		const [[item]] = nodeOutput(first.run, 'Agent Calls The Lead');
		const [call] = sim.log.for('createCallV1');
		expect(item).toEqual({
			success: true,
			retCode: '0',
			message: 'Add CallOutInfo in DB successfully',
			callSerialNo: /"callSerialNo":(\d{19})/.exec(call.response)[1],
		});
		expect(call.body).toEqual({ caller: '88889050', called: '01088889060', callData: 'lead-4711' });
		expect(nodeOutput(first.run, 'Respond With Serial Number')[0][0].callSerialNo).toBe(
			item.callSerialNo,
		);

		// The same CRM event again (each `n8n execute` is a process of its own): not sent.
		const again = await n8n.execute('aiccExampleLead1');
		expect(again.run.status).toBe('success');
		expect(nodeOutput(again.run, 'Agent Calls The Lead')[0][0]).toMatchObject({
			skipped: true,
			skipReason: 'duplicate',
		});
		expect(sim.log.for('createCallV1')).toHaveLength(1);

		const second = await n8n.execute(LEADS[2].id);
		expect(second.run.status).toBe('success');
		expect(nodeOutput(second.run, 'Agent Calls The Lead')[0][0].success).toBe(true);
		expect(sim.log.for('token')).toHaveLength(1);
		expect(sim.log.for('createCallV1')).toHaveLength(2);
		expectNoSecrets(sim, [first.run, again.run, second.run]);
	});

	test('Get Recording URL downloads the recording into the item as a file', async () => {
		sim.addRecord({
			callSerialNo: RECORDED_SERIAL,
			caller: '88889050',
			called: '13800138000',
			createdAt: Date.now() - 60_000,
		});
		const { run } = await n8n.execute(RECORDING.id);
		expect(run.status).toBe('success');
		const item = run.data.resultData.runData.Recording[0].data.main[0][0];
		expect(item.json).toMatchObject({ callSerialNo: RECORDED_SERIAL });
		expect(item.binary.recording).toMatchObject({
			fileName: `${RECORDED_SERIAL}.wav`,
			mimeType: 'audio/wav',
			fileExtension: 'wav',
		});
		expect(sim.log.for('recording').map((entry) => entry.status)).toEqual([200]);
	});

	test('a token expired at the simulator is renewed and the call placed once', async () => {
		sim.log.clear();
		sim.expireTokens();
		const { run } = await n8n.execute(LEADS[3].id);
		expect(run.status).toBe('success');
		expect(nodeOutput(run, 'Agent Calls The Lead')[0][0].success).toBe(true);
		expect(sim.log.for('token')).toHaveLength(1);
		expect(sim.log.for('createCallV1').map((entry) => entry.status)).toEqual([401, 200]);
	});

	test('the contact-list example sends failures to the error output', async () => {
		sim.log.clear();
		const { run } = await n8n.execute('aiccExampleList2');
		expect(run.status).toBe('success');
		const [placed, failed] = nodeOutput(run, 'Anonymous Call');
		expect(placed.map((item) => [item.success, item.retCode])).toEqual([
			[true, '0'],
			[true, '0'],
		]);
		expect(
			placed.every(
				(item) => /^\d{19}$/.test(item.callSerialNo) && item.sipServiceAddress && item.accessCode,
			),
		).toBe(true);
		expect(failed).toEqual([
			expect.objectContaining({
				name: 'Ben',
				message: 'Called in item 2 is empty',
				error: { success: false, outcome: 'notPlaced', retCode: null, description: EMPTY_CALLED },
			}),
		]);
		expect(nodeOutput(run, 'Calls That Failed')[0]).toHaveLength(1);
		expect(sim.log.for('createCallAnonymous').map((entry) => entry.body.called)).toEqual([
			'13800138000',
			'13900139000',
		]);
	});

	test('n8n lists the node and the credential; the webhook example and its test work', async () => {
		await n8n.start();
		const cookie = await n8n.login();
		const get = (route) => getJson(`${n8n.url}${route}`, { cookie });
		const nodes = await get('/types/nodes.json');
		expect(nodes.map((node) => node.name)).toEqual(
			expect.arrayContaining(['n8n-nodes-aicc.aiccCall', 'n8n-nodes-aicc.aiccCallEventTrigger']),
		);
		const credentials = await get('/types/credentials.json');
		expect(credentials.map((credential) => credential.name)).toEqual(
			expect.arrayContaining(['aiccApi', 'aiccCallbackKeyApi']),
		);

		sim.log.clear();
		const response = await fetch(`${n8n.url}/webhook/aicc-new-lead`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				leadId: 'lead-9',
				agentPhone: '88889050',
				customerPhone: '13800138009',
			}),
		});
		const answer = await response.json();
		expect(answer).toEqual({
			callSerialNo: expect.stringMatching(/^\d{19}$/),
			skipped: false,
			retCode: '0',
			message: 'Add CallOutInfo in DB successfully',
		});
		expect(sim.log.for('createCallV1')[0].body).toEqual({
			caller: '88889050',
			called: '13800138009',
			callData: 'lead-9',
		});

		const test = async (appSecret) => {
			const result = await fetch(`${n8n.url}/rest/credentials/test`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', cookie },
				body: JSON.stringify({
					credentials: {
						id: 'aiccSimulator001',
						name: 'AICC Simulator',
						type: 'aiccApi',
						data: { baseUrl: sim.url, appKey: SIM_KEYS.appKey, appSecret, expiresIn: 600 },
					},
				}),
			});
			return (await result.json()).data;
		};
		sim.log.clear();
		expect(await test(SIM_KEYS.appSecret)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		// The editor heads a failed test with "Couldn't connect with these settings": the message
		// under it says what went wrong and how to fix it.
		expect(await test('wrong-secret')).toEqual({
			status: 'Error',
			message:
				'AICC rejected the App Key or App Secret (HTTP 401 from tokenByAkSk). Check the ' +
				"credential's App Key (AK) and App Secret (SK) against the App in the tenant's API " +
				'Fabric; copy them again without spaces. If they are right, ask the tenant ' +
				'administrator whether the App is enabled.',
		});
		expect(sim.log.entries.every((entry) => entry.endpoint === 'token')).toBe(true);

		// The callback key's test runs in the trigger (testedBy) and contacts nobody.
		const testKey = async (sharedSecret) => {
			const result = await fetch(`${n8n.url}/rest/credentials/test`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', cookie },
				body: JSON.stringify({
					credentials: {
						id: CALLBACK_KEY.id,
						name: CALLBACK_KEY.name,
						type: 'aiccCallbackKeyApi',
						data: { sharedSecret },
					},
				}),
			});
			return (await result.json()).data;
		};
		expect(await testKey('too-short')).toEqual({
			status: 'Error',
			message:
				'The shared key has 9 characters; AICC requires at least 16. Copy the whole key from ' +
				'the AICC console.',
		});
		expect((await testKey(CALLBACK_KEY.key)).status).toBe('OK');
	});

	const post = async (url, body, contentType = 'application/json') => {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': contentType },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});
		return { status: response.status, body: await response.text() };
	};
	/** The notes workflows reported, once `count` arrived (or `patience` ms passed), a second on. */
	const waitForNotes = async (count, patience = 20_000) => {
		for (let waited = 0; sim.notes.length < count && waited < patience; waited += 200)
			await new Promise((resolve) => setTimeout(resolve, 200));
		await new Promise((resolve) => setTimeout(resolve, 1000));
		return sim.notes;
	};

	test('the AICC Trigger fires with the callSerialNo of a call it placed', async () => {
		sim.notes.length = 0;
		sim.callbacks.length = 0;
		const callBackUrl = `${triggerUrl(n8n.url, 'all')}?${CALLBACK_SECRET}`;
		const placed = await post(`${n8n.url}/webhook/e2e-place-call`, {
			agent: '88889050',
			customer: '13800138000',
			callBackUrl,
		});
		const { callSerialNo } = JSON.parse(placed.body);
		expect(callSerialNo).toMatch(/^\d{19}$/);
		const [note] = await waitForNotes(1);
		expect(note.workflow).toBe('all');
		expect(note.event).toMatchObject({
			event: 'released',
			callSerialNo,
			answered: true,
			releaseReason: '0',
			releaseReasonText: 'the called party hung up',
			callerNumber: '88889050',
			called: '13800138000',
			talkDuration: expect.any(Number),
			releaseTimeIso: new Date(Number(note.event.releaseTime)).toISOString(),
		});
		expect(note.event).not.toHaveProperty('caller');
		expect(sim.callbacks).toHaveLength(1);
		const [callback] = sim.callbacks;
		expect([callback.status, JSON.parse(callback.response)]).toEqual([200, ACKNOWLEDGED]);
	});

	test('trigger filters, and strangers and malformed callbacks refused', async () => {
		sim.notes.length = 0;
		for (const name of ['answered', 'unanswered', 'reason5', 'connected']) {
			for (const body of [RELEASED, UNANSWERED, CONNECTED]) {
				const answer = await post(triggerUrl(n8n.url, name), body);
				expect([answer.status, JSON.parse(answer.body)]).toEqual([200, ACKNOWLEDGED]);
			}
		}
		const notes = await waitForNotes(6);
		const seen = (name) =>
			notes
				.filter((note) => note.workflow === name)
				.map((note) => note.event.callSerialNo)
				.sort();
		expect(seen('answered')).toEqual(['1795322914835007001', '1795322914835007003']);
		expect(seen('unanswered')).toEqual(['1795322914835007002']);
		expect(seen('reason5')).toEqual(['1795322914835007002', '1795322914835007003']);
		expect(seen('connected')).toEqual(['1795322914835007003']);
		expect(
			notes.find((note) => note.event.callSerialNo === '1795322914835007002').event,
		).toMatchObject({
			event: 'released',
			answered: false,
			releaseReasonText: 'the called party did not answer',
			talkDuration: 0,
			talkingTimeIso: null,
		});
		expect(notes.find((note) => note.event.event === 'connected').event).toMatchObject({
			answered: true,
			releaseReason: null,
			callData: 'lead-3',
		});

		sim.notes.length = 0;
		expect((await post(triggerUrl(n8n.url, 'all'), RELEASED)).status).toBe(401);
		expect((await post(`${triggerUrl(n8n.url, 'all')}?wrong-secret`, RELEASED)).status).toBe(401);
		expect((await post(triggerUrl(n8n.url, 'answered'), 'not json', 'text/plain')).status).toBe(
			400,
		);
		expect((await post(triggerUrl(n8n.url, 'answered'), { hello: 'world' })).status).toBe(400);
		expect(await waitForNotes(1, 2000)).toEqual([]);
	});

	test('a callback delivered twice starts one execution; both are acknowledged', async () => {
		sim.notes.length = 0;
		const url = `${triggerUrl(n8n.url, 'all')}?${CALLBACK_SECRET}`;
		const released =
			'{"callSerialNo":1795322914835007010,"caller":"88889050","called":"13800138000",' +
			'"talkingTime":"1795322905000","releaseTime":"1795322965000","talkDuration":"60",' +
			'"releaseReason":"0","event":"connected","answered":false,"talkingTimeIso":"x"}';
		for (let delivery = 0; delivery < 2; delivery++) {
			const answer = await post(url, released);
			expect([answer.status, JSON.parse(answer.body)]).toEqual([200, ACKNOWLEDGED]);
		}
		const notes = await waitForNotes(2, 5000);
		expect(notes).toHaveLength(1);
		expect(notes[0].event).toMatchObject({
			event: 'released',
			callSerialNo: '1795322914835007010',
			answered: true,
			talkingTimeIso: new Date(1795322905000).toISOString(),
		});
	});

	test('a secret holding = & + % [ matches, as sent or percent-encoded; else 401', async () => {
		sim.notes.length = 0;
		const url = triggerUrl(n8n.url, 'awkward');
		const body = (n) => ({ ...RELEASED, callSerialNo: `179532291483500703${n}` });
		expect((await post(`${url}?${AWKWARD_SECRET}`, body(1))).status).toBe(200);
		expect((await post(`${url}?${encodeURIComponent(AWKWARD_SECRET)}`, body(2))).status).toBe(200);
		const named = `${url}?secret=${encodeURIComponent(AWKWARD_SECRET)}`;
		expect((await post(named, body(3))).status).toBe(200);
		expect((await post(`${url}?${AWKWARD_SECRET.slice(0, -1)}`, body(4))).status).toBe(401);
		const notes = await waitForNotes(3, 5000);
		expect(notes.map((note) => note.event.callSerialNo).sort()).toEqual([
			'1795322914835007031',
			'1795322914835007032',
			'1795322914835007033',
		]);
	});

	test('signed callbacks start one execution; wrong, stale, replayed, unsigned: 401', async () => {
		sim.notes.length = 0;
		const url = triggerUrl(n8n.url, 'signed');
		const body = (n) => ({
			...RELEASED,
			callData: 'Basic offer 7',
			callSerialNo: `179532291483500704${n}`,
		});
		const statuses = async (n, kind) => {
			if (kind) sim.inject({ endpoint: 'callback', kind });
			return (await sim.sendCallback(url, body(n))).map((delivery) => delivery.status);
		};
		try {
			sim.config.callbackKey = CALLBACK_KEY.key;
			expect(await statuses(1)).toEqual([200]);
			expect(await statuses(2, 'wrongSignature')).toEqual([401]);
			expect(await statuses(3, 'staleTimestamp')).toEqual([401]);
			expect(await statuses(4, 'unsigned')).toEqual([401]);
			expect(await statuses(5, 'replay')).toEqual([200, 401]);
			// A voice notification's release callback, under the other reading: HMAC, seconds.
			Object.assign(sim.config, { callbackSignature: 'hmac', callbackTimestampUnit: 's' });
			const voice = {
				callSerialNo: '1795322914835007049',
				called: '13800138000',
				callerPresent: '95599',
				talkingTime: '1795322905000',
				releaseTime: '1795322930000',
				talkDuration: '25',
				releaseReason: '1',
			};
			expect((await sim.sendCallback(url, voice)).map((delivery) => delivery.status)).toEqual([
				200,
			]);
			// A call placed with the signed trigger as its callback URL: AICC's own signed release.
			// Another customer than the earlier test's, whose call the duplicate guard would skip.
			const placed = await post(`${n8n.url}/webhook/e2e-place-call`, {
				agent: '88889050',
				customer: '13800138004',
				callBackUrl: url,
			});
			const { callSerialNo } = JSON.parse(placed.body);
			const notes = await waitForNotes(4);
			expect(notes.map((note) => note.event.callSerialNo).sort()).toEqual(
				['1795322914835007041', '1795322914835007045', '1795322914835007049', callSerialNo].sort(),
			);
			const byType = (type) => notes.filter((note) => note.event.callType === type);
			expect(byType('voiceNotification').map((note) => note.event)).toEqual([
				expect.objectContaining({ outcome: 'playedToEnd', answered: true, talkDuration: 25 }),
			]);
			expect(byType('bidirectional')).toHaveLength(3);
			for (const note of notes) expect(note.event).not.toHaveProperty('signature');
		} finally {
			Object.assign(sim.config, {
				callbackKey: null,
				callbackSignature: 'sha256',
				callbackTimestampUnit: 'ms',
			});
		}
	});
});
