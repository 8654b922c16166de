'use strict';

/**
 * Runs before each test file (Jest setupFiles), before n8n's logger exists. n8n's logger
 * writes to standard output (the console's own stream, under Jest's workers); keep what it
 * writes, so the secret scan covers the logs too, and keep it off the test report.
 */
const logged = [];
globalThis.aiccTestLogs = logged;
const keep = (...parts) => {
	logged.push(parts.map(String).join(' '));
	return true;
};
process.stdout.write = keep;
if (console._stdout) console._stdout.write = keep;
for (const level of ['log', 'info', 'warn', 'error', 'debug']) console[level] = keep;
