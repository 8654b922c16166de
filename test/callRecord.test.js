'use strict';

/** The readable call data every operation and the trigger share: a pure helper, tested directly. */
const { readableCall } = require('../dist/shared/callRecord');

const TIMES = ['alertingTime', 'talkingTime', 'releaseTime'];
const iso = (raw) => readableCall(raw, TIMES, []);

describe('times as ISO 8601', () => {
	test('milliseconds, seconds and date texts since 1970 become ISO 8601', () => {
		expect(
			iso({
				alertingTime: '1795322900000',
				talkingTime: 1795322905,
				releaseTime: '2026-11-22 04:49:25',
			}),
		).toMatchObject({
			alertingTimeIso: '2026-11-22T04:48:20.000Z',
			talkingTimeIso: '2026-11-22T04:48:25.000Z',
			releaseTimeIso: expect.stringMatching(/^2026-11-2\dT/),
		});
	});

	test('0, the time of a moment that never came (an unanswered call), is null, not a date', () => {
		expect(iso({ talkingTime: '0', alertingTime: 0, releaseTime: '0000000000000' })).toMatchObject({
			talkingTimeIso: null,
			alertingTimeIso: null,
			releaseTimeIso: null,
		});
	});

	test('a bare number that is neither seconds nor milliseconds is null; none sent is null', () => {
		expect(iso({ talkingTime: '12345', releaseTime: '', alertingTime: null })).toEqual({
			talkingTime: '12345',
			talkingTimeIso: null,
			releaseTime: '',
			releaseTimeIso: null,
			alertingTime: null,
			alertingTimeIso: null,
		});
	});
});
