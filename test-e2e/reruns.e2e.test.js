'use strict';

/**
 * When n8n itself runs the work again, in a real n8n (2.x and the 1.x line): the Retry button of
 * a failed execution (POST /rest/executions/:id/retry, with the original and with the currently
 * saved workflow, as the editor sends it), a retry of a retry, the same execution retried twice,
 * a retry after n8n restarted, a retry of an execution that crashed (n8n killed) while placing
 * 200 calls, and a webhook delivered twice. Calls are counted per number at the simulator: no
 * number AICC may have acted on is called twice.
 */
const { createSimulator } = require('../simulator');
const { ensureInstalled, createInstance, freePort } = require('../scripts/local-n8n');
const { AICC_CREDENTIALS, SETTINGS, callEachPhone, chain, nodeMaker } = require('./workflows');
const { INSTALL_TIME, SIM_KEYS, E2E_LINES } = require('./common');
const { restOf } = require('./rest');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Webhook (POST /webhook/<path>) → one item per number in the body → AICC Call. */
function listWorkflow(id, webhookPath, uuid) {
	const node = nodeMaker(uuid);
	return {
		id,
		name: `E2E reruns ${webhookPath}`,
		nodes: [
			node(
				'01',
				'Hook',
				'n8n-nodes-base.webhook',
				2,
				[0, 0],
				{ httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
				{ webhookId: `${uuid}aa` },
			),
			node('02', 'One Item Each', 'n8n-nodes-base.splitOut', 1, [220, 0], {
				fieldToSplitOut: 'body.phones',
				options: {},
			}),
			node('03', 'Call', 'n8n-nodes-aicc.aiccCall', 1, [440, 0], callEachPhone({}), {
				credentials: AICC_CREDENTIALS,
			}),
		],
		connections: chain(['Hook', 'One Item Each', 'Call']),
		settings: SETTINGS,
		active: false,
	};
}

const LIST = listWorkflow(
	'aiccRerunList01',
	'aicc-rerun-list',
	'e7a10000-0000-4000-8000-0000000000',
);
const CRASH = listWorkflow(
	'aiccRerunCrash1',
	'aicc-rerun-crash',
	'e7a20000-0000-4000-8000-0000000000',
);

/** A sub-workflow that places a call for each item it is given, then fails. */
const SUB = (() => {
	const node = nodeMaker('e7a30000-0000-4000-8000-0000000000');
	return {
		id: 'aiccRerunSub001',
		name: 'E2E reruns sub-workflow',
		nodes: [
			node('01', 'When Called', 'n8n-nodes-base.executeWorkflowTrigger', 1, [0, 0], {}),
			node('02', 'Call', 'n8n-nodes-aicc.aiccCall', 1, [220, 0], callEachPhone({}), {
				credentials: AICC_CREDENTIALS,
			}),
			node('03', 'Fail After Calling', 'n8n-nodes-base.stopAndError', 1, [440, 0], {
				errorMessage: 'The CRM update after the call failed',
			}),
		],
		connections: chain(['When Called', 'Call', 'Fail After Calling']),
		settings: SETTINGS,
		active: false,
	};
})();

/** Webhook → numbers → the sub-workflow, with Retry On Fail (3 tries). */
function parentWorkflow(numbers) {
	const uuid = 'e7a40000-0000-4000-8000-0000000000';
	const node = nodeMaker(uuid);
	return {
		id: 'aiccRerunParent',
		name: 'E2E reruns parent',
		nodes: [
			node(
				'01',
				'Start',
				'n8n-nodes-base.webhook',
				2,
				[0, 0],
				{ httpMethod: 'POST', path: 'aicc-rerun-parent', responseMode: 'onReceived', options: {} },
				{ webhookId: `${uuid}aa` },
			),
			node('02', 'Numbers', 'n8n-nodes-base.set', 3.4, [220, 0], {
				mode: 'raw',
				jsonOutput: JSON.stringify({ phones: numbers.map((phone) => ({ phone })) }),
				options: {},
			}),
			node('03', 'One Item Each', 'n8n-nodes-base.splitOut', 1, [440, 0], {
				fieldToSplitOut: 'phones',
				options: {},
			}),
			node(
				'04',
				'Run Sub-workflow',
				'n8n-nodes-base.executeWorkflow',
				1,
				[660, 0],
				{ source: 'database', workflowId: SUB.id },
				{ retryOnFail: true, maxTries: 3, waitBetweenTries: 10 },
			),
		],
		connections: chain(['Start', 'Numbers', 'One Item Each', 'Run Sub-workflow']),
		settings: SETTINGS,
		active: false,
	};
}
const SUB_NUMBERS = ['13750130000', '13750130001'];

const phones = (prefix, count) =>
	Array.from({ length: count }, (_, index) => ({
		phone: `${prefix}${String(index).padStart(4, '0')}`,
	}));

describe.each(E2E_LINES)('n8n %s.x: n8n runs the work again', (line) => {
	let sim;
	let n8n;
	let rest;

	/** Requests per called number among `numbers`. */
	const requests = (numbers) => {
		const counts = Object.fromEntries(numbers.map((number) => [number, 0]));
		for (const entry of sim.log.for('createCallV1'))
			if (entry.body.called in counts) counts[entry.body.called] += 1;
		return counts;
	};
	const placed = (numbers) =>
		sim.log
			.for('createCallV1')
			.filter((entry) => numbers.includes(entry.body.called) && entry.status === 200)
			.filter((entry) => /callSerialNo/.test(String(entry.response)))
			.map((entry) => entry.body.called);
	const post = (webhookPath, body) =>
		fetch(`${n8n.url}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
	/** POSTs once the webhook is registered (2.x registers it shortly after the editor is up). */
	async function postWhenRegistered(webhookPath, body) {
		for (let tries = 0; tries < 100; tries++) {
			const response = await post(webhookPath, body);
			if (response.status !== 404) return response;
			await sleep(100);
		}
		throw new Error(`webhook ${webhookPath} never registered`);
	}
	/** Restarts n8n as a crash would leave it (SIGKILL) or as an operator would (SIGTERM). */
	async function restart(signal) {
		if (signal === 'SIGKILL') {
			const child = n8n.process;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			process.kill(-child.pid, 'SIGKILL');
			await exited;
		} else {
			await n8n.stop();
		}
		await n8n.start();
	}

	beforeAll(async () => {
		await ensureInstalled(line);
		sim = await createSimulator({ ...SIM_KEYS }).start();
		n8n = createInstance({
			line,
			name: 'reruns',
			port: await freePort(),
			brokerPort: await freePort(),
			simulatorUrl: sim.url,
		});
		await n8n.prepare();
		await n8n.importWorkflows([LIST, CRASH, SUB, parentWorkflow(SUB_NUMBERS)]);
		for (const workflow of [LIST, CRASH]) await n8n.activate(workflow.id);
		// n8n 2.x runs only published sub-workflows.
		if (line === 2) await n8n.activate(SUB.id);
		await n8n.activate('aiccRerunParent');
		await n8n.start();
		rest = restOf(n8n);
	}, INSTALL_TIME);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.stop();
	});

	test('Retry: original, saved, of a retry, twice, after a restart: one call each', async () => {
		const list = phones('1371013', 5);
		const numbers = list.map(({ phone }) => phone);
		const refuse = (number) =>
			sim.inject({ endpoint: 'createCallV1', kind: 'code', code: '21', match: { called: number } });
		refuse(numbers[2]);
		refuse(numbers[3]);
		await postWhenRegistered('aicc-rerun-list', { phones: list });
		const [failed] = await rest.settled(LIST.id, 1);
		expect(failed.status).toBe('error');
		expect(placed(numbers)).toEqual(numbers.slice(0, 2));

		// With the original workflow: items 1 and 2 are not sent; item 3 is; item 4 is refused.
		await rest.retry(failed.id, false);
		const [first] = await rest.settled(LIST.id, 2);
		expect(first).toMatchObject({ status: 'error', mode: 'retry' });
		// A retry of that retry, with the currently saved workflow: items 4 and 5.
		await rest.retry(first.id, true);
		const [second] = await rest.settled(LIST.id, 3);
		expect(second.status).toBe('success');
		const output = (await rest.nodeOutput(second.id, 'Call'))[0];
		expect(output.map((item) => item.skipped === true)).toEqual([true, true, true, false, false]);
		expect(output[0]).toMatchObject({ skipReason: 'placedBefore', success: true });
		expect(output[0].callSerialNo).toMatch(/^\d{19}$/);

		// The failed execution retried once more: every call is placed already.
		await rest.retry(failed.id, false);
		const [again] = await rest.settled(LIST.id, 4);
		expect(again.status).toBe('success');
		const repeated = (await rest.nodeOutput(again.id, 'Call'))[0];
		expect(repeated.every((item) => item.skipped && item.skipReason === 'placedBefore')).toBe(true);

		// And after n8n restarted.
		await restart('SIGTERM');
		await rest.retry(failed.id, true);
		const [afterRestart] = await rest.settled(LIST.id, 5);
		expect(afterRestart.status).toBe('success');

		expect([...placed(numbers)].sort()).toEqual(numbers);
		expect(requests(numbers)).toEqual({
			[numbers[0]]: 1,
			[numbers[1]]: 1,
			[numbers[2]]: 2,
			[numbers[3]]: 2,
			[numbers[4]]: 1,
		});
	});

	test('a webhook delivered twice, 50 ms apart or at once: one call each', async () => {
		const before = (await rest.executions(LIST.id)).length;
		const apart = phones('1372013', 1);
		const atOnce = phones('1373013', 1);
		await postWhenRegistered('aicc-rerun-list', { phones: apart });
		await sleep(50);
		await post('aicc-rerun-list', { phones: apart });
		await Promise.all([
			post('aicc-rerun-list', { phones: atOnce }),
			post('aicc-rerun-list', { phones: atOnce }),
		]);
		const executions = await rest.settled(LIST.id, before + 4);
		expect(requests([apart[0].phone, atOnce[0].phone])).toEqual({
			[apart[0].phone]: 1,
			[atOnce[0].phone]: 1,
		});
		const outputs = await Promise.all(
			executions.slice(0, 4).map(async ({ id }) => (await rest.nodeOutput(id, 'Call'))[0][0]),
		);
		expect(outputs.filter((item) => item.skipReason === 'duplicate')).toHaveLength(2);
	});

	test('a sub-workflow run again by Retry On Fail: each number called once', async () => {
		await postWhenRegistered('aicc-rerun-parent', {});
		const [parent] = await rest.settled('aiccRerunParent', 1);
		expect(parent.status).toBe('error');
		expect(requests(SUB_NUMBERS)).toEqual({ [SUB_NUMBERS[0]]: 1, [SUB_NUMBERS[1]]: 1 });
		const subRuns = (await rest.executions(SUB.id)).filter((entry) => entry.status === 'error');
		expect(subRuns).toHaveLength(3);
		const last = (await rest.nodeOutput(subRuns[0].id, 'Call'))[0];
		expect(last.map((item) => item.skipReason)).toEqual(['duplicate', 'duplicate']);
	});

	test('a retry of an execution that crashed placing 200 calls places none twice', async () => {
		const list = phones('1374013', 200);
		const numbers = list.map(({ phone }) => phone);
		sim.config.latencyMs = 25;
		try {
			await postWhenRegistered('aicc-rerun-crash', { phones: list });
			while (sim.log.for('createCallV1').length < 70) await sleep(20);
			await restart('SIGKILL');
		} finally {
			sim.config.latencyMs = 0;
		}
		const sentBefore = Object.values(requests(numbers)).reduce((sum, count) => sum + count, 0);
		expect(sentBefore).toBeLessThan(200);
		const [crashed] = await rest.settled(CRASH.id, 1);
		expect(crashed.status).toBe('crashed');

		await rest.retry(crashed.id, false);
		const [retried] = await rest.settled(CRASH.id, 2);
		expect(retried).toMatchObject({ mode: 'retry', status: 'success' });
		const counts = requests(numbers);
		expect(Object.values(counts).every((count) => count <= 1)).toBe(true);
		// Batches of 64 that had begun may have been placed: not sent again; the rest is sent.
		const begun = Math.ceil(sentBefore / 64) * 64;
		expect(Object.values(counts).filter((count) => count === 1)).toHaveLength(
			sentBefore + (200 - Math.min(200, begun)),
		);
		const output = (await rest.nodeOutput(retried.id, 'Call'))[0];
		const skipped = output.slice(0, begun);
		expect(skipped.every((item) => item.skipped && item.outcome === 'unknown')).toBe(true);
	}, 180_000);
});
