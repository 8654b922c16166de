import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { REASON_TEXT, STATE_TEXT, codeText, readableCall } from '../../helpers/callRecord';
import { invalidField, numberInRange } from '../../helpers/validation';
import { aiccRequest, type AiccSession } from '../../transport';
import { readCallOptions } from './options';

const PATH = '/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord';

/** AICC answers for at most 7 days at a time, at most 100 records a page. */
const WINDOW_MS = 7 * 24 * 3600 * 1000;
const PAGE_SIZE = 100;
const NO_DATA = '1';
/** The most records one item returns, with Return All too: more would not fit an execution's memory. */
const MAX_RECORDS = 10_000;
const DEFAULT_LIMIT = 50;
const TIME_FIELDS = [
	'alertingTime',
	'talkingTime',
	'releaseTime',
	'agentAlertingTime',
	'agentTalkingTime',
	'agentReleaseTime',
];
const DURATION_FIELDS = ['talkDuration', 'agentTalkDuration'];

const show = { resource: ['call'], operation: ['getRecords'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'The earliest call to return. Any range works: the node asks AICC 7 days at a time.',
		displayOptions: { show },
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'The latest call to return',
		displayOptions: { show },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_RECORDS },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
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
				description: 'Which kind of calls to return',
			},
		],
	},
];

function timeOf(
	ctx: IExecuteFunctions,
	session: AiccSession,
	itemIndex: number,
	name: string,
	label: string,
): number {
	const value = session.params.get<unknown>(name, itemIndex, '');
	const ms = typeof value === 'number' ? value : Date.parse(String(value ?? ''));
	if (!Number.isFinite(ms)) {
		throw invalidField(
			{ node: ctx.getNode(), itemIndex, label, name },
			`is "${String(value)}", which is not a date and time`,
			'Pick a date and time, e.g. 2026-11-01T00:00:00.',
		);
	}
	return ms;
}

/** The 7-day windows AICC answers for, covering [start, end]. */
function windowsOf(start: number, end: number): Array<[number, number]> {
	const windows: Array<[number, number]> = [];
	for (let from = start; from <= end; from += WINDOW_MS + 1)
		windows.push([from, Math.min(from + WINDOW_MS, end)]);
	return windows;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): Promise<IDataObject[]> {
	const start = timeOf(this, session, itemIndex, 'startTime', 'Start Time');
	const end = timeOf(this, session, itemIndex, 'endTime', 'End Time');
	if (end < start) {
		throw invalidField(
			{ node: this.getNode(), itemIndex, label: 'End Time', name: 'endTime' },
			'is before Start Time',
			'Swap Start Time and End Time.',
		);
	}
	const options = readCallOptions(this, session, itemIndex);
	const returnAll = session.params.get('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? MAX_RECORDS
		: Math.floor(
				numberInRange(
					{ node: this.getNode(), itemIndex, label: 'Limit', name: 'limit' },
					session.params.get('limit', itemIndex, DEFAULT_LIMIT),
					1,
					MAX_RECORDS,
					DEFAULT_LIMIT,
				),
			);
	const filters = session.params.get('filters', itemIndex, {}) as {
		caller?: string;
		taskType?: number;
	};

	const records: IDataObject[] = [];
	for (const [from, to] of windowsOf(start, end)) {
		for (let offset = 0; records.length < limit; ) {
			const answer = await aiccRequest(this, session, {
				path: PATH,
				body: {
					startTime: from,
					endTime: to,
					offset,
					limit: Math.min(PAGE_SIZE, limit - records.length),
					...(filters.caller ? { caller: filters.caller } : {}),
					...(filters.taskType !== undefined ? { taskType: filters.taskType } : {}),
				},
				family: 'records',
				what: 'the call records request',
				itemIndex,
				limits: options,
				accept: [NO_DATA],
			});
			const result = (answer.result ?? {}) as { total?: number; callInfo?: IDataObject[] };
			const page = codeText(answer.retCode) === NO_DATA ? [] : (result.callInfo ?? []);
			for (const record of page) {
				const state = codeText(record.state);
				const reason = codeText(record.reasonCode);
				records.push({
					...readableCall(record, TIME_FIELDS, DURATION_FIELDS),
					stateText: state === null ? null : (STATE_TEXT[state] ?? null),
					reasonText: reason === null ? null : (REASON_TEXT[reason] ?? null),
				});
			}
			offset += page.length;
			if (page.length === 0 || offset >= Number(result.total ?? 0)) break;
		}
		if (records.length >= limit) break;
	}
	if (returnAll && records.length >= MAX_RECORDS) {
		this.addExecutionHints({
			message: `Get Call Records stopped at ${MAX_RECORDS.toLocaleString('en-US')} records for item ${itemIndex}; AICC may hold more in that range. Narrow Start Time and End Time to get the rest.`,
			location: 'outputPane',
		});
	}
	return records.slice(0, limit);
}
