'use strict';

/**
 * The AICC Call node's description as n8n loads it: the Operation menu, the subtitle and every
 * field's display options come from the list of operation files.
 */
const { AiccCall } = require('../dist/nodes/AiccCall/AiccCall.node');
const { resources } = require('../dist/nodes/AiccCall/actions/resources');
const { actionOf, placesCalls } = require('../dist/nodes/AiccCall/actions/operation');
const { labelsOf } = require('../dist/nodes/AiccCall/helpers/validation');

const operations = resources.flatMap((resource) => resource.operations);
const resourceOf = (operation) =>
	resources.find((resource) => resource.operations.includes(operation)).value;

const description = new AiccCall().description;
test('the Resource menu lists every resource; each Operation menu its operations, sorted', () => {
	const resourceMenu = description.properties.find((property) => property.name === 'resource');
	expect(resourceMenu.options.map((option) => option.value).sort()).toEqual(
		resources.map((resource) => resource.value).sort(),
	);
	expect(resources.map((resource) => resource.value)).toContain(resourceMenu.default);
	for (const resource of resources) {
		const menu = description.properties.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions.show.resource[0] === resource.value,
		);
		const names = resource.operations.map((operation) => operation.name);
		expect(menu.options.map((option) => option.name)).toEqual([...names].sort());
		expect(menu.default).toBe(resource.defaultOperation);
		for (const operation of resource.operations) {
			expect(menu.options.find((option) => option.value === operation.value)).toEqual({
				name: operation.name,
				value: operation.value,
				description: operation.description,
				action: expect.any(String),
			});
		}
	}
});

test("each action (a new node's default name) is its operation's name in sentence case", () => {
	const actions = description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((menu) => menu.options.map((option) => option.action));
	// n8n names a new node after the action it was picked by; the canvas cuts longer names.
	expect(actions.sort()).toEqual([
		'Create anonymous call',
		'Create bidirectional call',
		'Create voice notification',
		'Get call records',
		'Get call state',
		'Get recording URL',
		'Get voices',
	]);
	for (const operation of operations) {
		expect(actionOf(operation.name).toLowerCase()).toBe(operation.name.toLowerCase());
	}
});

test('the subtitle names each operation as its file does', () => {
	const written = JSON.parse(description.subtitle.match(/^={{ (\{.*\})\[/)[1]);
	expect(written).toEqual(
		Object.fromEntries(
			operations.map((operation) => [
				`${resourceOf(operation)}:${operation.value}`,
				operation.name,
			]),
		),
	);
});

test("each operation's fields show only for that operation", () => {
	for (const operation of operations) {
		const shown = description.properties.filter((property) =>
			property.displayOptions?.show?.operation?.includes(operation.value),
		);
		expect(shown.map((property) => property.name)).toEqual(
			operation.properties.map((property) => property.name),
		);
		for (const property of shown) {
			expect(property.displayOptions.show.resource).toEqual([resourceOf(operation)]);
			expect(property.displayOptions.show.operation).toEqual([operation.value]);
		}
	}
});

const options = description.properties.find((property) => property.name === 'options');
const option = (name) => options.options.find((entry) => entry.name === name);

test.each([
	'allowedCalledNumbers',
	'duplicateKey',
	'duplicateWindow',
	'callsPerSecond',
	'numbersAsGiven',
])('%s shows for exactly the operations that place calls', (name) => {
	expect(option(name).displayOptions.show['/operation']).toEqual(
		operations.filter(placesCalls).map((operation) => operation.value),
	);
});

test('the options every request heeds show for every operation', () => {
	const everywhere = options.options.filter((entry) => entry.displayOptions === undefined);
	expect(everywhere.map((entry) => entry.name).sort()).toEqual([
		'concurrency',
		'maxAttempts',
		'timeout',
	]);
});

test('Include Raw Response shows on every operation but Get Call Records (records)', () => {
	expect(option('includeRawResponse').displayOptions).toEqual({
		hide: { '/operation': ['getRecords'] },
	});
});

test('Max Calls Per Second shows its default as 0 (no limit), not 0.00', () => {
	expect(option('callsPerSecond').default).toBe(0);
	// n8n's editor writes a number with numberPrecision decimals, so 0 read "0.00".
	expect(option('callsPerSecond').typeOptions).toEqual({ minValue: 0, maxValue: 1000 });
});

test("resource and operation come first in every field's conditions", () => {
	// n8n shows a field as soon as a condition it reaches names a field set by an expression: an
	// expression in one operation's API Version must not reveal another operation's fields.
	for (const property of description.properties.filter((p) => p.displayOptions?.show?.operation)) {
		expect(Object.keys(property.displayOptions.show).slice(0, 2)).toEqual([
			'resource',
			'operation',
		]);
	}
});

/** Every field, nested ones (collections, fixed collections) included. */
function allFields(properties) {
	return properties.flatMap((property) => [
		property,
		...allFields(
			(property.options ?? []).flatMap((option) =>
				option.values ? option.values : option.type ? [option] : [],
			),
		),
	]);
}

test("every resource locator's list is a listSearch method of the node", () => {
	const node = new AiccCall();
	const methods = allFields(description.properties)
		.filter((property) => property.type === 'resourceLocator')
		.flatMap((property) => property.modes)
		.map((mode) => mode.typeOptions?.searchListMethod)
		.filter(Boolean);
	expect([...new Set(methods)].sort()).toEqual(['searchTemplates', 'searchVoices']);
	for (const method of methods) expect(typeof node.methods.listSearch[method]).toBe('function');
	expect(Object.keys(node.methods.listSearch).sort()).toEqual(['searchTemplates', 'searchVoices']);
});

test('each field name has one label: validation names fields by it', () => {
	for (const operation of operations) {
		const labels = labelsOf(operation.properties);
		for (const property of allFields(operation.properties))
			expect(labels.get(property.name)).toBe(property.displayName);
	}
});

test('who each number rings, and how to fill a template, show beneath the fields', () => {
	const shown = (operation, name) =>
		description.properties.find(
			(property) =>
				property.name === name && property.displayOptions?.show?.operation?.[0] === operation,
		);
	expect(shown('createBidirectional', 'caller').hint).toBe(
		'The agent: AICC rings this number first',
	);
	expect(shown('createBidirectional', 'softPhone').hint).toBe(
		'The agent: AICC rings this softphone first',
	);
	expect(shown('createBidirectional', 'called').hint).toBe(
		'The customer: rung once the agent answers',
	);
	const playList = shown('create', 'playList').options[0].values;
	expect(playList.find((field) => field.name === 'templateId').hint).toBe(
		'In the list, a name ends in how many values its template takes and which, in order, e.g. ' +
			'(3: TXT_1, DATE, TIME): add one row each under Variables, a DATE as 2026/11/05, ' +
			'a TIME as 10:30',
	);
	expect(operations.find((operation) => operation.value === 'getState').description).toMatch(
		/^A bidirectional call's state/,
	);
});
