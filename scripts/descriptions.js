'use strict';
/**
 * Writes the built package's version-1 node and credential descriptions as JSON: the fixture
 * test/unit/descriptions.test.ts compares today's build against (test/fixtures/descriptions.v1.json,
 * written from commit 2e2b706). Rewrite it only when a version-1 description is meant to change,
 * which saved workflows forbid.
 *
 * Usage: npm run build && node scripts/descriptions.js [out.json]   (default: stdout)
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');

/** Fields left out: the codex links (primaryDocumentation) are being corrected on their own. */
const LEFT_OUT = new Set(['codex']);

/**
 * A node class's description of one version as n8n sees it: a versioned node (VersionedNodeType) has
 * `nodeVersions`, whose entry n8n merges over the base description; a plain node has `description`,
 * whose `version` (a number or a list) must include the one asked for.
 */
function versionDescription(instance, version) {
	if (instance.nodeVersions) {
		const entry = instance.nodeVersions[version];
		if (!entry) throw new Error(`${instance.description?.name ?? 'a versioned node'} has no version ${version}`);
		return { ...instance.description, ...entry.description };
	}
	const versions = [instance.description.version].flat();
	if (!versions.includes(version)) throw new Error(`${instance.description.name} has version ${versions.join(', ')}, not ${version}`);
	return instance.description;
}

const versionOneDescription = (instance) => versionDescription(instance, 1);

/** JSON with functions and RegExps written as text, so that any change shows. */
function plain(value) {
	return JSON.parse(
		JSON.stringify(value, (_key, v) => (typeof v === 'function' ? `[function ${v.name}]` : v instanceof RegExp ? `[regexp ${v}]` : v)),
	);
}

function withoutLeftOut(description) {
	return Object.fromEntries(Object.entries(description).filter(([key]) => !LEFT_OUT.has(key)));
}

function instanceOf(file) {
	const module = require(file);
	// A versioned node's file also exports its version classes: the one named like the file is n8n's.
	const named = module[path.basename(file).split('.')[0]];
	const exported = typeof named === 'function' ? [named] : Object.values(module).filter((value) => typeof value === 'function');
	if (exported.length !== 1) throw new Error(`${file} exports ${exported.length} classes, expected 1`);
	return new exported[0]();
}

/**
 * { nodes: { <name>: description }, credentials: { <name>: the credential's fields } } of the given
 * module files (built .js, or .ts sources under ts-jest).
 */
function descriptionsOf(nodeFiles, credentialFiles) {
	const nodes = {};
	for (const file of nodeFiles) {
		const instance = instanceOf(file);
		// A versioned node: version 1's own class, as n8n serves it to saved workflows (the base description
		// adds only `defaultVersion`, which tells n8n what new nodes get).
		const description = instance.nodeVersions ? instance.nodeVersions[1].description : versionOneDescription(instance);
		nodes[description.name] = plain(withoutLeftOut(description));
	}
	const credentials = {};
	for (const file of credentialFiles) {
		const credential = instanceOf(file);
		credentials[credential.name] = plain({ ...credential });
	}
	return { nodes, credentials };
}

/** The built package's, as package.json's `n8n` lists name them. */
function builtDescriptions(root = ROOT) {
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	return descriptionsOf(
		pkg.n8n.nodes.map((file) => path.join(root, file)),
		pkg.n8n.credentials.map((file) => path.join(root, file)),
	);
}

module.exports = { builtDescriptions, descriptionsOf, versionDescription, versionOneDescription, instanceOf };

if (require.main === module) {
	const text = `${JSON.stringify(builtDescriptions(), null, '\t')}\n`;
	if (process.argv[2]) fs.writeFileSync(process.argv[2], text);
	else process.stdout.write(text);
}
