import js from '@eslint/js';
import { config as n8nNodeConfig } from '@n8n/node-cli/eslint';
import globals from 'globals';

// n8n's own config for node code (nodes/, credentials/, package.json: the community-nodes
// rules n8n's verification applies). The simulator, tests and scripts are plain Node.js
// JavaScript that may use process and timers, linted with ESLint's recommended rules.
export default [
	...n8nNodeConfig,
	{
		files: [
			'simulator/**/*.js',
			'test/**/*.js',
			'scripts/**/*.js',
			'bench/**/*.js',
			'gulpfile.js',
			'jest.config.js',
			'jest.e2e.config.js',
			'test-e2e/**/*.js',
			'test-ui/**/*.js',
		],
		...js.configs.recommended,
		languageOptions: {
			ecmaVersion: 2023,
			sourceType: 'commonjs',
			globals: { ...globals.node, ...globals.jest },
		},
	},
	// House style: no line over 100 columns (Prettier wraps code; this catches comments and
	// strings). n8n's lint wants the node's subtitle as one literal, so that line says so.
	{
		files: ['**/*.ts', '**/*.js', '**/*.mjs'],
		rules: { 'max-len': ['error', { code: 100, tabWidth: 2 }] },
	},
	{
		ignores: ['node_modules/**', 'dist/**', '.n8n-local/**', 'coverage/**'],
	},
];
