'use strict';

/**
 * What the example workflows tell a user before going live. test-e2e/ runs them in a real n8n.
 */
const fs = require('node:fs');
const path = require('node:path');

const DIR = path.join(__dirname, '..', 'examples');
const examples = fs
	.readdirSync(DIR)
	.filter((file) => file.endsWith('.json'))
	.map((file) => [file, JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))]);
const withTrigger = examples.filter(([, workflow]) =>
	workflow.nodes.some((node) => node.type.endsWith('.aiccCallEventTrigger')),
);

test('three examples start from the AICC Trigger', () => {
	expect(withTrigger.map(([file]) => file).sort()).toEqual([
		'appointment-reminder-voice-notification.json',
		'call-outcome-to-crm.json',
		'missed-call-follow-up.json',
	]);
});

// A newcomer's examples went live with neither: anyone who learned the URL could start them.
test.each(withTrigger)('%s says to protect its trigger before publishing', (_file, workflow) => {
	const trigger = workflow.nodes.find((node) => node.type.endsWith('.aiccCallEventTrigger'));
	const notes = workflow.nodes
		.filter((node) => node.type === 'n8n-nodes-base.stickyNote')
		.map((node) => node.parameters.content)
		.join('\n');
	const step = notes.split('\n').find((line) => line.includes('Protect the URL'));
	expect(step).toContain(`**${trigger.name} → Secret**`);
	expect(step).toContain('**AICC Callback Key** credential');
	const steps = notes.split('\n').filter((line) => /^\d+\. /.test(line));
	expect(steps.indexOf(step)).toBeLessThan(steps.findIndex((line) => line.includes('**Publish**')));
});
