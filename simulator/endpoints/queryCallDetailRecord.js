'use strict';

/**
 * POST /apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord: call records created
 * between startTime and endTime (ms, at most 7 days apart), paged by offset and limit,
 * filtered by caller and taskType (0 all but ITA, 1 bidirectional, 2 anonymous, 3 voice
 * notification, 4 ITA). retCode 1 no data, 2 bad time format, 4 bad limit or offset.
 */
const { stateOf } = require('../lifecycle');
const { queryEndpoint } = require('./common');

const WEEK_MS = 7 * 24 * 3600 * 1000;
const TASK_TYPES = { bidirectional: 1, anonymous: 2, voiceNotification: 3, ita: 4 };

function wholeNumber(value, fallback) {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	return Number.isInteger(number) ? number : NaN;
}

module.exports = queryEndpoint('queryCallDetailRecord', { failure: 'Query failed' }, (ctx) => {
	const { sim, body, reply } = ctx;
	const start = wholeNumber(body.startTime);
	const end = wholeNumber(body.endTime);
	if (!Number.isFinite(start) || !Number.isFinite(end) || end < start || end - start > WEEK_MS) {
		return reply(200, {
			retCode: '2',
			retMsg: 'The time format is incorrect or the range exceeds 7 days',
		});
	}
	const offset = wholeNumber(body.offset, 0);
	const limit = wholeNumber(body.limit, 100);
	if (!(offset >= 0) || !(limit >= 1 && limit <= 100))
		return reply(200, { retCode: '4', retMsg: 'The limit or offset is incorrect' });
	const taskType = wholeNumber(body.taskType, 0);
	const matching = [...sim.calls.values()]
		.filter((call) => call.createdAt >= start && call.createdAt <= end)
		.filter((call) => !body.caller || call.caller === body.caller)
		.filter((call) => {
			const type = TASK_TYPES[call.kind] ?? 1;
			return taskType === 0 ? type !== 4 : type === taskType;
		})
		.sort((a, b) => a.createdAt - b.createdAt);
	if (matching.length === 0) return reply(200, { retCode: '1', retMsg: 'No data' });
	const callInfo = matching.slice(offset, offset + limit).map((call) => ({
		callSerialNo: call.callSerialNo,
		caller: call.caller ?? '',
		called: call.called,
		state: stateOf(call),
		reasonCode: call.reasonCode,
		callData: call.callData,
		alertingTime: call.alertingAt,
		talkingTime: call.talkingAt ?? '',
		releaseTime: call.releasedAt,
		talkDuration:
			call.talkingAt === undefined ? 0 : Math.round((call.releasedAt - call.talkingAt) / 1000),
		agentAlertingTime: call.createdAt + 5,
		agentTalkingTime: call.alertingAt,
		agentReleaseTime: call.releasedAt,
	}));
	return reply(200, {
		retCode: '0',
		retMsg: 'success',
		result: { total: matching.length, callInfo },
	});
});
