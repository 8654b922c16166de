import type { IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { failureError, type Failure } from '../../../shared/failures';

/**
 * Downloads a file behind a pre-signed link (AICC's recording URLs): no credential is sent, the
 * size is capped while reading, and no error or message ever shows the link's query, which holds
 * its signature. Only where the file is (scheme, host, path) is named.
 */

export interface DownloadedFile {
	data: Buffer;
	/** The Content-Type the server sent, without parameters ('' when it sent none). */
	mimeType: string;
}

export interface DownloadRequest {
	url: string;
	/** The most bytes to accept; a larger file fails the item. */
	maxBytes: number;
	timeoutMs: number;
	itemIndex: number;
	/** When the link stops working (AICC's recording links: 5 minutes after they were given). */
	expiresAt: number;
}

/** Where the link points, without its query or fragment (which may hold a signature). */
export function withoutQuery(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	} catch {
		// Not a URL at all: name nothing of it.
		return 'the recording URL';
	}
}

type Stream = AsyncIterable<Buffer> & { destroy?: () => void };

const megabytes = (bytes: number) => `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;

function tooLarge(maxBytes: number, size?: number): Failure {
	return {
		message:
			`The recording is larger than Max File Size (${megabytes(maxBytes)})` +
			(size === undefined ? '' : `: the server announced ${megabytes(size)}`),
		description:
			'Raise Max File Size (up to 1024 MB), or turn off Download Recording and fetch the URL ' +
			'in another node.',
		outcome: 'notPlaced',
	};
}

/** What a non-2xx answer from the recording server means. `said` is the start of its body. */
function httpFailure(
	status: number,
	where: string,
	said: string,
	expiresAt: number,
	now: number,
): Failure {
	const expired = /expired/i.test(said) || (status === 403 && now > expiresAt);
	if (status === 403 && expired) {
		return {
			message: 'The recording link expired before it could be downloaded (HTTP 403)',
			description:
				"AICC's recording links are valid for 5 minutes. Run the node again for a new link; " +
				"if it keeps happening, check the n8n server's clock and how long the items before " +
				`this one take. The server was ${where}.`,
			outcome: 'notPlaced',
			httpStatus: status,
		};
	}
	if (status === 403 || status === 401) {
		return {
			message: `The recording server refused the download (HTTP ${status})`,
			description:
				'The link may have expired (AICC gives 5 minutes), or this n8n may not read ' +
				`recordings from ${where}. Run the node again for a new link.`,
			outcome: 'notPlaced',
			httpStatus: status,
		};
	}
	if (status === 404) {
		return {
			message: 'The recording server has no file at the link (HTTP 404)',
			description:
				`${where} has no such file: AICC may still be saving the recording, or it was ` +
				'deleted. Try again in a minute.',
			outcome: 'notPlaced',
			httpStatus: status,
		};
	}
	return {
		message: `The recording server answered the download with HTTP ${status}`,
		description: `The server was ${where}. Try again later.`,
		outcome: 'notPlaced',
		httpStatus: status,
	};
}

function networkFailure(error: unknown, where: string, timedOut: boolean, timeoutMs: number) {
	const code = (error as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code;
	const causeCode = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
	const codes = [code, causeCode].filter((value): value is string => typeof value === 'string');
	if (timedOut || codes.some((value) => ['ECONNABORTED', 'ETIMEDOUT'].includes(value))) {
		return {
			message: `The recording download did not finish within ${timeoutMs / 1000} s`,
			description: `${where} was too slow. Raise the node's Timeout option for large recordings.`,
			outcome: 'notPlaced' as const,
		};
	}
	return {
		message: 'The recording server could not be reached',
		description:
			`The download from ${where} failed` +
			(codes.length > 0 ? ` (${codes.join(', ')})` : '') +
			". Check that this n8n may reach AICC's recording server (VPN, firewall, DNS).",
		outcome: 'notPlaced' as const,
	};
}

/** Reads a response stream to its end, or stops as soon as it holds more than `maxBytes`. */
async function readCapped(stream: Stream, maxBytes: number): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		size += chunk.length;
		if (size > maxBytes) {
			stream.destroy?.();
			return undefined;
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks, size);
}

/** The first `bytes` bytes of a stream (or all of it, when shorter); the rest is not read. */
async function readStart(stream: Stream, bytes: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		chunks.push(chunk);
		size += chunk.length;
		if (size >= bytes) break;
	}
	stream.destroy?.();
	return Buffer.concat(chunks).subarray(0, bytes);
}

const headerText = (headers: unknown, name: string): string => {
	const value = (headers as Record<string, unknown> | undefined)?.[name];
	return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : '';
};

/** The file in a response, or what is wrong with the response. */
async function fileOf(
	response: IN8nHttpFullResponse,
	request: DownloadRequest,
	where: string,
): Promise<DownloadedFile | Failure> {
	const stream = response.body as Stream;
	const status = response.statusCode;
	if (status < 200 || status >= 300) {
		const said = (await readStart(stream, 2048)).toString('utf8');
		return httpFailure(status, where, said, request.expiresAt, Date.now());
	}
	const announced = Number(headerText(response.headers, 'content-length'));
	if (Number.isFinite(announced) && announced > request.maxBytes) {
		stream.destroy?.();
		return tooLarge(request.maxBytes, announced);
	}
	const data = await readCapped(stream, request.maxBytes);
	if (data === undefined) return tooLarge(request.maxBytes);
	const mimeType = headerText(response.headers, 'content-type').split(';')[0].trim();
	return { data, mimeType };
}

/** Downloads the file; throws an item error with what went wrong and what to do. */
export async function downloadFile(
	ctx: IExecuteFunctions,
	request: DownloadRequest,
): Promise<DownloadedFile> {
	const where = withoutQuery(request.url);
	const deadline = AbortSignal.timeout(request.timeoutMs);
	const broken = (error: unknown) =>
		networkFailure(error, where, deadline.aborted, request.timeoutMs);
	const outcome = await ctx.helpers
		.httpRequest({
			method: 'GET',
			url: request.url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: deadline,
		})
		.then(
			async (response: IN8nHttpFullResponse) =>
				await fileOf(response, request, where).catch((error: unknown) => {
					(response.body as Stream).destroy?.();
					return broken(error);
				}),
			broken,
		);
	if ('data' in outcome) return outcome;
	throw failureError(ctx.getNode(), request.itemIndex, outcome);
}
