/**
 * The provider registry (providers.json, one line per provider) is the one list of providers:
 * package.json's `n8n` lists, the source files, the sandbox modules, the docs and each node's and
 * credential's `name` must agree with it. Each failure names what is missing and how to make it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INode } from 'n8n-workflow';
import * as registry from '../../scripts/providers';

const ROOT = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
const byKey = registry.PROVIDERS.map((p) => [p.key, p] as const);
/** A path that must exist, named in the failure. */
const exists = (file: string) => ({ file, exists: fs.existsSync(path.join(ROOT, file)) });

/** The class n8n loads from a module (the one named like the file; node files also export their versions, V1 and V2), instantiated. */
function instanceOf<T>(modulePath: string): T {
	const module = require(modulePath) as Record<string, unknown>;
	const named = module[path.basename(modulePath).split('.')[0]];
	const exported = (named ? [named] : Object.values(module).filter((value) => typeof value === 'function')) as Array<new () => T>;
	expect(exported).toHaveLength(1);
	return new exported[0]();
}

/** Base URLs as people type them: spaces, trailing slashes, version suffixes in either case. */
const BASE_URLS = [
	'https://api.example.com',
	'  https://api.example.com/  ',
	'https://api.example.com//',
	'https://api.example.com/v1',
	'https://api.example.com/V1/',
	'https://api.example.com/v2',
	'https://api.example.com/v1/kling/',
	'https://api.example.com/proxy/v1',
];
const FAKE_NODE = { id: 'n', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

type ProviderLike = { credentialType: string; baseUrl?: (url: string, node: INode) => string };
/** The VideoProvider objects a provider module exports (directly or in a record), for one credential type. */
function providersOf(modulePath: string, credentialType: string): ProviderLike[] {
	const isProvider = (value: unknown): value is ProviderLike => typeof value === 'object' && value !== null && 'credentialType' in value;
	const found = Object.values(require(modulePath) as Record<string, unknown>).flatMap((value) =>
		isProvider(value) ? [value] : typeof value === 'object' && value !== null ? Object.values(value).filter(isProvider) : [],
	);
	return found.filter((p) => p.credentialType === credentialType);
}

describe('provider registry (providers.json)', () => {
	test.each(['nodes', 'credentials'] as const)('package.json n8n.%s lists exactly the registry (fix: node scripts/providers.js --sync)', (list) => {
		const wanted = registry.packageLists()[list];
		const listed = packageJson.n8n[list];
		const fix = 'node scripts/providers.js --sync';
		expect({ missing: wanted.filter((file) => !listed.includes(file)), fix }).toEqual({ missing: [], fix });
		expect({ notInRegistry: listed.filter((file) => !wanted.includes(file)), fix }).toEqual({ notInRegistry: [], fix });
		expect(new Set(listed).size).toBe(listed.length);
	});

	test('node keys, credential ids and labels are unique', () => {
		for (const field of ['key', 'label'] as const) {
			const values = registry.PROVIDERS.map((p) => p[field]);
			expect(new Set(values).size).toBe(values.length);
		}
		// One id per credential type, one type per id.
		const pairs = new Set(registry.PROVIDERS.map((p) => `${p.credential.type}\u0000${p.credential.id}`));
		expect(new Set([...pairs].map((pair) => pair.split('\u0000')[0])).size).toBe(pairs.size);
		expect(new Set([...pairs].map((pair) => pair.split('\u0000')[1])).size).toBe(pairs.size);
	});

	describe.each(byKey)('%s', (_key, provider) => {
		test('its files exist: node, Base URL rule, conformance profile, credential, icons, sandbox module, docs page', () => {
			const files = [
				registry.nodeSourcePath(provider),
				`nodes/${provider.folder}/baseUrl.ts`,
				registry.conformancePath(provider),
				registry.credentialSourcePath(provider),
				registry.sandboxPath(provider),
				registry.docsPath(provider),
			];
			for (const file of files) expect(exists(file)).toEqual({ file, exists: true });
		});

		test("its node's icons and its credential's icons exist", () => {
			const node = instanceOf<{ description: { icon: { light: string; dark: string } } }>(path.join(ROOT, registry.nodeSourcePath(provider)));
			const credential = instanceOf<{ icon: { light: string; dark: string } }>(path.join(ROOT, registry.credentialSourcePath(provider)));
			const icons = [
				...Object.values(node.description.icon).map((icon) => path.join('nodes', provider.folder, icon.replace(/^file:/, ''))),
				...Object.values(credential.icon).map((icon) => path.join('credentials', icon.replace(/^file:/, ''))),
			].map((file) => path.normalize(file));
			for (const file of icons) expect(exists(file)).toEqual({ file, exists: true });
		});

		test('its sandbox module carries the same name', () => {
			expect((require(path.join(ROOT, registry.sandboxPath(provider))) as { name: string }).name).toBe(provider.sandbox);
		});

		test("the node's display name and defaults name are the registry label", () => {
			type Description = { displayName: string; defaults?: { name: string } };
			const node = instanceOf<{ description: Description; nodeVersions?: Record<number, { description: Description }> }>(path.join(ROOT, registry.nodeSourcePath(provider)));
			// A versioned node: its base description and every version's.
			const descriptions = node.nodeVersions ? Object.values(node.nodeVersions).map((version) => version.description) : [node.description];
			expect(node.description.displayName).toBe(provider.label);
			for (const description of descriptions)
				expect({ displayName: description.displayName, defaults: description.defaults?.name }).toEqual({ displayName: provider.label, defaults: provider.label });
		});

		test("the credential form's default Base URL is the registry's", () => {
			const credential = instanceOf<{ properties: Array<{ name: string; default: unknown }> }>(path.join(ROOT, registry.credentialSourcePath(provider)));
			expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe(provider.credential.baseUrl);
		});

		test("the node's description name is the registry key and it uses the registry credential", () => {
			type Description = { name: string; credentials?: Array<{ name: string }> };
			const node = instanceOf<{ description: Description; nodeVersions?: Record<number, { description: Description }> }>(path.join(ROOT, registry.nodeSourcePath(provider)));
			expect(node.description.name).toBe(provider.key);
			// A versioned node (VersionedNodeType): every version names the registry's credential.
			for (const description of node.nodeVersions ? Object.values(node.nodeVersions).map((v) => v.description) : [node.description]) {
				expect(description.name).toBe(provider.key);
				expect(description.credentials?.map((c) => c.name)).toEqual([provider.credential.type]);
			}
		});

		test("the credential's name is the registry credential type", () => {
			const credential = instanceOf<{ name: string }>(path.join(ROOT, registry.credentialSourcePath(provider)));
			expect(credential.name).toBe(provider.credential.type);
		});

		test("the node's provider owns a Base URL rule and the credential test applies the same one", () => {
			const providers = providersOf(path.join(ROOT, 'nodes', provider.folder, 'provider'), provider.credential.type);
			expect(providers.length).toBeGreaterThan(0);
			const credential = instanceOf<{ test?: { request: { baseURL?: string } } }>(path.join(ROOT, registry.credentialSourcePath(provider)));
			const expression = credential.test?.request.baseURL ?? '';
			expect(expression).toMatch(/^=\{\{.*\}\}$/);
			// n8n evaluates the expression with $credentials in scope; plain JS does the same for this one.
			const testRoot = new Function('$credentials', `return (${expression.slice(3, -2)});`) as (c: { baseUrl: string }) => string;
			for (const target of providers) {
				expect(target.baseUrl).toBeInstanceOf(Function);
				for (const url of BASE_URLS) expect([url, testRoot({ baseUrl: url })]).toEqual([url, target.baseUrl!(url, FAKE_NODE)]);
			}
		});

		test("the README's Operations and Credentials tables have its rows", () => {
			const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
			const rowsOf = (heading: string) => (readme.split(new RegExp(`^## ${heading}$`, 'm'))[1]?.split(/^## /m)[0] ?? '').split('\n').filter((line) => line.startsWith('|'));
			const credential = instanceOf<{ displayName: string }>(path.join(ROOT, registry.credentialSourcePath(provider)));
			const operationsRow = rowsOf('Operations').some((row) => row.startsWith(`| **${provider.label}** | \`${provider.key}\` |`));
			const baseUrl = provider.credential.baseUrl ? `\`${provider.credential.baseUrl}\`` : 'no default';
			const credentialsRow = rowsOf('Credentials').some((row) => row.startsWith(`| **${credential.displayName}** | ${provider.label} |`) && row.includes(baseUrl));
			expect({ operationsRow, credentialsRow }).toEqual({ operationsRow: true, credentialsRow: true });
		});

		test('a default Base URL or the variable naming the real one, and a key variable', () => {
			expect(Boolean(provider.credential.baseUrl) !== Boolean(provider.credential.baseUrlEnv)).toBe(true);
			expect(provider.credential.keyEnv).toMatch(/^[A-Z][A-Z0-9_]*$/);
		});
	});
});
