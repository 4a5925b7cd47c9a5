/**
 * Saved workflows of node version 1 depend on its descriptions: today's, read from the sources, must be
 * those of commit 2e2b706 (test/fixtures/descriptions.v1.json, written by scripts/descriptions.js from
 * that commit's build). The codex links are left out of both (they are being corrected on their own).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { descriptionsOf } from '../../scripts/descriptions';
import * as registry from '../../scripts/providers';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'descriptions.v1.json'), 'utf8')) as ReturnType<typeof descriptionsOf>;
/** The providers of 2e2b706; a provider added since has no version-1 history to keep. */
const FIXED = registry.PROVIDERS.filter((provider) => provider.key in FIXTURE.nodes);
const today = descriptionsOf(
	FIXED.map((provider) => path.join(ROOT, registry.nodeSourcePath(provider))),
	[...new Set(FIXED.map((provider) => path.join(ROOT, registry.credentialSourcePath(provider))))],
);

describe('version-1 descriptions are those of 2e2b706', () => {
	test('every node and credential of the fixture is still in the registry', () => {
		expect(Object.keys(today.nodes).sort()).toEqual(Object.keys(FIXTURE.nodes).sort());
		expect(Object.keys(today.credentials).sort()).toEqual(Object.keys(FIXTURE.credentials).sort());
	});

	test.each(Object.keys(FIXTURE.nodes))('node %s', (name) => {
		expect(today.nodes[name]).toEqual(FIXTURE.nodes[name]);
	});

	test.each(Object.keys(FIXTURE.credentials))('credential %s', (name) => {
		expect(today.credentials[name]).toEqual(FIXTURE.credentials[name]);
	});
});
