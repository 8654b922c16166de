import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	leadingFirst,
	readableCall,
	reasonText,
	stateText,
	textOrNull,
} from '../../../../shared/callRecord';
import { nodeOf, parameter } from '../../helpers/parameters';
import * as validate from '../../helpers/validation';
import { aiccRequest, type AiccSession } from '../../transport';
import type { ReadingOperation } from '../operation';
import { readCallOptions } from '../options';
import { callSerialNoField, numberProperty } from './fields';
import { withRawResponse } from './output';

const PATH = '/apiaccess/CC-Management/v1/mobileAgent/queryCallState';

const whenWaiting = { show: { waitUntilEnded: [true] } };
const ENDED = '3';
/** The fields an item starts with; AICC's other fields follow. */
const LEADING = ['callSerialNo', 'state', 'stateText', 'ended', 'reasonCode', 'reasonText'];

const pollInterval = numberProperty(
	'Poll Interval (Seconds)',
	'pollInterval',
	[1, 300],
	5,
	'How long to wait between two questions to AICC',
	{ displayOptions: whenWaiting },
);

const maxWait = numberProperty(
	'Max Wait (Seconds)',
	'maxWait',
	[1, 3600],
	300,
	'How long to wait at most; then the last state is returned with waitTimedOut set to true',
	{ displayOptions: whenWaiting },
);

/** The call's state as the output item shows it. */
function stateItem(serial: string, answer: IDataObject): IDataObject & { ended: boolean } {
	const result = (answer.result ?? {}) as IDataObject;
	const state = textOrNull(result.state);
	const ended = state === ENDED;
	const reasonCode = ended ? textOrNull(result.reasonCode) : null;
	const item = {
		...readableCall(result, ['startTime', 'endTime'], []),
		callSerialNo: serial,
		state: state === null ? null : Number(state),
		stateText: stateText(state),
		ended,
		reasonCode: reasonCode === null ? null : Number(reasonCode),
		reasonText: reasonText(reasonCode),
	};
	return leadingFirst(item, LEADING);
}

async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): Promise<IDataObject> {
	const field = validate.fieldOf(nodeOf(this), itemIndex, validate.labelsOf(operation.properties));
	const serial = validate.callSerialNo(
		field('callSerialNo'),
		parameter(this, 'callSerialNo', itemIndex),
	);
	const options = readCallOptions(this, itemIndex);
	const wait = parameter<boolean>(this, 'waitUntilEnded', itemIndex);
	const seconds = (property: INodeProperties) =>
		validate.numberField(field(property.name), parameter(this, property.name, itemIndex), property);
	const intervalMs = wait ? seconds(pollInterval) * 1000 : 0;
	const waitMs = wait ? seconds(maxWait) * 1000 : 0;
	const deadline = Date.now() + waitMs;

	for (;;) {
		const answer = await aiccRequest(this, session, {
			path: PATH,
			body: { callSerialNo: serial },
			api: 'callState',
			label: 'the call state request',
			itemIndex,
			limits: options,
		});
		const item = stateItem(serial, answer);
		const left = deadline - Date.now();
		if (!wait || item.ended || left <= 0 || this.getExecutionCancelSignal?.()?.aborted) {
			const final = wait ? { ...item, waitTimedOut: !item.ended } : item;
			return withRawResponse(final, answer, options);
		}
		await sleep(Math.min(intervalMs, left));
	}
}

export const operation: ReadingOperation = {
	value: 'getState',
	name: 'Get Call State',
	description: "A bidirectional call's state and, once it ended, why; can wait until it ends",
	execute,
	properties: [
		callSerialNoField(
			'The callSerialNo of a bidirectional call, exactly as Create Bidirectional Call returned it',
		),
		{
			displayName: 'Wait Until Call Ends',
			name: 'waitUntilEnded',
			type: 'boolean',
			default: false,
			description:
				'Whether to ask again at an interval until the call has ended (or Max Wait has ' +
				'passed), and return the final state',
		},
		pollInterval,
		maxWait,
	],
};
