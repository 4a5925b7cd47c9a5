/**
 * The public names (contract/public-names.v<N>.json; format: contract/README.md) are in the node and
 * credential descriptions of that node version: every name listed there exists, with the same meaning
 * of display name and default. Names may be added to a description; none listed may go. Output fields
 * are checked on real runs by test/integration/conformance.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICredentialType, INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { instanceOf, versionDescription } from '../../scripts/descriptions';
import * as registry from '../../scripts/providers';

const ROOT = path.resolve(__dirname, '..', '..');
const CONTRACT_DIR = path.join(ROOT, 'contract');

interface PublicNames {
	version: number;
	package: string;
	nodes: Record<string, { displayName: string; credentials: string[]; operations: string[]; parameters: string[]; options: string[]; values?: Record<string, string[]>; output: string[] }>;
	credentials: Record<string, { displayName: string; fields: string[]; baseUrl: string }>;
}

const FILES = fs.readdirSync(CONTRACT_DIR).filter((file) => /^public-names\.v\d+\.json$/.test(file));

/** Names of a property's children (collection options, fixedCollection groups). */
const childNames = (property: INodeProperties) => (property.options ?? []).map((option) => (option as INodeProperties | INodePropertyCollection).name);
/** Values an options property offers. */
const valuesOf = (properties: INodeProperties[], name: string) =>
	properties.filter((p) => p.name === name).flatMap((p) => (p.options ?? []).map((option) => String((option as INodePropertyOptions).value)));

test('the contract folder holds version 1', () => {
	expect(FILES).toContain('public-names.v1.json');
});

describe.each(FILES)('%s', (file) => {
	const contract = JSON.parse(fs.readFileSync(path.join(CONTRACT_DIR, file), 'utf8')) as PublicNames;

	test('its version is the one in its file name, for this package', () => {
		expect(`public-names.v${contract.version}.json`).toBe(file);
		expect(contract.package).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name);
	});

	describe.each(Object.entries(contract.nodes))('node %s', (key, names) => {
		const provider = registry.provider(key);
		const description = versionDescription(instanceOf<INodeType>(path.join(ROOT, registry.nodeSourcePath(provider))), contract.version);
		const properties = description.properties as INodeProperties[];
		const missing = (wanted: string[], present: string[]) => wanted.filter((name) => !present.includes(name));

		test('name, display name and credentials', () => {
			expect(description.name).toBe(key);
			expect(description.displayName).toBe(names.displayName);
			expect(missing(names.credentials, (description.credentials ?? []).map((c) => c.name))).toEqual([]);
		});

		test('operations', () => {
			expect(missing(names.operations, valuesOf(properties, 'operation'))).toEqual([]);
		});

		test('parameters (collection fields as parent.child)', () => {
			const present = properties.flatMap((p) => [p.name, ...(p.type === 'collection' || p.type === 'fixedCollection' ? childNames(p).map((child) => `${p.name}.${child}`) : [])]);
			expect(missing(names.parameters, present)).toEqual([]);
		});

		test('options', () => {
			expect(missing(names.options, properties.filter((p) => p.name === 'options').flatMap(childNames))).toEqual([]);
		});

		test('values of options parameters', () => {
			for (const [parameter, values] of Object.entries(names.values ?? {})) expect({ parameter, missing: missing(values, valuesOf(properties, parameter)) }).toEqual({ parameter, missing: [] });
		});
	});

	describe.each(Object.entries(contract.credentials))('credential %s', (type, names) => {
		const provider = registry.PROVIDERS.find((entry) => entry.credential.type === type);

		test('fields, display name and default Base URL', () => {
			expect(provider).toBeDefined();
			const credential = instanceOf<ICredentialType>(path.join(ROOT, registry.credentialSourcePath(provider!)));
			expect(credential.name).toBe(type);
			expect(credential.displayName).toBe(names.displayName);
			const fields = credential.properties.filter((p) => p.type !== 'notice').map((p) => p.name);
			expect(names.fields.filter((name) => !fields.includes(name))).toEqual([]);
			expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe(names.baseUrl);
		});
	});
});
