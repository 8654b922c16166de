#!/usr/bin/env node
'use strict';

/**
 * Checks what n8n's verification checks of the package itself: no runtime dependencies,
 * n8n-workflow as the only peer, MIT, the "n8n" field pointing at built files, and a tarball
 * holding only dist/, the READMEs (README.md, README.zh-CN.md), LICENSE and package.json. npm
 * always packs README files, so the Chinese one ships too.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const problems = [];

if (Object.keys(pkg.dependencies ?? {}).length > 0) problems.push('"dependencies" must be empty');
if (JSON.stringify(pkg.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' })) {
	problems.push('"peerDependencies" must be exactly {"n8n-workflow": "*"}');
}
if (pkg.license !== 'MIT') problems.push('"license" must be MIT');
if (!pkg.keywords?.includes('n8n-community-node-package'))
	problems.push('keyword n8n-community-node-package is missing');
for (const file of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
	if (!file.startsWith('dist/')) problems.push(`${file} is not under dist/`);
	else if (!fs.existsSync(path.join(root, file)))
		problems.push(`${file} does not exist (run npm run build)`);
}

const [packed] = JSON.parse(
	execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
	}),
);
const stray = packed.files
	.map((file) => file.path)
	.filter((file) => !/^(dist\/|README(\.zh-CN)?\.md$|LICENSE$|package\.json$)/.test(file));
if (stray.length > 0)
	problems.push(
		`the tarball holds more than dist/, the READMEs, LICENSE and package.json: ${stray.join(', ')}`,
	);

if (problems.length > 0) {
	console.error(`Package check failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log(`Package check passed: ${packed.files.length} files, ${packed.size} bytes packed.`);
