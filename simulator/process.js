'use strict';

/**
 * The simulator in a child process of its own, as a tenant would be: it takes no CPU from the
 * process under test, and the times it logs are not delayed by that process's work. Resolves to
 * { url, admin(action), stop() }; `admin` posts a scenario control (see endpoints/admin.js).
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

function startSimulatorProcess({ appKey, appSecret, latencyMs = 0 }) {
	const cli = path.join(__dirname, 'cli.js');
	const args = [
		cli,
		'--port',
		'0',
		'--latency',
		String(latencyMs),
		'--app-key',
		appKey,
		'--app-secret',
		appSecret,
	];
	const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.stdout.once('data', (chunk) => {
			const url = /listening on (\S+)/.exec(String(chunk))[1];
			const admin = async (action, extra = {}) => {
				const response = await fetch(`${url}/__sim`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ action, ...extra }),
				});
				return await response.json();
			};
			const stop = () =>
				new Promise((done) => {
					child.once('exit', done);
					child.kill('SIGTERM');
				});
			resolve({ url, admin, stop });
		});
	});
}

module.exports = { startSimulatorProcess };
