'use strict';

/**
 * The AICC Call node's description as n8n loads it: the Operation menu, the subtitle and every
 * field's display options come from the list of operation files.
 */
const { AiccCall } = require('../dist/nodes/AiccCall/AiccCall.node');
const { resources } = require('../dist/nodes/AiccCall/actions/resources');
const { placesCalls } = require('../dist/nodes/AiccCall/actions/operation');

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
