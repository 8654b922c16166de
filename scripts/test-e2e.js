#!/usr/bin/env node
'use strict';

/**
 * npm run test:e2e: the end-to-end suites (test-e2e/) in a real n8n of each line, 2.x and 1.x.
 *
 *   npm run test:e2e                          the pinned releases (runtime/n8n-<line>/)
 *   npm run test:e2e -- --n8n latest          the newest n8n 2.x and 1.x published on npm
 *   npm run test:e2e -- --n8n pinned --n8n latest    both, one after the other (the canary)
 *   npm run test:e2e -- --n8n 2.42.0,1.123.82 given versions (a line not named stays pinned)
 *   npm run test:e2e -- --lines 1             one line only
 *
 * Other arguments go to Jest (e.g. a test file). A release other than the pinned one that does
 * not install is skipped with a message saying why (--require-install makes that a failure).
 * A latest release that equals the pinned one is not tested twice in one run. Ends with a
 * summary: which releases ran and which tests failed (also written to GitHub's job summary).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { stripVTControlCharacters } = require('node:util');

const { installVersion, resolveSelection, pinnedVersion, say } = require('./local-n8n');

const ROOT = path.join(__dirname, '..');
const ALL_LINES = [2, 1];

function parseArguments(argv) {
	const options = { selections: [], lines: ALL_LINES, requireInstall: false, jest: [] };
	for (let i = 0; i < argv.length; i += 1) {
		const [flag, inline] = argv[i].split(/=(.*)/s);
		const value = () => inline ?? argv[++i];
		if (flag === '--n8n') options.selections.push(value());
		else if (flag === '--lines') options.lines = value().split(',').map(Number);
		else if (flag === '--require-install') options.requireInstall = true;
		else options.jest.push(argv[i]);
	}
	if (!options.selections.length) options.selections.push(process.env.AICC_N8N || 'pinned');
	const unknown = options.lines.filter((line) => !ALL_LINES.includes(line));
	if (unknown.length) throw new Error(`--lines takes 2, 1 or 2,1, not ${unknown.join(',')}`);
	return options;
}

/** Runs Jest on the e2e suites for the given releases; resolves with its JSON report. */
function runJest(releases, jestArgs, reportFile) {
	const jest = require.resolve('jest/bin/jest');
	const args = [jest, '-c', 'jest.e2e.config.js', '--runInBand', '--json'];
	args.push(`--outputFile=${reportFile}`, ...jestArgs);
	const env = {
		...process.env,
		AICC_N8N: releases.map((release) => release.version).join(','),
		AICC_N8N_LINES: releases.map((release) => release.line).join(','),
	};
	return new Promise((resolve, reject) => {
		fs.rmSync(reportFile, { force: true });
		const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
		child.once('error', reject);
		child.once('exit', (code) => {
			const report = fs.existsSync(reportFile)
				? JSON.parse(fs.readFileSync(reportFile, 'utf8'))
				: null;
			resolve({ code, report });
		});
	});
}

/** The failed tests of a Jest JSON report, each with the first line of its failure. */
function failures(report) {
	if (!report) return ['Jest ended without a report (see its output above)'];
	const failed = report.testResults.flatMap((file) => {
		const name = path.relative(ROOT, file.name);
		const tests = file.assertionResults.filter((test) => test.status === 'failed');
		if (!tests.length && file.status === 'failed')
			return [`${name}: ${(file.message || 'failed').trim().split('\n')[0]}`];
		return tests.map((test) => {
			const why = stripVTControlCharacters(test.failureMessages[0] ?? '').trim();
			return `${name}: ${test.fullName}: ${why.split('\n')[0]}`;
		});
	});
	return failed;
}

async function main() {
	const options = parseArguments(process.argv.slice(2));
	const summary = [];
	let failed = false;
	const tested = new Set();
	for (const selection of options.selections) {
		const versions = await resolveSelection(selection);
		const releases = [];
		const notes = [];
		const lines = options.lines.filter((line) => {
			const key = `${line}:${versions[line]}`;
			if (!tested.has(key)) return true;
			notes.push(`n8n ${versions[line]} (${line}.x) already tested in this run`);
			return false;
		});
		say(
			`\n==> End-to-end tests, ${selection}: ` +
				lines.map((line) => `n8n ${versions[line]}`).join(' and '),
		);
		const installs = await Promise.allSettled(
			lines.map((line) => installVersion(line, versions[line])),
		);
		installs.forEach((result, i) => {
			const line = lines[i];
			const version = versions[line];
			if (result.status === 'fulfilled') return releases.push(result.value);
			const pinned = version === pinnedVersion(line);
			const note = `n8n ${version} (${line}.x) could not be installed, so its tests are skipped`;
			say(`\n!!! ${note}:\n${result.reason.message}\n`);
			const why = result.reason.message
				.split('\n')
				.filter((line) => !/complete log of this run/.test(line))
				.slice(0, 4);
			notes.push(`${note}:`, ...why.map((line) => `  ${line}`));
			if (pinned || options.requireInstall) failed = true;
			if (process.env.GITHUB_ACTIONS)
				say(`::${pinned ? 'error' : 'warning'} title=n8n ${version} did not install::${note}`);
		});
		let outcome = 'nothing to test';
		if (releases.length) {
			for (const release of releases) tested.add(`${release.line}:${release.version}`);
			const reportFile = path.join(ROOT, '.n8n-local', `e2e-report-${process.pid}.json`);
			const { code, report } = await runJest(releases, options.jest, reportFile);
			fs.rmSync(reportFile, { force: true });
			const broke = code === 0 ? [] : failures(report);
			if (code !== 0) failed = true;
			const counts = report
				? `${report.numPassedTests} passed, ${report.numFailedTests} failed` +
					(report.numPendingTests ? `, ${report.numPendingTests} skipped` : '')
				: `Jest exit ${code}`;
			outcome = code === 0 ? `passed (${counts})` : `FAILED (${counts})`;
			notes.push(...broke.map((line) => `failed: ${line}`));
		}
		const tried = releases.map((release) => release.label).join(' and ') || 'no release';
		summary.push({ title: `${selection}: ${tried}: ${outcome}`, notes });
	}

	say('\n==> End-to-end summary');
	for (const { title, notes } of summary) {
		say(`- ${title}`);
		for (const note of notes) say(`    ${note}`);
	}
	if (process.env.GITHUB_STEP_SUMMARY) {
		const markdown = summary
			.map(({ title, notes }) => [`### ${title}`, ...notes.map((note) => `- ${note}`)].join('\n'))
			.join('\n\n');
		fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `## End-to-end tests\n\n${markdown}\n`);
	}
	process.exit(failed ? 1 : 0);
}

main().catch((error) => {
	console.error(`\nEnd-to-end tests could not run: ${error.message}`);
	process.exit(1);
});
