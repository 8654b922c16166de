import type { IDisplayOptions, INodeProperties, TriggerPanelDefinition } from 'n8n-workflow';

/**
 * Events is Connected alone. (Not "lacks Released": n8n drops Events from the parameters while
 * Callbacks From is Voice Notifications, and then a release sample applies.)
 */
const CONNECTED_ONLY = [{ _cnd: { eq: 'connected' } }];

/** What every sample names: the call, and (before any time) the number called. */
const VOICE_CALL = { callSerialNo: '1795322914835007919', called: '13800138000' };
const BIDIRECTIONAL_CALL = {
	callSerialNo: VOICE_CALL.callSerialNo,
	serviceNo: '10086',
	called: VOICE_CALL.called,
};
/**
 * What a release callback of a bidirectional call adds, as in the README's output: a newcomer's
 * test event without them reached the CRM with no lead, no agent and no talk time, and made them
 * doubt a real callback carries them.
 */
const BIDIRECTIONAL_RELEASE = { ...BIDIRECTIONAL_CALL, caller: '88889050', callData: 'lead-4711' };

/**
 * The callback bodies to send by hand, one for each way the trigger can be set: each passes the
 * filters that show it, and a test sends each one to the trigger. A newcomer who picked "On Call
 * Connected" posted a release sample, which the filters left out; another, set to Only Unanswered,
 * got "answered: false" beside "the called party hung up".
 */
const SAMPLES: Array<{ name: string; body: object; displayOptions: IDisplayOptions }> = [
	{
		// A bidirectional call the customer answered, then hung up.
		name: 'testCommand',
		body: {
			...BIDIRECTIONAL_RELEASE,
			releaseReason: '0',
			talkingTime: '1795322905000',
			releaseTime: '1795322965000',
			talkDuration: '60',
		},
		displayOptions: {
			show: { callType: ['auto', 'bidirectional'] },
			hide: { events: CONNECTED_ONLY, answered: ['unanswered'] },
		},
	},
	{
		// A bidirectional call the customer did not answer.
		name: 'unansweredTestCommand',
		body: {
			...BIDIRECTIONAL_RELEASE,
			releaseReason: '5',
			talkingTime: '0',
			releaseTime: '1795322965000',
			talkDuration: '0',
		},
		displayOptions: {
			show: { callType: ['auto', 'bidirectional'], answered: ['unanswered'] },
			hide: { events: CONNECTED_ONLY },
		},
	},
	{
		// A voice notification played to the end.
		name: 'voiceTestCommand',
		body: {
			...VOICE_CALL,
			releaseReason: '1',
			talkingTime: '1795322905000',
			releaseTime: '1795322935000',
			talkDuration: '30',
		},
		displayOptions: {
			show: { callType: ['voiceNotification'] },
			hide: { answered: ['unanswered'] },
		},
	},
	{
		// A voice notification rejected, or not answered before the ringing timed out.
		name: 'unansweredVoiceTestCommand',
		body: {
			...VOICE_CALL,
			releaseReason: '4',
			talkingTime: '0',
			releaseTime: '1795322935000',
			talkDuration: '0',
		},
		displayOptions: { show: { callType: ['voiceNotification'], answered: ['unanswered'] } },
	},
	{
		// A connection callback (the fields Huawei lists).
		name: 'connectionTestCommand',
		body: {
			...BIDIRECTIONAL_CALL,
			callData: 'lead-4711',
		},
		displayOptions: { show: { events: CONNECTED_ONLY } },
	},
];

/**
 * The command alone, in a notice of its own (a newcomer had to pick it out of a sentence), with a
 * space after each comma, so that the notice can wrap the line, and TEST_URL to replace: a
 * newcomer ran the line with "<Test URL>" in it, which the shell read as a redirect.
 */
const curlOf = (body: object) =>
	"curl -X POST -H 'Content-Type: application/json' " +
	`-d '${JSON.stringify(body).replace(/,"/g, ', "')}' TEST_URL`;

/** Where the production URL must point, said wherever the editor shows the URL. */
const PUBLIC_URL_HINT =
	'AICC must reach this address over HTTPS (TLS 1.2 or newer): while the Production URL shows ' +
	"localhost or http://, set n8n's WEBHOOK_URL to its public HTTPS address (e.g. " +
	'https://n8n.example.com/) and restart n8n.';

/** The button that listens for a test event, as n8n 2.x and 1.x (1.123) label it on a trigger. */
const LISTEN = '<b>Execute step</b>';

/** What else there is to know about a test event: a release, or a connection. */
const RELEASE_MORE =
	'Or place a call with the Test URL as its Callback URL within 2 minutes (n8n listens that ' +
	'long): the AICC simulator of <code>npm start</code> calls back like AICC when the call ends.';
const CONNECTION_MORE =
	"AICC sends connections only to the tenant console's URL, not to a call's Callback URL.";

/**
 * How to send a test event, above the command: n8n folds the panel's help away and, while
 * listening, shows only "Listening for test event"; the parameters (and the Test URL above them)
 * stay in view. With a Secret set, the URL must end in it: a newcomer's command got HTTP 401.
 * On a trigger with pinned data, as in the examples, n8n first asks to unpin it: a newcomer
 * hesitated there, the notice not having said so.
 */
const howToTest = (secret: boolean, more: string) =>
	`To test: click ${LISTEN}, then run the command below in a terminal, with TEST_URL replaced ` +
	'by the <b>Test URL</b> (under Webhook URLs at the top; click to open)' +
	(secret
		? ' followed by ? and the Secret, with no name before it ' +
			"(e.g. …/aicc-call-events?k9x2Lq7Vd3: AICC's callback URLs may not hold =)"
		: '') +
	`. ${more} Where a sample is pinned on the trigger (as in the examples), n8n first asks to ` +
	'unpin it: unpin, and the test event takes its place.';

const notice = (
	name: string,
	displayName: string,
	displayOptions: IDisplayOptions,
): INodeProperties => ({ displayName, name, type: 'notice', default: '', displayOptions });

/**
 * The trigger's first parameters: how to test (for a release or a connection, with or without a
 * Secret), then the command that sends the sample matching the trigger's settings.
 */
export const TEST_NOTICES: INodeProperties[] = [
	notice('testNotice', howToTest(false, RELEASE_MORE), {
		show: { secret: [''] },
		hide: { events: CONNECTED_ONLY },
	}),
	notice('secretTestNotice', howToTest(true, RELEASE_MORE), {
		hide: { events: CONNECTED_ONLY, secret: [''] },
	}),
	notice('connectionTestNotice', howToTest(false, CONNECTION_MORE), {
		show: { events: CONNECTED_ONLY, secret: [''] },
	}),
	notice('secretConnectionTestNotice', howToTest(true, CONNECTION_MORE), {
		show: { events: CONNECTED_ONLY },
		hide: { secret: [''] },
	}),
	...SAMPLES.map(({ name, body, displayOptions }) => notice(name, curlOf(body), displayOptions)),
];

const PUBLISH =
	'publish the workflow (activate it in n8n 1.x) and put the <b>Production URL</b> into the ' +
	'Callback URL of Create Bidirectional Call or Create Voice Notification, or into the tenant ' +
	"console's callback settings";

/** The notice on going live, among the trigger's parameters. */
export const SETUP_NOTICE =
	`To go live (AICC has no API to register a callback): ${PUBLISH}; and ask the system ` +
	"administrator to add the URL's host to the tenant's callback trust-list. " +
	PUBLIC_URL_HINT;

/**
 * What the trigger's panel says in place of n8n's defaults: AICC has no event to create in its
 * console; it calls back the URL a call names. (While listening, n8n still says "Go to AICC and
 * create an event", built from the display name; a call placed in AICC is that event.)
 */
export const TRIGGER_PANEL: TriggerPanelDefinition = {
	header: 'Receive the callbacks AICC sends when a call is connected or ends',
	executionsHelp: {
		inactive:
			`<b>While building your workflow</b>, click ${LISTEN}, then send a callback ` +
			'to the <b>Test URL</b> (under Webhook URLs): place a call whose Callback URL is that URL ' +
			"(the package's AICC simulator, <code>npm run simulator</code>, calls back like AICC), " +
			"or run the command at the top of the node's parameters (it matches the trigger's " +
			'settings), with <code>?</code> and the secret at the end of the URL if you set one. ' +
			'With an AICC Callback Key credential only signed callbacks count, so send them from the ' +
			'simulator. The filters apply to test events too; the answer to a callback they leave ' +
			'out says why.' +
			'<br /><br /><b>Once you have finished building your ' +
			`workflow</b>, ${PUBLISH}. ${PUBLIC_URL_HINT}`,
		active:
			'Your workflow runs for each callback AICC sends to the <b>Production URL</b>, the ' +
			'Callback URL of your calls; each run is in the executions list. To try a change, listen ' +
			'for a test event and send a callback to the <b>Test URL</b>.',
	},
	activationHint: {
		inactive:
			`To test, click ${LISTEN} and send a callback to the <b>Test URL</b>, as the notice at ` +
			'the top of the parameters shows. Once you have finished building your workflow, ' +
			`${PUBLISH}.`,
		active: 'Your workflow runs for each callback AICC sends to its Production URL.',
	},
};
