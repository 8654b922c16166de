import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnTextOf, VOICE_RESOURCES_CONSOLE, type AiccApi } from '../../../../shared/codes';
import { nodeOf, parameter } from '../../helpers/parameters';
import * as validate from '../../helpers/validation';
import type { PreparedCall } from '../../transport';
import {
	additionalFields,
	calledField,
	displayNumberOption,
	numberProperty,
	withOptional,
} from '../call/fields';
import { callSerialNoOf, withRawResponse } from '../call/output';
import type { PlacingOperation } from '../operation';
import { readCallOptions } from '../options';
import { pickedTemplate } from './templateName';
import { locatorValue, voiceLocator } from './voices';

const PATHS: Record<string, string> = {
	v1: '/apiaccess/rest/voiceNotification/v1/createVoiceNotification',
	v2: '/apiaccess/rest/voiceNotification/v2/createVoiceNotification',
};
const APIS: Record<string, AiccApi> = { v1: 'voiceNotificationV1', v2: 'voiceNotificationV2' };

/** A V2 play list holds 1 to 5 entries (code 11). */
const MAX_PLAY_LIST = 5;
/** The mobile-agent page types callBackUrl as string(256); the Base64 form must fit. */
const MAX_CALLBACK_URL = 256;

const onV1 = { show: { '/apiVersion': ['v1'] } };
const onV2 = { show: { '/apiVersion': ['v2'] } };

const priority = numberProperty(
	'Priority',
	'priority',
	[1, 9],
	9,
	'From 1 (first) to 9 (last, what AICC uses when it is not set): which notifications AICC ' +
		'places first when many wait',
);

const playTimes = numberProperty(
	'Play Times',
	'playTimes',
	[1, 5],
	1,
	'How many times to play the whole play list, 1 to 5',
	{ displayOptions: onV2 },
);

const messagePart: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Text (Read Out)', value: 'text', description: "Words AICC's TTS reads out" },
			{ name: 'Voice', value: 'voice', description: 'An approved recording' },
		],
		default: 'text',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		placeholder: 'e.g. Hello Tom, your parcel arrives today.',
		description:
			"Words AICC's TTS reads out; map CRM fields with expressions. Neither ~ nor $ (AICC " +
			'uses them to join the parts). The TTS server is set by the system administrator.',
		displayOptions: { show: { type: ['text'] } },
	},
	{
		...voiceLocator(
			'Voice',
			'voiceId',
			'audio',
			`An approved recording (${VOICE_RESOURCES_CONSOLE}), or the voice ID of an IVR voice`,
		),
		displayOptions: { show: { type: ['voice'] } },
	},
];

const playEntry: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{
				name: 'Template (TTS)',
				value: 'template',
				description: 'An approved text template, its variables filled in',
			},
			{ name: 'Voice', value: 'voice', description: 'An approved audio recording' },
			{
				name: 'Voice File Name',
				value: 'voiceFile',
				description: 'An IVR voice file, by name',
			},
		],
		default: 'template',
	},
	{
		...voiceLocator(
			'Template',
			'templateId',
			'text',
			`An approved text (TTS) template (${VOICE_RESOURCES_CONSOLE})`,
		),
		hint:
			'In the list, a name ends in how many values its template takes and which, in order, e.g. ' +
			'(3: TXT_1, DATE, TIME): add one row each under Variables, a DATE as 2026/11/05, ' +
			'a TIME as 10:30',
		displayOptions: { show: { type: ['template'] } },
	},
	{
		displayName: 'Variables',
		name: 'templateParams',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Variable' },
		default: [],
		placeholder: 'e.g. Tom (a DATE: 2026/11/05, a TIME: 10:30)',
		description:
			'One value per variable of the template, in the order its text uses them: the Template ' +
			'list shows how many it takes and which, e.g. Appointment reminder (3: TXT_1, DATE, ' +
			'TIME) takes a name, 2026/11/05, 10:30: AICC reads a DATE as YYYY/MM/DD and a TIME as ' +
			'HH:MM or HH:MM:SS. At most 10, each at most 32 bytes, without $ { }. A template ' +
			'picked From List is checked for the count and those forms before any request.',
		displayOptions: { show: { type: ['template'] } },
	},
	{
		...voiceLocator(
			'Voice',
			'voiceId',
			'audio',
			`An approved audio recording (${VOICE_RESOURCES_CONSOLE})`,
		),
		displayOptions: { show: { type: ['voice'] } },
	},
	{
		displayName: 'Voice File Name',
		name: 'voiceFileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. welcome.wav',
		description: 'The name of an IVR voice file of the tenant',
		displayOptions: { show: { type: ['voiceFile'] } },
	},
];

const properties: INodeProperties[] = [
	{
		displayName: 'API Version',
		name: 'apiVersion',
		type: 'options',
		options: [
			{
				name: 'V1',
				value: 'v1',
				description: 'The message as recordings and texts read out, in order',
			},
			{
				name: 'V2',
				value: 'v2',
				description:
					'A play list of up to 5 recordings, voice files or TTS templates with variables, ' +
					'played up to 5 times',
			},
		],
		default: 'v2',
		description: 'Which version of the voice notification API to use',
	},
	calledField('The phone number AICC calls to play the message'),
	{
		displayName: 'Message',
		name: 'voiceContent',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Part',
		default: { parts: [{ type: 'text' }] },
		required: true,
		description:
			'What AICC plays, part after part: recordings and texts read out (at most 1000 ' +
			'characters in all)',
		displayOptions: onV1,
		options: [{ name: 'parts', displayName: 'Part', values: messagePart }],
	},
	{
		displayName: 'Play List',
		name: 'playList',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Entry',
		default: { entries: [{ type: 'template' }] },
		required: true,
		description: 'What AICC plays, entry after entry (1 to 5 entries)',
		displayOptions: onV2,
		options: [{ name: 'entries', displayName: 'Entry', values: playEntry }],
	},
	additionalFields([
		{
			displayName: 'Callback URL',
			name: 'callBackUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://crm.example.com/aicc/release',
			description:
				'Where AICC posts the release (hang-up) callback of this notification, e.g. the ' +
				'production URL of an AICC Trigger. Enter it plainly; the node ' +
				'Base64-encodes it. Only letters, digits and - : . / _ # ? & are allowed, and the host ' +
				"must be on the tenant's callback trust-list.",
		},
		displayNumberOption(
			'Caller Present',
			'callerPresent',
			"The number the called party sees: empty for the tenant's access code, another access " +
				'code of the tenant, or 11 to 14 digits where O&M enabled calling number anonymization',
		),
		playTimes,
		priority,
	]),
];

const labels = () => validate.labelsOf(properties);

/** A field inside a Message part or a Play List entry, named with its place. */
function nestedField(
	field: ReturnType<typeof validate.fieldOf>,
	list: string,
	group: string,
	index: number,
	name: string,
): validate.FieldRef {
	const inner = field(name);
	const where = `${field(list).label} ${field(group).label.toLowerCase()} ${index + 1}`;
	return { ...inner, label: `${where}: ${inner.label}` };
}

const asEntries = (value: unknown, key: string): IDataObject[] => {
	const entries = (value as IDataObject | undefined)?.[key];
	return Array.isArray(entries) ? (entries as IDataObject[]) : [];
};

/** V1: the Message's parts, each a voice ID or `$text$`, joined by ~. */
function v1Content(field: ReturnType<typeof validate.fieldOf>, value: unknown): string {
	const parts = asEntries(value, 'parts').map((part, index) => {
		const at = (name: string) => nestedField(field, 'voiceContent', 'parts', index, name);
		if (part.type === 'voice') return validate.voiceId(at('voiceId'), locatorValue(part.voiceId));
		return `$${validate.spokenText(at('text'), part.text)}$`;
	});
	return validate.voiceContent(field('voiceContent'), parts);
}

/** V2: the Play List's entries, as AICC's playList. */
function v2PlayList(field: ReturnType<typeof validate.fieldOf>, value: unknown): IDataObject[] {
	const entries = asEntries(value, 'entries');
	if (entries.length === 0 || entries.length > MAX_PLAY_LIST) {
		throw validate.invalidField(
			field('playList'),
			`has ${entries.length} entries; AICC takes 1 to ${MAX_PLAY_LIST}`,
			entries.length === 0
				? 'Add an entry: a template, a recording or a voice file.'
				: `Play at most ${MAX_PLAY_LIST} entries; combine recordings into one if needed.`,
		);
	}
	return entries.map((entry, index): IDataObject => {
		const at = (name: string) => nestedField(field, 'playList', 'entries', index, name);
		if (entry.type === 'voice')
			return { voiceId: validate.voiceId(at('voiceId'), locatorValue(entry.voiceId)) };
		if (entry.type === 'voiceFile') {
			const name = String(entry.voiceFileName ?? '').trim();
			if (name === '') {
				throw validate.invalidField(
					at('voiceFileName'),
					'is empty',
					'Enter the name of an IVR voice file of the tenant, e.g. welcome.wav.',
				);
			}
			return { voiceFileName: name };
		}
		const templateId = validate.voiceId(at('templateId'), locatorValue(entry.templateId));
		const params = validate.templateParams(
			at('templateParams'),
			entry.templateParams,
			pickedTemplate(entry.templateId),
		);
		return params.length > 0 ? { templateId, templateParams: params } : { templateId };
	});
}

/** Checks the item's fields and builds its request; sends nothing. */
function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const field = validate.fieldOf(nodeOf(this), itemIndex, labels());
	const options = readCallOptions(this, itemIndex);
	const version = parameter<string>(this, 'apiVersion', itemIndex) === 'v1' ? 'v1' : 'v2';
	const additional = parameter<IDataObject>(this, 'additionalFields', itemIndex);
	const called = validate.allowedCalledNumber(
		field('called'),
		validate.phoneNumber(
			field('called'),
			parameter(this, 'called', itemIndex),
			options.numbersAsGiven,
			'13800138000',
		),
		options.allowedCalledNumbers,
	);
	const body: IDataObject = { called };
	let content: string;
	if (version === 'v1') {
		body.voiceContent = v1Content(field, parameter(this, 'voiceContent', itemIndex));
		content = body.voiceContent as string;
	} else {
		body.playList = v2PlayList(field, parameter(this, 'playList', itemIndex));
		content = JSON.stringify(body.playList);
	}
	if (version === 'v1' && additional.playTimes !== undefined && additional.playTimes !== '') {
		throw validate.invalidField(
			field('playTimes'),
			'is set, but V1 does not take it',
			'Remove Play Times from Additional Fields, or choose API Version V2.',
		);
	}
	const number = (property: INodeProperties) =>
		additional[property.name] === undefined || additional[property.name] === ''
			? undefined
			: validate.wholeNumberField(field(property.name), additional[property.name], property);
	const times = number(playTimes);
	if (times !== undefined) body.playTimes = times;
	withOptional(body, {
		callerPresent: validate.displayNumber(
			field('callerPresent'),
			additional.callerPresent,
			options.numbersAsGiven,
		),
		callBackUrl: validate.callbackUrlWithin(
			field('callBackUrl'),
			additional.callBackUrl,
			MAX_CALLBACK_URL,
		),
		// Typed as a string on the V1 page; V2's page gives no type.
		priority: number(priority)?.toString(),
	});

	return {
		request: {
			path: PATHS[version],
			body,
			api: APIS[version],
			label: 'the voice notification request',
			itemIndex,
			limits: options,
		},
		sameCall: [called, String(body.callerPresent ?? ''), content, String(times ?? '')],
		output: (answer) =>
			withRawResponse(
				{
					success: true,
					retCode: '0',
					message:
						returnTextOf(answer) ||
						'AICC accepted the voice notification: it calls the number and plays the message',
					callSerialNo: callSerialNoOf(answer.result),
				},
				answer,
				options,
			),
	};
}

export const operation: PlacingOperation = {
	value: 'create',
	name: 'Create Voice Notification',
	description: 'Call a number and play a recorded or text-to-speech message',
	prepare,
	sameCallMeans: 'the same called number, Caller Present, message and Play Times',
	properties,
};
