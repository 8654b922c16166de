import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The trigger's Secret: a text the callback URL carries in its query, for tenants whose callbacks
 * are not signed (URLs set in the AICC console never are).
 */

/** SHA-256 of a text: both sides of a comparison are 32 bytes, whatever their lengths. */
const digestOf = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether `secret` is one of `candidates`, in time that depends neither on the secret's length
 * nor on how much of it a candidate matched: digests are compared, every candidate is compared.
 */
function oneOf(candidates: string[], secret: string): boolean {
	const wanted = digestOf(secret);
	let found = false;
	for (const candidate of candidates) {
		if (timingSafeEqual(digestOf(candidate), wanted)) found = true;
	}
	return found;
}

/** A query part as sent, and percent-decoded when that differs (and is valid). */
function spellings(part: string): string[] {
	try {
		const decoded = decodeURIComponent(part);
		return decoded === part ? [part] : [part, decoded];
	} catch {
		// Not valid percent-encoding (e.g. a secret holding a bare %): only the text as sent.
		return [part];
	}
}

/**
 * What a callback's URL may carry as the secret: the whole raw query (`?s3cret`, which AICC's
 * callBackUrl allows), the rest after `secret=`, each `&`-separated part and each `secret=`
 * value, as sent and percent-decoded; then what n8n's query parser made of it. The raw query
 * matters: n8n's parser splits at & and =, reads + as a space, decodes %XX and makes objects of
 * [ ], so a secret holding one of these never matches the parsed query alone.
 */
function secretCandidates(rawQuery: string | undefined, query: IDataObject): string[] {
	const candidates: string[] = [];
	if (rawQuery !== undefined && rawQuery !== '') {
		const parts = [rawQuery, ...rawQuery.split('&')];
		for (const part of parts) {
			candidates.push(...spellings(part));
			if (part.startsWith('secret=')) candidates.push(...spellings(part.slice('secret='.length)));
		}
	}
	if (typeof query.secret === 'string') candidates.push(query.secret);
	candidates.push(...Object.keys(query));
	return candidates;
}

/** The raw query of the request URL (after the first ?), or undefined when it has none. */
function rawQueryOf(request: { originalUrl?: unknown; url?: unknown }): string | undefined {
	const url = typeof request.originalUrl === 'string' ? request.originalUrl : request.url;
	if (typeof url !== 'string') return undefined;
	const at = url.indexOf('?');
	return at === -1 ? undefined : url.slice(at + 1);
}

/** Whether the request carries the secret, in its raw URL or in the query n8n parsed. */
export function carriesSecret(
	request: { originalUrl?: unknown; url?: unknown; query?: unknown },
	secret: string,
): boolean {
	const query = (request.query ?? {}) as IDataObject;
	return oneOf(secretCandidates(rawQueryOf(request), query), secret);
}
