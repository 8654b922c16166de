import { createHash } from 'crypto';

/**
 * What the trigger remembers for a while, per n8n process: callbacks that started an execution
 * (so that a re-delivery starts none) and the nonces of signed callbacks (so that a replay is
 * refused). Bounded by age and by size; expired entries go lazily, on access, since node code may
 * not use timers. Entries are hashed, so that a huge value in a body costs no memory here.
 */
export class Recent {
	private readonly at = new Map<string, number>();

	constructor(
		private readonly windowMs: number,
		private readonly max: number,
	) {}

	/** Whether `parts` were remembered within the window; if not, remembers them as seen now. */
	seen(parts: string[], now: number): boolean {
		const key = createHash('sha256').update(parts.join('\n')).digest('base64');
		for (const [oldest, at] of this.at) {
			if (now - at < this.windowMs && this.at.size < this.max) break;
			this.at.delete(oldest);
		}
		const at = this.at.get(key);
		if (at !== undefined && now - at < this.windowMs) return true;
		// Re-inserted at the end, so the Map stays in the order entries were seen, for the pruning.
		this.at.delete(key);
		this.at.set(key, now);
		return false;
	}
}
