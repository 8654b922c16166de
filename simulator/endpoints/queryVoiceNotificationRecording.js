'use strict';

/**
 * POST /apiaccess/rest/voiceNotification/v1/queryVoiceNotificationRecording: the tenant's approved
 * voice-notification recordings (type 0) or TTS templates (type 2), paged by offset (0-based row,
 * default 0) and limit (default 100; larger is clamped to 100). returnCode "1": a bad type. The
 * page's table types `voiceInfo` as an object, its sample as an array: `sim.config.voiceInfoShape`
 * 'object' answers with an object keyed by row ("0", "1", …) instead of the array.
 */
const { authorize } = require('./common');
const { voicesOf, listed } = require('../voices');

const PAGE_MAX = 100;

function wholeNumber(value, fallback) {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	return Number.isInteger(number) ? number : NaN;
}

/** A voice as the API lists it (the review and scene fields stay the simulator's own). */
function listedVoice({
	tenant_id,
	uploaddate,
	voice_id,
	name,
	voicecontent,
	type,
	tenantSpaceName,
}) {
	return { tenant_id, uploaddate, voice_id, name, voicecontent, type, tenantSpaceName };
}

module.exports = {
	name: 'queryVoiceNotificationRecording',
	method: 'POST',
	path: '/apiaccess/rest/voiceNotification/v1/queryVoiceNotificationRecording',
	handle(ctx) {
		const { sim, body, reply } = ctx;
		if (!authorize(ctx, { appKeyRequired: true })) return undefined;
		if (ctx.forced) {
			return reply(200, {
				returnCode: String(ctx.forced.code),
				description: ctx.forced.message ?? 'Query failed',
			});
		}
		const type = wholeNumber(body.type);
		if (type !== 0 && type !== 2)
			return reply(200, { returnCode: '1', description: 'The type is incorrect' });
		const offset = Math.max(0, wholeNumber(body.offset, 0) || 0);
		const limit = Math.min(PAGE_MAX, Math.max(1, wholeNumber(body.limit, PAGE_MAX) || PAGE_MAX));
		const page = voicesOf(sim)
			.filter((voice) => listed(voice) && voice.type === type)
			.slice(offset, offset + limit)
			.map(listedVoice);
		const voiceInfo =
			sim.config.voiceInfoShape === 'object'
				? Object.fromEntries(page.map((voice, row) => [String(row), voice]))
				: page;
		return reply(200, { returnCode: '0', description: 'success', voiceInfo });
	},
};
