/**
 * Date-times as a workflow means them: a text without an offset (n8n's date picker gives
 * "2026-11-01T00:00:00", a voice notification's callback "2022/02/17,13:10:06:836") is a
 * wall-clock time in the workflow's time zone (`getTimezone()`), not in the n8n process's. The
 * zone's offset comes from Intl, so no package is needed at run time.
 */

/** A date, or a date and time, with no offset or Z: its parts. */
const WALL_CLOCK =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?$/;

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** A formatter giving a zone's wall-clock parts, or null when the zone is unknown to Intl. */
function formatterOf(timeZone: string): Intl.DateTimeFormat | null {
	let formatter = formatters.get(timeZone);
	if (formatter === undefined) {
		try {
			formatter = new Intl.DateTimeFormat('en-US', {
				timeZone,
				hourCycle: 'h23',
				year: 'numeric',
				month: 'numeric',
				day: 'numeric',
				hour: 'numeric',
				minute: 'numeric',
				second: 'numeric',
			});
		} catch {
			formatter = null;
		}
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(formatter: Intl.DateTimeFormat, instant: number): number {
	const parts: Record<string, number> = {};
	for (const part of formatter.formatToParts(instant)) parts[part.type] = Number(part.value);
	const wall = Date.UTC(
		parts.year,
		parts.month - 1,
		parts.day,
		parts.hour,
		parts.minute,
		parts.second,
	);
	return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time in `timeZone` names (ms since 1970), or undefined when Intl does
 * not know the zone. Months count from 1.
 */
export function zonedTime(
	[year, month, day, hour, minute, second, ms]: number[],
	timeZone: string,
): number | undefined {
	const formatter = formatterOf(timeZone);
	if (formatter === null) return undefined;
	const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	// The offset at the guessed instant, then at the instant it gives: they differ only when a
	// daylight-saving change lies between the two.
	const guessed = offsetAt(formatter, wall);
	return wall - offsetAt(formatter, wall - guessed);
}

/**
 * Milliseconds since 1970 of a date-time text (NaN when it is none). A text without an offset
 * is read in `timeZone`, a date alone as its midnight there; a zone Intl does not know (n8n's
 * "DEFAULT") leaves it to the process's zone, as before.
 */
export function parseDateTime(text: string, timeZone: string): number {
	const match = WALL_CLOCK.exec(text.trim());
	if (!match) return Date.parse(text);
	const [year, month, day, hour, minute, second] = match
		.slice(1, 7)
		.map((part) => Number(part ?? 0));
	const ms = Math.floor(Number(`0.${match[7] ?? '0'}`) * 1000);
	const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
	// Date.UTC rolls over parts out of range (month 13, hour 25): those are no date.
	const check = new Date(wall);
	if (
		check.getUTCFullYear() !== year ||
		check.getUTCMonth() !== month - 1 ||
		check.getUTCDate() !== day ||
		check.getUTCHours() !== hour ||
		check.getUTCMinutes() !== minute
	) {
		return NaN;
	}
	const parts = [year, month, day, hour, minute, second, ms];
	return (
		zonedTime(parts, timeZone) ?? new Date(year, month - 1, day, hour, minute, second, ms).getTime()
	);
}
