import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { REASON_TEXT, STATE_TEXT, codeText, readableCall } from '../../helpers/callRecord';
import * as validate from '../../helpers/validation';
import { aiccRequest, type AiccSession } from '../../transport';
import { callSerialNoField } from './fields';
import { readCallOptions } from './options';

const PATH = '/apiaccess/CC-Management/v1/mobileAgent/queryCallState';

const show = { resource: ['call'], operation: ['getState'] };
const whenWaiting = { show: { ...show, waitUntilEnded: [true] } };
const ENDED = '3';
const POLL_SECONDS = { min: 1, max: 300, default: 5 };
const MAX_WAIT_SECONDS = { min: 1, max: 3600, default: 300 };

export const description: INodeProperties[] = [
	callSerialNoField(
		show,
		'The callSerialNo of a bidirectional call, exactly as Create Bidirectional Call returned it',
	),
	{
		displayName: 'Wait Until Call Ends',
		name: 'waitUntilEnded',
		type: 'boolean',
		default: false,
		description:
			'Whether to ask again at an interval until the call has ended (or Max Wait has passed), and return the final state',
		displayOptions: { show },
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: POLL_SECONDS.min, maxValue: POLL_SECONDS.max },
		default: 5,
		description: 'How long to wait between two questions to AICC',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWait',
		type: 'number',
		typeOptions: { minValue: MAX_WAIT_SECONDS.min, maxValue: MAX_WAIT_SECONDS.max },
		default: 300,
		description:
			'How long to wait at most; then the last state is returned with waitTimedOut set to true',
		displayOptions: whenWaiting,
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: AiccSession,
): Promise<IDataObject> {
	const node = this.getNode();
	const serial = validate.callSerialNo(
		{ node, itemIndex, label: 'Call Serial Number', name: 'callSerialNo' },
		session.params.get('callSerialNo', itemIndex, ''),
	);
	const options = readCallOptions(this, session, itemIndex);
	const wait = session.params.get('waitUntilEnded', itemIndex, false) as boolean;
	const seconds = (label: string, name: string, bounds: typeof POLL_SECONDS) =>
		validate.numberInRange(
			{ node, itemIndex, label, name },
			session.params.get(name, itemIndex, bounds.default),
			bounds.min,
			bounds.max,
			bounds.default,
		);
	const intervalMs = wait
		? seconds('Poll Interval (Seconds)', 'pollInterval', POLL_SECONDS) * 1000
		: 0;
	const deadline =
		Date.now() + (wait ? seconds('Max Wait (Seconds)', 'maxWait', MAX_WAIT_SECONDS) * 1000 : 0);

	for (;;) {
		const answer = await aiccRequest(this, session, {
			path: PATH,
			body: { callSerialNo: serial },
			family: 'callState',
			what: 'the call state request',
			itemIndex,
			limits: options,
		});
		const result = (answer.result ?? {}) as IDataObject;
		const state = codeText(result.state);
		const ended = state === ENDED;
		const left = deadline - Date.now();
		if (!wait || ended || left <= 0 || this.getExecutionCancelSignal?.()?.aborted) {
			const reasonCode = ended ? codeText(result.reasonCode) : null;
			return {
				...readableCall(result, ['startTime', 'endTime'], []),
				callSerialNo: serial,
				state: state === null ? null : Number(state),
				stateText: state === null ? null : (STATE_TEXT[state] ?? `state ${state}`),
				ended,
				reasonCode: reasonCode === null ? null : Number(reasonCode),
				reasonText:
					reasonCode === null ? null : (REASON_TEXT[reasonCode] ?? `reason ${reasonCode}`),
				...(wait ? { waitTimedOut: !ended } : {}),
				...(options.includeRawResponse ? { rawResponse: answer } : {}),
			};
		}
		await sleep(Math.min(intervalMs, left));
	}
}
