import { sleep } from 'n8n-workflow';

/**
 * Paces the requests sent with one credential (tenant and App) in this n8n process, across every
 * execution and node that uses it: each request leaves at least its node's interval after the
 * previous one left, and none leaves while AICC's last rate-limit answer asks every sender to
 * wait. A CRM burst of many one-call executions is thus paced as one, and a 429 slows all.
 *
 * With pacing on, a request that passed the gate holds it until it actually leaves (n8n calls the
 * credential's authenticate just before sending, after any token exchange), and the interval
 * runs from that moment: requests delayed after the gate (a token exchange, a busy n8n) cannot
 * pile up and reach AICC together.
 */
export class RequestGate {
	private lastLeftAt = -Infinity;

	private pausedUntil = 0;

	private inTransit: Promise<void> | undefined;

	/**
	 * Resolves when a request whose node allows one every `intervalMs` may go; call the returned
	 * function when it has left (or will not be sent), at the latest when its request settles.
	 */
	async turn(intervalMs: number): Promise<() => void> {
		for (;;) {
			if (intervalMs > 0) {
				while (this.inTransit) await this.inTransit;
			}
			const now = Date.now();
			const at = Math.max(now, this.lastLeftAt + intervalMs, this.pausedUntil);
			if (at <= now) {
				this.lastLeftAt = now;
				if (intervalMs === 0) return () => {};
				let release = () => {};
				this.inTransit = new Promise<void>((resolve) => {
					release = () => {
						if (this.inTransit === transit) {
							this.inTransit = undefined;
							this.lastLeftAt = Math.max(this.lastLeftAt, Date.now());
						}
						resolve();
					};
				});
				const transit = this.inTransit;
				return release;
			}
			if (at > now) await sleep(at - now);
		}
	}

	/** Holds back every request sent with the credential for `ms`. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
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

/** What to call when a request made with this (per-request) credential object leaves. */
const departures = new WeakMap<object, () => void>();

export function onDeparture(credentials: object, left: () => void): void {
	departures.set(credentials, left);
}

/** Called by the credential's authenticate, just before n8n sends the request. */
export function departing(credentials: object): void {
	departures.get(credentials)?.();
}
