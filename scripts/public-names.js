'use strict';
/**
 * The public names of a node version's description: what saved workflows, expressions and users rely
 * on (operations, parameters with their paths, Options entries), as contract/public-names.v2.json
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

if (require.main === module) process.stdout.write(`${JSON.stringify(builtVersion2(), null, '\t')}\n`);

module.exports = { publicNamesOf, OUTPUT_FIELDS_V2 };
