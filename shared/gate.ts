import { sleep } from 'n8n-workflow';

const SECOND_MS = 1000;

/**
 * The gate's clock: monotonic, in ms. The wall clock (Date.now) can jump when NTP corrects it or
 * a suspended machine resumes: an hour back would hold every request for an hour, an hour ahead
 * would let a burst through.
 */
const now = () => performance.now();

/** One request that left through the gate; the answer closes it. */
interface Departure {
	/** When the request's answer (or its failure) came back; undefined while it is in flight. */
	answeredAt?: number;
	answered: Promise<void>;
	answer: () => void;
}

/** A paced request's pass: tell the gate when the request leaves and when it has settled. */
export interface Ticket {
	/**
	 * n8n is sending the request now. A second call is n8n re-sending it after a 401: the first
	 * answer is back, and the re-send waits for a turn of its own.
	 */
	departing(): Promise<void>;
	/** The request settled: answered, failed, or not sent at all. */
	settled(): void;
}

const UNPACED: Ticket = { departing: async () => {}, settled: () => {} };

function departure(): Departure {
	let answer = () => {};
	const answered = new Promise<void>((resolve) => {
		answer = resolve;
	});
	return { answered, answer };
}

function answerAll(departures: Departure[]): void {
	const answeredAt = now();
	for (const left of departures) {
		if (left.answeredAt !== undefined) continue;
		left.answeredAt = answeredAt;
		left.answer();
	}
}

/**
 * Paces the requests sent with one credential (tenant and App) in this n8n process, across every
 * execution and node that uses it, so that AICC never counts more than the limit in any second.
 *
 * Two rules, both needed:
 * - Spacing: each request leaves at least 1/limit seconds after the previous one left, and none
 *   leaves while AICC's last rate-limit answer asks every sender to wait. A request that passed
 *   the gate holds it until it actually leaves (n8n calls the credential's authenticate just
 *   before sending, after any token exchange), and the spacing runs from that moment.
 * - A window on answers: a request leaves only when the request `limit` departures before it has
 *   been answered at least a second ago. AICC received that one before it answered, so the two
 *   reach AICC a second apart or more, however long a busy n8n or the network held either.
 *   Spacing alone cannot promise that: it times departures, and AICC counts arrivals.
 * n8n re-sends a request once after a 401; the re-send waits for a turn like any request.
 */
export class RequestGate {
	private lastLeftAt = -Infinity;

	private pausedUntil = 0;

	private inTransit: Promise<void> | undefined;

	/** Departures, oldest first, from the oldest that may still hold a later request back. */
	private readonly recent: Departure[] = [];

	/**
	 * A pass for one request when at most `perSecond` may start in any second (0: no limit, yet
	 * a rate-limit pause still holds it back).
	 */
	async turn(perSecond: number): Promise<Ticket> {
		if (!(perSecond > 0)) {
			for (let at = now(); this.pausedUntil > at; at = now()) {
				await sleep(this.pausedUntil - at);
			}
			return UNPACED;
		}
		const own: Departure[] = [];
		let leave: (() => void) | undefined = await this.admit(perSecond, own);
		return {
			departing: async () => {
				if (leave !== undefined) {
					leave();
					leave = undefined;
					return;
				}
				answerAll(own);
				(await this.admit(perSecond, own))();
			},
			settled: () => {
				leave?.();
				leave = undefined;
				answerAll(own);
			},
		};
	}

	/** Holds back every request sent with the credential for `ms`. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, now() + ms);
	}

	/**
	 * Waits until a request may leave, records its departure in `own`, and returns what to call
	 * when it has left; until then the next request waits.
	 */
	private async admit(perSecond: number, own: Departure[]): Promise<() => void> {
		const intervalMs = SECOND_MS / perSecond;
		const allowed = Math.max(1, Math.floor(perSecond));
		for (;;) {
			while (this.inTransit) await this.inTransit;
			const window = this.windowFor(allowed);
			if (window instanceof Promise) {
				await window;
				continue;
			}
			const current = now();
			const at = Math.max(current, this.lastLeftAt + intervalMs, this.pausedUntil, window);
			if (at > current) {
				await sleep(at - current);
				continue;
			}
			this.lastLeftAt = current;
			const left = departure();
			this.recent.push(left);
			own.push(left);
			return this.hold();
		}
	}

	/**
	 * When the window lets the next request leave, with `allowed` in any second: a second after
	 * the latest answer among the departures `allowed` or more before it, or the first of those
	 * answers still awaited.
	 */
	private windowFor(allowed: number): number | Promise<void> {
		const current = now();
		while (
			this.recent.length > 0 &&
			(this.recent[0].answeredAt ?? current) + SECOND_MS <= current
		) {
			this.recent.shift();
		}
		let opensAt = -Infinity;
		for (let index = 0; index <= this.recent.length - allowed; index++) {
			const { answeredAt, answered } = this.recent[index];
			if (answeredAt === undefined) return answered;
			opensAt = Math.max(opensAt, answeredAt + SECOND_MS);
		}
		return opensAt;
	}

	/** Keeps the next request waiting until the returned function is called. */
	private hold(): () => void {
		let release = () => {};
		const transit = new Promise<void>((resolve) => {
			release = () => {
				if (this.inTransit === transit) {
					this.inTransit = undefined;
					this.lastLeftAt = Math.max(this.lastLeftAt, now());
				}
				resolve();
			};
		});
		this.inTransit = transit;
		return release;
	}
}

const gates = new Map<string, RequestGate>();

/** The gate of a credential, by its tenant-and-App key; one per process. */
export function gateOf(key: string): RequestGate {
	let gate = gates.get(key);
	if (gate === undefined) {
		gate = new RequestGate();
		gates.set(key, gate);
	}
	return gate;
}

/** The ticket of the request made with this (per-request) credential object. */
const tickets = new WeakMap<object, Ticket>();

export function onDeparture(credentials: object, ticket: Ticket): void {
	tickets.set(credentials, ticket);
}

/** Called by the credential's authenticate, just before n8n sends the request. */
export async function departing(credentials: object): Promise<void> {
	await tickets.get(credentials)?.departing();
}
