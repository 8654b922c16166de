import { sleep } from 'n8n-workflow';

/**
 * Paces the requests of one node run: at most one request every `intervalMs`, and none at
 * all while AICC's last rate-limit answer asks every sender to wait.
 */
export class RequestGate {
	private nextSendAt = 0;

	private pausedUntil = 0;

	constructor(private readonly intervalMs: number) {}

	/** Resolves when this request may be sent. */
	async turn(): Promise<void> {
		for (;;) {
			const now = Date.now();
			const at = Math.max(now, this.nextSendAt, this.pausedUntil);
			if (at <= now) {
				this.nextSendAt = now + this.intervalMs;
				return;
			}
			await sleep(at - now);
		}
	}

	/** Holds back every request of the run for `ms`. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}
}
