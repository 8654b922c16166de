'use strict';

const { setupEach, getVoices, VOICES, expectNoSecrets } = require('./setup');
const { SEEDED } = require('../simulator/voices');

/**
 * Get Voices and the Voice and Template fields' lists (issue 21, part 2): the tenant's approved
 * recordings and TTS templates from queryVoiceNotificationRecording, paged 100 at a time, with
 * voiceInfo as an array or an object, through n8n's WorkflowExecute and, for the lists, n8n-core's
 * LoadOptionsContext as the editor calls a listSearch method.
 */
const ctx = setupEach();

const LIST = 'queryVoiceNotificationRecording';
const CONSOLE_PATH =
	'Configuration Center > Resource Management > Audio and Video Resource Management';
const approved = (type) =>
	SEEDED.filter(
		(voice) =>
			voice.type === type && voice.status === 'approved' && voice.scene === 'voiceNotification',
	);
/** `count` approved recordings named "Recording 0001" …, for paging. */
const manyRecordings = (count) =>
	Array.from({ length: count }, (_, index) => ({
		...SEEDED[0],
		voice_id: String(3000000000000000000n + BigInt(index)),
		name: `Recording ${String(index + 1).padStart(4, '0')}`,
	}));
const sent = () => ctx.calls(LIST).map((entry) => entry.body);

describe('Get Voices', () => {
	test('Return All: every approved recording, then every approved template, readable', async () => {
		const result = await ctx.run({ parameters: getVoices({ returnAll: true }) });
		expect(result.main.map((voice) => voice.voiceId)).toEqual(
			[...approved(0), ...approved(2)].map((voice) => voice.voice_id),
		);
		expect(result.main[0]).toEqual({
			voiceId: VOICES.recording,
			name: 'Welcome greeting',
			type: 'audio',
			text: null,
			variables: [],
			uploadDate: String(SEEDED[0].uploaddate),
			uploadedAt: new Date(SEEDED[0].uploaddate).toISOString(),
			tenantSpaceName: 'simulated-tenant',
		});
		expect(result.main.find((voice) => voice.voiceId === VOICES.reminder)).toMatchObject({
			name: 'Appointment reminder',
			type: 'text',
			text: 'Hello ${TXT_1}, this is a reminder of your appointment on ${DATE} at ${TIME}.',
			variables: ['TXT_1', 'DATE', 'TIME'],
		});
		expect(sent()).toEqual([
			{ offset: 0, limit: 100, type: 0 },
			{ offset: 0, limit: 100, type: 2 },
		]);
		expect(ctx.calls(LIST)[0].headers).toMatchObject({ 'x-app-key': '***' });
		expectNoSecrets(result, ctx.sim);
	});

	test.each([
		['audio', 0],
		['text', 2],
	])('Type %s asks for type %i only', async (voiceType, code) => {
		const result = await ctx.run({ parameters: getVoices({ voiceType, returnAll: true }) });
		expect(result.main.map((voice) => voice.voiceId)).toEqual(
			approved(code).map((voice) => voice.voice_id),
		);
		expect(sent().map((body) => body.type)).toEqual([code]);
	});

	test('Limit stops as soon as it has enough', async () => {
		const result = await ctx.run({ parameters: getVoices({ returnAll: false, limit: 2 }) });
		expect(result.main.map((voice) => voice.name)).toEqual([
			'Welcome greeting',
			'Appointment chime',
		]);
		expect(sent()).toHaveLength(1);
	});

	test('pages of 100 by offset until a short page', async () => {
		ctx.sim.config.voices = manyRecordings(250);
		const result = await ctx.run({
			parameters: getVoices({ voiceType: 'audio', returnAll: true }),
		});
		expect(result.main).toHaveLength(250);
		expect(result.main[249].name).toBe('Recording 0250');
		expect(sent()).toEqual([0, 100, 200].map((offset) => ({ offset, limit: 100, type: 0 })));
	});

	test('voiceInfo as an object keyed by row (the table) reads as an array does', async () => {
		ctx.sim.config.voiceInfoShape = 'object';
		const result = await ctx.run({ parameters: getVoices({ returnAll: true }) });
		expect(result.main.map((voice) => voice.voiceId)).toEqual(
			[...approved(0), ...approved(2)].map((voice) => voice.voice_id),
		);
	});

	test('voiceInfo as a single object is one voice', async () => {
		const { tenant_id, uploaddate, voice_id, name, voicecontent, type } = SEEDED[3];
		ctx.sim.inject({
			endpoint: LIST,
			kind: 'status',
			status: 200,
			body: {
				returnCode: '0',
				description: 'success',
				voiceInfo: { tenant_id, uploaddate, voice_id, name, voicecontent, type },
			},
		});
		const result = await ctx.run({ parameters: getVoices({ voiceType: 'text', returnAll: true }) });
		expect(result.main).toEqual([expect.objectContaining({ voiceId: voice_id, type: 'text' })]);
	});

	test('a tenant that ignores the offset: the node stops instead of looping', async () => {
		const page = manyRecordings(100).map((voice) => ({ ...voice, status: undefined }));
		ctx.sim.inject({
			endpoint: LIST,
			kind: 'status',
			status: 200,
			times: -1,
			body: { returnCode: '0', description: 'success', voiceInfo: page },
		});
		const result = await ctx.run({
			parameters: getVoices({ voiceType: 'audio', returnAll: true }),
		});
		expect(result.main).toHaveLength(100);
		expect(sent()).toHaveLength(2);
	});

	test('a tenant without approved voices: no items, and where to add one', async () => {
		ctx.sim.config.voices = SEEDED.filter((voice) => voice.status !== 'approved');
		const result = await ctx.run({ parameters: getVoices({ returnAll: true }) });
		expect(result.error).toBeUndefined();
		expect(result.main).toEqual([]);
		expect(result.hints).toEqual([
			{
				message:
					'This AICC tenant has no approved voice-notification recordings or text (TTS) ' +
					'templates. A tenant administrator adds one in the AICC console under ' +
					`${CONSOLE_PATH} (usage scene: Voice Notification); use it once the system ` +
					'administrator has approved it (only approved items are listed). Text ' +
					'templates also need a TTS server, which the system administrator sets under ' +
					'Configuration Center > Flow Configuration > Intelligent IVR > System Management > ' +
					'TTS/ASR.',
				location: 'outputPane',
			},
		]);
	});

	test('Include Raw Response adds each voice as AICC sent it', async () => {
		const result = await ctx.run({
			parameters: getVoices({ voiceType: 'text', limit: 1 }, { includeRawResponse: true }),
		});
		expect(result.main[0].rawResponse).toEqual({
			tenant_id: SEEDED[3].tenant_id,
			uploaddate: SEEDED[3].uploaddate,
			voice_id: VOICES.reminder,
			name: 'Appointment reminder',
			voicecontent: SEEDED[3].voicecontent,
			type: 2,
			tenantSpaceName: 'simulated-tenant',
		});
	});

	test('return code 1 (bad type) fails the item without a word on dialing', async () => {
		ctx.sim.inject({ endpoint: LIST, kind: 'code', code: '1' });
		const result = await ctx.run({
			parameters: getVoices({ returnAll: true }),
			onError: 'continueRegularOutput',
		});
		expect(result.main).toEqual([
			{
				success: false,
				retCode: '1',
				message: 'AICC return code 1: the voice type is incorrect',
				error:
					'Ask for audio recordings (type 0) or text templates (type 2). AICC said: "Query failed"',
			},
		]);
	});

	test('a failure says that running it again is safe', async () => {
		ctx.sim.inject({ endpoint: LIST, kind: 'status', status: 500, body: 'Business failure' });
		const result = await ctx.run({
			parameters: getVoices({ returnAll: true }),
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({
			success: false,
			message: 'AICC failed while handling the voice list request (HTTP 500)',
			error: expect.stringContaining('This request places no call, so running it again is safe.'),
		});
	});
});

describe('the Voice and Template fields: From List', () => {
	test('Voice lists approved recordings; Template approved templates with their text', async () => {
		const voices = await ctx.listSearch({ method: 'searchVoices' });
		expect(voices).toEqual({
			results: approved(0).map((voice) => ({
				name: voice.name,
				value: voice.voice_id,
				description: `Audio recording, uploaded 2026-10-12 (ID ${voice.voice_id})`,
			})),
		});
		const templates = await ctx.listSearch({ method: 'searchTemplates' });
		// n8n's list shows names only: a template's says how many variables it takes, then which,
		// in order; one without variables keeps its plain name.
		expect(templates.results).toContainEqual({
			name: 'Appointment reminder (3: TXT_1, DATE, TIME)',
			value: VOICES.reminder,
			description: 'Hello ${TXT_1}, this is a reminder of your appointment on ${DATE} at ${TIME}.',
		});
		expect(templates.results.map((item) => item.name)).toEqual(
			expect.arrayContaining(['Verification code (1: NUM_1)', 'Office closed today']),
		);
		expect(templates.results).toHaveLength(approved(2).length);
		// One token serves both lists, as it serves the runs.
		expect(ctx.tokenRequests()).toHaveLength(1);
		expect(sent().map((body) => body.type)).toEqual([0, 2]);
	});

	test('a search matches names, IDs and texts, whatever the case', async () => {
		const byName = await ctx.listSearch({ method: 'searchTemplates', filter: 'DELIVERY' });
		expect(byName.results.map((item) => item.name)).toEqual([
			'Delivery notice (3: TXT_1, TXT_2, TXT_3)',
		]);
		const byText = await ctx.listSearch({ method: 'searchTemplates', filter: 'verification code' });
		expect(byText.results.map((item) => item.value)).toEqual(['2000000000000000003']);
		const byId = await ctx.listSearch({ method: 'searchVoices', filter: '0000000002' });
		expect(byId.results.map((item) => item.name)).toEqual(['Appointment chime']);
		const none = await ctx.listSearch({ method: 'searchVoices', filter: 'no such voice' });
		expect(none).toEqual({ results: [] });
	});

	test('the list pages as the editor scrolls: 100 at a time', async () => {
		ctx.sim.config.voices = manyRecordings(250);
		const first = await ctx.listSearch({ method: 'searchVoices' });
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('100');
		const second = await ctx.listSearch({ method: 'searchVoices', paginationToken: '100' });
		expect(second.results[0].name).toBe('Recording 0101');
		expect(second.paginationToken).toBe('200');
		const last = await ctx.listSearch({ method: 'searchVoices', paginationToken: '200' });
		expect(last.results).toHaveLength(50);
		expect(last.paginationToken).toBeUndefined();
	});

	test('a search reads on through the pages AICC cannot search', async () => {
		ctx.sim.config.voices = manyRecordings(250);
		const found = await ctx.listSearch({ method: 'searchVoices', filter: 'recording 0242' });
		expect(found).toEqual({
			results: [expect.objectContaining({ name: 'Recording 0242' })],
		});
		expect(sent().map((body) => body.offset)).toEqual([0, 100, 200]);
	});

	test('a tenant without approved items is told where in the console to add one', async () => {
		ctx.sim.config.voices = [];
		await expect(ctx.listSearch({ method: 'searchTemplates' })).rejects.toMatchObject({
			message: 'This AICC tenant has no approved voice-notification text (TTS) templates',
			description: expect.stringContaining(`adds one in the AICC console under ${CONSOLE_PATH}`),
		});
		await expect(ctx.listSearch({ method: 'searchVoices' })).rejects.toMatchObject({
			message: 'This AICC tenant has no approved voice-notification audio recordings',
		});
	});

	test('AICC refusing the App shows the same message as a run', async () => {
		ctx.sim.config.unsubscribed = true;
		const run = await ctx.run({ parameters: getVoices({ returnAll: true }) });
		expect(run.error.message).toBe(
			'AICC refused the access token right after renewing it (HTTP 401)',
		);
		await expect(ctx.listSearch({ method: 'searchVoices' })).rejects.toMatchObject({
			message: run.error.message,
			description: run.error.description,
		});
	});
});
