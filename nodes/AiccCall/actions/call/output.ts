/** The call serial number as a string of every digit AICC sent ('' when it sent none). */
export function callSerialNoOf(result: unknown): string {
	const value = (result as { callSerialNo?: unknown } | null | undefined)?.callSerialNo;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return '';
}
