'use strict';

/**
 * README.zh-CN.md is a translation of README.md: these checks fail when the two drift apart in
 * structure (sections, tables, code, links), so a change to one README shows up as a change the
 * other still needs. Wording is not compared.
 */

const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const EN = 'README.md';
const ZH = 'README.zh-CN.md';
const SHELL = new Set(['bash', 'sh', 'shell']);

/** Headings, fenced code blocks, table rows per section and link targets of a Markdown file. */
function parse(file) {
	const lines = fs.readFileSync(path.join(root, file), 'utf8').split(/\r?\n/);
	const headings = [];
	const blocks = [];
	const links = [];
	const tableRows = [0];
	let fence = null;
	for (const line of lines) {
		const marker = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
		if (fence) {
			const closes = marker && marker[1][0] === fence.char && marker[1].length >= fence.length;
			if (closes && !marker[2].trim()) {
				blocks.push({ info: fence.info, body: fence.body.join('\n') });
				fence = null;
			} else {
				fence.body.push(line);
			}
			continue;
		}
		if (marker) {
			fence = { char: marker[1][0], length: marker[1].length, info: marker[2].trim(), body: [] };
			continue;
		}
		const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
		if (heading) {
			headings.push({ level: heading[1].length, text: heading[2] });
			tableRows.push(0);
			continue;
		}
		if (/^\s*\|/.test(line)) tableRows[tableRows.length - 1] += 1;
		const prose = line.replace(/`[^`]*`/g, '');
		for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
			links.push(match[1]);
		}
	}
	expect(fence).toBeNull();
	return { lines, headings, blocks, links, tableRows };
}

/** The anchor GitHub gives a heading (lower case, punctuation dropped, spaces to hyphens). */
function slug(text) {
	return text
		.replace(/`/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

function anchors(headings) {
	const seen = new Map();
	return new Set(
		headings.map(({ text }) => {
			const base = slug(text);
			const count = seen.get(base) ?? 0;
			seen.set(base, count + 1);
			return count ? `${base}-${count}` : base;
		}),
	);
}

function isRelative(target) {
	return !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#');
}

/** Relative targets other than the two READMEs' links to each other. */
function relativeTargets(doc) {
	const targets = doc.links.filter(isRelative).map((target) => target.split('#')[0]);
	return [...new Set(targets.filter((target) => target !== EN && target !== ZH))].sort();
}

/** A shell block's commands, without the trailing comments a translation may reword. */
function commands(body) {
	return body
		.split('\n')
		.map((line) => line.replace(/\s+#.*$/, '').trimEnd())
		.join('\n');
}

function title(doc, index) {
	const heading = doc.headings[index - 1];
	return heading ? `"${'#'.repeat(heading.level)} ${heading.text}"` : 'the top';
}

describe('README.zh-CN.md follows README.md', () => {
	const en = parse(EN);
	const zh = parse(ZH);

	test('each README links to the other in its first lines', () => {
		expect(en.lines.slice(0, 5).join('\n')).toContain(`](${ZH})`);
		expect(zh.lines.slice(0, 5).join('\n')).toContain(`](${EN})`);
	});

	test('the same headings at the same levels, in the same order', () => {
		const pairs = en.headings.map((heading, i) => {
			const other = zh.headings[i];
			const zhText = other ? `${'#'.repeat(other.level)} ${other.text}` : '(missing)';
			return `${'#'.repeat(heading.level)} ${heading.text}  <->  ${zhText}`;
		});
		const mismatch = pairs.find((_pair, i) => zh.headings[i]?.level !== en.headings[i].level);
		expect(mismatch).toBeUndefined();
		expect(zh.headings.slice(en.headings.length).map((h) => h.text)).toEqual([]);
	});

	test('the same number of table rows in every section', () => {
		const differences = en.tableRows
			.map((count, i) => ({ count, other: zh.tableRows[i], i }))
			.filter(({ count, other }) => count !== other)
			.map(({ count, other, i }) => `${title(en, i)}: ${count} rows in ${EN}, ${other} in ${ZH}`);
		expect(differences).toEqual([]);
	});

	test('the same code blocks: identical output and data, the same shell commands', () => {
		expect(zh.blocks.map((block) => block.info)).toEqual(en.blocks.map((block) => block.info));
		en.blocks.forEach((block, i) => {
			const other = zh.blocks[i].body;
			if (SHELL.has(block.info)) expect(commands(other)).toBe(commands(block.body));
			else expect(other).toBe(block.body);
		});
	});

	test('the same relative links, each to a file that exists', () => {
		const targets = relativeTargets(en);
		expect(relativeTargets(zh)).toEqual(targets);
		expect(targets.length).toBeGreaterThan(0);
		const missing = targets.filter((target) => !fs.existsSync(path.join(root, target)));
		expect(missing).toEqual([]);
		expect(fs.existsSync(path.join(root, ZH))).toBe(true);
	});

	test.each([
		[EN, en],
		[ZH, zh],
	])('every link within %s leads to one of its headings', (_file, doc) => {
		const known = anchors(doc.headings);
		const broken = doc.links
			.filter((target) => target.startsWith('#'))
			.filter((target) => !known.has(decodeURIComponent(target.slice(1))));
		expect(broken).toEqual([]);
	});
});

/** Every address in the package's own files that points into README.md: (file, url). */
function documentationLinks() {
	const links = [];
	for (const file of fs.readdirSync(path.join(root, 'credentials'))) {
		const text = fs.readFileSync(path.join(root, 'credentials', file), 'utf8');
		for (const match of text.matchAll(/documentationUrl = '([^']+)'/g))
			links.push([file, match[1]]);
	}
	for (const dir of fs.readdirSync(path.join(root, 'nodes'))) {
		for (const file of fs.readdirSync(path.join(root, 'nodes', dir))) {
			if (!file.endsWith('.node.json')) continue;
			const text = fs.readFileSync(path.join(root, 'nodes', dir, file), 'utf8');
			for (const match of text.matchAll(/"url": "([^"]+)"/g)) links.push([file, match[1]]);
		}
	}
	return links;
}

test("the credentials' and nodes' documentation links lead to headings of README.md", () => {
	const { homepage } = require('../package.json');
	const repository = homepage.replace(/#readme$/, '');
	const known = anchors(parse(EN).headings);
	const links = documentationLinks();
	expect(links.map(([file]) => file)).toEqual(
		expect.arrayContaining(['AiccApi.credentials.ts', 'AiccCall.node.json']),
	);
	const broken = links.filter(([, url]) => {
		const [address, anchor] = url.split('#');
		return address !== repository || (anchor !== 'readme' && !known.has(anchor));
	});
	expect(broken).toEqual([]);
});
