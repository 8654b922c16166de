import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	CALL_DURATION_FIELDS,
	CALL_TIME_FIELDS,
	readableCall,
	reasonText,
	stateText,
	textOrNull,
	type RecordCallType,
} from '../../../../shared/callRecord';
import { nodeOf, parameter } from '../../helpers/parameters';
import {
	fieldOf,
	itemNumber,
	labelsOf,
	numberField,
	recordRange,
	recordTime,
} from '../../helpers/validation';
import { aiccRequest, type AiccSession } from '../../transport';
import type { OperationOutput, ReadingOperation } from '../operation';
import { readCallOptions, type CallOptions } from '../options';

const PATH = '/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord';

/** AICC answers for at most 7 days at a time, at most 100 records a page. */
const WINDOW_MS = 7 * 24 * 3600 * 1000;
const PAGE_SIZE = 100;
const NO_DATA = '1';
/**
 * The most records one item returns, with Return All too: more would not fit an execution's
 * memory.
 */
const MAX_RECORDS = 10_000;

const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_RECORDS },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/** The 7-day windows AICC answers for, covering [start, end]. */
function windowsOf(start: number, end: number): Array<[number, number]> {
	const windows: Array<[number, number]> = [];
	for (let from = start; from <= end; from += WINDOW_MS + 1)
		windows.push([from, Math.min(from + WINDOW_MS, end)]);
	return windows;
}

/**
 * The kind of call each record is, by the Task Type filter (0 or none: all but ITA, so unknown).
 * AICC's records carry no field that says it; ITA calls are bidirectional calls.
 */
const CALL_TYPE_OF_TASK: Record<string, RecordCallType> = {
	'1': 'bidirectional',
	'2': 'anonymous',
	'3': 'voiceNotification',
	'4': 'bidirectional',
};

/**
 * AICC's record made readable, with stateText after state and reasonText after reasonCode, and,
 * when the Task Type names one kind, callType first. Huawei's records page does not list reason
 * codes per task type: a voice notification's reasonCode is read with the table of its release
 * callback's page (cec_07_2805), where 1 is "hung up after the notice was played", not "the caller
 * hung up"; records of unknown kind get both readings where the tables differ.
 */
function readableRecord(record: IDataObject, callType: RecordCallType | undefined): IDataObject {
	const texts = new Map<string, IDataObject>([
		['state', { stateText: stateText(textOrNull(record.state)) }],
		[
			'reasonCode',
			{ reasonText: reasonText(textOrNull(record.reasonCode), callType ?? 'unknown') },
		],
	]);
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(
		readableCall(record, CALL_TIME_FIELDS, CALL_DURATION_FIELDS),
	)) {
		out[key] = value;
		Object.assign(out, texts.get(key));
	}
	Object.assign(out, ...texts.values());
	// AICC's own field of that name, should a tenant's records have one, is kept as sent.
	if (callType === undefined || 'callType' in record) return out as IDataObject;
	return { callType, ...out } as IDataObject;
}

interface Query {
	itemIndex: number;
	options: CallOptions;
	filters: { caller?: string; taskType?: number };
	/** How many records to return in all. */
	limit: number;
}

/** Appends the records of one 7-day window to `records`, page by page, up to the limit. */
async function readWindow(
	ctx: IExecuteFunctions,
	session: AiccSession,
	query: Query,
	[from, to]: [number, number],
	records: IDataObject[],
): Promise<void> {
	const { filters } = query;
	const callType = CALL_TYPE_OF_TASK[String(filters.taskType)];
	for (let offset = 0; records.length < query.limit; ) {
		const answer = await aiccRequest(ctx, session, {
			path: PATH,
			body: {
				startTime: from,
				endTime: to,
				offset,
				limit: Math.min(PAGE_SIZE, query.limit - records.length),
				...(filters.caller ? { caller: filters.caller } : {}),
				...(filters.taskType !== undefined ? { taskType: filters.taskType } : {}),
			},
			api: 'records',
			label: 'the call records request',
			itemIndex: query.itemIndex,
			limits: query.options,
			accept: [NO_DATA],
		});
		const result = (answer.result ?? {}) as { total?: number; callInfo?: IDataObject[] };
		const page = textOrNull(answer.retCode) === NO_DATA ? [] : (result.callInfo ?? []);
		records.push(...page.map((record) => readableRecord(record, callType)));
		offset += page.length;
		if (page.length === 0 || offset >= Number(result.total ?? 0)) return;
	}
}

async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): Promise<IDataObject[]> {
	const field = fieldOf(nodeOf(this), itemIndex, labelsOf(operation.properties));
	// A time without an offset (n8n's date picker) is the workflow's wall-clock time.
	const timeZone = this.getTimezone();
	const time = (name: string) =>
		recordTime(field(name), parameter(this, name, itemIndex), timeZone);
	const start = time('startTime');
	const end = time('endTime');
	// Bounded before any request: a range since 1970 would be thousands of them.
	recordRange(field('endTime'), start, end);
	const options = readCallOptions(this, itemIndex);
	const returnAll = parameter<boolean>(this, 'returnAll', itemIndex);
	const limit = returnAll
		? MAX_RECORDS
		: Math.floor(numberField(field('limit'), parameter(this, 'limit', itemIndex), limitField));
	const filters = parameter<Query['filters']>(this, 'filters', itemIndex);
	const query: Query = { itemIndex, options, filters, limit };

	const records: IDataObject[] = [];
	for (const window of windowsOf(start, end)) {
		if (records.length >= limit) break;
		await readWindow(this, session, query, window, records);
	}
	if (returnAll && records.length >= MAX_RECORDS) {
		this.addExecutionHints({
			message:
				`Get Call Records stopped at ${MAX_RECORDS.toLocaleString('en-US')} records for item ` +
				`${itemNumber(itemIndex)}; AICC may hold more in that range. Narrow Start Time and End ` +
				'Time to get the rest.',
			location: 'outputPane',
		});
	}
	return records.slice(0, limit);
}

/**
 * A hint when the same records came back for several input items: the operation runs once per
 * item, and a newcomer who chained it after a node of 3 items got every record three times.
 */
function finish(this: IExecuteFunctions, outputs: Array<OperationOutput | undefined>) {
	const itemsOf = new Map<string, number>();
	for (const output of outputs) {
		if (!Array.isArray(output)) continue;
		const serials = new Set(output.map((record) => String(record.callSerialNo ?? '')));
		for (const serial of serials) if (serial) itemsOf.set(serial, (itemsOf.get(serial) ?? 0) + 1);
	}
	const repeated = [...itemsOf.values()].filter((count) => count > 1).length;
	if (repeated === 0) return;
	this.addExecutionHints({
		message:
			`${repeated} ${repeated === 1 ? 'call record came' : 'call records came'} back for ` +
			`several of the ${outputs.length} input items: ${operation.name} runs once per input ` +
			"item. To read them once, turn on Execute Once in the node's Settings, or give each " +
			'item its own Start Time, End Time or Caller.',
		location: 'outputPane',
	});
}

export const operation: ReadingOperation = {
	value: 'getRecords',
	name: 'Get Call Records',
	description: 'List the call records of a time range (up to a year per item)',
	execute,
	finish,
	properties: [
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			required: true,
			default: '={{ $now.minus({ days: 1 }).toISO() }}',
			description:
				"The earliest call to return (by default a day ago), in the workflow's time zone " +
				'unless it has an offset. Up to 366 days per item: the node asks AICC 7 days at a time.',
		},
		{
			displayName: 'End Time',
			name: 'endTime',
			type: 'dateTime',
			required: true,
			default: '={{ $now.toISO() }}',
			description: 'The latest call to return (by default now)',
		},
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		limitField,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Caller',
					name: 'caller',
					type: 'string',
					default: '',
					placeholder: 'e.g. 88889050',
					description: "Only calls from this agent's number",
				},
				{
					displayName: 'Task Type',
					name: 'taskType',
					type: 'options',
					default: 0,
					options: [
						{ name: 'All but ITA', value: 0 },
						{ name: 'Anonymous Calls', value: 2 },
						{ name: 'Bidirectional Calls', value: 1 },
						{ name: 'ITA Calls', value: 4 },
						{ name: 'Voice Notifications', value: 3 },
					],
					description:
						"Which kind of calls to return. AICC's records do not say which kind each one is: " +
						'pick a kind to have it in callType and each reason read for it.',
				},
			],
		},
	],
};
