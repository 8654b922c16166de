#!/usr/bin/env node
'use strict';

/**
 * node bench/profile.js FILE.cpuprofile [--items N] [--top N] [--grep REGEX] [--callers REGEX]
 * [--start REGEX] [--own REGEX]: summarises a CPU profile of an n8n process that ran one bench
 * workflow (npm run bench:n8n -- --profile DIR). Only the samples from the first whose stack holds
 * a frame ("function file:line") matching --start (default: this package's router or the HTTP
 * Request node's execute) to the last holding the node's own code (--own) count: the node's run,
 * not n8n's start. Prints the window with its busy and idle time; the busy time by what it went to
 * (n8n's expression evaluation, n8n's HTTP stack, the node's own code, garbage collection, the
 * rest); the functions with the most self and total time; the self time by package; and the time
 * by the call out of the node's own code. All in ms and in ms per item (--items, default 200).
 * --grep shows only functions whose name or file matches; --callers shows what called them.
 */
const fs = require('node:fs');

const text = (name, fallback) => {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : process.argv[index + 1];
};
const file = process.argv[2];
const START = new RegExp(
	text('start', '^(router|execute) .*(actions/router|HttpRequest/V3/HttpRequestV3.node)'),
);
const OWN = new RegExp(text('own', 'n8n-nodes-aicc/dist/|HttpRequest/V3/'));
const ITEMS = Number(text('items', 200));
const TOP = Number(text('top', 30));
const GREP = text('grep', '') && new RegExp(text('grep', ''), 'i');
const CALLERS = text('callers', '') && new RegExp(text('callers', ''), 'i');

const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes)
	for (const child of node.children ?? []) parent.set(child, node.id);

const short = (url) => url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '');
const nameOf = (node) => {
	const { functionName, url, lineNumber } = node.callFrame;
	return `${functionName || '(anonymous)'} ${short(url)}:${lineNumber + 1}`;
};
const stackOf = (id) => {
	const stack = [];
	for (let at = id; at !== undefined; at = parent.get(at)) stack.push(nodes.get(at));
	return stack;
};

const EXPRESSIONS = /^(_getNodeParameter|evaluateExpression) /;
const HTTP_STACK = new RegExp(
	' (axios|@n8n/backend-network|proxy-from-env|follow-redirects)/' +
		'|^httpRequestWithAuthentication | node:(_http|net|internal/stream)',
);

/** What a sample's time went to, by the frames on its stack. */
function costOf(names) {
	if (names.some((name) => EXPRESSIONS.test(name))) return "n8n's expression evaluation";
	if (names.some((name) => HTTP_STACK.test(name)))
		return "n8n's HTTP stack (helper, axios, agents, Node http/net)";
	if (names.some((name) => OWN.test(name))) return "the node's own code";
	if (names[0].includes('garbage collector')) return 'garbage collection';
	return 'the rest (n8n engine, database, events)';
}

/**
 * Where a sample's time went: the package of its innermost frame that is in a package, so that
 * Node's own HTTP and socket work counts for the package that asked for it.
 */
function packageOf(names) {
	const packaged = names.find((name) => /^\S+ (@[^/]+\/)?[^/:]+\//.test(name));
	if (!packaged) return names[0].includes('garbage collector') ? '(garbage collector)' : '(other)';
	return /^\S+ ((@[^/]+\/)?[^/]+)\//.exec(packaged)[1];
}

// Sample times: startTime plus the running sum of timeDeltas (µs).
const times = [];
let now = profile.startTime;
for (const delta of profile.timeDeltas) times.push((now += delta));
const stacks = profile.samples.map((id) => stackOf(id).map(nameOf));
const first = stacks.findIndex((names) => names.some((name) => START.test(name)));
const last = stacks.findLastIndex((names) => names.some((name) => OWN.test(name)));
if (first === -1) throw new Error(`no sample matches ${START}`);

const self = new Map();
const total = new Map();
const callers = new Map();
const byCallee = new Map();
const byPackage = new Map();
const byCost = new Map();
let busy = 0;
let idle = 0;
for (let index = first; index <= last; index++) {
	const duration = (times[index + 1] ?? times[index]) - times[index];
	const stack = stackOf(profile.samples[index]);
	const top = stack[0].callFrame.functionName;
	if (top === '(idle)') {
		idle += duration;
		continue;
	}
	busy += duration;
	const names = stacks[index];
	const selfName = nameOf(stack[0]);
	const cost = costOf(names);
	byCost.set(cost, (byCost.get(cost) ?? 0) + duration);
	const pack = packageOf(names);
	byPackage.set(pack, (byPackage.get(pack) ?? 0) + duration);
	self.set(selfName, (self.get(selfName) ?? 0) + duration);
	const ours = names.findIndex((name) => OWN.test(name));
	const entry =
		ours === -1
			? `(outside: ${names.at(-2) ?? '?'})`
			: ours === 0
				? `(own code) ${names[0]}`
				: `${names[ours - 1]}  <  ${names[ours]}`;
	byCallee.set(entry, (byCallee.get(entry) ?? 0) + duration);
	for (const name of new Set(names)) total.set(name, (total.get(name) ?? 0) + duration);
	const callee = CALLERS ? names.findLastIndex((name) => CALLERS.test(name)) : -1;
	if (callee !== -1) {
		const caller = names.slice(callee + 1, callee + 4).join(' < ');
		callers.set(caller, (callers.get(caller) ?? 0) + duration);
	}
}

const ms = (us) => (us / 1000).toFixed(1).padStart(8);
const perItem = (us) => (us / 1000 / ITEMS).toFixed(3).padStart(7);
const show = (title, map) => {
	console.log(`\n${title}: ms | ms per item | function file:line`);
	[...map]
		.filter(([name]) => !GREP || GREP.test(name))
		.sort((a, b) => b[1] - a[1])
		.slice(0, TOP)
		.forEach(([name, us]) => console.log(`${ms(us)} | ${perItem(us)} | ${name}`));
};
console.log(
	`${file}: window ${ms(times[last] - times[first])} ms, busy ${ms(busy)} ms ` +
		`(${perItem(busy)} per item), idle ${ms(idle)} ms`,
);
show('busy time by cost', byCost);
show('self time', self);
show('total time', total);
show(
	'self time by package (node: and native frames count for the package that called them)',
	byPackage,
);
show('by the call out of the node (or the event that ran it)', byCallee);
if (CALLERS) show(`callers of ${CALLERS}`, callers);
