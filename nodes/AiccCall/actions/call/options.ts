import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AiccSession } from '../../transport';

/** The options both call operations share, and how they are read for an item. */
export interface CallOptions {
	numbersAsGiven: boolean;
	includeRawResponse: boolean;
	timeoutMs: number;
	maxAttempts: number;
}

/** How the whole run is paced; read once per execution, from the first item. */
export interface RunOptions {
	concurrency: number;
	/** The least time between two requests (0: no pacing). */
	intervalMs: number;
}

const DEFAULT_TIMEOUT_SECONDS = 30;
const DEFAULT_ATTEMPTS = 3;
const MAX_CONCURRENCY = 64;

export const callOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['call'] } },
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: 1,
			description:
				'How many requests may be in flight at once, for large batches. Output items keep input order and pairing whatever the setting; one token serves them all.',
		},
		{
			displayName: 'Include Raw Response',
			name: 'includeRawResponse',
			type: 'boolean',
			default: false,
			description:
				'Whether to add AICC\'s answer as it was sent, under "rawResponse" (numbers too long for JavaScript become strings)',
		},
		{
			displayName: 'Max Calls Per Second',
			name: 'callsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				"The most requests to start in any second, to stay under the tenant's limits (0 for no limit). When AICC answers with a rate limit, every request of the run waits.",
		},
		{
			displayName: 'Rate-Limit Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: DEFAULT_ATTEMPTS,
			description:
				'How many times in all to send a request that AICC rejects as too many requests (HTTP 429 or ITA 90104029), waiting longer each time and as long as AICC asks. AICC did not act on such a request, so re-sending it cannot dial twice.',
		},
		{
			displayName: 'Send Numbers As Given',
			name: 'numbersAsGiven',
			type: 'boolean',
			default: false,
			description:
				'Whether to send phone numbers exactly as entered. By default spaces, dashes, dots and parentheses are removed, so "(010) 8888-9060" is sent as 01088889060.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: DEFAULT_TIMEOUT_SECONDS,
			description:
				'How long to wait for AICC to answer a request. A request that times out is never re-sent, because AICC may already have placed the call.',
		},
	],
};

export function readCallOptions(session: AiccSession, itemIndex: number): CallOptions {
	const options = session.params.get('options', itemIndex, {}) as {
		includeRawResponse?: boolean;
		maxAttempts?: number;
		numbersAsGiven?: boolean;
		timeout?: number;
	};
	return {
		includeRawResponse: options.includeRawResponse === true,
		numbersAsGiven: options.numbersAsGiven === true,
		timeoutMs: Math.round((options.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000),
		maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_ATTEMPTS)),
	};
}

export function readRunOptions(ctx: IExecuteFunctions): RunOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as { concurrency?: number; callsPerSecond?: number };
	const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(options.concurrency ?? 1)));
	const perSecond = options.callsPerSecond ?? 0;
	return { concurrency, intervalMs: perSecond > 0 ? 1000 / perSecond : 0 };
}
