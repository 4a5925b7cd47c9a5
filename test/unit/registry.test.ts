/**
 * The provider registry (scripts/providers.js) is the one list of providers: package.json's `n8n`
 * lists, the source files, the sandbox modules and each node's and credential's `name` must agree with it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INode } from 'n8n-workflow';

interface RegistryProvider {
	key: string;
	label: string;
	folder: string;
	file: string;
	sandbox: string;
	credential: { type: string; file: string; id: string; label: string; keyEnv: string; realBaseUrl?: string; realBaseUrlEnv?: string };
}

const registry = require('../../scripts/providers.js') as {
	PROVIDERS: RegistryProvider[];
	packageLists(): { nodes: string[]; credentials: string[] };
	nodeSourcePath(p: RegistryProvider): string;
	credentialSourcePath(p: RegistryProvider): string;
};
const ROOT = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
const byKey = registry.PROVIDERS.map((p) => [p.key, p] as const);

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

describe('provider registry (scripts/providers.js)', () => {
	test('package.json n8n.nodes lists exactly the registry nodes', () => {
		expect([...packageJson.n8n.nodes].sort()).toEqual([...registry.packageLists().nodes].sort());
		expect(new Set(packageJson.n8n.nodes).size).toBe(packageJson.n8n.nodes.length);
	});

	test('package.json n8n.credentials lists exactly the registry credentials', () => {
		expect([...packageJson.n8n.credentials].sort()).toEqual([...registry.packageLists().credentials].sort());
		expect(new Set(packageJson.n8n.credentials).size).toBe(packageJson.n8n.credentials.length);
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
		test('its node and credential sources exist', () => {
			expect(fs.existsSync(path.join(ROOT, registry.nodeSourcePath(provider)))).toBe(true);
			expect(fs.existsSync(path.join(ROOT, registry.credentialSourcePath(provider)))).toBe(true);
		});

		test('its sandbox module exists and carries the same name', () => {
			const file = path.join(ROOT, 'sandbox', 'providers', `${provider.sandbox}.js`);
			expect(fs.existsSync(file)).toBe(true);
			expect((require(file) as { name: string }).name).toBe(provider.sandbox);
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

		test('a real API root or the variable naming it, and a key variable', () => {
			expect(Boolean(provider.credential.realBaseUrl) !== Boolean(provider.credential.realBaseUrlEnv)).toBe(true);
			expect(provider.credential.keyEnv).toMatch(/^[A-Z][A-Z0-9_]*$/);
		});
	});
});
