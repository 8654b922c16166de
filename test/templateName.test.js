'use strict';

const {
	templateListName,
	parseTemplateListName,
	pickedTemplate,
} = require('../dist/nodes/AiccCall/actions/voiceNotification/templateName');

/**
 * A template's name in the Template field's list, written once: the list builds it and the
 * validation reads it back from the name n8n keeps of a template picked From List.
 */
describe('the list name of a template', () => {
	test.each([
		[
			'3 variables',
			'Appointment reminder',
			['TXT_1', 'DATE', 'TIME'],
			'Appointment reminder (3: TXT_1, DATE, TIME)',
		],
		['1 variable', 'Verification code', ['NUM_1'], 'Verification code (1: NUM_1)'],
		['a name with brackets', 'Reminder (v2)', ['A', 'B'], 'Reminder (v2) (2: A, B)'],
		['a name that looks like the format', 'Notice (1: X)', ['TXT_1'], 'Notice (1: X) (1: TXT_1)'],
		['a variable used twice', '预约提醒', ['TXT_1', 'TXT_1'], '预约提醒 (2: TXT_1, TXT_1)'],
	])('%s: built, then read back', (_label, name, variables, listName) => {
		expect(templateListName(name, variables)).toBe(listName);
		expect(parseTemplateListName(listName)).toEqual({ name, variables });
	});

	test('a template without variables keeps its plain name, which gives no count', () => {
		expect(templateListName('Office closed today', [])).toBe('Office closed today');
		expect(parseTemplateListName('Office closed today')).toBeNull();
		expect(templateListName('Reminder (v2)', [])).toBe('Reminder (v2)');
		expect(parseTemplateListName('Reminder (v2)')).toBeNull();
	});

	test.each([
		['the format before the count', 'Appointment reminder (TXT_1, DATE, TIME)'],
		['a count the names do not match', 'Appointment reminder (2: TXT_1, DATE, TIME)'],
		['the count in words', 'Appointment reminder (3 variables: TXT_1, DATE, TIME)'],
		['no count', 'Notice (: A, B)'],
		['a count of 0', 'Notice (0: )'],
		['a count with a leading 0', 'Notice (02: A, B)'],
		['text after the brackets', 'Notice (2: A, B) old'],
		['no space before the brackets', 'Notice(2: A, B)'],
	])('%s is not in the format: null', (_label, listName) => {
		expect(parseTemplateListName(listName)).toBeNull();
	});

	test('a variable whose name holds ", " cannot be read back: null, so it is not counted', () => {
		expect(parseTemplateListName(templateListName('Odd', ['A, B']))).toBeNull();
	});
});

describe('the template of a Template field', () => {
	const name = 'Appointment reminder (3: TXT_1, DATE, TIME)';
	const field = (mode, cachedResultName) => ({
		__rl: true,
		mode,
		value: '2000000000000000001',
		cachedResultName,
	});

	test('picked From List, with the name n8n kept: its variables', () => {
		expect(pickedTemplate(field('list', name))).toEqual({
			name: 'Appointment reminder',
			variables: ['TXT_1', 'DATE', 'TIME'],
		});
	});

	test.each([
		['By ID', field('id', name)],
		['no name kept', field('list', undefined)],
		['an older name', field('list', 'Appointment reminder (TXT_1, DATE, TIME)')],
		['an ID from an expression', '2000000000000000001'],
		['nothing', undefined],
		['an object that is no resource locator', { mode: 'list', cachedResultName: name }],
	])('%s: none, so not counted', (_label, value) => {
		expect(pickedTemplate(value)).toBeUndefined();
	});
});
