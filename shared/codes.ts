/**
 * The catalogue of AICC return codes: every code the vendor's pages for the
 * bidirectional call (V1, with the ITA table), the anonymous call and the voice
 * notification (V1 and V2, and its voice list) document, each with what it means in
 * plain words and what to do about it.
 */
export interface ReturnCodeInfo {
	/** What happened, in plain words. */
	meaning: string;
	/** What the user should do about it. */
	fix: string;
	/** AICC refused for load reasons and did not act: the request may be sent again after a pause. */
	rateLimited?: true;
	/**
	 * AICC failed in a way that leaves open whether the call was placed: the item's outcome is
	 * `unknown`, and explainReturnCode adds the advice to check the call records first.
	 */
	uncertain?: true;
}

const CHECK_AGAIN = 'Check the call records in AICC before dialing again.';

const BIDIRECTIONAL: Record<string, ReturnCodeInfo> = {
	'1': {
		meaning:
			'AICC could not add the outbound call task; the same task may already exist in the ' +
			'outbound call database',
		fix: 'The same call may already be queued or ringing.',
		uncertain: true,
	},
	'2': {
		meaning: 'AICC rejected the call data',
		fix: 'Check Call Data: at most 1024 characters, and not used with the ITA back end.',
	},
	'3': {
		meaning: 'AICC could not query the call serial number field',
		fix: "Ask the AICC operations team to check the tenant's outbound call service.",
		uncertain: true,
	},
	'5': {
		meaning: 'the format of the caller, called or display (CLIP) number is incorrect',
		fix:
			'Check Caller, Called, Caller Present and Agent Present: digits only, at most 32 ' +
			'characters; display numbers must be an access code of the tenant, or 11 to 14 digits ' +
			'where O&M enabled calling number anonymization.',
	},
	'6': {
		meaning: "the tenant's VDN (virtual call centre) is unavailable",
		fix:
			'Ask the tenant administrator to check that the tenant space (VDN) is active and has ' +
			'outbound capacity.',
	},
	'8': {
		meaning:
			'the caller number is not in the softphone number range assigned to mobile agents of this ' +
			'tenant',
		fix:
			"Use the agent's softphone number from the tenant's mobile agent range as Caller, or " +
			'ask the tenant administrator to add it.',
	},
	'9': {
		meaning: 'the callback URL does not meet the requirements',
		fix:
			'Use an http(s) URL with only letters, digits and - : . / _ # ? &, whose host the ' +
			'system administrator has added to the mobile agent callback trust-list. If it still ' +
			'fails, ask whether the published API is createCall_kugui (older AICC versions ignore ' +
			'callBackUrl).',
	},
	'16': {
		meaning: 'the agent-side number of this trial tenant is not on the trust-list',
		fix:
			"Add the agent's number to the trial tenant's trust-list in AICC, or use a number " +
			'already on it.',
	},
	'21': {
		meaning: 'this trial tenant has used its 10 bidirectional calls for today',
		fix: 'Wait until tomorrow, or move to a commercial tenant.',
	},
	'90100100': {
		meaning: 'ITA: invalid input parameter (a parameter is missing or not supported)',
		fix: 'Check the fields. The ITA back end takes no Call Data, Caller Present or Agent Present.',
	},
	'90100200': {
		meaning:
			'ITA: authentication failed (the request source or signature did not pass verification)',
		fix:
			"Check the credential's App Key and App Secret, and that this App may use the ITA " +
			'bidirectional call.',
	},
	'90100300': {
		meaning: 'ITA: bad request',
		fix: 'Check the fields and the number formats.',
	},
	'90100400': {
		meaning: 'ITA: the requested resource does not exist',
		fix: 'Check that the ITA bidirectional call service is provisioned for this tenant.',
	},
	'90100600': {
		meaning: 'ITA: internal server error',
		fix: 'AICC failed inside; the call may or may not have been placed.',
		uncertain: true,
	},
	'90102001': {
		meaning: 'ITA: insufficient quota',
		fix: 'Ask the tenant administrator or Huawei operations which ITA quota ran out.',
	},
	'90102002': {
		meaning: 'ITA: request restriction',
		fix: 'The tenant restricts these requests; ask the tenant administrator which limit applies.',
	},
	'90104001': {
		meaning: 'ITA: insufficient permission',
		fix: 'Ask the tenant administrator to grant this App the ITA bidirectional call.',
	},
	'90104003': {
		meaning: 'ITA: request forbidden',
		fix: 'Ask the tenant administrator why this App or number is forbidden.',
	},
	'90104004': {
		meaning: 'ITA: the business function is not supported or not implemented',
		fix: 'Check that the ITA bidirectional call is enabled for this tenant.',
	},
	'90104008': {
		meaning: 'ITA: business processing timed out or failed',
		fix: 'The call may or may not have been placed.',
		uncertain: true,
	},
	'90104029': {
		meaning: 'ITA: too many requests',
		fix: 'Lower the rate of calls (see the node options for pacing) or raise Rate-Limit Attempts.',
		rateLimited: true,
	},
	'90106001': {
		meaning: 'ITA: the number binding relationship already exists',
		fix: 'A binding for these numbers is still active; wait for the previous call to end.',
	},
	'90106002': {
		meaning: 'ITA: the number binding relationship does not exist',
		fix: 'Check the numbers; the binding may have expired.',
	},
	'90106003': {
		meaning: 'ITA: the number resource pool is insufficient',
		fix: 'Ask the tenant administrator to add numbers to the ITA pool, or wait for calls to end.',
	},
	'90106004': {
		meaning: 'ITA: no available number was found',
		fix: 'Ask the tenant administrator to check the ITA number pool.',
	},
	'90106005': {
		meaning: 'ITA: the number binding data is inconsistent',
		fix: 'Ask the AICC operations team to check the number bindings.',
	},
	'90106006': {
		meaning: 'ITA: a number error occurred',
		fix: 'Check the numbers, then ask the AICC operations team.',
	},
	'90106010': {
		meaning: 'ITA: forbidden by policy',
		fix: 'A tenant policy blocks this call; ask the tenant administrator.',
	},
	'90106011': {
		meaning: 'ITA: the calling number is restricted',
		fix: 'Use another Caller number, or ask the tenant administrator to lift the restriction.',
	},
	'90106012': {
		meaning: 'ITA: the called number is restricted',
		fix:
			'This customer number cannot be called from this tenant; check it or ask the tenant ' +
			'administrator.',
	},
};

const ANONYMOUS: Record<string, ReturnCodeInfo> = {
	'30010000001': {
		meaning: 'the anonymous call feature is not enabled',
		fix: 'Ask the tenant administrator to enable anonymous calls for this tenant.',
	},
	'30010000002': {
		meaning: 'no SIP server information was found',
		fix: "Ask the tenant administrator to configure the SIP server for the tenant's chat module.",
	},
	'30010000003': {
		meaning: 'input parameter verification failed',
		fix:
			'Check Called (at most 32 characters), Caller Present and Call Data (at most 1024 ' +
			'characters).',
	},
	'30010010001': {
		meaning: 'AICC failed to add the outbound call task',
		fix: 'The same task may already exist.',
		uncertain: true,
	},
	'30010010002': {
		meaning: "the tenant's VDN (virtual call centre) is unavailable",
		fix: 'Ask the tenant administrator to check that the tenant space (VDN) is active.',
	},
	'30010010003': {
		meaning: 'the VDN configuration is abnormal and the recording path could not be generated',
		fix: "Ask the tenant administrator to check the VDN's recording configuration.",
	},
	'30010019999': {
		meaning: 'another call-centre (CCM) exception occurred',
		fix: 'The task may or may not have been created.',
		uncertain: true,
	},
	'30011010001': {
		meaning: 'the call could not be created because the call setup success event was not received',
		fix: 'If it persists, ask the AICC operations team.',
		uncertain: true,
	},
	'30011019999': {
		meaning: 'another CCUCS exception occurred',
		fix: 'The task may or may not have been created.',
		uncertain: true,
	},
	'30010009999': {
		meaning: 'the chat module is abnormal',
		fix: 'Ask the AICC operations team to check the chat (ccmessaging) module.',
	},
};

const CALL_STATE: Record<string, ReturnCodeInfo> = {
	'1': {
		meaning: 'AICC could not query the call state',
		fix: 'Try again in a moment; if it persists, ask the AICC operations team.',
	},
	'3': {
		meaning: 'the call serial number is incorrect',
		fix:
			'Use the callSerialNo exactly as Create Bidirectional Call returned it (all 19 digits, ' +
			"as a string). A voice notification's serial number is not known here: take its outcome " +
			'from its release callback (AICC Trigger) or Get Call Records (Task Type Voice ' +
			'Notifications).',
	},
};

const RECORDS: Record<string, ReturnCodeInfo> = {
	'1': {
		meaning: 'no call records match',
		fix: 'Widen the time range or the filters.',
	},
	'2': {
		meaning: 'the time format is incorrect, or the range exceeds 7 days',
		fix: 'Check Start Time and End Time; the node splits longer ranges into 7-day windows itself.',
	},
	'4': {
		meaning: 'the limit or offset is incorrect',
		fix: 'Use a Limit of at least 1.',
	},
	'12': {
		meaning: 'the caller is unavailable',
		fix: 'Check the Caller filter: use a number of this tenant, or leave it empty.',
	},
};

/** getRecordingAddress (cec_07_1307, "获取录音文件地址"): its retCode is a number. */
const RECORDING: Record<string, ReturnCodeInfo> = {
	'1': {
		meaning: 'AICC could not upload the recording to its object storage (OBS)',
		fix: 'Try again in a moment; if it persists, ask the AICC operations team.',
	},
	'3': {
		meaning: "the tenant's VDN (virtual call centre) is unavailable",
		fix: 'Ask the tenant administrator to check that the tenant space (VDN) is active.',
	},
	'5': {
		meaning: 'AICC has no call record for this call serial number',
		fix:
			'Check the serial number. A call nobody answered has no recording, and a record can take ' +
			'a moment to appear after the call ends: try again a little later.',
	},
	'6': {
		meaning: 'the virtual call centre (VDN) does not exist',
		fix: 'Ask the AICC operations team to check the tenant space (VDN).',
	},
	'7': {
		meaning: "the SFTP settings for the tenant's recordings are empty",
		fix: "Ask the AICC operations team to configure the recordings' SFTP server.",
	},
	'8': {
		meaning: "the SFTP user or password for the tenant's recordings is empty",
		fix: "Ask the AICC operations team to configure the recordings' SFTP account.",
	},
	'9': {
		meaning: "AICC could not connect to the recordings' SFTP server",
		fix: 'Try again later; if it persists, ask the AICC operations team.',
	},
	'10': {
		meaning: 'AICC could not get a temporary path for the recording',
		fix: 'Try again later; if it persists, ask the AICC operations team.',
	},
	'11': {
		meaning: 'AICC could not download the recording from the UAP',
		fix: 'Try again later; if it persists, ask the AICC operations team.',
	},
	'12': {
		meaning: 'the call serial number is longer than 50 characters',
		fix: 'Use the callSerialNo exactly as the call operation returned it.',
	},
	'13': {
		meaning: 'the recording file is larger than AICC hands out',
		fix: 'Ask the AICC operations team for this recording.',
	},
};

/**
 * Where a tenant administrator adds the recordings and text (TTS) templates of voice
 * notifications (usage scene "Voice Notification"), which the system administrator then reviews
 * (user manual cec_01_10001; the API page cec_07_2800 calls the menu "Resource Management
 * Configuration"). The callback URL and key are elsewhere (Expansion and Integration).
 */
export const VOICE_RESOURCES_CONSOLE =
	'Configuration Center > Resource Management > Audio and Video Resource Management';
const VOICE_CONSOLE = `${VOICE_RESOURCES_CONSOLE} in the AICC console`;

/** What both createVoiceNotification versions answer alike (pages cec_07_2801 and 2802). */
const VOICE_COMMON: Record<string, ReturnCodeInfo> = {
	'1': {
		meaning:
			'AICC has an unfinished task and asks to retry later (a notification to this number may ' +
			'still be in progress, from an earlier try or run)',
		fix:
			'Sending it again once that task ends would play the message twice to the same ' +
			'customer.',
		uncertain: true,
	},
	'3': {
		meaning: 'AICC failed to create the voice notification and returned no serial number',
		fix: "Ask the AICC operations team to check the tenant's outbound call service.",
		uncertain: true,
	},
	'4': {
		meaning: 'AICC rejected the softphone (the outbound resource of the tenant)',
		fix:
			"Ask the tenant administrator to check the tenant's softphone and outbound " +
			'configuration for voice notifications.',
	},
	'6': {
		meaning: "the tenant's VDN (virtual call centre) is disabled",
		fix:
			'Ask the tenant administrator to check that the tenant space (VDN) is active and has ' +
			'outbound capacity.',
	},
	'7': {
		meaning: 'the Caller Present number failed the check',
		fix:
			"Leave Caller Present empty (AICC shows the tenant's access code) or use an access code " +
			'of the tenant; other numbers (11 to 14 digits) need calling number anonymization, ' +
			'which O&M enables for the tenant.',
	},
	'9': {
		meaning: 'the callback URL does not meet the requirements',
		fix:
			'Use an http(s) URL with only letters, digits and - : . / _ # ? &, whose host the ' +
			'system administrator has added to the mobile agent callback trust-list.',
	},
	'16': {
		meaning: 'this trial tenant may call only numbers on its trust-list, and Called is not on it',
		fix: "Add the number to the trial tenant's trust-list in AICC, or use a number already on it.",
	},
};

const VOICE_V1: Record<string, ReturnCodeInfo> = {
	...VOICE_COMMON,
	'2': {
		meaning: 'AICC rejected the call data (over 1024 characters)',
		fix: 'The node sends no call data with a voice notification; report this answer.',
	},
	'5': {
		meaning: 'the caller or called number is missing or its format is incorrect',
		fix: 'Check Called: digits only (a leading + is allowed), at most 32 characters.',
	},
	'8': {
		meaning: 'the message (voiceContent) is empty, too long, or names a recording that is missing',
		fix:
			'Check the Message parts: at most 1000 characters in all, and every voice ID approved in ' +
			`${VOICE_CONSOLE} (pick it From List). Text parts need a TTS server configured by the ` +
			'system administrator.',
	},
	'36': {
		meaning: 'the priority is incorrect',
		fix: 'Set Priority to a whole number from 1 (highest) to 9 (lowest, the default).',
	},
};

const VOICE_V2: Record<string, ReturnCodeInfo> = {
	...VOICE_COMMON,
	'5': {
		meaning: 'the called number is missing or its format is incorrect',
		fix: 'Check Called: digits only (a leading + is allowed), at most 32 characters.',
	},
	'10': {
		meaning: 'the play times are not 1 to 5',
		fix: 'Set Play Times to a whole number from 1 to 5.',
	},
	'11': {
		meaning: 'the play list is empty or has more than 5 entries',
		fix: 'Give the Play List 1 to 5 entries.',
	},
	'12': {
		meaning: 'a play list entry has neither a voice ID nor a template ID',
		fix: 'Give every Play List entry a voice, a voice file name or a template.',
	},
	'13': {
		meaning: 'a template variable is longer than 32 bytes',
		fix:
			'Shorten the variable: at most 32 bytes in UTF-8 (a Chinese character takes 3), e.g. ' +
			'a date as 2026/11/05.',
	},
	'14': {
		meaning: 'a template variable contains $, { or }',
		fix: 'Remove $, { and } from the variables.',
	},
	'15': {
		meaning: 'the template variables are missing or more than 10',
		fix:
			"Give the template's entry 1 to 10 Variables, one for each variable of the template's " +
			'text, in order.',
	},
	'17': {
		meaning: 'the voice or TTS template data does not exist',
		fix: `Pick the voice or template From List; check it in ${VOICE_CONSOLE}.`,
	},
	'18': {
		meaning: 'the voice or template is not for the voice notification scene',
		fix: `Use a recording or template made for voice notifications in ${VOICE_CONSOLE}.`,
	},
	'19': {
		meaning: 'the voice or template has not been submitted for review',
		fix: `Submit it for review in ${VOICE_CONSOLE}, and use it once it is approved.`,
	},
	'20': {
		meaning: 'the voice or template has not been reviewed yet',
		fix: 'Wait until the operator has approved it (only approved items are listed From List).',
	},
	'21': {
		meaning: 'the voice or template was rejected in review',
		fix: `Read the review comments in ${VOICE_CONSOLE}, fix it and submit it again.`,
	},
	'22': {
		meaning: 'the template ID is not a text (TTS) template',
		fix: 'Use a text template as Template, or play an audio recording as Voice instead.',
	},
	'23': {
		meaning: 'the voice ID is not an audio recording',
		fix: 'Use an audio recording as Voice, or play a text template as Template instead.',
	},
	// Huawei's page is cut off after "24 recording/TTS data": what follows, and every code above
	// 24, is unknown, so the outcome stays open and later codes get the generic answer.
	'24': {
		meaning:
			"a problem with the recording or TTS data (Huawei's page is cut off here, so the rest " +
			'of the meaning is unknown)',
		fix: `Check the voice or template in ${VOICE_CONSOLE}, then ask the AICC operations team.`,
		uncertain: true,
	},
};

const VOICE_LIST: Record<string, ReturnCodeInfo> = {
	'1': {
		meaning: 'the voice type is incorrect',
		fix: 'Ask for audio recordings (type 0) or text templates (type 2).',
	},
};

export type AiccApi =
	| 'bidirectional'
	| 'anonymous'
	| 'callState'
	| 'records'
	| 'recording'
	| 'voiceNotificationV1'
	| 'voiceNotificationV2'
	| 'voiceList';

const CATALOGUES: Record<AiccApi, Record<string, ReturnCodeInfo>> = {
	bidirectional: BIDIRECTIONAL,
	anonymous: ANONYMOUS,
	callState: CALL_STATE,
	records: RECORDS,
	recording: RECORDING,
	voiceNotificationV1: VOICE_V1,
	voiceNotificationV2: VOICE_V2,
	voiceList: VOICE_LIST,
};

export const SUCCESS_CODE = '0';

/** The APIs of the operations that place calls; their uncertain codes mean "maybe dialed". */
const PLACES_CALLS: ReadonlySet<AiccApi> = new Set([
	'bidirectional',
	'anonymous',
	'voiceNotificationV1',
	'voiceNotificationV2',
]);

/** Whether a request to this API places a call (so an open outcome may mean a dialed call). */
export function placesCalls(api: AiccApi): boolean {
	return PLACES_CALLS.has(api);
}

/**
 * What a return code means; a code the documentation does not list still gets a useful answer.
 * For an operation that places calls, every uncertain code (and only those) advises checking
 * the call records before dialing again, so the advice always matches the item's outcome.
 */
export function explainReturnCode(api: AiccApi, code: string): ReturnCodeInfo {
	const info: ReturnCodeInfo = CATALOGUES[api][code] ?? {
		meaning: "a code that AICC's documentation does not list",
		fix: `Ask the AICC operations team what code ${code} means.`,
		uncertain: true,
	};
	return info.uncertain && placesCalls(api) ? { ...info, fix: `${info.fix} ${CHECK_AGAIN}` } : info;
}

/** Every documented failure code of an API, for documentation and tests. */
export function documentedCodes(api: AiccApi): string[] {
	return Object.keys(CATALOGUES[api]);
}

/**
 * An answer's return code, as a string: `retCode` (most APIs), `resultCode` (anonymous) or
 * `returnCode` (queryVoiceNotificationRecording).
 */
export function returnCodeOf(body: Record<string, unknown>): string | undefined {
	const code = body.retCode ?? body.resultCode ?? body.returnCode;
	return code === undefined || code === null ? undefined : String(code);
}

/**
 * AICC's own words with the code: `retMsg` (bidirectional), `resultDesc` (anonymous) or
 * `description` (queryVoiceNotificationRecording).
 */
export function returnTextOf(body: Record<string, unknown>): string {
	const text = body.retMsg ?? body.resultDesc ?? body.description;
	return typeof text === 'string' ? text : '';
}
