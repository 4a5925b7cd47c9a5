'use strict';
/**
 * The public names of a node version's description: what saved workflows, expressions and users rely
 * on (operations, parameters with their paths, Options entries), as contract/parameters.v2.json
 * lists them for version 2. test/unit/version2.test.ts checks the built version 2 descriptions against
 * that file; `node scripts/public-names.js` (after `npm run build`) prints the file's content from dist/.
 *
 * Plain CommonJS, no dependencies.
 */
const path = require('path');

/** Output fields version 2's engine adds to every finished video (nodes/shared/engine/engine.ts). */
const OUTPUT_FIELDS_V2 = ['jobId', 'status', 'provider', 'providerName', 'model', 'progress', 'credits', 'cost', 'error', 'videoUrl', 'videoIndex', 'fileName', 'mimeType', 'fileSizeBytes'];

/** One parameter name per path, once, in description order, with its display names (one per variant, deduplicated). */
function publicNamesOf(description) {
	const parameters = [];
	const seen = new Map();
	const add = (path, property) => {
		const entry = seen.get(path);
		if (entry) {
			if (!entry.displayNames.includes(property.displayName)) entry.displayNames.push(property.displayName);
			return;
		}
		const created = { path, displayNames: [property.displayName], type: property.type };
		seen.set(path, created);
		parameters.push(created);
	};
	for (const property of description.properties) {
		if (property.type === 'notice') continue;
		add(property.name, property);
		if (property.type === 'collection' || property.type === 'fixedCollection') {
			for (const option of property.options || []) if (option.name && option.displayName) add(`${property.name}.${option.name}`, option);
		}
	}
	const operation = description.properties.find((p) => p.name === 'operation');
	return {
		version: description.version,
		displayName: description.displayName,
		operations: (operation ? operation.options : []).map((o) => ({ value: o.value, name: o.name, action: o.action })),
		parameters,
		outputFields: OUTPUT_FIELDS_V2,
	};
}

/** The version 2 descriptions of the built nodes, by node name. */
function builtVersion2() {
	const registry = require('./providers.js');
	const out = {};
	for (const provider of registry.PROVIDERS) {
		const exported = require(path.join(__dirname, '..', registry.nodeDistPath(provider)));
		const versioned = new exported[provider.file]();
		out[provider.key] = publicNamesOf(versioned.nodeVersions[2].description);
	}
	return out;
}

/** Every parameter of one version: path → display names, in description order. */
function parameterMap(description) {
	return new Map(publicNamesOf(description).parameters.map((p) => [p.path, p.displayNames.join(' / ')]));
}

/** docs/node-version-2.md's tables: each version 1 parameter → its version 2 name and place, per node. */
function migrationTables() {
	const registry = require('./providers.js');
	const lines = [];
	for (const provider of registry.PROVIDERS) {
		const exported = require(path.join(__dirname, '..', registry.nodeDistPath(provider)));
		const versioned = new exported[provider.file]();
		const v1 = parameterMap(versioned.nodeVersions[1].description);
		const v2 = parameterMap(versioned.nodeVersions[2].description);
		const v2Only = new Set(v2.keys());
		lines.push(`### ${provider.label}`, '', '| Version 1 parameter (path) | Version 1 name | Version 2 name | Version 2 place |', '| --- | --- | --- | --- |');
		const place = (p) => (p.startsWith('options.') ? 'Options' : p.includes('.') ? p.split('.')[0] : 'main panel');
		for (const [path1, name1] of v1) {
			const leaf = path1.split('.').pop();
			const path2 = v2.has(path1) ? path1 : v2.has(`options.${leaf}`) ? `options.${leaf}` : undefined;
			if (path2) v2Only.delete(path2);
			const replaced = { customModel: 'Model (By ID)' }[path1];
			lines.push(`| \`${path1}\` | ${name1} | ${path2 ? v2.get(path2) : replaced ?? '(not in version 2)'} | ${path2 ? `${place(path2)} (\`${path2}\`)` : replaced ? 'main panel (`model`, By ID mode)' : '-'} |`);
		}
		for (const path2 of v2Only) lines.push(`| (new) | - | ${v2.get(path2)} | ${place(path2)} (\`${path2}\`) |`);
		lines.push('');
	}
	return lines.join('\n');
}

if (require.main === module) {
	if (process.argv.includes('--table')) process.stdout.write(`${migrationTables()}\n`);
	else process.stdout.write(`${JSON.stringify(builtVersion2(), null, '\t')}\n`);
}

module.exports = { publicNamesOf, OUTPUT_FIELDS_V2 };
