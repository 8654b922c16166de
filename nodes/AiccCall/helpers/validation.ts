import { NodeOperationError, type INode, type INodeProperties } from 'n8n-workflow';

import { parseDateTime } from '../../../shared/time';

/**
 * Checks of every field against AICC's documented limits, done before any request
 * is sent. Each failure names the field, the item and the fix.
 */
export interface FieldRef {
	node: INode;
	itemIndex: number;
	/** The label the user sees, e.g. "Called". */
	label: string;
	/** The parameter name, which is also AICC's field name. */
	name: string;
}

/** A field's label by its parameter name, nested fields (collections, fixed collections) too. */
export type Labels = ReadonlyMap<string, string>;

const labelCache = new WeakMap<readonly INodeProperties[], Labels>();

/**
 * The labels of fields as their definitions write them, so that an error names a field with the
 * label the editor shows, written once. A name used twice must carry the same label.
 */
export function labelsOf(properties: readonly INodeProperties[]): Labels {
	let labels = labelCache.get(properties);
	if (labels) return labels;
	const found = new Map<string, string>();
	const visit = (list: readonly INodeProperties[]) => {
		for (const property of list) {
			const known = found.get(property.name);
			if (known !== undefined && known !== property.displayName) {
				throw new Error(
					`The field ${property.name} is labelled both "${known}" and "${property.displayName}"`,
				);
			}
			found.set(property.name, property.displayName);
			for (const option of property.options ?? []) {
				if ('displayName' in option && 'type' in option) visit([option as INodeProperties]);
				else if ('values' in option) {
					// A fixed collection's group, e.g. "Part" of "Message": its label names an entry.
					found.set(option.name, option.displayName);
					visit(option.values);
				}
			}
		}
	};
	visit(properties);
	labels = found;
	labelCache.set(properties, labels);
	return labels;
}

/**
 * Names the fields of one item, for the checks below: by the label given, or, with `labels`, by
 * the label of the field's definition.
 */
export function fieldOf(node: INode, itemIndex: number, labels?: Labels) {
	return (name: string, label?: string): FieldRef => {
		const shown = label ?? labels?.get(name);
		if (shown === undefined) throw new Error(`No field named ${name} has a label`);
		return { node, itemIndex, label: shown, name };
	};
}

/** An item's number as the editor shows it: the first item is item 1. */
export function itemNumber(itemIndex: number): number {
	return itemIndex + 1;
}

/**
 * The error for an invalid field: nothing was sent, so the call was not placed. The message says
 * what is wrong (the field, the item as the editor numbers it, the problem), the description how
 * to fix it: n8n shows the two together. As an AI agent's tool (n8n's `…Tool` variant) the node
 * gets one item per call, so the message names no item; and the model receives the message
 * alone, so there it holds the fix as well (and there is no description to repeat it).
 */
export function invalidField(field: FieldRef, problem: string, fix: string): NodeOperationError {
	const asTool = field.node.type.endsWith('Tool');
	const where = asTool ? '' : ` in item ${itemNumber(field.itemIndex)}`;
	// The parameter name only where it is not the label's last word again: "Called", not
	// "Called (called)"; "Message part 1: Text", not "… Text (text)".
	const named =
		field.name.toLowerCase() === field.label.split(' ').pop()?.toLowerCase()
			? field.label
			: `${field.label} (${field.name})`;
	const what = `${named}${where} ${problem}`;
	const error = asTool
		? new NodeOperationError(field.node, `${what}. ${fix}`, { itemIndex: field.itemIndex })
		: new NodeOperationError(field.node, what, { itemIndex: field.itemIndex, description: fix });
	error.context.outcome = 'notPlaced';
	return error;
}

/**
 * The most characters of a user's value an error quotes: more than any valid number, serial
 * number or date-time, enough to recognise the value. A longer one is cut, with its length, so a
 * huge bad value does not make an error (saved with the execution) as large.
 */
const QUOTED_MAX = 60;

/** A value as an error quotes it: in quotes, cut after QUOTED_MAX characters. */
export function quoted(text: string): string {
	if (text.length <= QUOTED_MAX) return `"${text}"`;
	// Not half of a character written as two UTF-16 units.
	const head = text.slice(0, QUOTED_MAX).replace(/[\uD800-\uDBFF]$/, '');
	return `"${head}…" (${text.length} characters)`;
}

/** Any value as an error quotes it: text quoted, anything else as JSON, cut the same way. */
function shown(value: unknown): string {
	if (typeof value === 'string') return quoted(value);
	const json = JSON.stringify(value) ?? String(value);
	return json.length <= QUOTED_MAX
		? json
		: `${json.slice(0, QUOTED_MAX)}… (${json.length} characters)`;
}

/** The first entries of a list an error names, and how many more there are. */
function listed(entries: readonly string[], most = 10): string {
	const named = entries.slice(0, most).join(', ');
	return entries.length > most ? `${named} and ${entries.length - most} more` : named;
}

/** A URL as an error quotes it: without its query or fragment, which may hold secrets. */
function quotedUrl(text: string): string {
	const cut = text.search(/[?#]/);
	return quoted(cut === -1 ? text : `${text.slice(0, cut + 1)}…`);
}

const FORMATTING_CHARACTERS = /[\s\-.()]/g;
const DIALABLE = /^\+?[0-9*#]+$/;
const MAX_NUMBER_LENGTH = 32;
/** Even a short service number (110, 10086) has 3 digits; fewer is a typo or a cut-off number. */
const MIN_NUMBER_DIGITS = 3;

function asText(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : String(value);
}

/**
 * Refuses a value holding `{{`: an expression typed while its field was set to Fixed, which n8n
 * passes on as typed. Only for fields whose valid values never hold braces (numbers, IDs).
 */
function notTypedExpression(field: FieldRef, text: string): void {
	if (!text.includes('{{')) return;
	throw invalidField(
		field,
		`is ${quoted(text)}, an expression typed while the field is set to Fixed`,
		'In Fixed mode n8n passes {{ }} on as typed: hover over the field and choose Expression ' +
			'above it, or drag a field from the input panel onto it.',
	);
}

/**
 * A number field's value as text: a phone number is text or a number. A list (an expression that
 * returned an array) would be sent as "a,b", and an object as "[object Object]": both are refused.
 */
function numberText(field: FieldRef, value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	if (Array.isArray(value)) {
		const entries = `${value.length} ${value.length === 1 ? 'entry' : 'entries'}`;
		throw invalidField(
			field,
			`is a list (${entries}), not one phone number`,
			'Map one number per item, e.g. {{ $json.phones[0] }}, or split the list into items ' +
				'first (Split Out node).',
		);
	}
	const what = typeof value === 'object' ? 'an object' : `${String(value)} (${typeof value})`;
	throw invalidField(
		field,
		`is ${what}, not one phone number`,
		'Map the number itself, as text or a number, e.g. {{ $json.contact.phone }}.',
	);
}

/**
 * In a number that is mostly digits, the first character that is not one: a newcomer squinted at
 * "138-0013-800O" to find the letter O. Text with fewer digits than a number says enough itself.
 */
function whyNotDialable(number: string): string {
	const characters = [...number];
	if (characters.filter((character) => /[0-9]/.test(character)).length < MIN_NUMBER_DIGITS)
		return '';
	const at = characters.findIndex(
		(character, index) => !/[0-9*#]/.test(character) && !(character === '+' && index === 0),
	);
	const character = characters[at];
	if (character === '+') return ' ("+" may only come first)';
	if (/[０-９]/.test(character)) return ` ("${character}" is a full-width digit: type 0-9)`;
	if (/\p{L}/u.test(character)) return ` (the letter "${character}" is not a digit)`;
	if (/[\p{N}\p{P}\p{S}]/u.test(character)) return ` ("${character}" is not a digit)`;
	const code = character.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
	return ` (it holds the invisible character U+${code})`;
}

/**
 * A phone number AICC will dial. Spaces, dashes, dots and parentheses are removed unless
 * `asGiven` is set; then only the length is checked.
 */
export function phoneNumber(
	field: FieldRef,
	value: unknown,
	asGiven: boolean,
	example: string,
): string {
	const raw = numberText(field, value);
	notTypedExpression(field, raw);
	const number = asGiven ? raw : raw.replace(FORMATTING_CHARACTERS, '');
	if (number.trim() === '') {
		throw invalidField(
			field,
			'is empty',
			`Enter a phone number, e.g. ${example}, or map one from an earlier node.`,
		);
	}
	if (number.length > MAX_NUMBER_LENGTH) {
		throw invalidField(
			field,
			`has ${number.length} characters; AICC takes at most ${MAX_NUMBER_LENGTH}`,
			`Shorten it to a plain number, e.g. ${example}.`,
		);
	}
	if (!asGiven && !DIALABLE.test(number)) {
		throw invalidField(
			field,
			`is ${quoted(raw)}, which is not a phone number${whyNotDialable(number)}`,
			`Use digits, with a leading + if needed, e.g. ${example}; spaces, dashes, dots and ` +
				'brackets are fine (they are removed before sending).',
		);
	}
	const digits = number.replace(/\D/g, '').length;
	if (!asGiven && digits < MIN_NUMBER_DIGITS) {
		throw invalidField(
			field,
			`is ${quoted(raw)}, too short for a phone number (at least ${MIN_NUMBER_DIGITS} digits)`,
			`Enter the whole number, e.g. ${example}, or check what the earlier node mapped here. ` +
				'To send a number exactly as typed, turn on Send Numbers As Given.',
		);
	}
	return number;
}

/**
 * The number prefixes an Allowed Called Numbers list holds, cleaned like the numbers they are
 * compared with. Empty: any number may be called.
 */
export function numberPrefixes(field: FieldRef, value: unknown, asGiven: boolean): string[] {
	const prefixes = asText(value)
		.split(/[,;\n]/)
		.map((entry) => (asGiven ? entry.trim() : entry.replace(FORMATTING_CHARACTERS, '')))
		.filter((entry) => entry !== '');
	const bad = prefixes.find((prefix) => !DIALABLE.test(prefix));
	if (bad !== undefined) {
		throw invalidField(
			field,
			`holds ${quoted(bad)}, which is not a number prefix`,
			'List number prefixes separated by commas, e.g. +86138, 0755, 138111.',
		);
	}
	return prefixes;
}

/**
 * The called number, if it starts with one of the allowed prefixes (or none are set). With a list
 * set it must also be one dialable number: sent as given, "13800138000,13900139000" starts with an
 * allowed prefix, yet AICC could dial the second number too.
 */
export function allowedCalledNumber(
	field: FieldRef,
	number: string,
	prefixes: readonly string[],
): string {
	if (prefixes.length === 0) return number;
	if (!prefixes.some((prefix) => number.startsWith(prefix))) {
		throw invalidField(
			field,
			`is ${number}, which matches none of the Allowed Called Numbers (${listed(prefixes)})`,
			"Check the number. If it should be callable, add its prefix to the node's Allowed " +
				'Called Numbers option.',
		);
	}
	if (!DIALABLE.test(number)) {
		throw invalidField(
			field,
			`is ${quoted(number)}, which is not one dialable number`,
			'With Allowed Called Numbers set, a number sent as given must be digits only (a leading ' +
				'+ is allowed), so that the list holds for everything AICC could dial. Enter one ' +
				'number per item, or turn off Send Numbers As Given to have spaces, dashes and ' +
				'brackets removed.',
		);
	}
	return number;
}

/**
 * A number option within its bounds, also when an expression or an imported workflow set it
 * (the editor's own limits do not apply there).
 */
export function numberInRange(
	field: FieldRef,
	value: unknown,
	min: number,
	max: number,
	example: number,
): number {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value)
				: NaN;
	if (!Number.isFinite(number) || number < min || number > max) {
		throw invalidField(
			field,
			`is ${shown(value)}; it must be a number from ${min} to ${max}`,
			`Set ${field.label} to a number from ${min} to ${max}, e.g. ${example}.`,
		);
	}
	return number;
}

/** A number field within the bounds its description declares; the example is its default. */
export function numberField(
	field: FieldRef,
	value: unknown,
	property: INodeProperties,
	example = property.default as number,
): number {
	const { minValue = -Infinity, maxValue = Infinity } = property.typeOptions ?? {};
	return numberInRange(field, value, minValue, maxValue, example);
}

/** A number shown to the other side: an access code, or 11 to 14 digits with anonymization. */
export function displayNumber(
	field: FieldRef,
	value: unknown,
	asGiven: boolean,
): string | undefined {
	const raw = numberText(field, value);
	notTypedExpression(field, raw);
	const number = asGiven ? raw : raw.replace(FORMATTING_CHARACTERS, '');
	if (number === '') return undefined;
	if (!/^[0-9]+$/.test(number) || number.length > MAX_NUMBER_LENGTH) {
		throw invalidField(
			field,
			`is ${quoted(raw)}; it must be digits only, at most ${MAX_NUMBER_LENGTH}`,
			"Use the tenant's access code (e.g. 95599), or an 11 to 14 digit number where O&M " +
				'enabled calling number anonymization.',
		);
	}
	return number;
}

export function agentWorkNo(field: FieldRef, value: unknown): string | undefined {
	const text = asText(value).trim();
	notTypedExpression(field, text);
	if (text === '') return undefined;
	if (!/^[0-9]{1,5}$/.test(text)) {
		throw invalidField(
			field,
			`is ${quoted(text)}; it must be 1 to 5 digits`,
			"Enter the agent's work number, e.g. 10086.",
		);
	}
	return text;
}

const MAX_CALL_DATA = 1024;

export function callData(field: FieldRef, value: unknown): string | undefined {
	const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : asText(value);
	if (text === '') return undefined;
	if (text.length > MAX_CALL_DATA) {
		throw invalidField(
			field,
			`has ${text.length} characters; AICC takes at most ${MAX_CALL_DATA}`,
			'Send a shorter reference, e.g. a CRM record ID, instead of the full record.',
		);
	}
	return text;
}

const CALLBACK_CHARACTERS = /^[a-zA-Z0-9\-:./_#?&]+$/;

/** A release callback URL: checked in its plain form, sent Base64-encoded as AICC requires. */
export function callbackUrl(field: FieldRef, value: unknown): string | undefined {
	const text = asText(value).trim();
	if (text === '') return undefined;
	if (!/^https?:\/\/[^/]/i.test(text)) {
		throw invalidField(
			field,
			`is ${quotedUrl(text)}, which is not an http(s) URL`,
			'Enter the full URL, e.g. https://crm.example.com/aicc/release.',
		);
	}
	const bad = [...new Set(Array.from(text).filter((char) => !CALLBACK_CHARACTERS.test(char)))];
	if (bad.length > 0) {
		throw invalidField(
			field,
			`contains ${listed(bad.map((char) => `"${char}"`))}, which AICC does not allow`,
			'Use only letters, digits and - : . / _ # ? & (no spaces, %, = or +), e.g. ' +
				'https://crm.example.com/aicc/release.',
		);
	}
	return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * A release callback URL, checked as callbackUrl does, whose Base64 form fits `max` characters
 * (the voice notification's mobile-agent page types callBackUrl as string(256)).
 */
export function callbackUrlWithin(
	field: FieldRef,
	value: unknown,
	max: number,
): string | undefined {
	const encoded = callbackUrl(field, value);
	if (encoded !== undefined && encoded.length > max) {
		throw invalidField(
			field,
			`has ${asText(value).trim().length} characters, ${encoded.length} once Base64-encoded; ` +
				`AICC takes at most ${max}`,
			`Use a URL of at most ${Math.floor((max * 3) / 4)} characters.`,
		);
	}
	return encoded;
}

/** A whole number within the bounds its field declares (e.g. a priority). */
export function wholeNumberField(
	field: FieldRef,
	value: unknown,
	property: INodeProperties,
): number {
	const number = numberField(field, value, property);
	if (!Number.isInteger(number)) {
		throw invalidField(
			field,
			`is ${number}; it must be a whole number`,
			`Set ${field.label} to a whole number, e.g. ${String(property.default)}.`,
		);
	}
	return number;
}

/**
 * The ID of a voice-notification recording or template, as a resource locator or an expression
 * gives it. V1 joins IDs with ~ and marks texts with $, so an ID holds neither (nor spaces).
 */
export function voiceId(field: FieldRef, value: unknown): string {
	const text = asText(value).trim();
	if (text === '') {
		throw invalidField(
			field,
			'is empty',
			'Pick one From List, or enter its ID (By ID), e.g. 1000000000000000001.',
		);
	}
	if (/[~$\s]/.test(text)) {
		throw invalidField(
			field,
			`is "${text}", which is not a voice ID`,
			'Pick one From List, or enter the ID AICC shows for it.',
		);
	}
	return text;
}

/** A text of a V1 message, read out by TTS: sent as $text$ between ~, so it may hold neither. */
export function spokenText(field: FieldRef, value: unknown): string {
	const text = asText(value).trim();
	if (text === '') {
		throw invalidField(field, 'is empty', 'Enter the words to read out, or remove the part.');
	}
	const bad = [...new Set(text.match(/[~$]/g) ?? [])];
	if (bad.length > 0) {
		throw invalidField(
			field,
			`contains ${bad.map((char) => `"${char}"`).join(' and ')}, which would break the ` +
				'message (AICC joins its parts with ~ and marks texts with $)',
			'Remove ~ and $ from the text, e.g. write "20 dollars" instead of "$20".',
		);
	}
	return text;
}

/** AICC's page says 1000 characters, its mobile-agent twin 1024: the lower holds for both. */
const MAX_VOICE_CONTENT = 1000;

/** V1's voiceContent: the parts joined by ~, at least one, at most 1000 characters. */
export function voiceContent(field: FieldRef, parts: string[]): string {
	if (parts.length === 0) {
		throw invalidField(
			field,
			'has no parts',
			'Add a part: a voice from the list, or a text to read out.',
		);
	}
	const content = parts.join('~');
	const length = [...content].length;
	if (length > MAX_VOICE_CONTENT) {
		throw invalidField(
			field,
			`has ${length} characters once its parts are joined; AICC takes at most ` + MAX_VOICE_CONTENT,
			'Shorten the texts, or play a recording or a template instead.',
		);
	}
	return content;
}

const MAX_TEMPLATE_PARAMS = 10;
const MAX_TEMPLATE_PARAM_BYTES = 32;

const values = (count: number) => `${count} ${count === 1 ? 'value' : 'values'}`;

/**
 * The forms AICC reads a template's date and time variables in (${DATE} as YYYY/MM/DD, ${TIME} as
 * HH:MM[:SS]), by the variable's name: a newcomer had to find them in an example's expressions.
 */
const VARIABLE_FORMS = [
	{
		variable: /^DATE(_\d+)?$/,
		form: /^\d{4}\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])$/,
		what: 'a date as YYYY/MM/DD',
		fix:
			'Write it as e.g. 2026/11/05; from a date field, in its own time zone: ' +
			"{{ DateTime.fromISO($json.date, { setZone: true }).toFormat('yyyy/MM/dd') }}.",
	},
	{
		variable: /^TIME(_\d+)?$/,
		form: /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/,
		what: 'a time as HH:MM or HH:MM:SS (24-hour)',
		fix:
			'Write it as e.g. 10:30 or 14:05:00; from a date field, in its own time zone: ' +
			"{{ DateTime.fromISO($json.date, { setZone: true }).toFormat('HH:mm') }}.",
	},
];

/** A TTS template as the Template list names it: its own name and its variables, in order. */
export interface TemplateVariables {
	/** The template's own name. */
	name: string;
	/** Its variables, in the order its text uses them. */
	variables: string[];
}

/**
 * A TTS template's variables: at most 10 (none for a template without variables), each 1 to 32
 * bytes in UTF-8 without $, { or }. An empty value fails: a CRM field may be missing. With
 * `template` (the template's name and variables, in order, as the Template list named it when it
 * was picked), there must be one value per variable: AICC would answer code 15 for too few; and
 * a DATE or TIME variable's value must be in the form AICC reads it in.
 */
export function templateParams(
	field: FieldRef,
	value: unknown,
	template?: TemplateVariables,
): string[] {
	const list = Array.isArray(value) ? value : asText(value) === '' ? [] : [value];
	const params = list.map(asText);
	if (template && params.length !== template.variables.length) {
		const missing = template.variables.length - params.length;
		const more = params.length === 0 ? '' : ' more';
		const times = missing === 1 ? `once${more}` : `${missing}${more} times`;
		throw invalidField(
			field,
			`has ${values(params.length)}; its template ${quoted(template.name)} takes ` +
				`${template.variables.length}: ${listed(template.variables)}`,
			(missing > 0
				? `Add Variable ${times} and give one value per variable, in that order.`
				: `Remove ${values(-missing)}, to give one value per variable, in that order.`) +
				' If the template has changed in AICC, pick it From List again.',
		);
	}
	if (params.length > MAX_TEMPLATE_PARAMS) {
		throw invalidField(
			field,
			`has ${params.length} values; AICC takes at most ${MAX_TEMPLATE_PARAMS}`,
			"Give one value for each variable of the template's text, in order.",
		);
	}
	params.forEach((param, index) => {
		const at = `at position ${index + 1}`;
		if (param.trim() === '') {
			throw invalidField(
				field,
				`has an empty value ${at}`,
				'Map a value for each variable of the template (the field it comes from may be ' +
					'missing in this item).',
			);
		}
		if (/[${}]/.test(param)) {
			throw invalidField(
				field,
				`has "${param}" ${at}, which holds $, { or }`,
				'Remove $, { and } from the value.',
			);
		}
		const bytes = Buffer.byteLength(param, 'utf8');
		if (bytes > MAX_TEMPLATE_PARAM_BYTES) {
			throw invalidField(
				field,
				`has a value of ${bytes} bytes ${at}; AICC takes at most ${MAX_TEMPLATE_PARAM_BYTES} ` +
					'bytes in UTF-8',
				'Shorten it (a Chinese character takes 3 bytes), e.g. a date as 2026/11/05.',
			);
		}
		const variable = template?.variables[index];
		const form = VARIABLE_FORMS.find((entry) => variable && entry.variable.test(variable));
		if (variable && form && !form.form.test(param)) {
			throw invalidField(
				field,
				`has ${quoted(param)} ${at}, for ${variable}; AICC reads ${form.what}`,
				form.fix,
			);
		}
	});
	return params;
}

/** A call serial number as AICC returned it: digits only, sent as a string so no digit is lost. */
export function callSerialNo(field: FieldRef, value: unknown): string {
	// Real serial numbers have 19 digits: as a JavaScript number, one beyond 2^53 was rounded
	// before the node saw it, and its digits would name another call.
	if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
		throw invalidField(
			field,
			`is the number ${BigInt(value as number).toString()}, ` +
				'beyond what n8n holds exactly (2^53): its last digits may be lost, naming another call',
			'Pass the serial number as text: map the callSerialNo string that Create Bidirectional ' +
				'Call returned, e.g. {{ $json.callSerialNo }}, and have earlier nodes keep it as text.',
		);
	}
	const text = asText(value).trim();
	notTypedExpression(field, text);
	if (text === '') {
		throw invalidField(
			field,
			'is empty',
			'Map the callSerialNo that Create Bidirectional Call returned, ' +
				'e.g. {{ $json.callSerialNo }}.',
		);
	}
	if (!/^[0-9]{1,50}$/.test(text)) {
		throw invalidField(
			field,
			`is ${quoted(text)}; a call serial number is digits only`,
			'Map the callSerialNo that Create Bidirectional Call returned, as a string.',
		);
	}
	return text;
}

/** Record times before 2000 or from 2100 on are a mistake (0, seconds taken for milliseconds). */
const EARLIEST_TIME = Date.UTC(2000, 0, 1);
const LATEST_TIME = Date.UTC(2100, 0, 1);
const DAY_MS = 24 * 3600 * 1000;
/**
 * The longest range one Get Call Records item reads: any calendar year, leap years too, in 53
 * requests of 7 days (at most 100 more pages for 10,000 records).
 */
export const MAX_RECORD_DAYS = 366;

/** A number as a time: the number, and the moment it means when it is one. */
function shownTime(value: number): string {
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? String(value) : `${value} (${date.toISOString()})`;
}

/**
 * A date and time for Get Call Records (a date text or ms since 1970), from 2000 to 2099. A text
 * without an offset is read in the workflow's time zone.
 */
export function recordTime(field: FieldRef, value: unknown, timeZone: string): number {
	const ms = typeof value === 'number' ? value : parseDateTime(asText(value), timeZone);
	if (!Number.isFinite(ms) && typeof value !== 'number') {
		throw invalidField(
			field,
			`is ${quoted(asText(value))}, which is not a date and time`,
			'Pick a date and time, e.g. 2026-11-01T00:00:00.',
		);
	}
	if (!(ms >= EARLIEST_TIME && ms < LATEST_TIME)) {
		const time = typeof value === 'number' ? shownTime(value) : quoted(asText(value));
		throw invalidField(
			field,
			`is ${time}, outside the years 2000 to 2099`,
			'Pick a date and time from 2000 to 2099, e.g. 2026-11-01T00:00:00. A number is read as ' +
				'milliseconds since 1970: multiply seconds by 1000.',
		);
	}
	return ms;
}

/** A Get Call Records range: End Time not before Start Time, at most MAX_RECORD_DAYS long. */
export function recordRange(endField: FieldRef, start: number, end: number): void {
	if (end < start) {
		throw invalidField(endField, 'is before Start Time', 'Swap Start Time and End Time.');
	}
	const days = (end - start) / DAY_MS;
	if (days > MAX_RECORD_DAYS) {
		throw invalidField(
			endField,
			`is ${Math.round(days * 10) / 10} days after Start Time; one item reads at most ` +
				`${MAX_RECORD_DAYS} days`,
			'Narrow Start Time and End Time, or split the range over several items (e.g. one per ' +
				'month).',
		);
	}
}
