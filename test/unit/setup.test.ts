/**
 * The parts of scripts/n8n.js that decide whether a fresh machine works: the nested npm must not
 * inherit `npm test`'s ignore-scripts, and a cached n8n with a missing native binary is not "ready".
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/n8n.js') as {
	NODE_VERSION: string;
	cleanNpmEnv(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
	installProblem(version: string): string | undefined;
};

describe('cleanNpmEnv', () => {
	test('drops what the outer npm run exports, keeps what the user set for every npm', () => {
		const env = setup.cleanNpmEnv({
			PATH: '/bin',
			npm_config_ignore_scripts: 'true',
			npm_config_local_prefix: '/work/main',
			npm_config_nodedir: '/usr',
			npm_package_name: 'n8n-nodes-text-to-video',
			npm_lifecycle_event: 'test',
			npm_config_cache: '/tmp/empty-cache',
			npm_config_registry: 'http://127.0.0.1:4873/',
		});
		expect(env).toEqual({ PATH: '/bin', npm_config_cache: '/tmp/empty-cache', npm_config_registry: 'http://127.0.0.1:4873/' });
	});

	test('a real nested npm sees ignore-scripts=false under it, and true without it', () => {
		const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ttv-npmenv-'));
		try {
			const outer = { ...process.env, npm_config_ignore_scripts: 'true' };
			const ask = (env: NodeJS.ProcessEnv) => spawnSync('npm', ['config', 'get', 'ignore-scripts'], { cwd, env, encoding: 'utf8' }).stdout.trim();
			expect(ask(outer)).toBe('true');
			expect(ask(setup.cleanNpmEnv(outer))).toBe('false');
		} finally {
			fs.rmSync(cwd, { recursive: true, force: true });
		}
	});
});

describe('installProblem', () => {
	const previous = process.env.N8N_TTV_CACHE;
	let cache: string;
	const version = '9.8.7';
	const dir = () => path.join(cache, `n8n-${version}`);
	const marker = (data: Record<string, unknown>) => fs.writeFileSync(path.join(dir(), '.installed.json'), JSON.stringify(data));
	const touch = (file: string) => {
		fs.mkdirSync(path.dirname(path.join(dir(), file)), { recursive: true });
		fs.writeFileSync(path.join(dir(), file), '');
	};

	beforeEach(() => {
		cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ttv-cache-'));
		process.env.N8N_TTV_CACHE = cache;
	});
	afterEach(() => {
		fs.rmSync(cache, { recursive: true, force: true });
		if (previous === undefined) delete process.env.N8N_TTV_CACHE;
		else process.env.N8N_TTV_CACHE = previous;
	});

	test('an empty cache, a folder without a marker, a marker for another Node', () => {
		expect(setup.installProblem(version)).toBe('not installed yet');
		fs.mkdirSync(dir(), { recursive: true });
		expect(setup.installProblem(version)).toBe('an earlier install did not finish');
		marker({ version, node: '22.0.0', binaries: [] });
		expect(setup.installProblem(version)).toMatch(/made for n8n 9\.8\.7 on Node 22\.0\.0/);
	});

	test('ready only while the CLI and every native binary the verification loaded are there', () => {
		const sqlite = 'node_modules/sqlite3/build/Release/node_sqlite3.node';
		touch('node_modules/n8n/bin/n8n');
		touch(sqlite);
		marker({ version, node: setup.NODE_VERSION, binaries: [sqlite] });
		expect(setup.installProblem(version)).toBeUndefined();
		fs.rmSync(path.join(dir(), sqlite));
		expect(setup.installProblem(version)).toBe(`missing ${sqlite}`);
	});
});
