'use strict';

/**
 * What the tests share: a fresh simulator on 127.0.0.1 and the harness with a credential
 * pointing at it, the parameters of each operation, the trigger's webhook as n8n calls it, and a
 * secret scan over everything a run produced.
 */
const { createSimulator } = require('../simulator');
const { createHarness, callTriggerWebhook, loadPackage } = require('./harness');

const logged = globalThis.aiccTestLogs;

const APP_KEY = 'AK-7f3e9a1c-test-app-key';
const APP_SECRET = 'SK-2b8d4e6f-test-app-secret';

/** The contexts the current test started: stopped after it, so no simulator outlives its test. */
const started = new Set();
afterEach(async () => {
	await Promise.all([...started].map((context) => context.stop()));
	started.clear();
});

async function setup(simOptions = {}, credentialOverrides = {}) {
	const sim = await createSimulator({
		appKey: APP_KEY,
		appSecret: APP_SECRET,
		...simOptions,
	}).start();
	const harness = await createHarness();
	harness.credentials.add('aicc', {
		baseUrl: sim.url,
		appKey: APP_KEY,
		appSecret: APP_SECRET,
		expiresIn: 600,
		...credentialOverrides,
	});
	const context = {
		sim,
		harness,
		run: (options) => harness.run(options),
		listSearch: (options) => harness.listSearch(options),
		calls: (endpoint = 'createCallV1') => sim.log.for(endpoint),
		tokenRequests: () => sim.log.for('token'),
		stop: () => sim.stop(),
	};
	started.add(context);
	return context;
}

/**
 * For a file whose tests all start the same way: a fresh context before each test. The object
 * returned holds the current test's context (`ctx.run`, `ctx.sim`, …).
 */
function setupEach(simOptions, credentialOverrides) {
	const current = {};
	beforeEach(async () => Object.assign(current, await setup(simOptions, credentialOverrides)));
	return current;
}

/** An operation's parameters: its usual fields, then the test's fields and options. */
const operation =
	(name, usual = {}) =>
	(fields = {}, options = {}) => ({
		resource: 'call',
		operation: name,
		...usual,
		...fields,
		...(Object.keys(options).length > 0 ? { options } : {}),
	});

const bidirectional = operation('createBidirectional', {
	caller: '88889050',
	called: '13800138000',
});
const anonymous = operation('createAnonymous', { called: '13800138000' });
// Call Serial Number left at its default, which maps the item's callSerialNo.
const getState = operation('getState');
const getRecords = operation('getRecords', {
	startTime: '2026-10-01T00:00:00Z',
	endTime: '2026-10-03T00:00:00Z',
});
const getRecordingUrl = operation('getRecordingUrl');

/** The simulator's seeded voices: a recording, a template with 3 variables, one without any. */
const VOICES = {
	recording: '1000000000000000001',
	reminder: '2000000000000000001',
	noVariables: '2000000000000000004',
};
const locator = (value, mode = 'list') => ({ __rl: true, mode, value });

/**
 * Create Voice Notification: V2 by default, playing the seeded reminder template with three
 * variables to 13800138000; V1 with `apiVersion: 'v1'` plays a recording and a text.
 */
const voiceNotification = (fields = {}, options = {}) => {
	const v1 = fields.apiVersion === 'v1';
	const usual = v1
		? {
				apiVersion: 'v1',
				voiceContent: {
					parts: [
						{ type: 'voice', voiceId: locator(VOICES.recording) },
						{ type: 'text', text: 'Your appointment is tomorrow at 10:30.' },
					],
				},
			}
		: {
				apiVersion: 'v2',
				playList: {
					entries: [
						{
							type: 'template',
							templateId: locator(VOICES.reminder),
							templateParams: ['Tom', '2026/11/05', '10:30'],
						},
					],
				},
			};
	return {
		resource: 'voiceNotification',
		operation: 'create',
		called: '13800138000',
		...usual,
		...fields,
		...(Object.keys(options).length > 0 ? { options } : {}),
	};
};
const getVoices = (fields = {}, options = {}) => ({
	resource: 'voiceNotification',
	operation: 'getVoices',
	...fields,
	...(Object.keys(options).length > 0 ? { options } : {}),
});

/** Places a bidirectional call to `called` and returns its serial number. */
async function placeCall(ctx, called = '13800138000') {
	const result = await ctx.run({ parameters: bidirectional({ called }) });
	return result.main[0].callSerialNo;
}

/** A call the simulator knows, already ended: Get Call State answers it at once. */
function endedCall(sim) {
	return sim.addRecord({
		caller: '88889050',
		called: '13800138000',
		createdAt: Date.now() - 60_000,
	}).callSerialNo;
}

/**
 * What n8n shows of a failure: its message, then its description (how to fix it), which the
 * editor shows together. Takes an error, a failed item of the regular output ({ message, error })
 * or one of the error output ({ message, error: { description } }).
 */
function shown(failure) {
	const { message } = failure;
	const fix =
		typeof failure.error === 'string'
			? failure.error
			: (failure.error?.description ?? failure.description);
	return fix && fix !== message ? `${message}. ${fix}` : message;
}

/**
 * How a failed item of the regular output reads: what is wrong (`message`, naming the item as
 * the editor numbers it) and how to fix it (`error`), each said once.
 */
function expectSaidOnce(item, text) {
	expect(shown(item)).toBe(text);
	expect(item.message).not.toContain(typeof item.error === 'string' ? item.error : '\0');
}

/**
 * One invalid input item under Continue On Fail: failed before anything was sent, saying `text`
 * (what is wrong, then the fix, each once).
 */
function expectInvalidUnsent(ctx, result, text) {
	expect(result.main).toEqual([
		{
			success: false,
			outcome: 'notPlaced',
			retCode: null,
			message: expect.any(String),
			error: expect.any(String),
		},
	]);
	expectSaidOnce(result.main[0], text);
	expect(ctx.sim.log.entries).toHaveLength(0);
}

/** The message of a number option outside its range, for item `itemIndex` . */
const rangeMessage = (label, name, itemIndex, value, min, max) =>
	`${label.toLowerCase() === name.toLowerCase() ? label : `${label} (${name})`} in item ` +
	`${itemIndex + 1} is ${value}; it must be a number from ${min} to ${max}`;

/** The refusal of a call serial number n8n holds as a number beyond 2^53 (its message). */
const SERIAL_NUMBER_REFUSAL = (itemIndex, value) =>
	`Call Serial Number (callSerialNo) in item ${itemIndex + 1} is the number ${value}, beyond ` +
	'what n8n holds exactly (2^53): its last digits may be lost, naming another call';

/** How to fix SERIAL_NUMBER_REFUSAL: its description. */
const SERIAL_NUMBER_FIX =
	'Pass the serial number as text: map the callSerialNo string that Create Bidirectional Call ' +
	'returned, e.g. {{ $json.callSerialNo }}, and have earlier nodes keep it as text.';

/** Every secret the run could have leaked: the AK, the SK and every token the simulator issued. */
function secretsOf(sim) {
	return [sim.config.appKey, sim.config.appSecret, ...sim.tokens.keys(), ...sim.revokedTokens];
}

/** The 8-character runs of a secret: none may appear anywhere, not even part of a secret. */
function runsOf(secret, length = 8) {
	return Array.from({ length: Math.max(1, secret.length - length + 1) }, (_, index) =>
		secret.slice(index, index + length),
	);
}

/**
 * Fails when any 8 characters of a secret appear anywhere in what the run produced (items,
 * errors, run data) or in the logs.
 */
function expectNoSecrets(result, sim, extraSecrets = []) {
	const text =
		JSON.stringify(result.run) +
		JSON.stringify(result.items) +
		String(result.error?.message) +
		String(result.error?.description) +
		logged.join('');
	for (const secret of [...secretsOf(sim), ...extraSecrets]) {
		for (const run of runsOf(secret)) {
			if (text.includes(run))
				throw new Error(`"${run}" (part of a secret) appears in what the run produced`);
		}
	}
}

/** Items with a phone number each: 1380013xxxx by default. */
const contacts = (count, prefix = '1380013') =>
	Array.from({ length: count }, (_, index) => ({
		phone: `${prefix}${String(index).padStart(4, '0')}`,
	}));

/**
 * Asks the simulator for a token directly, as another process holding the same App (or an older
 * version of the node) would.
 */
async function tokenFromElsewhere(sim) {
	const response = await fetch(`${sim.url}/apigovernance/api/oauth/tokenByAkSk`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ app_key: sim.config.appKey, app_secret: sim.config.appSecret }),
	});
	return (await response.json()).AccessToken;
}

module.exports = {
	setup,
	setupEach,
	bidirectional,
	anonymous,
	getState,
	getRecords,
	getRecordingUrl,
	voiceNotification,
	getVoices,
	VOICES,
	locator,
	placeCall,
	endedCall,
	shown,
	expectSaidOnce,
	expectInvalidUnsent,
	rangeMessage,
	SERIAL_NUMBER_REFUSAL,
	SERIAL_NUMBER_FIX,
	callTriggerWebhook,
	loadPackage,
	expectNoSecrets,
	logged,
	APP_KEY,
	APP_SECRET,
	contacts,
	tokenFromElsewhere,
};
