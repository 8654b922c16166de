import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { nodeOf, parameter } from '../../helpers/parameters';
import { fieldOf, labelsOf, numberField } from '../../helpers/validation';
import type { AiccSession } from '../../transport';
import type { ReadingOperation } from '../operation';
import { readCallOptions, type CallOptions } from '../options';
import { noVoicesMessage, PAGE_SIZE, readableVoice, voicePage, type VoiceType } from './voices';

/** The most items one input item returns, with Return All too. */
const MAX_VOICES = 10_000;

const TYPES: Record<string, VoiceType[]> = {
	all: ['audio', 'text'],
	audio: ['audio'],
	text: ['text'],
};

const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_VOICES },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

const properties: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'voiceType',
		type: 'options',
		options: [
			{ name: 'All', value: 'all', description: 'Audio recordings, then text templates' },
			{ name: 'Audio Recordings', value: 'audio', description: 'For Voice fields' },
			{ name: 'Text (TTS) Templates', value: 'text', description: 'For Template fields' },
		],
		default: 'all',
		description: 'Which approved items to return',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	limitField,
];

/** Appends the items of one type to `voices`, page by page, up to `limit`. */
async function readType(
	ctx: IExecuteFunctions,
	session: AiccSession,
	query: { type: VoiceType; itemIndex: number; options: CallOptions; limit: number },
	voices: IDataObject[],
): Promise<void> {
	const seen = new Set<string>();
	for (let offset = 0; voices.length < query.limit; ) {
		const page = await voicePage(ctx, session, { ...query, offset, limits: query.options });
		const fresh = page.filter((raw) => !seen.has(String(raw.voice_id)));
		for (const raw of fresh) {
			seen.add(String(raw.voice_id));
			const voice = readableVoice(raw);
			voices.push(query.options.includeRawResponse ? { ...voice, rawResponse: raw } : voice);
		}
		offset += page.length;
		// A page short of 100 is the last; one with nothing new means AICC ignored the offset.
		if (page.length < PAGE_SIZE || fresh.length === 0) return;
	}
}

async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): Promise<IDataObject[]> {
	const field = fieldOf(nodeOf(this), itemIndex, labelsOf(properties));
	const options = readCallOptions(this, itemIndex);
	const types = TYPES[parameter<string>(this, 'voiceType', itemIndex)] ?? TYPES.all;
	const returnAll = parameter<boolean>(this, 'returnAll', itemIndex);
	const limit = returnAll
		? MAX_VOICES
		: Math.floor(numberField(field('limit'), parameter(this, 'limit', itemIndex), limitField));
	const voices: IDataObject[] = [];
	for (const type of types) {
		if (voices.length >= limit) break;
		await readType(this, session, { type, itemIndex, options, limit }, voices);
	}
	if (voices.length === 0) {
		const { message, description } = noVoicesMessage(types);
		this.addExecutionHints({ message: `${message}. ${description}`, location: 'outputPane' });
	} else if (returnAll && voices.length >= MAX_VOICES) {
		this.addExecutionHints({
			message:
				`Get Voices stopped at ${MAX_VOICES.toLocaleString('en-US')} items for item ` +
				`${itemIndex}; AICC may hold more.`,
			location: 'outputPane',
		});
	}
	return voices.slice(0, limit);
}

export const operation: ReadingOperation = {
	value: 'getVoices',
	name: 'Get Voices',
	description: "List the tenant's approved recordings and text-to-speech templates",
	action: 'Get voice notification recordings and templates',
	execute,
	properties,
};
