'use strict';

const { NodeHelpers } = require('n8n-workflow');
const { documentedCodes, explainReturnCode } = require('../dist/shared/codes');
const { startSimulatorProcess } = require('../simulator/process');
const {
	setupEach,
	voiceNotification,
	VOICES,
	locator,
	expectNoSecrets,
	loadPackage,
	shown,
	expectInvalidUnsent,
} = require('./setup');

/**
 * Create Voice Notification (issue 21): both API versions through n8n's real WorkflowExecute
 * against the simulator over HTTP, and every guarantee the bidirectional call has: every item
 * checked before the first request, every documented code explained, Retry On Fail never dialing
 * twice, Concurrency, Max Calls Per Second, Allowed Called Numbers, secrets scrubbed, the AI tool.
 * Requests are counted at the simulator.
 */
const ctx = setupEach();

const V1 = 'createVoiceNotificationV1';
const V2 = 'createVoiceNotificationV2';
const CHECK_AGAIN = 'Check the call records in AICC before dialing again';

const message = (...parts) => ({ apiVersion: 'v1', voiceContent: { parts } });
const text = (words) => ({ type: 'text', text: words });
const voice = (id, mode = 'list') => ({ type: 'voice', voiceId: locator(id, mode) });
const playList = (...entries) => ({ apiVersion: 'v2', playList: { entries } });
const template = (templateParams, id = VOICES.reminder, mode = 'list') => ({
	type: 'template',
	templateId: locator(id, mode),
	templateParams,
});
const REMINDER = template(['Tom', '2026/11/05', '10:30']);
const serialOf = (entry) => /"callSerialNo":"?(\d+)/.exec(entry.response)[1];

describe('V2: a play list', () => {
	test('a TTS template and its variables: success, retCode, message, exact serial', async () => {
		const result = await ctx.run({ parameters: voiceNotification() });
		const [call] = ctx.calls(V2);
		expect(serialOf(call)).toHaveLength(19);
		expect(result.main).toEqual([
			{
				success: true,
				retCode: '0',
				message: 'Created successfully.',
				callSerialNo: serialOf(call),
			},
		]);
		expect(call.body).toEqual({
			called: '13800138000',
			playList: [{ templateId: VOICES.reminder, templateParams: ['Tom', '2026/11/05', '10:30'] }],
		});
		expect(call.headers).toMatchObject({
			authorization: 'Bearer ***',
			'x-app-key': '***',
			'content-type': 'application/json',
		});
		expect(call.auth).toEqual({ token: 'valid', appKey: 'match' });
		expect(ctx.sim.calls.get(serialOf(call))).toMatchObject({ kind: 'voiceNotification' });
		expectNoSecrets(result, ctx.sim);
	});

	test('each kind of entry, in order; a template without variables sends none', async () => {
		const result = await ctx.run({
			parameters: voiceNotification(
				playList(
					{ type: 'voice', voiceId: locator(VOICES.recording) },
					{ type: 'voiceFile', voiceFileName: ' welcome.wav ' },
					template([], VOICES.noVariables, 'id'),
					REMINDER,
				),
			),
		});
		expect(result.main[0].success).toBe(true);
		expect(ctx.calls(V2)[0].body.playList).toEqual([
			{ voiceId: VOICES.recording },
			{ voiceFileName: 'welcome.wav' },
			{ templateId: VOICES.noVariables },
			{ templateId: VOICES.reminder, templateParams: ['Tom', '2026/11/05', '10:30'] },
		]);
	});

	test('variables mapped from each item, one by one or as one list', async () => {
		const result = await ctx.run({
			parameters: voiceNotification({
				called: '={{ $json.phone }}',
				...playList(template(['={{ $json.name }}', '={{ $json.date }}', '={{ $json.time }}']), {
					...template('={{ [$json.name, $json.date, $json.time] }}'),
					templateId: locator('={{ $json.template ?? "" }}', 'id'),
				}),
			}),
			items: [
				{ phone: '13800138000', name: 'Tom', date: '2026/11/05', time: '10:30' },
				{ phone: '13800138001', name: '李雷', date: '2026/11/06', time: '09:00' },
			],
			onError: 'continueRegularOutput',
		});
		// The second entry's template is empty: both items fail before any request.
		expect(result.main.map(shown)).toEqual([
			'Play List entry 2: Template (templateId) in item 1 is empty. Pick one From List, or ' +
				'enter its ID (By ID), e.g. 1000000000000000001.',
			'Play List entry 2: Template (templateId) in item 2 is empty. Pick one From List, or ' +
				'enter its ID (By ID), e.g. 1000000000000000001.',
		]);
		expect(ctx.sim.log.entries).toHaveLength(0);

		const mapped = await ctx.run({
			parameters: voiceNotification({
				called: '={{ $json.phone }}',
				...playList(
					template(['={{ $json.name }}', '={{ $json.date }}', '={{ $json.time }}']),
					template('={{ [$json.name, $json.date, $json.time] }}', VOICES.reminder, 'id'),
				),
			}),
			items: [
				{ phone: '13800138000', name: 'Tom', date: '2026/11/05', time: '10:30' },
				{ phone: '13800138001', name: '李雷', date: '2026/11/06', time: '09:00' },
			],
		});
		expect(mapped.main.map((item) => item.success)).toEqual([true, true]);
		expect(ctx.calls(V2).map((entry) => entry.body.playList.map((e) => e.templateParams))).toEqual([
			[
				['Tom', '2026/11/05', '10:30'],
				['Tom', '2026/11/05', '10:30'],
			],
			[
				['李雷', '2026/11/06', '09:00'],
				['李雷', '2026/11/06', '09:00'],
			],
		]);
	});

	test('every additional field: the callback URL in Base64, priority as text', async () => {
		const result = await ctx.run({
			parameters: voiceNotification({
				called: '(010) 8888-9060',
				additionalFields: {
					callerPresent: '95 599',
					callBackUrl: 'https://crm.example.com/aicc/release?reminder&42',
					playTimes: 2,
					priority: 3,
				},
			}),
		});
		expect(result.main[0].success).toBe(true);
		const [call] = ctx.calls(V2);
		expect(call.body).toEqual({
			called: '01088889060',
			playList: [{ templateId: VOICES.reminder, templateParams: ['Tom', '2026/11/05', '10:30'] }],
			callerPresent: '95599',
			callBackUrl: Buffer.from('https://crm.example.com/aicc/release?reminder&42').toString(
				'base64',
			),
			playTimes: 2,
			priority: '3',
		});
		expect(ctx.sim.calls.get(serialOf(call)).callBackUrl).toBe(
			'https://crm.example.com/aicc/release?reminder&42',
		);
	});

	test('Include Raw Response adds the body as AICC sent it, the big number as text', async () => {
		const result = await ctx.run({
			parameters: voiceNotification({}, { includeRawResponse: true }),
		});
		const { callSerialNo, rawResponse } = result.main[0];
		expect(rawResponse).toEqual({
			retCode: '0',
			retMsg: 'Created successfully.',
			result: { callSerialNo },
		});
	});

	test('a serial number sent as a string stays exactly as sent', async () => {
		ctx.sim.config.serialAsNumber = false;
		const result = await ctx.run({ parameters: voiceNotification() });
		expect(result.main[0].callSerialNo).toBe(
			JSON.parse(ctx.calls(V2)[0].response).result.callSerialNo,
		);
	});
});

describe('V1: a message of recordings and texts', () => {
	test('voice IDs and $texts$ joined by ~, in order; the serial exact', async () => {
		const result = await ctx.run({
			parameters: voiceNotification({
				...message(
					voice(VOICES.recording),
					text(' Hello Tom, '),
					voice('1000000000000000002', 'id'),
					text('see you tomorrow at 10:30.'),
				),
				additionalFields: { priority: 1 },
			}),
		});
		const [call] = ctx.calls(V1);
		expect(call.body).toEqual({
			called: '13800138000',
			voiceContent:
				'1000000000000000001~$Hello Tom,$~1000000000000000002~$see you tomorrow at 10:30.$',
			priority: '1',
		});
		expect(result.main).toEqual([
			{
				success: true,
				retCode: '0',
				message: 'Created successfully.',
				callSerialNo: serialOf(call),
			},
		]);
		expect(ctx.calls(V2)).toHaveLength(0);
	});

	test('texts mapped from the item', async () => {
		await ctx.run({
			parameters: voiceNotification(
				message(text('={{ "Hello " + $json.name + ", your parcel arrives today." }}')),
			),
			items: [{ name: 'Tom' }],
		});
		expect(ctx.calls(V1)[0].body.voiceContent).toBe('$Hello Tom, your parcel arrives today.$');
	});

	test('Play Times that reaches V1 anyway is refused, not dropped', async () => {
		// n8n drops a hidden field's value before the node runs; it reaches the node when the API
		// version comes from an expression.
		const result = await ctx.run({
			parameters: voiceNotification({
				...message(text('Hello')),
				...playList(REMINDER),
				apiVersion: '={{ $json.version }}',
				additionalFields: { playTimes: 2 },
			}),
			items: [{ version: 'v1' }, { version: 'v2' }],
			onError: 'continueRegularOutput',
		});
		expect(result.main[1]).toMatchObject({ success: true });
		expect(shown(result.main[0])).toBe(
			'Play Times (playTimes) in item 1 is set, but V1 does not take it. Remove Play Times ' +
				'from Additional Fields, or choose API Version V2.',
		);
		expect(ctx.calls(V1)).toHaveLength(0);
		expect(ctx.calls(V2).map((entry) => entry.body.playTimes)).toEqual([2]);
	});
});

describe('invalid fields fail their item and send nothing', () => {
	const cjk33 = '预约提醒预约提醒预约提';
	test.each([
		[
			'an empty Called after its expression',
			{ called: '={{ $json.phone }}' },
			'Called in item 1 is empty. Enter a phone number, e.g. 13800138000, or map ' +
				'one from an earlier node.',
		],
		[
			'a text part with ~',
			message(text('Press 1 ~ or 2')),
			'Message part 1: Text in item 1 contains "~", which would break the message ' +
				'(AICC joins its parts with ~ and marks texts with $). Remove ~ and $ from the text, ' +
				'e.g. write "20 dollars" instead of "$20".',
		],
		[
			'a text part with $ and ~',
			message(voice(VOICES.recording), text('Pay $20 ~ now')),
			'Message part 2: Text in item 1 contains "$" and "~", which would break the ' +
				'message (AICC joins its parts with ~ and marks texts with $). Remove ~ and $ from the ' +
				'text, e.g. write "20 dollars" instead of "$20".',
		],
		[
			'an empty text part',
			message(voice(VOICES.recording), text('  ')),
			'Message part 2: Text in item 1 is empty. Enter the words to read out, or remove ' +
				'the part.',
		],
		[
			'a voice part whose voice ID is mapped from an empty field',
			message(voice('={{ $json.voice ?? "" }}', 'id')),
			'Message part 1: Voice (voiceId) in item 1 is empty. Pick one From List, or enter its ' +
				'ID (By ID), e.g. 1000000000000000001.',
		],
		[
			'a voice ID with a space',
			message(voice('1000 0001', 'id')),
			'Message part 1: Voice (voiceId) in item 1 is "1000 0001", which is not a voice ID. ' +
				'Pick one From List, or enter the ID AICC shows for it.',
		],
		[
			'a new V1 node: its one text part, left empty',
			{ apiVersion: 'v1', voiceContent: undefined },
			'Message part 1: Text in item 1 is empty. Enter the words to read out, or remove ' +
				'the part.',
		],
		[
			'a message without parts',
			{ apiVersion: 'v1', voiceContent: {} },
			'Message (voiceContent) in item 1 has no parts. Add a part: a voice from the list, or a ' +
				'text to read out.',
		],
		[
			'a message of 1005 characters',
			message(text('x'.repeat(990)), text('y'.repeat(10))),
			'Message (voiceContent) in item 1 has 1005 characters once its parts are joined; AICC ' +
				'takes at most 1000. Shorten the texts, or play a recording or a template instead.',
		],
		[
			'an empty play list',
			{ apiVersion: 'v2', playList: {} },
			'Play List (playList) in item 1 has 0 entries; AICC takes 1 to 5. Add an entry: a ' +
				'template, a recording or a voice file.',
		],
		[
			'six entries',
			playList(...Array.from({ length: 6 }, () => REMINDER)),
			'Play List (playList) in item 1 has 6 entries; AICC takes 1 to 5. Play at most 5 ' +
				'entries; combine recordings into one if needed.',
		],
		[
			'11 variables',
			playList(template(Array.from({ length: 11 }, (_, index) => `v${index}`))),
			'Play List entry 1: Variables (templateParams) in item 1 has 11 values; AICC takes at ' +
				"most 10. Give one value for each variable of the template's text, in order.",
		],
		[
			'a variable of 33 bytes',
			playList(REMINDER, template([cjk33, '2026/11/05', '10:30'])),
			'Play List entry 2: Variables (templateParams) in item 1 has a value of 33 bytes at ' +
				'position 1; AICC takes at most 32 bytes in UTF-8. Shorten it (a Chinese character ' +
				'takes 3 bytes), e.g. a date as 2026/11/05.',
		],
		[
			'a variable with braces',
			playList(template(['Tom', '{VIP}', '10:30'])),
			'Play List entry 1: Variables (templateParams) in item 1 has "{VIP}" at position 2, ' +
				'which holds $, { or }. Remove $, { and } from the value.',
		],
		[
			'an empty variable (a CRM field missing)',
			playList(template(['Tom', '={{ $json.missing }}', '10:30'])),
			'Play List entry 1: Variables (templateParams) in item 1 has an empty value at position ' +
				'2. Map a value for each variable of the template (the field it comes from may be ' +
				'missing in this item).',
		],
		[
			'an empty voice file name',
			playList(REMINDER, { type: 'voiceFile', voiceFileName: ' ' }),
			'Play List entry 2: Voice File Name (voiceFileName) in item 1 is empty. Enter the name ' +
				'of an IVR voice file of the tenant, e.g. welcome.wav.',
		],
		[
			'Priority 0',
			{ additionalFields: { priority: 0 } },
			'Priority in item 1 is 0; it must be a number from 1 to 9. Set Priority to a ' +
				'number from 1 to 9, e.g. 9.',
		],
		[
			'Priority 2.5',
			{ additionalFields: { priority: 2.5 } },
			'Priority in item 1 is 2.5; it must be a whole number. Set Priority to a ' +
				'whole number, e.g. 9.',
		],
		[
			'Play Times 6',
			{ additionalFields: { playTimes: 6 } },
			'Play Times (playTimes) in item 1 is 6; it must be a number from 1 to 5. Set Play Times ' +
				'to a number from 1 to 5, e.g. 1.',
		],
		[
			'a Callback URL with characters AICC refuses',
			{ additionalFields: { callBackUrl: 'https://crm.example.com/hook?id=4 2' } },
			'Callback URL (callBackUrl) in item 1 contains "=", " ", which AICC does not allow. ' +
				'Use only letters, digits and - : . / _ # ? & (no spaces, %, = or +), e.g. ' +
				'https://crm.example.com/aicc/release.',
		],
		[
			'a Callback URL too long once Base64-encoded',
			{ additionalFields: { callBackUrl: `https://crm.example.com/${'a'.repeat(180)}` } },
			'Callback URL (callBackUrl) in item 1 has 204 characters, 272 once Base64-encoded; AICC ' +
				'takes at most 256. Use a URL of at most 192 characters.',
		],
		[
			'letters in Caller Present',
			{ additionalFields: { callerPresent: 'ACME' } },
			'Caller Present (callerPresent) in item 1 is "ACME"; it must be digits only, at most ' +
				"32. Use the tenant's access code (e.g. 95599), or an 11 to 14 digit number where " +
				'O&M enabled calling number anonymization.',
		],
	])('%s', async (_label, fields, expected) => {
		const result = await ctx.run({
			parameters: voiceNotification(fields),
			items: [{ phone: '' }],
			onError: 'continueRegularOutput',
		});
		expectInvalidUnsent(ctx, result, expected);
	});

	test('a new V2 node holds one template entry; n8n asks for its template first', async () => {
		await expect(
			ctx.run({ parameters: voiceNotification({ apiVersion: 'v2', playList: undefined }) }),
		).rejects.toThrow(/Parameter "Template" is required/);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});

	test('1000 characters in all are accepted', async () => {
		const result = await ctx.run({
			parameters: voiceNotification(message(text('x'.repeat(989)), text('y'.repeat(6)))),
		});
		expect(result.main[0].success).toBe(true);
		expect([...ctx.calls(V1)[0].body.voiceContent]).toHaveLength(1000);
	});

	test('without Continue On Fail one invalid item, wherever it is, means no request', async () => {
		const result = await ctx.run({
			parameters: voiceNotification({
				called: '={{ $json.phone }}',
				...playList(template(['={{ $json.name }}', '2026/11/05', '10:30'])),
			}),
			items: [
				{ phone: '13800138000', name: 'Tom' },
				{ phone: '13800138001', name: 'A {tag}' },
				{ phone: '13800138002', name: '' },
			],
		});
		expect(result.error.message).toBe('2 items are invalid, so no call was placed');
		expect(result.error.description.split('\n').slice(1)).toEqual([
			'Play List entry 1: Variables (templateParams) in item 2 has "A {tag}" at position 1, ' +
				'which holds $, { or }. Remove $, { and } from the value.',
			'Play List entry 1: Variables (templateParams) in item 3 has an empty value at position ' +
				'1. Map a value for each variable of the template (the field it comes from may be ' +
				'missing in this item).',
		]);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});
});

describe('a template picked From List: one value per variable, checked before any request', () => {
	/** The Template field as n8n saves it once a template is picked From List. */
	const picked = (id, listName, mode = 'list') => ({
		...locator(id, mode),
		cachedResultName: listName,
	});
	const REMINDER_NAME = 'Appointment reminder (3: TXT_1, DATE, TIME)';
	const withVariables = (templateParams, templateId = picked(VOICES.reminder, REMINDER_NAME)) =>
		playList({ type: 'template', templateId, templateParams });
	const run = (fields) =>
		ctx.run({ parameters: voiceNotification(fields), onError: 'continueRegularOutput' });
	const PICK_AGAIN = 'If the template has changed in AICC, pick it From List again.';

	test('the name the list gave is the one read back: 0 of its 3 variables fail', async () => {
		const { results } = await ctx.listSearch({ method: 'searchTemplates' });
		const reminder = results.find((item) => item.value === VOICES.reminder);
		expect(reminder.name).toBe(REMINDER_NAME);
		ctx.sim.log.clear();

		const result = await run(withVariables([], picked(reminder.value, reminder.name)));
		expectInvalidUnsent(
			ctx,
			result,
			'Play List entry 1: Variables (templateParams) in item 1 has 0 values; its template ' +
				'"Appointment reminder" takes 3: TXT_1, DATE, TIME. Add Variable 3 times and give one ' +
				`value per variable, in that order. ${PICK_AGAIN}`,
		);
	});

	test.each([
		[
			'2 of 3 values',
			withVariables(['Tom', '2026/11/05']),
			'Play List entry 1: Variables (templateParams) in item 1 has 2 values; its template ' +
				'"Appointment reminder" takes 3: TXT_1, DATE, TIME. Add Variable once more and give ' +
				`one value per variable, in that order. ${PICK_AGAIN}`,
		],
		[
			'1 of 3 values, in the second entry',
			playList(REMINDER, {
				type: 'template',
				templateId: picked(VOICES.reminder, REMINDER_NAME),
				templateParams: ['Tom'],
			}),
			'Play List entry 2: Variables (templateParams) in item 1 has 1 value; its template ' +
				'"Appointment reminder" takes 3: TXT_1, DATE, TIME. Add Variable 2 more times and give ' +
				`one value per variable, in that order. ${PICK_AGAIN}`,
		],
		[
			'4 values for 3 variables',
			withVariables(['Tom', '2026/11/05', '10:30', 'extra']),
			'Play List entry 1: Variables (templateParams) in item 1 has 4 values; its template ' +
				'"Appointment reminder" takes 3: TXT_1, DATE, TIME. Remove 1 value, to give one value ' +
				`per variable, in that order. ${PICK_AGAIN}`,
		],
		[
			'none for a template of 1 variable',
			withVariables([], picked('2000000000000000003', 'Verification code (1: NUM_1)')),
			'Play List entry 1: Variables (templateParams) in item 1 has 0 values; its template ' +
				'"Verification code" takes 1: NUM_1. Add Variable once and give one value per ' +
				`variable, in that order. ${PICK_AGAIN}`,
		],
		[
			'a list of 2 from an expression for a template of 1 variable',
			withVariables(
				'={{ ["483920", "Tom"] }}',
				picked('2000000000000000003', 'Verification code (1: NUM_1)'),
			),
			'Play List entry 1: Variables (templateParams) in item 1 has 2 values; its template ' +
				'"Verification code" takes 1: NUM_1. Remove 1 value, to give one value per variable, ' +
				`in that order. ${PICK_AGAIN}`,
		],
	])('%s: the item fails, nothing is sent', async (_label, fields, expected) => {
		expectInvalidUnsent(ctx, await run(fields), expected);
	});

	// A newcomer had to find the forms in an example's expressions.
	test.each([
		[
			'a date in words',
			['Tom', '5 Nov', '10:30'],
			'Play List entry 1: Variables (templateParams) in item 1 has "5 Nov" at position 2, for ' +
				'DATE; AICC reads a date as YYYY/MM/DD. Write it as e.g. 2026/11/05; from a date ' +
				'field, in its own time zone: ' +
				"{{ DateTime.fromISO($json.date, { setZone: true }).toFormat('yyyy/MM/dd') }}.",
		],
		[
			'an ISO date',
			['Tom', '2026-11-05', '10:30'],
			'Play List entry 1: Variables (templateParams) in item 1 has "2026-11-05" at position 2, ' +
				'for DATE; AICC reads a date as YYYY/MM/DD. Write it as e.g. 2026/11/05; from a date ' +
				'field, in its own time zone: ' +
				"{{ DateTime.fromISO($json.date, { setZone: true }).toFormat('yyyy/MM/dd') }}.",
		],
		[
			'a time with AM/PM',
			['Tom', '2026/11/05', '10:30 AM'],
			'Play List entry 1: Variables (templateParams) in item 1 has "10:30 AM" at position 3, ' +
				'for TIME; AICC reads a time as HH:MM or HH:MM:SS (24-hour). Write it as e.g. 10:30 ' +
				'or 14:05:00; from a date field, in its own time zone: ' +
				"{{ DateTime.fromISO($json.date, { setZone: true }).toFormat('HH:mm') }}.",
		],
	])(
		'%s for a DATE or TIME variable: the item fails, nothing is sent',
		async (_l, vars, expected) => {
			expectInvalidUnsent(ctx, await run(withVariables(vars)), expected);
		},
	);

	// A newcomer used the fix as given on a CRM's "2026-12-10T09:30:00+08:00": the customer would
	// have heard 01:30, the time on the n8n server.
	test("the fix's expressions keep the date's own time zone, whatever the workflow's", async () => {
		const fixOf = async (vars) => {
			const result = await run(withVariables(vars));
			return /(\{\{ .* \}\})\.$/.exec(shown(result.main[0]))[1];
		};
		const date = await fixOf(['Tom', '2026-12-10', '07:30']);
		const time = await fixOf(['Tom', '2026/12/10', '7:30 AM']);
		const result = await ctx.run({
			parameters: voiceNotification(withVariables(['Tom', `=${date}`, `=${time}`])),
			items: [{ date: '2026-12-10T07:30:00+08:00' }],
			settings: { timezone: 'America/New_York' },
		});
		expect(result.main[0].success).toBe(true);
		expect(ctx.calls(V2).map((entry) => entry.body.playList[0].templateParams)).toEqual([
			['Tom', '2026/12/10', '07:30'],
		]);
	});

	test('dates and times in the forms AICC reads pass, seconds too', async () => {
		const result = await run(withVariables(['Tom', '2026/02/28', '23:59:59']));
		expect(result.main[0].success).toBe(true);
	});

	test('the count comes first: a missing variable is named before an empty value', async () => {
		const result = await run(withVariables(['Tom', '={{ $json.missing }}']));
		expect(shown(result.main[0])).toMatch(
			/^Play List entry 1: Variables \(templateParams\) in item 1 has 2 values;/,
		);
	});

	test('one value per variable is sent, mapped or typed', async () => {
		const result = await ctx.run({
			parameters: voiceNotification({
				...playList(
					{
						type: 'template',
						templateId: picked(VOICES.reminder, REMINDER_NAME),
						templateParams: ['={{ $json.name }}', '2026/11/05', '10:30'],
					},
					{
						type: 'template',
						templateId: picked('2000000000000000003', 'Verification code (1: NUM_1)'),
						templateParams: '={{ $json.code }}',
					},
					{
						type: 'template',
						templateId: picked(VOICES.noVariables, 'Office closed today'),
						templateParams: [],
					},
				),
			}),
			items: [{ name: 'Tom', code: '483920' }],
		});
		expect(result.main[0].success).toBe(true);
		expect(ctx.calls(V2)[0].body.playList).toEqual([
			{ templateId: VOICES.reminder, templateParams: ['Tom', '2026/11/05', '10:30'] },
			{ templateId: '2000000000000000003', templateParams: ['483920'] },
			{ templateId: VOICES.noVariables },
		]);
	});

	test.each([
		['By ID', picked(VOICES.reminder, REMINDER_NAME, 'id')],
		[
			'a name saved before the list gave the count',
			picked(VOICES.reminder, 'Appointment reminder (TXT_1, DATE, TIME)'),
		],
		['no name kept', locator(VOICES.reminder)],
	])('%s: not counted, sent; AICC answers 15', async (_label, templateId) => {
		const result = await run(withVariables([], templateId));
		expect(result.main[0]).toMatchObject({ success: false, outcome: 'notPlaced', retCode: '15' });
		expect(ctx.calls(V2)).toHaveLength(1);
		expect(ctx.calls(V2)[0].body.playList).toEqual([{ templateId: VOICES.reminder }]);
	});

	test('each item is counted on its own; the fix is named once per item', async () => {
		const result = await ctx.run({
			parameters: voiceNotification({
				called: '={{ $json.phone }}',
				...withVariables('={{ $json.values }}'),
			}),
			items: [
				{ phone: '13800138000', values: ['Tom', '2026/11/05', '10:30'] },
				{ phone: '13800138001', values: ['Ann'] },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.main[0].success).toBe(true);
		expect(result.main[1].message).toBe(
			'Play List entry 1: Variables (templateParams) in item 2 has 1 value; its template ' +
				'"Appointment reminder" takes 3: TXT_1, DATE, TIME',
		);
		expect(ctx.calls(V2)).toHaveLength(1);
	});
});

describe('every documented return code is explained', () => {
	const cases = [
		...documentedCodes('voiceNotificationV1').map((code) => [
			'V1',
			code,
			'voiceNotificationV1',
			V1,
		]),
		...documentedCodes('voiceNotificationV2').map((code) => [
			'V2',
			code,
			'voiceNotificationV2',
			V2,
		]),
	];

	test.each(cases)('%s code %s', async (_version, code, api, endpoint) => {
		ctx.sim.inject({ endpoint, kind: 'code', code });
		const result = await ctx.run({
			parameters: voiceNotification(endpoint === V1 ? message(text('Hello')) : {}),
			onError: 'continueRegularOutput',
		});
		const info = explainReturnCode(api, code);
		expect(result.main).toEqual([
			{
				success: false,
				outcome: info.uncertain ? 'unknown' : 'notPlaced',
				retCode: code,
				message: `AICC return code ${code}: ${info.meaning}`,
				error: expect.stringContaining(info.fix),
			},
		]);
		expect(result.main[0].error).toContain('AICC said: "');
		// Outcome and advice agree: only an open outcome advises checking before dialing again.
		expect(result.main[0].error.includes(CHECK_AGAIN)).toBe(info.uncertain === true);
		expect(ctx.calls(endpoint)).toHaveLength(1);
	});

	test.each([
		['voiceNotificationV1', '1'],
		['voiceNotificationV1', '3'],
		['voiceNotificationV2', '1'],
		['voiceNotificationV2', '3'],
		['voiceNotificationV2', '24'],
	])('%s %s leaves open whether the message is playing', (api, code) => {
		expect(explainReturnCode(api, code).uncertain).toBe(true);
	});

	test('V2 codes above 24 are undocumented: the generic answer, outcome unknown', async () => {
		ctx.sim.inject({ endpoint: V2, kind: 'code', code: '25', message: 'Recording data busy' });
		const result = await ctx.run({
			parameters: voiceNotification(),
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({
			success: false,
			outcome: 'unknown',
			retCode: '25',
			message: "AICC return code 25: a code that AICC's documentation does not list",
		});
		expect(result.main[0].error).toMatch(
			new RegExp(
				'Ask the AICC operations team what code 25 means\\. Check the call records in AICC ' +
					'before dialing again\\. AICC said: "Recording data busy"',
			),
		);
	});

	test.each([
		['an unknown voice ID', '8', message(voice('1000000000000000999', 'id')), V1],
		['an unknown template', '17', playList(template(['a'], '2000000000000000999', 'id')), V2],
		['a voice of the IVR scene', '18', playList(voice('9000000000000000018', 'id')), V2],
		['a voice never submitted', '19', playList(voice('9000000000000000019', 'id')), V2],
		['a template in review', '20', playList(template(['a'], '9000000000000000020', 'id')), V2],
		['a rejected voice', '21', playList(voice('9000000000000000021', 'id')), V2],
		['a recording as template', '22', playList(template(['a'], VOICES.recording, 'id')), V2],
		['a template as voice', '23', playList(voice(VOICES.reminder, 'id')), V2],
		['a template missing its variables', '15', playList(template([])), V2],
	])('the simulator refuses %s with code %s', async (_label, code, fields, endpoint) => {
		const result = await ctx.run({
			parameters: voiceNotification(fields),
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({ success: false, outcome: 'notPlaced', retCode: code });
		expect(ctx.calls(endpoint)).toHaveLength(1);
	});

	test('a trial tenant, a host off the callback trust-list: codes 16 and 9', async () => {
		ctx.sim.config.trial = { trustList: ['13800138000', '13800138001'] };
		ctx.sim.config.callbackTrustList = ['crm.example.com'];
		// The third item calls the first one's number again: Duplicate Window 0 lets it be sent.
		const result = await ctx.run({
			parameters: voiceNotification(
				{
					called: '={{ $json.phone }}',
					additionalFields: { callBackUrl: '={{ $json.url }}' },
				},
				{ duplicateWindow: 0 },
			),
			items: [
				{ phone: '13800138000', url: 'https://crm.example.com/hook' },
				{ phone: '13900139000', url: 'https://crm.example.com/hook' },
				{ phone: '13800138001', url: 'https://elsewhere.example.com/hook' },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.main.map((item) => item.retCode)).toEqual(['0', '16', '9']);
	});

	test.each([
		[403, 'notPlaced', "AICC's gateway forbade the voice notification request (HTTP 403)"],
		[500, 'unknown', 'AICC failed while handling the voice notification request (HTTP 500)'],
	])('HTTP %s, as the pages document it', async (status, outcome, expected) => {
		ctx.sim.inject({ endpoint: V2, kind: 'status', status, body: 'Business failure' });
		const result = await ctx.run({
			parameters: voiceNotification(),
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({ success: false, outcome, message: expected });
		expect(/check the call records in AICC before dialing again/i.test(result.main[0].error)).toBe(
			outcome === 'unknown',
		);
		expect(ctx.calls(V2)).toHaveLength(1);
	});
});

describe('Retry On Fail never dials a number twice', () => {
	const NUMBERS = ['13800138000', '13800138001', '13800138002', '13800138003'];
	const TRIES = 3;
	const FAULTS = {
		invalid: { name: '{bad}', placed: false },
		refused: { fault: { kind: 'code', code: '16', times: -1 }, placed: false, sentAgain: true },
		serverError: { fault: { kind: 'status', status: 500, times: -1 }, placed: 'unknown' },
		timeout: { fault: { kind: 'hang', times: -1 }, placed: 'unknown' },
		uncertainCode: { fault: { kind: 'code', code: '1', times: -1 }, placed: 'unknown' },
	};
	const MODES = {
		regular: 'continueRegularOutput',
		errorOutput: 'continueErrorOutput',
		stop: undefined,
	};
	const requestsPerNumber = () => {
		const counts = Object.fromEntries(NUMBERS.map((number) => [number, 0]));
		for (const entry of ctx.calls(V2)) counts[entry.body.called] += 1;
		return counts;
	};
	const placedNumbers = () =>
		ctx
			.calls(V2)
			.filter((entry) => /"callSerialNo"/.test(entry.response ?? ''))
			.map((entry) => entry.body.called);

	const cases = Object.keys(MODES).flatMap((mode) =>
		Object.keys(FAULTS).flatMap((fault) => [
			[mode, fault, 0, 1],
			[mode, fault, 1, 4],
		]),
	);

	test.each(cases)('%s, %s at item %i, concurrency %i', async (mode, fault, at, concurrency) => {
		const spec = FAULTS[fault];
		const onError = MODES[mode];
		const items = NUMBERS.map((phone) => ({ phone, name: 'Tom' }));
		if (spec.name) items[at].name = spec.name;
		if (spec.fault) ctx.sim.inject({ endpoint: V2, ...spec.fault, match: { called: NUMBERS[at] } });
		const result = await ctx.run({
			parameters: voiceNotification(
				{
					called: '={{ $json.phone }}',
					...playList(template(['={{ $json.name }}', '2026/11/05', '10:30'])),
				},
				{ timeout: 1, concurrency },
			),
			items,
			onError,
			retryOnFail: TRIES,
		});
		const counts = requestsPerNumber();
		const placed = placedNumbers();
		expect(new Set(placed).size).toBe(placed.length);
		for (const [number, count] of Object.entries(counts)) {
			if (number !== NUMBERS[at] || spec.placed === 'unknown') expect(count).toBeLessThanOrEqual(1);
		}
		const retried = onError === undefined || at === 0;
		const faulted = spec.name ? 0 : counts[NUMBERS[at]];
		expect(faulted).toBe(spec.name ? 0 : spec.sentAgain && retried ? TRIES : 1);
		if (onError === undefined) {
			expect(result.main).toEqual([]);
			const named = (result.error.context.placedCalls ?? []).map(
				(entry) => NUMBERS[entry.item - 1],
			);
			expect(named.filter((number) => number !== NUMBERS[at]).sort()).toEqual([...placed].sort());
			if (spec.name) expect(ctx.calls(V2)).toHaveLength(0);
		} else {
			expect([...result.main, ...result.errors]).toHaveLength(NUMBERS.length);
			expect(placed.sort()).toEqual(NUMBERS.filter((_, index) => index !== at).sort());
			const failed = onError === 'continueErrorOutput' ? result.errors[0].error : result.main[at];
			expect(failed.outcome).toBe(spec.placed === 'unknown' ? 'unknown' : 'notPlaced');
		}
		expectNoSecrets(result, ctx.sim);
	});

	test('a retry returns the serial numbers of the first try, not new ones (V1)', async () => {
		ctx.sim.inject({
			endpoint: V1,
			kind: 'status',
			status: 500,
			times: -1,
			match: { called: NUMBERS[0] },
		});
		const result = await ctx.run({
			parameters: voiceNotification({ called: '={{ $json.phone }}', ...message(text('Hello')) }),
			items: NUMBERS.map((phone) => ({ phone })),
			onError: 'continueRegularOutput',
			retryOnFail: 3,
		});
		const calls = ctx.calls(V1);
		expect(calls).toHaveLength(4);
		for (const item of result.main.slice(1)) {
			const answered = (entry) => JSON.stringify(entry.response).includes(item.callSerialNo);
			expect(calls.filter(answered)).toHaveLength(1);
		}
	});

	test('the duplicate guard keeps the same notification from being placed twice', async () => {
		const parameters = voiceNotification({ called: '={{ $json.phone }}' });
		const first = await ctx.run({ parameters, items: [{ phone: NUMBERS[0] }], mode: 'webhook' });
		const again = await ctx.run({ parameters, items: [{ phone: NUMBERS[0] }], mode: 'webhook' });
		expect(ctx.calls(V2)).toHaveLength(1);
		expect(again.main[0]).toMatchObject({
			success: true,
			callSerialNo: first.main[0].callSerialNo,
			skipped: true,
			skipReason: 'duplicate',
			repeats: { callSerialNo: first.main[0].callSerialNo, outcome: 'placed' },
		});
		expect(again.main[0].message).toContain(
			', with the same called number, Caller Present, message and Play Times. That was less ' +
				'than a minute ago. The Duplicate Window of 10 minutes holds the same call back',
		);
		// Another message to the same number is another notification.
		const other = voiceNotification({ called: '={{ $json.phone }}', ...message(text('Hi')) });
		await ctx.run({ parameters: other, items: [{ phone: NUMBERS[0] }] });
		expect(ctx.calls(V1)).toHaveLength(1);
	});

	test('the Retry button of a failed execution plays no notification twice', async () => {
		ctx.sim.inject({ endpoint: V2, kind: 'code', code: '16', match: { called: NUMBERS[2] } });
		const items = NUMBERS.map((phone) => ({ phone }));
		const parameters = voiceNotification({ called: '={{ $json.phone }}' });
		const failed = await ctx.run({ parameters, items });
		expect(failed.error.message).toMatch(/^AICC return code 16/);
		const retry = await ctx.run({ parameters, items, retryOf: failed });
		expect(retry.error).toBeUndefined();
		const placed = ctx
			.calls(V2)
			.filter((entry) => /"callSerialNo"/.test(entry.response ?? ''))
			.map((entry) => entry.body.called);
		expect([...placed].sort()).toEqual([...NUMBERS].sort());
		expect(retry.main.slice(0, 2).every((item) => item.skipReason === 'placedBefore')).toBe(true);
	});
});

describe('Concurrency, Max Calls Per Second, Allowed Called Numbers', () => {
	const contacts = (count, prefix = '1380013') =>
		Array.from({ length: count }, (_, index) => ({
			phone: `${prefix}${String(index).padStart(4, '0')}`,
		}));
	const perContact = (options) => voiceNotification({ called: '={{ $json.phone }}' }, options);

	test('requests run concurrently; output items keep input order and pairing', async () => {
		ctx.sim.config.latencyMs = 30;
		const items = contacts(24);
		const result = await ctx.run({ parameters: perContact({ concurrency: 8 }), items });
		expect(ctx.sim.maxInFlight).toBe(8);
		expect(result.items[0].map((item) => item.pairedItem.item)).toEqual(
			items.map((_, index) => index),
		);
		const sentTo = new Map(ctx.calls(V2).map((entry) => [entry.body.called, serialOf(entry)]));
		result.main.forEach((item, index) =>
			expect(item.callSerialNo).toBe(sentTo.get(items[index].phone)),
		);
	});

	test('Max Calls Per Second spaces the requests', async () => {
		await ctx.run({
			parameters: perContact({ concurrency: 4, callsPerSecond: 10 }),
			items: contacts(6),
		});
		const times = ctx.calls(V2).map((entry) => Date.parse(entry.at));
		expect(times).toHaveLength(6);
		expect(times[5] - times[0]).toBeGreaterThanOrEqual(480);
	});

	test('12 executions fired at once at 5 a second: at most 5 starts in any second', async () => {
		const tenant = await startSimulatorProcess({
			appKey: ctx.sim.config.appKey,
			appSecret: ctx.sim.config.appSecret,
		});
		try {
			ctx.harness.credentials.add('apart', {
				baseUrl: tenant.url,
				appKey: ctx.sim.config.appKey,
				appSecret: ctx.sim.config.appSecret,
				expiresIn: 600,
			});
			const parameters = perContact({ callsPerSecond: 5 });
			const results = await Promise.all(
				contacts(12, '1390013').map((item) =>
					ctx.run({ parameters, items: [item], credentialId: 'apart' }),
				),
			);
			expect(results.every((result) => result.main[0]?.success)).toBe(true);
			const { entries } = await tenant.admin('log');
			expect(entries.filter((entry) => entry.endpoint === V2)).toHaveLength(12);
			expect((await tenant.admin('stats')).busiestSecond[V2]).toBeLessThanOrEqual(5);
		} finally {
			await tenant.stop();
		}
	});

	test('Allowed Called Numbers: a refused number fails alone, unsent', async () => {
		const result = await ctx.run({
			parameters: perContact({ allowedCalledNumbers: '+86138, 0755' }),
			items: [
				{ phone: '+86 138 0013 8000' },
				{ phone: '13900139000' },
				{ phone: '0755-8888-1234' },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.main.map((item) => item.success)).toEqual([true, false, true]);
		expect(result.main[1]).toEqual({
			success: false,
			outcome: 'notPlaced',
			retCode: null,
			message:
				'Called in item 2 is 13900139000, which matches none of the Allowed Called ' +
				'Numbers (+86138, 0755)',
			error:
				"Check the number. If it should be callable, add its prefix to the node's Allowed " +
				'Called Numbers option.',
		});
		expect(ctx.calls(V2).map((entry) => entry.body.called)).toEqual([
			'+8613800138000',
			'075588881234',
		]);
	});

	test('Allowed Called Numbers without Continue On Fail: no request at all', async () => {
		const result = await ctx.run({
			parameters: perContact({ allowedCalledNumbers: '0755' }),
			items: [{ phone: '075588881234' }, { phone: '13800138000' }],
		});
		expect(result.error.message).toMatch(/^Called in item 2 is 13800138000, which/);
		expect(ctx.sim.log.entries).toHaveLength(0);
	});
});

describe('secrets never leave the node', () => {
	test('an answer quoting the token is scrubbed', async () => {
		ctx.sim.inject({ endpoint: V2, kind: 'echoToken', status: 400, prefix: 'bad token: ' });
		const result = await ctx.run({
			parameters: voiceNotification(),
			onError: 'continueRegularOutput',
		});
		expect(result.main[0].error).toContain('AICC said: bad token: [redacted]');
		expectNoSecrets(result, ctx.sim);
	});

	test('a return code quoting the App Secret is scrubbed, also in the run error', async () => {
		ctx.sim.inject({
			endpoint: V1,
			kind: 'code',
			code: '8',
			message: `recording missing for ${ctx.sim.config.appSecret}`,
		});
		const result = await ctx.run({ parameters: voiceNotification(message(text('Hi'))) });
		expect(result.error.description).toContain('[redacted]');
		expectNoSecrets(result, ctx.sim);
	});
});

describe('as an AI tool', () => {
	test("n8n describes each operation to the model with the operation's action", async () => {
		const loader = await loadPackage();
		const nodeType = loader.nodeTypes.aiccCall.type;
		const describe = (operation) =>
			NodeHelpers.getToolDescriptionForNode(
				{ parameters: { resource: 'voiceNotification', operation } },
				nodeType,
			);
		expect(describe('create')).toBe('Create voice notification in AICC Call');
		expect(describe('getVoices')).toBe('Get voices in AICC Call');
		expect(nodeType.description.usableAsTool).toBe(true);
	});
});
