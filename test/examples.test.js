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

// A newcomer found the reminder's outcome half impossible to run from the editor: its trigger had
// no sample. Each trigger has one, read as the trigger reads callbacks, and a CRM webhook left at
// its placeholder sends the run to a branch that says what to fix instead of failing it.
test.each(withTrigger)(
	'%s: its trigger has a sample; the CRM step has a failure branch',
	(_f, w) => {
		const trigger = w.nodes.find((node) => node.type.endsWith('.aiccCallEventTrigger'));
		const [sample] = w.pinData[trigger.name];
		expect(sample.json).toMatchObject({
			event: 'released',
			callType: trigger.parameters.callType ?? 'bidirectional',
			callSerialNo: expect.stringMatching(/^\d{19}$/),
			answered: trigger.parameters.answered === 'unanswered' ? false : expect.any(Boolean),
		});
		for (const node of w.nodes.filter((n) => n.parameters.url?.includes('.example.com'))) {
			expect([node.name, node.onError]).toEqual([node.name, 'continueErrorOutput']);
			expect(w.connections[node.name].main[1]).toHaveLength(1);
		}
	},
);

// A newcomer's first run of these examples ended on the failure branch (the CRM and chat URLs are
// placeholders) and read a stack trace there: the branch passes on what to fix, the problem in a
// line and the call, nothing else.
test.each(withTrigger)('%s: its failure branch says what to fix, without a stack', (_f, w) => {
	for (const node of w.nodes.filter((n) => n.parameters.url?.includes('.example.com'))) {
		const [{ node: target }] = w.connections[node.name].main[1];
		const branch = w.nodes.find((n) => n.name === target);
		expect(branch.parameters.includeOtherFields).toBe(false);
		const fields = branch.parameters.assignments.assignments;
		expect(fields.map((field) => field.name)).toEqual([
			'fix',
			'problem',
			expect.any(String),
			'callSerialNo',
		]);
		expect(fields[0].value).toContain(`${node.name} failed: put your`);
		expect(fields[1].value).toBe('={{ $json.error.message }}');
	}
});

// A newcomer read "places one call per item" and could not tell whether anyone's phone rings: an
// anonymous call is a task that the operators' app dials.
test('the anonymous-call example says that nothing rings until the app dials the task', () => {
	const [, workflow] = examples.find(([file]) => file === 'contact-list-anonymous-calls.json');
	const note = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote');
	expect(note.parameters.content).toContain('Nothing rings yet');
	expect(note.parameters.content).toContain('Create Bidirectional Call');
	const [{ node: success }] = workflow.connections['Anonymous Call'].main[0];
	const next = workflow.nodes.find((node) => node.name === success);
	expect([next.notes, next.notesInFlow]).toEqual([expect.stringContaining('accessCode'), true]);
});
