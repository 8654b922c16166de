'use strict';

/**
 * README.zh-CN.md is a translation of README.md: these checks fail when the two drift apart, so a
 * change to one README shows up as a change the other still needs. Structure (sections, tables,
 * code blocks, links) and, per section, content that does not depend on the language: inline code
 * spans, numbers, the first column of every table, the length of every list and the number of
 * paragraphs. Wording is not compared. Sections are paired by that content, not by position, so a
 * section moved in one README is reported once (by the order test) and its content still compared
 * with its counterpart. Deliberate differences are listed in ALLOWED below.
 */

const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const EN = 'README.md';
const ZH = 'README.zh-CN.md';
const SHELL = new Set(['bash', 'sh', 'shell']);

/**
 * Differences the Chinese makes on purpose, per section (its heading in README.md): what only
 * README.zh-CN.md has (`zhOnly`) or only README.md has (`enOnly`): inline `code`, `numbers`,
 * `paragraphs`. Each entry must still be needed, or the test fails: keep this list short and true.
 * A table's first cell may be translated without an entry (its code spans and numbers must match).
 */
const ALLOWED = [
	{
		section: 'Credential errors and what to do',
		zhOnly: { paragraphs: 1 },
		why: 'a note that the messages are the English text n8n shows',
	},
	{
		section: 'Return codes',
		zhOnly: { numbers: ['1024', '32', '10', '1', '5', '10', '5'], paragraphs: 1 },
		why: "Huawei's Chinese wording beside each message quotes limits again; a note introduces it",
	},
	{
		section: 'Voice notification callbacks',
		zhOnly: { paragraphs: 1 },
		why: "a note that each reason cell gives the node's English text, then Huawei's Chinese",
	},
	{
		section: 'Using the node as an AI tool',
		zhOnly: { numbers: ['1'] },
		why: 'the Chinese sentence says "n8n 1.x" twice',
	},
	{
		section: 'Signed callbacks',
		zhOnly: { numbers: ['1'] },
		why: 'the Chinese sentence names reading (1) twice',
	},
];

/** A table row's cells (a `|` inside a code span does not split). */
function cells(line) {
	const row = line.trim().replace(/^\|/, '').replace(/\|$/, '');
	const out = [''];
	let code = false;
	for (const char of row) {
		if (char === '`') code = !code;
		if (char === '|' && !code) out.push('');
		else out[out.length - 1] += char;
	}
	return out.map((cell) => cell.trim());
}

const newSection = (level, heading, prose) => ({
	level,
	heading,
	prose,
	blocks: [],
	tables: [],
	lists: [],
	paragraphs: 0,
});

/**
 * A Markdown file's headings, fenced code blocks and link targets, and its sections: the text
 * before the first heading, then one per heading, each with its prose (everything but fenced
 * code), code blocks, tables, lists (per list, the number of nested items under each item) and
 * paragraphs.
 */
function parse(text) {
	const lines = text.split(/\r?\n/);
	const headings = [];
	const blocks = [];
	const links = [];
	const sections = [newSection(0, null, [])];
	let fence = null;
	let table = null;
	let list = null;
	let paragraph = false;
	let afterBlank = true;
	for (const line of lines) {
		const section = sections[sections.length - 1];
		const marker = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
		if (fence) {
			const closes = marker && marker[1][0] === fence.char && marker[1].length >= fence.length;
			if (closes && !marker[2].trim()) {
				const block = { info: fence.info, body: fence.body.join('\n') };
				blocks.push(block);
				sections[sections.length - 1].blocks.push(block);
				fence = null;
			} else {
				fence.body.push(line);
			}
			continue;
		}
		if (marker) {
			fence = { char: marker[1][0], length: marker[1].length, info: marker[2].trim(), body: [] };
			if (!/^\s/.test(line)) list = null;
			[table, paragraph, afterBlank] = [null, false, false];
			continue;
		}
		const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
		if (heading) {
			headings.push({ level: heading[1].length, text: heading[2] });
			sections.push(newSection(heading[1].length, heading[2], [line]));
			[table, list, paragraph, afterBlank] = [null, null, false, true];
			continue;
		}
		if (!line.trim()) {
			[table, paragraph, afterBlank] = [null, false, true];
			continue;
		}
		section.prose.push(line);
		const prose = line.replace(/`[^`]*`/g, '');
		for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
			links.push(match[1]);
		}
		const wasAfterBlank = afterBlank;
		afterBlank = false;
		if (/^\s*\|/.test(line)) {
			if (!table) section.tables.push((table = { rows: [] }));
			table.rows.push(cells(line));
			paragraph = false;
			continue;
		}
		table = null;
		const item = /^( *)(?:[-*+]|\d+[.)])\s+/.exec(line);
		if (item) {
			if (!list) section.lists.push((list = { indent: item[1].length, items: [] }));
			if (item[1].length <= list.indent) list.items.push(0);
			else list.items[list.items.length - 1] += 1;
			paragraph = false;
			continue;
		}
		// An indented line, or one straight after a list line, continues the list item.
		if (list && (/^\s/.test(line) || !wasAfterBlank)) continue;
		list = null;
		if (!paragraph) section.paragraphs += 1;
		paragraph = true;
	}
	if (fence) throw new Error(`a code block is not closed: ${fence.info}`);
	return { lines, headings, blocks, links, sections };
}

/** The inline code spans of a section (a span may wrap onto the next line). */
function codeSpans(section) {
	const text = section.prose.join('\n');
	return [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1].replace(/\s+/g, ' ').trim());
}

/**
 * The numbers in a text outside code spans and link targets, as written but without thousands
 * separators: "10,000" is 10000, "2.41.1" one number, "1–64" two; digits that are part of a word
 * ("n8n", "V1", "Base64") are not numbers.
 */
function numbersIn(text) {
	const plain = text.replace(/`[^`]*`/g, ' ').replace(/\]\([^)]*\)/g, ']');
	const found = plain.matchAll(/(?:(?<![\w.-])-)?(?<![A-Za-z0-9_.])\d+(?:[.,]\d+)*/g);
	return [...found].map(([number]) =>
		/^-?\d{1,3}(,\d{3})+$/.test(number) ? number.replace(/,/g, '') : number,
	);
}

const numbers = (section) => numbersIn(section.prose.join('\n'));

/** Items of `a` that `b` lacks, counted: [1, 1, 2] less [1, 2] is [1]. */
function without(a, b) {
	const rest = [...b];
	return a.filter((value) => {
		const at = rest.indexOf(value);
		if (at === -1) return true;
		rest.splice(at, 1);
		return false;
	});
}

/** Whether a Chinese first cell is the English one, maybe followed by a Chinese gloss. */
function sameFirstCell(en, zh) {
	if (zh === en) return true;
	const gloss = zh.slice(en.length);
	return zh.startsWith(en) && /^[\s（(<—–:：]/.test(gloss) && /\p{Script=Han}/u.test(gloss);
}

/** The code spans and numbers of a text: what a translation keeps. */
const neutral = (text) => JSON.stringify([codeSpans({ prose: [text] }), numbersIn(text)]);

/** A first cell agrees when it is the English one (maybe glossed) or a translation of it. */
function firstCellsAgree(en, zh) {
	if (sameFirstCell(en, zh)) return true;
	return /\p{Script=Han}/u.test(zh) && neutral(zh) === neutral(en);
}

/**
 * What identifies a section in either language: the Latin words of its heading, its code spans,
 * numbers, table first cells and code blocks.
 */
function fingerprint(section) {
	const words = (section.heading ?? '').match(/[A-Za-z][\w-]+/g) ?? [];
	const firstCells = section.tables.flatMap((table) =>
		table.rows.slice(2).map((row) => neutral(row[0])),
	);
	const blocks = section.blocks.map((block) => block.body);
	return [...words, ...codeSpans(section), ...numbers(section), ...firstCells, ...blocks];
}

/** How alike two fingerprints are: shared entries over all entries, 0 to 1. */
function likeness(a, b) {
	const shared = a.length - without(a, b).length;
	const all = a.length + b.length - shared;
	return all ? shared / all : 0;
}

/**
 * Pairs the sections of two parsed READMEs by content: each English section with the Chinese one
 * of the same heading level it shares most with (the nearer in position when alike); sections
 * that share nothing pair in order among those left. Returns [en, zh] pairs, README.md's order,
 * zh undefined for a section without a counterpart, and the Chinese sections left over.
 */
function pairSections(en, zh) {
	const candidates = [];
	en.sections.forEach((a, i) => {
		const printA = fingerprint(a);
		zh.sections.forEach((b, j) => {
			if (a.level !== b.level || (a.heading === null) !== (b.heading === null)) return;
			const score = likeness(printA, fingerprint(b));
			if (score > 0 || a.heading === null) candidates.push({ i, j, score });
		});
	});
	candidates.sort((x, y) => y.score - x.score || Math.abs(x.i - x.j) - Math.abs(y.i - y.j));
	const partner = new Map();
	const taken = new Set();
	for (const { i, j } of candidates) {
		if (partner.has(i) || taken.has(j)) continue;
		partner.set(i, j);
		taken.add(j);
	}
	en.sections.forEach((a, i) => {
		if (partner.has(i)) return;
		const j = zh.sections.findIndex((b, k) => !taken.has(k) && b.level === a.level);
		if (j === -1) return;
		partner.set(i, j);
		taken.add(j);
	});
	return {
		pairs: en.sections.map((a, i) => [a, zh.sections[partner.get(i)]]),
		zhOnly: zh.sections.filter((_b, j) => !taken.has(j)),
	};
}

const show = (values) => values.map((value) => `"${value}"`).join(', ');

/**
 * Where two parsed READMEs differ in content, section by section, as sentences; [] when they
 * agree. `allowed` is the list of deliberate differences (see ALLOWED).
 */
function contentDifferences(en, zh, allowed = ALLOWED) {
	const differences = [];
	const used = new Set();
	const { pairs, zhOnly } = pairSections(en, zh);
	for (const section of zhOnly) {
		differences.push(`"${section.heading}": only in ${ZH}, with no counterpart in ${EN}`);
	}
	for (const [enSection, zhSection] of pairs) {
		const name = title(enSection);
		const say = (text) => differences.push(`${name}: ${text}`);
		if (!zhSection) {
			say(`no counterpart in ${ZH}`);
			continue;
		}
		const rules = allowed.filter((rule) => rule.section === enSection.heading);
		const allowedOnlyIn = (side, kind) =>
			rules.flatMap((rule) => {
				const values = rule[side]?.[kind];
				if (values === undefined) return [];
				used.add(rule);
				return Array.isArray(values) ? values : [values];
			});

		for (const [kind, label, extract] of [
			['code', 'inline code', codeSpans],
			['numbers', 'numbers', numbers],
		]) {
			const [a, b] = [extract(enSection), extract(zhSection)];
			for (const [side, file, mine, theirs] of [
				['enOnly', EN, a, b],
				['zhOnly', ZH, b, a],
			]) {
				const expected = allowedOnlyIn(side, kind);
				const extra = without(without(mine, theirs), expected);
				const stale = without(expected, without(mine, theirs));
				if (extra.length) say(`${label} only in ${file}: ${show(extra)}`);
				if (stale.length)
					say(`ALLOWED lists ${label} ${show(stale)} only in ${file}: no longer so`);
			}
		}

		const extraParagraphs = allowedOnlyIn('zhOnly', 'paragraphs').reduce((sum, n) => sum + n, 0);
		if (zhSection.paragraphs !== enSection.paragraphs + extraParagraphs) {
			say(
				`${enSection.paragraphs} paragraphs in ${EN}, ${zhSection.paragraphs} in ${ZH}` +
					(extraParagraphs ? ` (${extraParagraphs} more allowed there)` : ''),
			);
		}

		const listShape = (section) => JSON.stringify(section.lists.map((list) => list.items));
		if (listShape(enSection) !== listShape(zhSection)) {
			say(
				`lists differ: items (nested items under each) ${listShape(enSection)} in ${EN}, ` +
					`${listShape(zhSection)} in ${ZH}`,
			);
		}

		enSection.tables.forEach((table, t) => {
			const rows = table.rows.slice(2);
			const other = zhSection.tables[t]?.rows.slice(2) ?? [];
			rows.forEach((row, r) => {
				const [enCell, zhCell = '(no row)'] = [row[0], other[r]?.[0]];
				if (!firstCellsAgree(enCell, zhCell))
					say(`table ${t + 1}, row ${r + 1}: "${enCell}" in ${EN}, "${zhCell}" in ${ZH}`);
			});
			if (other.length > rows.length) {
				const extra = other.slice(rows.length).map((row) => row[0]);
				say(`table ${t + 1}: rows only in ${ZH}: ${show(extra)}`);
			}
		});
	}
	for (const rule of allowed) {
		if (!used.has(rule)) differences.push(`ALLOWED entry for "${rule.section}" is not needed`);
	}
	return differences;
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

function title(section) {
	return section.heading ? `"${section.heading}"` : 'the top';
}

/** Sections of README.md whose counterpart is elsewhere in README.zh-CN.md, or missing. */
function misplacedSections(en, zh) {
	const { pairs, zhOnly } = pairSections(en, zh);
	const at = (section) => (section ? zh.sections.indexOf(section) : -1);
	const misplaced = pairs
		.filter(([, other], i) => at(other) !== i)
		.map(([section, other]) => {
			const where = other ? `at ${other.level ? '#'.repeat(other.level) : ''} ${title(other)}` : '';
			return `${title(section)} is ${other ? `${where}, place ${at(other)}` : 'missing'} in ${ZH}`;
		});
	return [...misplaced, ...zhOnly.map((section) => `${title(section)} is only in ${ZH}`)];
}

const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');

describe('README.zh-CN.md follows README.md', () => {
	const en = parse(read(EN));
	const zh = parse(read(ZH));

	test('each README links to the other in its first lines', () => {
		expect(en.lines.slice(0, 5).join('\n')).toContain(`](${ZH})`);
		expect(zh.lines.slice(0, 5).join('\n')).toContain(`](${EN})`);
	});

	test('the same sections in the same order', () => {
		expect(misplacedSections(en, zh)).toEqual([]);
	});

	test('the same number of table rows in every section', () => {
		const rows = (section) => section?.tables.reduce((sum, table) => sum + table.rows.length, 0);
		const differences = pairSections(en, zh)
			.pairs.map(([section, other]) => ({ section, count: rows(section), other: rows(other) }))
			.filter(({ count, other }) => other !== undefined && count !== other)
			.map(
				({ section, count, other }) =>
					`${title(section)}: ${count} rows in ${EN}, ${other} in ${ZH}`,
			);
		expect(differences).toEqual([]);
	});

	test('the same code blocks: identical output and data, the same shell commands', () => {
		for (const [section, other] of pairSections(en, zh).pairs) {
			if (!other) continue;
			const name = title(section);
			const infos = (doc) => [name, doc.blocks.map((block) => block.info)];
			expect(infos(other)).toEqual(infos(section));
			section.blocks.forEach((block, i) => {
				const body = other.blocks[i].body;
				if (SHELL.has(block.info))
					expect([name, commands(body)]).toEqual([name, commands(block.body)]);
				else expect([name, body]).toEqual([name, block.body]);
			});
		}
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

	test('the same content per section: code, numbers, first columns, lists, paragraphs', () => {
		expect(contentDifferences(en, zh)).toEqual([]);
	});

	test('ALLOWED names sections of README.md, each once', () => {
		const names = en.headings.map((heading) => heading.text);
		for (const { section } of ALLOWED)
			expect(names.filter((name) => name === section)).toHaveLength(1);
	});
});

/**
 * The content check, fed altered copies of the READMEs: each change must be reported. The
 * changes are found by shape (a table row, a list item, a paragraph), so that rewording either
 * README does not break these tests.
 */
describe('the content check catches', () => {
	const [enText, zhText] = [read(EN), read(ZH)];
	const zhLines = zhText.split('\n');

	/** The differences after `edit` changed one README (a function of its text). */
	function after(file, edit) {
		const text = file === EN ? enText : zhText;
		const changed = edit(text);
		expect(changed).not.toBe(text);
		return file === EN
			? contentDifferences(parse(changed), parse(zhText))
			: contentDifferences(parse(enText), parse(changed));
	}

	/** The first line of the Chinese README that `test` accepts; fails when there is none. */
	function zhLine(test) {
		const line = zhLines.find(test);
		expect(line).toBeDefined();
		return line;
	}

	const without = (line) => (text) => text.replace(`${line}\n`, '');

	test('nothing in the READMEs as they are', () => {
		expect(contentDifferences(parse(enText), parse(zhText))).toEqual([]);
	});

	test('a number changed in the English only (a default)', () => {
		const edit = (text) => text.replace('1 to 3600, default 600', '1 to 3600, default 900');
		expect(after(EN, edit)).toEqual([
			'"The credential: AICC API": numbers only in README.md: "900"',
			'"The credential: AICC API": numbers only in README.zh-CN.md: "600"',
		]);
	});

	test('a default in a table changed in the Chinese only', () => {
		const row = zhLine((line) => /^\| Timeout \(Seconds\)[^|]*\| 30 \|/.test(line));
		expect(after(ZH, (text) => text.replace(row, row.replace('| 30 |', '| 60 |')))).toEqual([
			'"Options (every operation)": numbers only in README.md: "30"',
			'"Options (every operation)": numbers only in README.zh-CN.md: "60"',
		]);
	});

	test('a limit written with a thousands separator', () => {
		const differences = after(ZH, (text) => text.replace('10,000', '1,000'));
		expect(differences).toHaveLength(2);
		expect(differences[0]).toMatch(/: numbers only in README.md: "10000"$/);
		expect(differences[1]).toMatch(/: numbers only in README.zh-CN.md: "1000"$/);
	});

	test('an inline code span changed in one README', () => {
		const edit = (text) => text.replace('`X-Token-Expire`', '`X-Token-Expires`');
		expect(after(ZH, edit)).toEqual([
			'"The credential: AICC API": inline code only in README.md: "X-Token-Expire"',
			'"The credential: AICC API": inline code only in README.zh-CN.md: "X-Token-Expires"',
		]);
	});

	test('a paragraph removed from the Chinese, even one without code or numbers', () => {
		const plain = (line, i) =>
			/^\p{Script=Han}/u.test(line) &&
			!/[`\d]/.test(line) &&
			!zhLines[i - 1]?.trim() &&
			!zhLines[i + 1]?.trim();
		const paragraph = zhLines.find(plain);
		expect(paragraph).toBeDefined();
		const differences = after(ZH, (text) => text.replace(`${paragraph}\n\n`, ''));
		expect(differences).toHaveLength(1);
		expect(differences[0]).toMatch(/: (\d+) paragraphs in README.md, \d+ in README.zh-CN.md$/);
	});

	test('a return-code row replaced with TODO', () => {
		const row = zhLine((line) => line.startsWith('| 21 |'));
		const differences = after(ZH, (text) => text.replace(row, '| TODO | | |'));
		expect(differences).toContainEqual(
			expect.stringMatching(/^"Return codes": numbers only in README.md: "21"/),
		);
		expect(differences).toContainEqual(
			expect.stringMatching(
				/^"Return codes": table 1, row \d+: "21" in README.md, "TODO" in README.zh-CN.md$/,
			),
		);
	});

	test('a first-column cell changed, and one with a Chinese gloss added (allowed)', () => {
		const message = 'AICC answered the token request with an HTML page instead of JSON';
		const row = zhLine((line) => line.startsWith(`| ${message} |`));
		const changed = (cell) => (text) => text.replace(row, row.replace(message, cell));
		expect(after(ZH, changed('AICC answered with HTML'))).toEqual([
			expect.stringMatching(
				new RegExp(
					`^"Credential errors and what to do": table 1, row \\d+: "${message}" in README.md, ` +
						'"AICC answered with HTML" in README.zh-CN.md$',
				),
			),
		]);
		expect(after(ZH, changed(`${message}（应答是 HTML 页面）`))).toEqual([]);
	});

	test('a list item removed from one README', () => {
		const item = zhLine((line, i) => line.startsWith('- ') && zhLines[i + 1]?.startsWith('- '));
		expect(after(ZH, without(item))).toContainEqual(
			expect.stringMatching(/: lists differ: items \(nested items under each\) /),
		);
	});

	test('a nested list item removed', () => {
		const item = zhLine((line) => line.startsWith('  - '));
		expect(after(ZH, without(item))).toContainEqual(
			expect.stringMatching(/: lists differ: items \(nested items under each\) /),
		);
	});

	test('a section moved in the Chinese: reported once, its content still compared', () => {
		const start = zhLines.findIndex((line) => /^### Get Voices/.test(line));
		const end = zhLines.findIndex((line, i) => i > start && /^#{1,3} /.test(line));
		const section = zhLines.slice(start, end);
		const moved = [...zhLines.slice(0, start), ...zhLines.slice(end), '', ...section].join('\n');
		expect(contentDifferences(parse(enText), parse(moved))).toEqual([]);
		const misplaced = misplacedSections(parse(enText), parse(moved));
		expect(misplaced).toContainEqual(expect.stringMatching(/^"Get Voices" is at ### /));
		const changed = moved.replace(/(\n### Get Voices[^]*?)\b10\b/, '$111');
		expect(contentDifferences(parse(enText), parse(changed))).toEqual(
			expect.arrayContaining([expect.stringMatching(/^"Get Voices": numbers only in README/)]),
		);
	});

	test('an allowance no longer needed', () => {
		const withStale = [...ALLOWED, { section: 'Quick start', zhOnly: { numbers: ['3'] } }];
		expect(contentDifferences(parse(enText), parse(zhText), withStale)).toEqual([
			'"Quick start": ALLOWED lists numbers "3" only in README.zh-CN.md: no longer so',
		]);
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
			if (!file.endsWith('.node.json') && !file.endsWith('.node.ts')) continue;
			const text = fs.readFileSync(path.join(root, 'nodes', dir, file), 'utf8');
			for (const match of text.matchAll(/"url": "([^"]+)"|documentationUrl: '([^']+)'/g))
				links.push([file, match[1] ?? match[2]]);
		}
	}
	return links;
}

test("the credentials' and nodes' documentation links lead to headings of README.md", () => {
	const { homepage } = require('../package.json');
	const repository = homepage.replace(/#readme$/, '');
	const known = anchors(parse(fs.readFileSync(path.join(root, EN), 'utf8')).headings);
	const links = documentationLinks();
	expect(links.map(([file]) => file)).toEqual(
		expect.arrayContaining(['AiccApi.credentials.ts', 'AiccCall.node.json', 'AiccCall.node.ts']),
	);
	const broken = links.filter(([, url]) => {
		const [address, anchor] = url.split('#');
		return address !== repository || (anchor !== 'readme' && !known.has(anchor));
	});
	expect(broken).toEqual([]);
});
