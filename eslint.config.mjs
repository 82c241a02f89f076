import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

// n8n's community-node rules apply to what ships (dist/ is built from these folders);
// tests, scripts and servers run only on a developer's machine and are type-checked by ts-jest.
export default [
	{
		ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/**', 'scripts/**', 'examples/**', '*.js', '*.mjs'],
	},
	{
		files: ['**/*.ts'],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
		},
	},
	n8nCommunityNodesPlugin.configs.recommended,
];
