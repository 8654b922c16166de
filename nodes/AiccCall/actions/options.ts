import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { nodeOf, parameter } from '../helpers/parameters';
import { fieldOf, numberField, numberPrefixes } from '../helpers/validation';
import { numberProperty } from './call/fields';

/** The node's Options, shared by every operation, and how they are read for an item. */
export interface CallOptions {
	numbersAsGiven: boolean;
	includeRawResponse: boolean;
	timeoutMs: number;
	maxAttempts: number;
	/** Number prefixes a called number must start with (empty: any number). */
	allowedCalledNumbers: string[];
}

/** How the whole run is paced. */
export interface RunOptions {
	concurrency: number;
	/** The most requests to start in any second with the credential (0: no limit). */
	perSecond: number;
}

const concurrencyOption = numberProperty(
	'Concurrency',
	'concurrency',
	[1, 64],
	1,
	'How many requests may be in flight at once, for large batches. Output items keep ' +
		'input order and pairing whatever the setting; one token serves them all.',
);

const callsPerSecondOption = numberProperty(
	'Max Calls Per Second',
	'callsPerSecond',
	[0, 1000],
	0,
	'The most calls to place in any second with this credential, to stay under the ' +
		"tenant's limits (0 for no limit; fractions such as 0.5 allowed). It holds across every " +
		'execution in this n8n process (e.g. many CRM webhooks at once); when AICC answers with ' +
		'a rate limit, they all wait.',
);

const attemptsOption = numberProperty(
	'Rate-Limit Attempts',
	'maxAttempts',
	[1, 10],
	3,
	'How many times in all to send a request that AICC rejects as too many requests (HTTP ' +
		'429 or ITA 90104029), waiting longer each time and as long as AICC asks. AICC did ' +
		'not act on such a request, so re-sending it cannot dial twice.',
);

const windowOption = numberProperty(
	'Duplicate Window (Minutes)',
	'duplicateWindow',
	[0, 1440],
	10,
	'Within this time, the same call from this node (same called number and content, ' +
		'or the same Duplicate Key) is not placed again, across executions, restarts and ' +
		'queue-mode workers: its item says which call it repeats. It counts in steps of this ' +
		'length, so a repeat is held back for this time to twice it (the item says until when). ' +
		'Catches webhooks delivered twice and AI agents calling in a loop; 0 turns it off.',
);

const timeoutOption = numberProperty(
	'Timeout (Seconds)',
	'timeout',
	[1, 600],
	30,
	'How long to wait for AICC to answer a request. A request that times out is never ' +
		're-sent, because AICC may already have placed the call.',
);

/**
 * The Options collection. The options about placing calls (Allowed Called Numbers, Duplicate Key,
 * Duplicate Window, Max Calls Per Second, Send Numbers As Given) show only for the operations
 * that place calls, the others for every operation.
 */
export function optionsProperty(placingOperations: string[]): INodeProperties {
	const forPlacing = { displayOptions: { show: { '/operation': placingOperations } } };
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allowed Called Numbers',
				name: 'allowedCalledNumbers',
				type: 'string',
				default: '',
				placeholder: 'e.g. +86138, 0755, 138111',
				description:
					'Number prefixes, separated by commas, that a called number must start with (after ' +
					'spaces, dashes and brackets are removed); empty allows any number. An item whose ' +
					'number matches none fails without a request. With Send Numbers As Given, the number ' +
					'must then be digits only (a leading + is allowed). Set it before giving the node to ' +
					'an AI agent or to a form anyone can fill.',
				...forPlacing,
			},
			concurrencyOption,
			{
				displayName: 'Duplicate Key',
				name: 'duplicateKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.eventId }}',
				description:
					'A value that names the call, such as the ID of the CRM event that asked for it: ' +
					'calls with the same key are the same call for Duplicate Window, whatever their ' +
					'numbers. Empty: the same called number and content make the same call ' +
					'(bidirectional: agent and call data; anonymous: call data; voice notification: ' +
					'Caller Present, message and Play Times).',
				...forPlacing,
			},
			{ ...windowOption, ...forPlacing },
			{
				displayName: 'Include Raw Response',
				name: 'includeRawResponse',
				type: 'boolean',
				default: false,
				description:
					'Whether to add AICC\'s answer as it was sent, under "rawResponse" (numbers too long ' +
					'for JavaScript become strings)',
				// Get Call Records returns the records themselves, one item each.
				displayOptions: { hide: { '/operation': ['getRecords'] } },
			},
			{ ...callsPerSecondOption, ...forPlacing },
			attemptsOption,
			{
				displayName: 'Send Numbers As Given',
				name: 'numbersAsGiven',
				type: 'boolean',
				default: false,
				description:
					'Whether to send phone numbers exactly as entered. By default spaces, dashes, dots and ' +
					'parentheses are removed, so "(010) 8888-9060" is sent as 01088889060.',
				...forPlacing,
			},
			timeoutOption,
		],
	};
}

interface OptionValues {
	allowedCalledNumbers?: string;
	duplicateKey?: unknown;
	duplicateWindow?: unknown;
	callsPerSecond?: unknown;
	concurrency?: unknown;
	includeRawResponse?: boolean;
	maxAttempts?: unknown;
	numbersAsGiven?: boolean;
	timeout?: unknown;
}

/**
 * A number option within the bounds its property declares, its default where the item leaves
 * it out (n8n fills in no defaults inside a collection).
 */
function optionNumber(
	field: ReturnType<typeof fieldOf>,
	options: OptionValues,
	property: INodeProperties,
	example?: number,
): number {
	const value = options[property.name as keyof OptionValues] ?? property.default;
	return numberField(field(property.name, property.displayName), value, property, example);
}

/**
 * The item's options, each checked against its bounds (an expression or an imported workflow
 * may set any value).
 */
export function readCallOptions(ctx: IExecuteFunctions, itemIndex: number): CallOptions {
	const options = parameter<OptionValues>(ctx, 'options', itemIndex);
	const field = fieldOf(nodeOf(ctx), itemIndex);
	const numbersAsGiven = options.numbersAsGiven === true;
	const timeout = optionNumber(field, options, timeoutOption);
	const attempts = optionNumber(field, options, attemptsOption);
	return {
		includeRawResponse: options.includeRawResponse === true,
		numbersAsGiven,
		timeoutMs: Math.round(timeout * 1000),
		maxAttempts: Math.floor(attempts),
		allowedCalledNumbers: numberPrefixes(
			field('allowedCalledNumbers', 'Allowed Called Numbers'),
			options.allowedCalledNumbers,
			numbersAsGiven,
		),
	};
}

/** How an item of an operation that places calls is told from a repeat of an earlier call. */
export interface RepeatOptions {
	/** The Duplicate Window in ms (0: off). */
	windowMs: number;
	/** The user's Duplicate Key ('' for none). */
	key: string;
}

export function readRepeatOptions(ctx: IExecuteFunctions, itemIndex: number): RepeatOptions {
	const options = parameter<OptionValues>(ctx, 'options', itemIndex);
	const field = fieldOf(nodeOf(ctx), itemIndex);
	const minutes = optionNumber(field, options, windowOption);
	const key = options.duplicateKey;
	return {
		windowMs: Math.round(minutes * 60_000),
		key: key === undefined || key === null ? '' : String(key),
	};
}

/**
 * How the whole run is paced; read once per execution, from the first item. Max Calls Per Second
 * paces only operations that place calls (`placing`): the editor shows it for no other, so a
 * value kept from another operation does not hold a query back.
 */
export function readRunOptions(ctx: IExecuteFunctions, placing: boolean): RunOptions {
	const options = parameter<OptionValues>(ctx, 'options', 0);
	const field = fieldOf(nodeOf(ctx), 0);
	// Their defaults (1, no limit) make poor examples of a value to set.
	const concurrency = optionNumber(field, options, concurrencyOption, 16);
	const perSecond = placing ? optionNumber(field, options, callsPerSecondOption, 10) : 0;
	return {
		concurrency: Math.floor(concurrency),
		perSecond,
	};
}
