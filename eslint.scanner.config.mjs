import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

// What n8n's verification scanner checks: package.json and the packed JavaScript against
// the community-nodes "recommended" rules. Run with --no-inline-config, as the scanner
// switches disable comments off.
const recommended = n8nCommunityNodesPlugin.configs.recommended;

export default [
	{
		files: ['dist/**/*.js'],
		...recommended,
	},
	{
		files: ['package.json'],
		...recommended,
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
];
