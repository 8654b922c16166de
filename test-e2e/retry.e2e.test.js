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
const { phonesToCall, callEachPhone, AICC_CREDENTIALS } = require('./workflows');
const { INSTALL_TIME, SIM_KEYS, EMPTY_CALLED, expectNoSecrets, E2E_LINES } = require('./common');

const NUMBERS = ['13800138000', '13800138001', '13800138002'];
const TRIES = 3;
/** A Duplicate Key per execution and number. */
const PER_EXECUTION = '={{ $execution.id }}-{{ $json.phone }}';
const MODES = {
	regular: 'continueRegularOutput',
	errorOutput: 'continueErrorOutput',
	stop: 'stopWorkflow',
};

/** The id of the workflow of an error setting: all numbers valid, or the first item empty. */
const workflowId = (mode, withEmpty) =>
	`aiccRetry${mode[0].toUpperCase()}${withEmpty ? 'Empty' : 'Valid'}x`;

/** The numbers, one item each, to AICC Call with Retry On Fail (3 tries). */
function workflow(mode, withEmpty) {
	return phonesToCall({
		id: workflowId(mode, withEmpty),
		name: `E2E retry ${mode}${withEmpty ? ', item 1 empty' : ''}`,
		idPrefix: '9a7e0000-0000-4000-8000-0000000000',
		phones: withEmpty ? ['', ...NUMBERS.slice(1)] : NUMBERS,
		call: {
			type: 'n8n-nodes-aicc.aiccCall',
			typeVersion: 1,
			// Each case is a new CRM event: the key is the execution's, so the duplicate guard
			// (tested in reruns.e2e.test.js) leaves every case's calls to Retry On Fail.
			parameters: callEachPhone({ timeout: 1, duplicateKey: PER_EXECUTION }),
			extra: {
				onError: MODES[mode],
				retryOnFail: true,
				maxTries: TRIES,
				waitBetweenTries: 10,
				credentials: AICC_CREDENTIALS,
			},
		},
	});
}

const FAULTS = {
	invalid: { phone: '' },
	refused: { fault: { kind: 'code', code: '21', times: -1 }, sentAgain: true },
	serverError: { fault: { kind: 'status', status: 500, body: 'failure', times: -1 } },
	timeout: { fault: { kind: 'hang', times: -1 } },
};

describe.each(E2E_LINES)('n8n %s.x: Retry On Fail', (line) => {
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
		await n8n.importWorkflows(
			Object.keys(MODES).flatMap((mode) => [workflow(mode, false), workflow(mode, true)]),
		);
	}, INSTALL_TIME);

	afterAll(async () => {
		await sim?.stop();
	});

	/** Tokens stay valid from case to case. */
	const clearFaultsAndLog = () => {
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

	describe.each(Object.keys(MODES))('%s', (mode) => {
		test.each(Object.keys(FAULTS))(
			'%s on item 1: every other customer is called once',
			async (fault) => {
				clearFaultsAndLog();
				const spec = FAULTS[fault];
				if (spec.fault)
					sim.inject({ endpoint: 'createCallV1', ...spec.fault, match: { called: NUMBERS[0] } });
				const { run } = await n8n.execute(workflowId(mode, spec.phone !== undefined));
				const counts = requestsPerNumber();

				const others = NUMBERS.slice(1);
				if (mode === 'stop') {
					expect(run.data.resultData.error).toBeDefined();
					if (spec.phone !== undefined) {
						// Checked before the first request: nothing was sent on any try.
						expect(counts).toEqual(Object.fromEntries(NUMBERS.map((number) => [number, 0])));
						// The message says what is wrong, the description how to fix it (once each),
						// and that the other items were not called either.
						expect(run.data.resultData.error.message).toBe('Called in item 1 is empty');
						expect(run.data.resultData.error.description).toBe(
							`${EMPTY_CALLED} No call was placed: the node checks every item before the ` +
								'first call, and an invalid one stops them all.',
						);
					} else {
						// Item 1 failed first, so the others never got their turn.
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
				expectNoSecrets(sim, run);
			},
		);
	});

	const midway =
		'stop: AICC fails item 2 midway; the run fails naming item 1 and its callSerialNo,' +
		' and item 1 is called once';
	test(midway, async () => {
		clearFaultsAndLog();
		sim.inject({
			endpoint: 'createCallV1',
			kind: 'code',
			code: '21',
			times: -1,
			match: { called: NUMBERS[1] },
		});
		const { run } = await n8n.execute(workflowId('stop', false));
		expect(requestsPerNumber()).toEqual({ [NUMBERS[0]]: 1, [NUMBERS[1]]: TRIES, [NUMBERS[2]]: 0 });
		const placed = sim.log
			.for('createCallV1')
			.find((entry) => entry.status === 200 && entry.body.called === NUMBERS[0]);
		const serial = /"callSerialNo":(\d{19})/.exec(placed.response)[1];
		const { error } = run.data.resultData;
		const othersPlaced =
			'\\(1 other call was placed or may have been placed by this run:' +
			' see the details before running it again\\)$';
		expect(error.message).toMatch(new RegExp(`^AICC return code 21: .*${othersPlaced}`));
		expect(error.description).toContain(`item 1: placed, callSerialNo ${serial}`);
		expectNoSecrets(sim, run);
	});
});
