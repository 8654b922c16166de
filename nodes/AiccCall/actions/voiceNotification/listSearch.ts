import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
} from 'n8n-workflow';

import { openSession } from '../../transport';
import { templateListName } from './templateName';
import { noVoicesMessage, PAGE_SIZE, readableVoice, voicePage, type VoiceType } from './voices';

/**
 * The lists of the Voice and Template fields (resource locators, "From List"): AICC's approved
 * recordings or templates, a page of 100 at a time. AICC cannot search, so a search reads up to
 * SEARCH_PAGES pages per request and keeps the items whose name, ID or text holds the words; the
 * editor asks for more as the user scrolls.
 */
const SEARCH_PAGES = 10;
/** The editor waits for the list: no more than the node's default Timeout. */
const LIMITS = { timeoutMs: 30_000, maxAttempts: 3 };

/**
 * A list item. n8n's list shows only names, so a template's name carries how many variables it
 * takes and which, in the order the Variables field wants them (see templateName.ts):
 * "Appointment reminder (3: TXT_1, DATE, TIME)".
 */
function listItem(voice: ReturnType<typeof readableVoice>): INodeListSearchItems {
	const text = typeof voice.text === 'string' ? voice.text : '';
	const uploaded = typeof voice.uploadedAt === 'string' ? voice.uploadedAt.slice(0, 10) : '';
	const variables = Array.isArray(voice.variables) ? voice.variables.map(String) : [];
	const name = String(voice.name || voice.voiceId);
	return {
		name: templateListName(name, variables),
		value: String(voice.voiceId),
		description:
			text ||
			(uploaded ? `Audio recording, uploaded ${uploaded}` : 'Audio recording') +
				` (ID ${String(voice.voiceId)})`,
	};
}

function matches(needle: string) {
	return (voice: ReturnType<typeof readableVoice>) =>
		needle === '' ||
		[voice.name, voice.voiceId, voice.text].some((value) =>
			String(value ?? '')
				.toLowerCase()
				.includes(needle),
		);
}

async function search(
	ctx: ILoadOptionsFunctions,
	type: VoiceType,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const session = await openSession(ctx, 0);
	const needle = (filter ?? '').trim().toLowerCase();
	const start = Math.max(0, Number(paginationToken ?? 0) || 0);
	const results: INodeListSearchItems[] = [];
	let offset = start;
	for (let pages = 0; pages < (needle === '' ? 1 : SEARCH_PAGES); pages++) {
		const page = await voicePage(ctx, session, { type, offset, itemIndex: 0, limits: LIMITS });
		offset += page.length;
		results.push(...page.map(readableVoice).filter(matches(needle)).map(listItem));
		if (page.length < PAGE_SIZE) {
			if (start === 0 && offset === 0 && needle === '') {
				const { message, description } = noVoicesMessage([type]);
				throw new NodeOperationError(ctx.getNode(), message, { description });
			}
			return { results };
		}
	}
	return { results, paginationToken: String(offset) };
}

/** Approved audio recordings (type 0), for a Voice field. */
export async function searchVoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await search(this, 'audio', filter, paginationToken);
}

/** Approved text (TTS) templates (type 2), for a Template field. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await search(this, 'text', filter, paginationToken);
}
