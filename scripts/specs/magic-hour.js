'use strict';
/**
 * Magic Hour's OpenAPI file (github.com/magichourhq/docs, api-reference/openapi.json): the part of it this
 * package uses, pinned in specs/magic-hour/openapi.json, and the per-model matrix that its field
 * descriptions spell out ("* **`kling-3.0`**: Supports 720p, 1080p, 4k."). Read by
 * scripts/refresh-specs.js (to pin), the sandbox (to play the API by its own spec) and
 * test/unit/specs.magicHour.test.ts (to compare the node's capability table with it).
 *
 * Plain CommonJS, no dependencies: runs on Node 20 without a build.
 */
const fs = require('node:fs');
const path = require('node:path');

const SPEC_PATH = 'api-reference/openapi.json';
const PINNED = path.join(__dirname, '..', '..', 'specs', 'magic-hour', 'openapi.json');

/** The operations the node, its credential and its image upload call (the sandbox plays the same ones). */
const OPERATIONS = [
	['/v1/text-to-video', 'post'],
	['/v1/image-to-video', 'post'],
	['/v1/video-projects/{id}', 'get'],
	['/v1/files/upload-urls', 'post'],
];

/** The pinned copy: those operations whole (code samples dropped), with where and when they came from. */
function pin(openapi, source) {
	const paths = {};
	for (const [route, method] of OPERATIONS) {
		const operation = openapi.paths?.[route]?.[method];
		if (!operation) throw new Error(`${SPEC_PATH} has no ${method.toUpperCase()} ${route}: the API moved, update scripts/specs/magic-hour.js`);
		// eslint-disable-next-line no-unused-vars
		const { 'x-codeSamples': _samples, ...kept } = operation;
		paths[route] = { ...paths[route], [method]: kept };
	}
	if (JSON.stringify(paths).includes('"$ref"')) throw new Error('the pinned operations use $ref: copy the referenced components too');
	return {
		openapi: openapi.openapi,
		info: { title: openapi.info?.title, version: openapi.info?.version, 'x-source': source },
		servers: openapi.servers,
		security: openapi.security,
		paths,
		components: { securitySchemes: openapi.components?.securitySchemes },
	};
}

function loadPinned(file = PINNED) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** "* **`model`**: text" lines of a description, as [model, text]. */
function bullets(description) {
	const out = new Map();
	for (const match of String(description ?? '').matchAll(/^\*\s+\*\*`([^`]+)`\*\*:\s*(.+)$/gm)) out.set(match[1], match[2].trim());
	return out;
}

const notSupported = (text) => /^not supported/i.test(text);
const resolutionsIn = (text) => [...text.matchAll(/\b(\d+p|\d+k)\b/gi)].map((m) => m[1].toLowerCase());

/**
 * What the spec says per model, from POST /v1/text-to-video and /v1/image-to-video:
 * - `models`: the `model` enum (every id accepted), `documented`: the ids its description lists (current);
 * - `durations`, `aspectRatios`, `resolutions`: per documented model (`end_seconds`, `aspect_ratio`,
 *   `resolution` descriptions), and the `resolution` / `aspect_ratio` enums;
 * - `audio`: 'toggle' or 'none' per model; `endFrame`: resolutions (or null) and the longest duration
 *   with an end frame (`assets.end_image_file_path`);
 * - `defaultModel`: what `default` stands for on paid and on free tiers.
 */
function matrix(spec) {
	const body = (route) => spec.paths[route].post.requestBody.content['application/json'].schema.properties;
	const text = body('/v1/text-to-video');
	const image = body('/v1/image-to-video');
	const modelDescription = String(text.model.description);
	const documented = [...modelDescription.matchAll(/^\*\s+`([^`]+)`:/gm)].map((m) => m[1]);
	const paid = /paid tiers, defaults to `([^`]+)`/i.exec(modelDescription)?.[1];
	const free = /free tiers, it defaults to `([^`]+)`/i.exec(modelDescription)?.[1];
	const perModel = (description, read) => Object.fromEntries([...bullets(description)].map(([model, line]) => [model, read(line)]));
	return {
		models: [...text.model.enum],
		imageModels: [...image.model.enum],
		documented,
		defaultModel: { paid, free },
		resolutionEnum: [...text.resolution.enum],
		imageResolutionEnum: [...image.resolution.enum],
		aspectRatioEnum: [...text.aspect_ratio.enum],
		imageHasAspectRatio: 'aspect_ratio' in image,
		durationRange: { minimum: text.end_seconds.minimum, maximum: text.end_seconds.maximum },
		durations: perModel(text.end_seconds.description, (line) => line.split(',').map((v) => Number(v.trim()))),
		imageDurations: perModel(image.end_seconds.description, (line) => line.split(',').map((v) => Number(v.trim()))),
		aspectRatios: perModel(text.aspect_ratio.description, (line) => [...line.matchAll(/\b(\d+:\d+)\b/g)].map((m) => m[1])),
		resolutions: perModel(text.resolution.description, resolutionsIn),
		imageResolutions: perModel(image.resolution.description, resolutionsIn),
		audio: perModel(text.audio.description, (line) => (notSupported(line) ? 'none' : /toggle/i.test(line) ? 'toggle' : `unknown: ${line}`)),
		endFrame: perModel(image.assets.properties.end_image_file_path.description, (line) =>
			notSupported(line) ? null : { resolutions: resolutionsIn(line.replace(/Requires.*$/i, '')), maxSeconds: Number(/(\d+) seconds or less/i.exec(line)?.[1]) || undefined },
		),
		promptMaxLength: text.style.properties.prompt.maxLength,
	};
}

/** For scripts/refresh-specs.js: the provider's repository, and each pinned file with its source file. */
const REPOSITORY = 'https://github.com/magichourhq/docs';
const FILES = [{ from: SPEC_PATH, to: PINNED }];

/** Lines for SOURCE.md about what was pinned. */
function summary() {
	const models = matrix(loadPinned());
	return [`Models in the \`model\` enum: ${models.models.join(', ')}.`, `Documented (current): ${models.documented.join(', ')}.`];
}

module.exports = { REPOSITORY, FILES, SPEC_PATH, PINNED, OPERATIONS, pin, loadPinned, matrix, summary };
