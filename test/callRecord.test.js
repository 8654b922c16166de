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

describe('reason codes in words, by the kind of call', () => {
	const { reasonText, REASON_TEXT, VOICE_REASON_TEXT } = require('../dist/shared/callRecord');
	const CODES = ['0', '1', '2', '3', '4', '5', '6', '8', '9', '10', '999'];
	const table = (callType) =>
		Object.fromEntries(CODES.map((code) => [code, reasonText(code, callType)]));

	test("a voice notification's codes are its release callback's, never the caller's", () => {
		expect(table('voiceNotification')).toEqual({
			0: 'the called party answered, then hung up',
			1: 'the called party hung up after the notice was played',
			2: 'reason 2',
			3: 'reason 3',
			4: 'the called party rejected the call or did not answer',
			5: 'reason 5',
			6: 'the call failed before it rang',
			8: 'no resources were available',
			9: 'the call timed out in the queue',
			10: 'the call was restricted',
			999: 'the platform (UAP) failed to start recording',
		});
		expect(table('voiceNotification')).toMatchObject(VOICE_REASON_TEXT);
	});

	test('bidirectional and anonymous calls (by default any call) read the two-way table', () => {
		const twoWay = {
			...REASON_TEXT,
			8: 'reason 8',
			9: 'reason 9',
			10: 'reason 10',
			999: 'reason 999',
		};
		expect(table('bidirectional')).toEqual(twoWay);
		expect(table('anonymous')).toEqual(twoWay);
		expect(table(undefined)).toEqual(twoWay);
		expect(reasonText('1')).toBe('the caller hung up');
	});

	test('a call of unknown kind: one meaning where the tables agree, both where they differ', () => {
		expect(table('unknown')).toEqual({
			0: 'the called party hung up',
			1:
				'the caller hung up; in a voice notification: the called party hung up after the ' +
				'notice was played',
			2: 'the call to the caller failed',
			3: 'the call to the called party failed',
			4:
				'the caller did not answer; in a voice notification: the called party rejected the ' +
				'call or did not answer',
			5: 'the called party did not answer',
			6: 'the call could not start',
			8: 'no resources were available (a voice notification)',
			9: 'the call timed out in the queue (a voice notification)',
			10: 'the call was restricted (a voice notification)',
			999: 'the platform (UAP) failed to start recording (a voice notification)',
		});
	});

	test('an undocumented code is "reason N" and none is null, whatever the kind', () => {
		for (const callType of ['bidirectional', 'anonymous', 'voiceNotification', 'unknown']) {
			expect(reasonText('7', callType)).toBe('reason 7');
			expect(reasonText(null, callType)).toBeNull();
		}
	});
});
