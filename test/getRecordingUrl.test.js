'use strict';

const {
	setupEach,
	getRecordingUrl,
	placeCall,
	expectNoSecrets,
	SERIAL_NUMBER_REFUSAL,
} = require('./setup');

/** Get Recording URL, and the recording downloaded as a file. */
const ctx = setupEach({ ringMs: 300, talkMs: 400 });

test('returns the URL and when it expires (5 minutes)', async () => {
	const callSerialNo = await placeCall(ctx);
	const asked = Date.now();
	const result = await ctx.run({ parameters: getRecordingUrl(), items: [{ callSerialNo }] });
	expect(result.main[0]).toEqual({
		callSerialNo,
		url: expect.stringContaining(`/recordings/${callSerialNo}.wav`),
		expiresAt: expect.any(String),
	});
	expect(result.items[0][0].binary).toBeUndefined();
	expect(ctx.sim.log.for('recording')).toHaveLength(0);
	const expires = Date.parse(result.main[0].expiresAt);
	expect(expires - asked).toBeGreaterThanOrEqual(299_000);
	expect(expires - asked).toBeLessThanOrEqual(301_000);
});

describe('Download Recording', () => {
	/** A call the simulator already ended, answered: it has a recording. */
	const answeredCall = () =>
		ctx.sim.addRecord({ caller: '88889050', called: '13800138000', createdAt: Date.now() - 60_000 })
			.callSerialNo;
	const downloading = (fields = {}, options = {}) =>
		getRecordingUrl({ download: true, ...fields }, options);
	/** The signatures of the links the simulator gave: never in an error or a log. */
	const linkSignatures = () =>
		ctx.sim.log
			.for('getRecordingAddress')
			.map((entry) => /Signature=([\w-]+)/.exec(JSON.stringify(entry.response))?.[1])
			.filter(Boolean);

	test('puts the recording in the item: name from the serial, MIME type as sent', async () => {
		const callSerialNo = answeredCall();
		const result = await ctx.run({ parameters: downloading(), items: [{ callSerialNo }] });
		const [item] = result.items[0];
		expect(item.json).toEqual({
			callSerialNo,
			url: expect.stringContaining(`/recordings/${callSerialNo}.wav?`),
			expiresAt: expect.any(String),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.binary.data).toMatchObject({
			fileName: `${callSerialNo}.wav`,
			fileExtension: 'wav',
			mimeType: 'audio/wav',
		});
		const bytes = Buffer.from(item.binary.data.data, 'base64');
		expect(bytes.length).toBe(44 + 16_000);
		expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
	});

	test('into the field named, every item, with Concurrency and Include Raw Response', async () => {
		const serials = [answeredCall(), answeredCall(), answeredCall()];
		const result = await ctx.run({
			parameters: downloading(
				{ binaryPropertyName: 'recording' },
				{ concurrency: 3, includeRawResponse: true },
			),
			items: serials.map((callSerialNo) => ({ callSerialNo })),
		});
		expect(result.items[0].map((item) => item.binary.recording.fileName)).toEqual(
			serials.map((serial) => `${serial}.wav`),
		);
		expect(result.main.map((json) => json.rawResponse.retCode)).toEqual([0, 0, 0]);
		expect(ctx.sim.log.for('recording')).toHaveLength(3);
	});

	test('a file sent without a Content-Length is read in full', async () => {
		Object.assign(ctx.sim.config, { recordingChunked: true, recordingBytes: 300_000 });
		const result = await ctx.run({
			parameters: downloading(),
			items: [{ callSerialNo: answeredCall() }],
		});
		expect(Buffer.from(result.items[0][0].binary.data.data, 'base64').length).toBe(300_044);
	});

	test.each([
		['announces its size', false, ': the server announced 2 MB'],
		['is sent without a Content-Length', true, ''],
	])('a recording over Max File Size that %s fails the item', async (_name, chunked, said) => {
		Object.assign(ctx.sim.config, { recordingChunked: chunked, recordingBytes: 2 * 1_048_576 });
		const result = await ctx.run({
			parameters: downloading({ maxFileSize: 1 }),
			items: [{ callSerialNo: answeredCall() }],
		});
		expect(result.error.message).toBe(`The recording is larger than Max File Size (1 MB)${said}`);
		expect(result.error.description).toMatch(/^Raise Max File Size \(up to 1024 MB\)/);
	});

	test("an expired link: a clear error, and the link's signature nowhere", async () => {
		ctx.sim.config.recordingValidMs = -2000;
		const callSerialNo = answeredCall();
		const result = await ctx.run({ parameters: downloading(), items: [{ callSerialNo }] });
		expect(result.error.message).toBe(
			'The recording link expired before it could be downloaded (HTTP 403)',
		);
		expect(result.error.description).toMatch(/^AICC's recording links are valid for 5 minutes/);
		expect(result.error.description).toContain(`${ctx.sim.url}/recordings/${callSerialNo}.wav.`);
		expect(linkSignatures().length).toBeGreaterThan(0);
		expectNoSecrets(result, ctx.sim, linkSignatures());
	});

	test.each([
		[
			'another 403',
			{ kind: 'status', status: 403, body: { error: 'AccessDenied' } },
			'The recording server refused the download (HTTP 403)',
		],
		[
			'a 404',
			{ kind: 'status', status: 404, body: { error: 'NoSuchKey' } },
			'The recording server has no file at the link (HTTP 404)',
		],
		[
			'a 500',
			{ kind: 'status', status: 500, body: { error: 'InternalError' } },
			'The recording server answered the download with HTTP 500',
		],
		['a dropped connection', { kind: 'drop' }, 'The recording server could not be reached'],
		['no answer', { kind: 'hang' }, 'The recording download did not finish within 1 s'],
		[
			'a transfer that stalls',
			{ kind: 'stall', headers: { 'Content-Type': 'audio/wav' } },
			'The recording download did not finish within 1 s',
		],
	])("%s: a clear error, the link's query nowhere", async (_name, fault, message) => {
		ctx.sim.inject({ endpoint: 'recording', ...fault });
		const result = await ctx.run({
			parameters: downloading({}, { timeout: 1 }),
			items: [{ callSerialNo: answeredCall() }],
		});
		expect(result.error.message).toBe(message);
		expectNoSecrets(result, ctx.sim, linkSignatures());
	});

	test('with Continue On Fail, a failed download is an error item; others get a file', async () => {
		const good = answeredCall();
		ctx.sim.inject({ endpoint: 'recording', kind: 'status', status: 404 });
		const result = await ctx.run({
			parameters: downloading(),
			items: [{ callSerialNo: answeredCall() }, { callSerialNo: good }],
			onError: 'continueRegularOutput',
		});
		expect(result.main[0]).toMatchObject({
			success: false,
			message: 'The recording server has no file at the link (HTTP 404)',
		});
		expect(result.items[0][1].binary.data.fileName).toBe(`${good}.wav`);
	});

	test('no recording URL from AICC: a clear error before any download', async () => {
		ctx.sim.inject({
			endpoint: 'getRecordingAddress',
			kind: 'status',
			status: 200,
			body: { retCode: 0, result: {} },
		});
		const result = await ctx.run({
			parameters: downloading(),
			items: [{ callSerialNo: answeredCall() }],
		});
		expect(result.error.message).toMatch(/^AICC returned no recording URL for call \d{19}$/);
		expect(ctx.sim.log.for('recording')).toHaveLength(0);
	});
});

test('a serial number given as a number beyond 2^53 is refused unsent', async () => {
	const result = await ctx.run({
		parameters: getRecordingUrl(),
		// The number n8n holds for 1795322914835007919.
		items: [{ callSerialNo: Number('1795322914835007919') }],
		onError: 'continueRegularOutput',
	});
	expect(result.main[0].message).toBe(SERIAL_NUMBER_REFUSAL(0, '1795322914835008000'));
	expect(ctx.sim.log.entries).toHaveLength(0);
});
