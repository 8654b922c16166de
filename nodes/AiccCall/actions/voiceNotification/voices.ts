import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { readableCall, textOrNull } from '../../../../shared/callRecord';
import { VOICE_RESOURCES_CONSOLE } from '../../../../shared/codes';
import { aiccRequest, type AiccContext, type AiccSession } from '../../transport';

/**
 * The tenant's voice-notification recordings and TTS templates, as queryVoiceNotificationRecording
 * lists them (approved items only), for Get Voices and the Voice and Template fields' lists.
 */
const PATH = '/apiaccess/rest/voiceNotification/v1/queryVoiceNotificationRecording';

/** AICC answers at most 100 items a page (a larger limit is clamped). */
export const PAGE_SIZE = 100;

/** The two kinds of item, and AICC's type code for each. */
export const VOICE_TYPES = { audio: 0, text: 2 } as const;
export type VoiceType = keyof typeof VOICE_TYPES;

/** What a tenant without approved items is told, by the kind it asked for. */
export function noVoicesMessage(types: VoiceType[]): { message: string; description: string } {
	const what =
		types.length === 1 && types[0] === 'text'
			? 'text (TTS) templates'
			: types.length === 1
				? 'audio recordings'
				: 'recordings or text (TTS) templates';
	const tts = types.includes('text')
		? ' Text templates also need a TTS server, which the system administrator sets under ' +
			'Configuration Center > Flow Configuration > Intelligent IVR > System Management > TTS/ASR.'
		: '';
	return {
		message: `This AICC tenant has no approved voice-notification ${what}`,
		description:
			`A tenant administrator adds one in the AICC console under ${VOICE_RESOURCES_CONSOLE} ` +
			'(usage scene: Voice Notification); use it once the system administrator has approved it ' +
			`(only approved items are listed).${tts}`,
	};
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `voiceInfo` as a list: Huawei's sample sends an array, its table types it as an object; an
 * object is taken as one voice (when it has a voice_id) or as voices keyed by row.
 */
export function voiceInfoList(value: unknown): IDataObject[] {
	if (Array.isArray(value)) return value.filter(isObject);
	if (!isObject(value)) return [];
	if ('voice_id' in value) return [value];
	return Object.values(value).filter(isObject);
}

/** The text of a template: voicecontent is JSON text like {"0":{"textcontent":"…"}}. */
function templateText(voicecontent: unknown): string | null {
	let content: unknown = voicecontent;
	if (typeof content === 'string') {
		if (content.trim() === '') return null;
		try {
			content = JSON.parse(content);
		} catch {
			return content as string;
		}
	}
	if (!isObject(content)) return null;
	const language = Object.values(content).find(isObject) ?? content;
	const text = language.textcontent;
	return typeof text === 'string' ? text : null;
}

/** A voice as Get Voices outputs it. */
export function readableVoice(raw: IDataObject): IDataObject {
	const code = textOrNull(raw.type);
	const type =
		code === '0' ? 'audio' : code === '2' ? 'text' : code === null ? null : `type ${code}`;
	const text = templateText(raw.voicecontent);
	const uploaded = readableCall({ uploaddate: raw.uploaddate }, ['uploaddate'], []);
	return {
		voiceId: textOrNull(raw.voice_id) ?? '',
		name: textOrNull(raw.name) ?? '',
		type,
		text,
		variables: text ? [...text.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]) : [],
		uploadDate: textOrNull(raw.uploaddate),
		uploadedAt: (uploaded.uploaddateIso as string | null | undefined) ?? null,
		tenantSpaceName: textOrNull(raw.tenantSpaceName),
	};
}

interface PageQuery {
	type: VoiceType;
	offset: number;
	itemIndex: number;
	limits: { timeoutMs: number; maxAttempts: number };
}

/** One page of approved items of one type, from row `offset`. */
export async function voicePage(
	ctx: AiccContext,
	session: AiccSession,
	{ type, offset, itemIndex, limits }: PageQuery,
): Promise<IDataObject[]> {
	const answer = await aiccRequest(ctx, session, {
		path: PATH,
		body: { offset, limit: PAGE_SIZE, type: VOICE_TYPES[type] },
		api: 'voiceList',
		label: 'the voice list request',
		itemIndex,
		limits,
	});
	return voiceInfoList(answer.voiceInfo);
}

/**
 * A Voice or Template field: pick an approved item from AICC's list (searchable, paged), or enter
 * its ID.
 */
export function voiceLocator(
	displayName: string,
	name: string,
	type: VoiceType,
	description: string,
): INodeProperties {
	const audio = type === 'audio';
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: audio ? 'Select a recording...' : 'Select a template...',
				typeOptions: {
					searchListMethod: audio ? 'searchVoices' : 'searchTemplates',
					searchable: true,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: audio ? 'e.g. 1000000000000000001' : 'e.g. 2000000000000000001',
			},
		],
	};
}

/** The value of a resource locator (or of a plain text an expression gave instead). */
export function locatorValue(value: unknown): unknown {
	return isObject(value) && '__rl' in value ? value.value : value;
}
