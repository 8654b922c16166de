'use strict';

/**
 * The AICC Call node's description as n8n loads it: the Operation menu, the subtitle and every
 * field's display options come from the list of operation files.
 */
const { AiccCall } = require('../dist/nodes/AiccCall/AiccCall.node');
const { resources } = require('../dist/nodes/AiccCall/actions/resources');
const { placesCalls } = require('../dist/nodes/AiccCall/actions/operation');
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
				action: operation.action,
			});
		}
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

test('Allowed Called Numbers shows for exactly the operations that place calls', () => {
	const options = description.properties.find((property) => property.name === 'options');
	const allowed = options.options.find((option) => option.name === 'allowedCalledNumbers');
	expect(allowed.displayOptions.show['/operation']).toEqual(
		operations.filter(placesCalls).map((operation) => operation.value),
	);
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
