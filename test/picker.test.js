'use strict';

/**
 * How n8n's node picker shows the package: the nodes and their codex files as n8n-core's loader
 * reads them from dist, checked against the rules of the picker (editor-ui's
 * useActionsGeneration.ts).
 */
const { loadPackage } = require('./setup');

let action;
let trigger;

beforeAll(async () => {
	const loader = await loadPackage();
	action = loader.nodeTypes.aiccCall.type.description;
	trigger = loader.nodeTypes.aiccCallEventTrigger.type.description;
});

test('each node has its own entry, with its own description', () => {
	// The picker folds a trigger into the node whose name is the trigger's without "Trigger",
	// and that entry then shows the trigger's description: the action node's entry read
	// "Starts the workflow when AICC reports…".
	expect(`n8n-nodes-aicc.${trigger.name}`.replace('Trigger', '')).not.toBe(
		`n8n-nodes-aicc.${action.name}`,
	);
	expect(action.description).toMatch(/^Place calls through Huawei AICC/);
	expect(trigger.description).toMatch(/^Starts the workflow when AICC reports/);
});

test("each node's codex file reaches dist and names that node", () => {
	for (const description of [action, trigger]) {
		expect(description.codex).toMatchObject({ categories: ['Communication'] });
		expect(description.codex.resources.primaryDocumentation).toHaveLength(1);
	}
	expect(trigger.codex.resources.primaryDocumentation[0].url).toMatch(/#aicc-trigger$/);
});

// n8n opens a node's documentationUrl as given, but appends its tracking query to the codex
// file's link, after the anchor: a newcomer's Docs link missed its section.
test("each node's Docs link is its documentationUrl, the codex file's link", () => {
	for (const description of [action, trigger]) {
		expect(description.documentationUrl).toBe(
			description.codex.resources.primaryDocumentation[0].url,
		);
	}
	expect(action.documentationUrl).toMatch(/#the-node-aicc-call$/);
});

// A newcomer searched the picker for "call state" and found nothing.
test("the picker finds the nodes by what they do, through the codex files' aliases", () => {
	expect(action.codex.alias).toEqual(
		expect.arrayContaining(['Voice Notification', 'Call State', 'Telephony']),
	);
	expect(trigger.codex.alias).toEqual(expect.arrayContaining(['Callback', 'Call Ended']));
});

test('the trigger offers its events in the picker under Title Case names', () => {
	const events = trigger.properties.find((property) => property.displayName === 'Events');
	// Without an action the picker writes "On " and the name in lower case, without brackets:
	// "On connected", "On released hung up".
	expect(events.options.map((option) => option.action)).toEqual([
		'On Call Connected',
		'On Call or Voice Notification Ended',
	]);
});
