/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/setup/global-setup.js',
	globalTeardown: '<rootDir>/test/setup/global-teardown.js',
	testTimeout: 30000,
	maxWorkers: 2,
};
