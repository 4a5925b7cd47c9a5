/**
 * What users import or follow (the examples, the README's recipes) runs in the suites on n8n's own
 * defaults: the environment the suites give n8n must not widen file access, reopen $env or change
 * binary storage or the task runners, or an example could pass here and fail for every user.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require('../../scripts/n8n-runtime') as { n8nEnv: (options: Record<string, unknown>) => Record<string, string> };

const ROOT = path.join(__dirname, '..', '..');
/** Settings whose n8n default decides whether a user's workflow works. */
const USER_DEFAULTS = /^(N8N_RESTRICT_FILE_ACCESS_TO|N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES|N8N_BLOCK_ENV_ACCESS_IN_NODE|N8N_RUNNERS_ENABLED|N8N_RUNNERS_MODE|N8N_DEFAULT_BINARY_DATA_MODE|N8N_SSRF_.*|N8N_SECURE_COOKIE)$/;

test('the stock environment of a suite sets none of the settings users keep at their defaults', () => {
	const install = { nodeBin: '/opt/node/bin/node' };
	const env = runtime.n8nEnv({ install, userFolder: '/tmp/n8n-user', brokerPort: 5679 });
	expect(Object.keys(env).filter((key) => USER_DEFAULTS.test(key))).toEqual([]);
	// The one opt-in (suites that measure memory with large videos) appears only when asked for.
	expect(runtime.n8nEnv({ install, userFolder: '/tmp/n8n-user', brokerPort: 5679, binaryDataMode: 'filesystem' }).N8N_DEFAULT_BINARY_DATA_MODE).toBe('filesystem');
});

test.each(['test/e2e/examples.e2e.test.ts', 'test/e2e/restart.e2e.test.ts'])('%s runs the examples on a stock n8n', (file) => {
	const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
	const creates = source.match(/N8nInstance\.create\([^;]*\);/g) ?? [];
	expect(creates.length).toBeGreaterThan(0);
	for (const call of creates) {
		expect(call).toContain('stock: true');
		// Only the session cookie over plain HTTP (the editor suite's browser), nothing users keep.
		const names = [...call.matchAll(/\b(N8N_[A-Z_]+)\b/g)].map((m) => m[1]);
		expect(names.filter((name) => name !== 'N8N_SECURE_COOKIE')).toEqual([]);
	}
});

test('the editor suite, which also opens the examples, overrides only what its comment explains', () => {
	const source = fs.readFileSync(path.join(ROOT, 'test/editor/editor.test.ts'), 'utf8');
	const creates = source.match(/N8nInstance\.create\([^;]*\);/g) ?? [];
	expect(creates).toEqual(["N8nInstance.create(install, { env: { N8N_SECURE_COOKIE: 'false' } });"]);
	expect(source).toMatch(/same\s+\/\/\s+examples run on a fully stock n8n 2\.x and 1\.x in test\/e2e\/examples\.e2e\.test\.ts/);
});
