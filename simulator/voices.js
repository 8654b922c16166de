'use strict';

/**
 * The tenant's voice-notification recordings (type 0, audio) and TTS templates (type 2, text), as
 * queryVoiceNotificationRecording lists them and createVoiceNotification checks them. Only
 * approved items made for the voice notification scene are listed; the others are here so that
 * using one by ID gets the code AICC documents for it (18 to 21). `sim.config.voices` replaces
 * the seeded list ([] for a tenant with none).
 */
const UPLOADED = Date.UTC(2026, 9, 12, 8, 30);

const text = (textcontent) => JSON.stringify({ 0: { languageId: '0', textcontent } });

const SEEDED = Object.freeze(
	[
		{ voice_id: '1000000000000000001', name: 'Welcome greeting', type: 0 },
		{ voice_id: '1000000000000000002', name: 'Appointment chime', type: 0 },
		{ voice_id: '1000000000000000003', name: 'Payment overdue notice', type: 0 },
		{
			voice_id: '2000000000000000001',
			name: 'Appointment reminder',
			type: 2,
			voicecontent: text(
				'Hello ${TXT_1}, this is a reminder of your appointment on ${DATE} at ${TIME}.',
			),
		},
		{
			voice_id: '2000000000000000002',
			name: 'Delivery notice',
			type: 2,
			voicecontent: text('Your parcel ${TXT_1} arrives today between ${TXT_2} and ${TXT_3}.'),
		},
		{
			voice_id: '2000000000000000003',
			name: 'Verification code',
			type: 2,
			voicecontent: text('Your verification code is ${NUM_1}.'),
		},
		{
			voice_id: '2000000000000000004',
			name: 'Office closed today',
			type: 2,
			voicecontent: text('Our office is closed today. We will call you back tomorrow.'),
		},
		{ voice_id: '9000000000000000019', name: 'Draft greeting', type: 0, status: 'draft' },
		{
			voice_id: '9000000000000000020',
			name: 'Waiting for review',
			type: 2,
			status: 'pending',
			voicecontent: text('Hello ${TXT_1}.'),
		},
		{ voice_id: '9000000000000000021', name: 'Rejected notice', type: 0, status: 'rejected' },
		{ voice_id: '9000000000000000018', name: 'IVR main menu', type: 0, scene: 'ivr' },
	].map((voice, index) =>
		Object.freeze({
			tenant_id: '202611000001',
			uploaddate: UPLOADED + index * 60_000,
			voicecontent: '',
			tenantSpaceName: 'simulated-tenant',
			status: 'approved',
			scene: 'voiceNotification',
			...voice,
		}),
	),
);

/** Every voice the tenant has, approved or not. */
function voicesOf(sim) {
	return sim.config.voices ?? SEEDED;
}

/** Whether a voice is one queryVoiceNotificationRecording lists. */
function listed(voice) {
	return voice.status === 'approved' && voice.scene === 'voiceNotification';
}

/** The variables of a text template, e.g. ['TXT_1', 'DATE']. */
function variablesOf(voice) {
	let content = '';
	try {
		content = Object.values(JSON.parse(voice.voicecontent || '{}'))[0]?.textcontent ?? '';
	} catch {
		content = '';
	}
	return [...content.matchAll(/\$\{([A-Z_0-9]+)\}/g)].map((match) => match[1]);
}

/**
 * The code AICC documents for using this voice ID where `type` (0 audio, 2 text) is wanted, or 0:
 * 17 missing, 18 not for voice notifications, 19 not submitted, 20 not reviewed, 21 rejected,
 * 22 template not text, 23 voice not audio.
 */
function voiceCheck(sim, id, type) {
	const voice = voicesOf(sim).find((candidate) => candidate.voice_id === id);
	if (!voice) return 17;
	if (voice.scene !== 'voiceNotification') return 18;
	const review = { draft: 19, pending: 20, rejected: 21 }[voice.status];
	if (review) return review;
	if (type !== undefined && voice.type !== type) return type === 2 ? 22 : 23;
	return 0;
}

module.exports = { SEEDED, voicesOf, listed, variablesOf, voiceCheck };
