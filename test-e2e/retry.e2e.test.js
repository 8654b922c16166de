'use strict';

/**
 * Retry On Fail in a real n8n (2.x and the 1.x line): with each error setting and each kind of
 * failure on the first item (the case where n8n runs the whole node again), every customer is
 * called at most once, counted at the simulator; a refused item is the only one sent again.
 * Without Continue On Fail, one invalid item means no call at all, and a run that AICC fails
 * midway names the calls it placed.
 */
const { createSimulator } = require('../simulator');
const { ensureInstalled, createInstance, freePort, nodeOutput } = require('../scripts/local-n8n');

const INSTALL_TIME = 20 * 60 * 1000;
const SIM_KEYS = { appKey: 'sim-app-key', appSecret: 'sim-app-secret' };
const NUMBERS = ['13800138000', '13800138001', '13800138002'];
const TRIES = 3;
const MODES = {
	regular: 'continueRegularOutput',
	errorOutput: 'continueErrorOutput',
	stop: 'stopWorkflow',
};

/** The workflow of an error setting, over all valid numbers or with item 0 empty. */
const idOf = (mode, withEmpty) =>
	`aiccRetry${mode[0].toUpperCase()}${withEmpty ? 'Empty' : 'Valid'}x`;

/** Manual Trigger → a list of numbers → one item each → AICC Call with Retry On Fail (3 tries). */
function workflow(mode, withEmpty) {
	const phones = withEmpty ? ['', ...NUMBERS.slice(1)] : NUMBERS;
	const node = (suffix, name, type, typeVersion, position, parameters, extra = {}) => ({
		id: `9a7e0000-0000-4000-8000-0000000000${suffix}`,
		name,
		type,
		typeVersion,
		position,
		parameters,
		...extra,
	});
	return {
		id: idOf(mode, withEmpty),
		name: `E2E retry ${mode}${withEmpty ? ', item 0 empty' : ''}`,
		nodes: [
			node('01', 'Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node('02', 'Numbers', 'n8n-nodes-base.set', 3.4, [220, 0], {
				mode: 'raw',
				jsonOutput: JSON.stringify({ phones: phones.map((phone) => ({ phone })) }),
				options: {},
			}),
			node('03', 'One Item Per Number', 'n8n-nodes-base.splitOut', 1, [440, 0], {
				fieldToSplitOut: 'phones',
				options: {},
			}),
			node(
				'04',
				'Call',
				'n8n-nodes-aicc.aiccCall',
				1,
				[660, 0],
				{
					resource: 'call',
					operation: 'createBidirectional',
					caller: '88889050',
					called: '={{ $json.phone }}',
					options: { timeout: 1 },
				},
				{
					onError: MODES[mode],
					retryOnFail: true,
					maxTries: TRIES,
					waitBetweenTries: 10,
					credentials: { aiccApi: { id: 'aiccSimulator001', name: 'AICC Simulator' } },
				},
			),
		],
		connections: {
			Start: { main: [[{ node: 'Numbers', type: 'main', index: 0 }]] },
			Numbers: { main: [[{ node: 'One Item Per Number', type: 'main', index: 0 }]] },
			'One Item Per Number': { main: [[{ node: 'Call', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

const FAULTS = {
	invalid: { phone: '' },
	refused: { fault: { kind: 'code', code: '21', times: -1 }, sentAgain: true },
	serverError: { fault: { kind: 'status', status: 500, body: 'failure', times: -1 } },
	timeout: { fault: { kind: 'hang', times: -1 } },
};

describe.each([2, 1])('n8n %s.x: Retry On Fail', (line) => {
	let sim;
	let n8n;

	beforeAll(async () => {
		await ensureInstalled(line);
		sim = await createSimulator({ ...SIM_KEYS }).start();
		n8n = createInstance({
			line,
			name: 'retry',
			port: await freePort(),
			brokerPort: await freePort(),
			simulatorUrl: sim.url,
		});
		await n8n.prepare();
		for (const mode of Object.keys(MODES)) {
			await n8n.importWorkflow(workflow(mode, false));
			await n8n.importWorkflow(workflow(mode, true));
		}
	}, INSTALL_TIME);

	afterAll(async () => {
		await sim?.stop();
	});

	/** A clean slate for the next case: no faults, an empty log (tokens stay valid). */
	const fresh = () => {
		sim.faults.length = 0;
		sim.log.clear();
	};
	/** Requests AICC acted on (a 401 is refused at the gateway), per called number. */
	const requestsPerNumber = () => {
		const counts = Object.fromEntries(NUMBERS.map((number) => [number, 0]));
		for (const entry of sim.log.for('createCallV1'))
			if (entry.status !== 401) counts[entry.body.called] += 1;
		return counts;
	};
	const expectNoSecrets = (value) => {
		const text = JSON.stringify(value);
		for (const secret of [SIM_KEYS.appSecret, ...sim.tokens.keys()])
			expect(text).not.toContain(secret);
	};

	describe.each(Object.keys(MODES))('%s', (mode) => {
		test.each(Object.keys(FAULTS))(
			'%s on item 0: every other customer is called once',
			async (fault) => {
				fresh();
				const spec = FAULTS[fault];
				if (spec.fault)
					sim.inject({ endpoint: 'createCallV1', ...spec.fault, match: { called: NUMBERS[0] } });
				const { run } = await n8n.execute(idOf(mode, spec.phone !== undefined));
				const counts = requestsPerNumber();

				const others = NUMBERS.slice(1);
				if (mode === 'stop') {
					expect(run.data.resultData.error).toBeDefined();
					if (spec.phone !== undefined) {
						// Checked before the first request: nothing was sent on any try.
						expect(counts).toEqual(Object.fromEntries(NUMBERS.map((number) => [number, 0])));
						expect(run.data.resultData.error.message).toBe(
							'Called (called) in item 0 is empty. Enter a phone number, e.g. 13800138000, or map one from an earlier node.',
						);
					} else {
						// Item 0 failed first, so the others never got their turn.
						for (const number of others) expect(counts[number]).toBe(0);
					}
				} else {
					for (const number of others) expect(counts[number]).toBe(1);
					const [placed, failed = []] = nodeOutput(run, 'Call');
					expect(
						placed.filter((item) => item.success).map((item) => item.callSerialNo),
					).toHaveLength(2);
					expect(placed.length + failed.length).toBe(NUMBERS.length);
				}
				if (spec.phone === undefined) expect(counts[NUMBERS[0]]).toBe(spec.sentAgain ? TRIES : 1);
				expectNoSecrets(run);
			},
		);
	});

	test('stop: AICC fails item 1 midway; the run fails naming item 0 and its callSerialNo, and item 0 is called once', async () => {
		fresh();
		sim.inject({
			endpoint: 'createCallV1',
			kind: 'code',
			code: '21',
			times: -1,
			match: { called: NUMBERS[1] },
		});
		const { run } = await n8n.execute(idOf('stop', false));
		expect(requestsPerNumber()).toEqual({ [NUMBERS[0]]: 1, [NUMBERS[1]]: TRIES, [NUMBERS[2]]: 0 });
		const placed = sim.log
			.for('createCallV1')
			.find((entry) => entry.status === 200 && entry.body.called === NUMBERS[0]);
		const serial = /"callSerialNo":(\d{19})/.exec(placed.response)[1];
		const { error } = run.data.resultData;
		expect(error.message).toMatch(
			/^AICC return code 21: .*\(1 other call was placed or may have been placed by this run: see the details before running it again\)$/,
		);
		expect(error.description).toContain(`item 0: placed, callSerialNo ${serial}`);
		expectNoSecrets(run);
	});
});
