import type { TriggerPanelDefinition } from 'n8n-workflow';

/**
 * A callback body to send by hand: a bidirectional call the customer answered, then hung up.
 * The trigger's test notice posts it while Events includes Released; a test checks that it starts
 * the workflow.
 */
const SAMPLE_CALLBACK = {
	callSerialNo: '1795322914835007919',
	serviceNo: '10086',
	called: '13800138000',
	releaseReason: '0',
	talkingTime: '1795322905000',
	releaseTime: '1795322965000',
};

/** A connection callback (the fields Huawei lists), posted while Events is Connected alone. */
const SAMPLE_CONNECTION = {
	callSerialNo: '1795322914835007919',
	serviceNo: '10086',
	called: '13800138000',
	callData: 'lead-4711',
};

/**
 * With a space after each comma, so that the panel can wrap the line (n8n does not scroll it), and
 * TEST_URL to replace: a newcomer ran the line with "<Test URL>" in it, which the shell read as a
 * redirect.
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

/**
 * How to send a test event, in the node's parameters: n8n folds the panel's help away and, while
 * listening, shows only "Listening for test event"; the parameters (and the Test URL above them)
 * stay in view. The command comes first (a newcomer read 150 words to find it). The sample matches
 * the events chosen: a newcomer who picked "On Call Connected" posted a release sample, which the
 * filters left out.
 */
const testNotice = (body: object, more: string) =>
	`To test: click ${LISTEN}, then send a callback to the <b>Test URL</b> (under Webhook URLs at ` +
	`the top; click to open), with TEST_URL replaced by it: <code>${curlOf(body)}</code> ${more}`;

/** The test notice while Events includes Released (the default): an answered call that ended. */
export const TEST_NOTICE = testNotice(
	SAMPLE_CALLBACK,
	'Or place a call with the Test URL as its Callback URL: the AICC simulator of <code>npm ' +
		'start</code> calls back like AICC. For Only Unanswered, change talkingTime to "0".',
);

/**
 * The test notice while Events is Connected alone. AICC sends connection callbacks only to the
 * URL set in the tenant console, never to a call's Callback URL.
 */
export const CONNECTION_TEST_NOTICE = testNotice(
	SAMPLE_CONNECTION,
	"AICC sends connections only to the tenant console's URL, not to a call's Callback URL.",
);

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
			"or post the sample from the notice at the top of the node's parameters (it matches the " +
			'Events chosen), with <code>?</code> and the secret at the end of the URL if you set one. ' +
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
