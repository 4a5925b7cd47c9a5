'use strict';
/**
 * AI/ML API's per-model request specs (github.com/aimlapi/api-docs, docs/api-references/video-models/…,
 * one OpenAPI file per model), pinned in specs/aiml-api/ for the PixVerse models the node describes field
 * by field. Read by scripts/refresh-specs.js (to pin), test/unit/specs.aimlApi.test.ts (table vs spec) and
 * test/integration/aimlApi.openapi.test.ts (requests vs spec, through Stoplight Prism).
 *
 * Plain CommonJS, no dependencies: runs on Node 20 without a build.
 */
const fs = require('node:fs');
const path = require('node:path');

const REPOSITORY = 'https://github.com/aimlapi/api-docs';
const DIR = path.join(__dirname, '..', '..', 'specs', 'aiml-api');
const SOURCE_DIR = 'docs/api-references/video-models/PixVerse';
/** The model id → its file in the repository (and, by the same name, in specs/aiml-api/). */
const MODELS = {
	'pixverse/v5/text-to-video': 'v5-text-to-video.json',
	'pixverse/v5/image-to-video': 'v5-image-to-video.json',
	'pixverse/v5/transition': 'v5-transition.json',
};
const FILES = Object.values(MODELS).map((file) => ({ from: `${SOURCE_DIR}/${file}`, to: path.join(DIR, file) }));
const ROUTE = '/v2/video/generations';

/** A per-model file is small and all of it is used: kept whole, with its source in `info.x-source`. */
function pin(openapi, source) {
	if (!openapi.paths?.[ROUTE]?.post) throw new Error(`${source.path} has no POST ${ROUTE}: the API moved, update scripts/specs/aiml-api.js`);
	return { ...openapi, info: { ...openapi.info, 'x-source': source } };
}

const fileOf = (model) => path.join(DIR, MODELS[model]);
const loadPinned = (model) => JSON.parse(fs.readFileSync(fileOf(model), 'utf8'));

/** The request body a model's file describes: its fields, their enums and defaults, and what is required. */
function requestOf(spec) {
	const schema = spec.paths[ROUTE].post.requestBody.content['application/json'].schema;
	const fields = {};
	for (const [name, property] of Object.entries(schema.properties)) fields[name] = { type: property.type, enum: property.enum, default: property.default, description: property.description };
	return { models: schema.properties.model?.enum ?? [], fields, required: schema.required ?? [] };
}

function summary() {
	return Object.keys(MODELS).map((model) => {
		const { fields } = requestOf(loadPinned(model));
		return `${model}: ${Object.keys(fields).join(', ')}.`;
	});
}

module.exports = { REPOSITORY, FILES, MODELS, ROUTE, pin, fileOf, loadPinned, requestOf, summary };
