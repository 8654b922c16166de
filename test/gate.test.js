'use strict';

/**
 * The pacing gate, a pure helper, driven directly: requests that n8n or the network hold back
 * after they leave must still reach AICC at no more than the limit in any second.
 */
const { RequestGate } = require('../dist/shared/gate');
const { busiestSecond } = require('../simulator/log');

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `count` requests at once through the gate; `delayOf(index)` holds one after it left. */
async function burst(gate, perSecond, count, delayOf) {
	const arrivals = [];
	await Promise.all(
		Array.from({ length: count }, async (_, index) => {
			const ticket = await gate.turn(perSecond);
			await ticket.departing();
			await wait(delayOf(index));
			arrivals.push(Date.now());
			await wait(5);
			ticket.settled();
		}),
	);
	return arrivals;
}

test('a request held back after it left does not let limit + 1 arrive in a second', async () => {
	// The first of every 20 reaches AICC 250 ms late, the others at once: spacing departures
	// alone would let 21 or more arrive within a second.
	const arrivals = await burst(new RequestGate(), 20, 50, (index) => (index % 20 === 0 ? 250 : 0));
	expect(arrivals).toHaveLength(50);
	expect(busiestSecond(arrivals)).toBeLessThanOrEqual(20);
});

test('requests answered promptly go out at the limit', async () => {
	const started = Date.now();
	const arrivals = await burst(new RequestGate(), 20, 41, () => 0);
	expect(busiestSecond(arrivals)).toBeLessThanOrEqual(20);
	// 41 requests at 20 a second take two seconds, give or take the answers' few milliseconds.
	expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
});

test('a re-send after a 401 waits for a turn of its own', async () => {
	const gate = new RequestGate();
	const ticket = await gate.turn(1);
	await ticket.departing();
	const first = Date.now();
	await wait(5);
	await ticket.departing();
	const resent = Date.now();
	ticket.settled();
	expect(resent - first).toBeGreaterThanOrEqual(1000);
});

test('without a limit nothing waits, except for a rate-limit pause', async () => {
	const gate = new RequestGate();
	const started = Date.now();
	for (let index = 0; index < 100; index++) (await gate.turn(0)).settled();
	expect(Date.now() - started).toBeLessThan(500);
	gate.pause(300);
	const paused = Date.now();
	await gate.turn(0);
	expect(Date.now() - paused).toBeGreaterThanOrEqual(290);
});

describe('the gate keeps its own clock: a wall-clock jump does not change pacing', () => {
	const realNow = Date.now;
	afterEach(() => {
		Date.now = realNow;
	});

	/** Lets one request through the gate at `perSecond`, then jumps the wall clock by `jumpMs`. */
	async function afterJump(jumpMs) {
		const gate = new RequestGate();
		const first = await gate.turn(2);
		await first.departing();
		first.settled();
		// NTP corrects the clock, or a suspended VM resumes: Date.now() jumps.
		Date.now = () => realNow() + jumpMs;
		const started = performance.now();
		const next = await Promise.race([
			gate.turn(2).then((ticket) => {
				ticket.settled();
				return 'left';
			}),
			wait(2000).then(() => 'stuck'),
		]);
		return { next, waitedMs: performance.now() - started };
	}

	test('an hour back: the next request still leaves after its 500 ms', async () => {
		const { next, waitedMs } = await afterJump(-3_600_000);
		expect(next).toBe('left');
		expect(waitedMs).toBeGreaterThanOrEqual(450);
	});

	test('an hour ahead: the next request still waits its 500 ms', async () => {
		const { next, waitedMs } = await afterJump(3_600_000);
		expect(next).toBe('left');
		expect(waitedMs).toBeGreaterThanOrEqual(450);
	});

	test('a rate-limit pause lasts its time, whatever the wall clock does', async () => {
		const gate = new RequestGate();
		gate.pause(300);
		Date.now = () => realNow() + 3_600_000;
		const started = performance.now();
		(await gate.turn(0)).settled();
		expect(performance.now() - started).toBeGreaterThanOrEqual(280);
	});
});
