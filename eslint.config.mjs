import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The repository's own code: the tests, test servers, the real-n8n suite, the benchmark and the
// demo. It runs only on a developer's machine or in CI, so it may use what n8n forbids shipped
// code (process, fs, timers, child processes). The published package in
// packages/n8n-nodes-cybersource is linted by `n8n-node lint` with n8n's own default config.
const unusedVariables = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }];

export default tseslint.config(
	{ ignores: ['packages/**', 'node_modules/**', 'coverage/**', '**/dist/**'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: {
			eqeqeq: 'error',
			'no-console': 'error',
			'@typescript-eslint/no-unused-vars': unusedVariables,
		},
	},
	{
		files: ['**/*.js', '**/*.cjs'],
		extends: [js.configs.recommended],
		languageOptions: { sourceType: 'commonjs', globals: globals.node },
		rules: { eqeqeq: 'error', 'no-unused-vars': unusedVariables },
	},
	{
		files: ['**/*.mjs'],
		extends: [js.configs.recommended],
		languageOptions: { sourceType: 'module', globals: globals.node },
		rules: { eqeqeq: 'error', 'no-unused-vars': unusedVariables },
	},
);
