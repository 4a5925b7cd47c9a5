/** Unit and integration tests run against the sandbox over real HTTP; e2e tests run real n8n. */
const base = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	// Tests live in test/; tools/*/node_modules (the scanner, the registry) need no crawling.
	roots: ['<rootDir>/test'],
	testTimeout: 60_000,
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

module.exports = {
	testTimeout: 60_000,
	projects: [
		{ ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
		{ ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
		// n8n in queue mode: Redis, PostgreSQL 17, a main and two workers (scripts/preflight.js finds or installs them).
		{ ...base, displayName: 'queue', testMatch: ['<rootDir>/test/queue/**/*.test.ts'] },
		// The editor in a real browser (Chromium or Google Chrome over the DevTools protocol, scripts/preflight.js).
		{ ...base, displayName: 'editor', testMatch: ['<rootDir>/test/editor/**/*.test.ts'] },
	],
};
