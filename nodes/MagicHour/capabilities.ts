import { type FieldSpec, type FieldValue, type ImageSupport, type ModelEntry, aspectRatioField, capabilityTable, durationField, modelSpec, resolutionField } from '../shared/capabilities/table';

/**
 * Magic Hour's video models, from its OpenAPI file (github.com/magichourhq/docs, api-reference/openapi.json,
 * commit f5df0c5 of 2026-08-22, pinned in specs/magic-hour/): the `model` enum, and per model the lists that
 * the descriptions of `end_seconds`, `aspect_ratio`, `resolution`, `audio` and `assets.end_image_file_path`
 * spell out. test/unit/specs.magicHour.test.ts fails, naming model and field, where this table and the
 * pinned spec disagree. Drives the node's options and its validation (docs/providers/magic-hour.md).
 */

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

export type AudioSupport = 'always' | 'toggle' | 'none';
type MagicHourTraits = {
	audio: AudioSupport;
	/** In the spec's `model` enum but no longer in its documentation: kept so that saved workflows run. */
	legacy?: boolean;
	/** An end frame only up to this duration (Veo 3.1: "Requires a duration of 8 seconds or less"). */
	endFrameMaxSeconds?: number;
	/** A model id typed in: Magic Hour alone validates it. */
	typed?: boolean;
};

const WIDE_TALL_SQUARE = ['16:9', '9:16', '1:1'];
const WIDE_TALL = ['16:9', '9:16'];

interface ModelFacts {
	durations: number[];
	aspectRatios: string[];
	resolutions: string[];
	audio: AudioSupport;
	/** Resolutions at which the model takes an end frame; absent: none. */
	endFrame?: string[];
	endFrameMaxSeconds?: number;
	legacy?: boolean;
	aliases?: string[];
}

function model(value: string, name: string, description: string, facts: ModelFacts): ModelEntry<MagicHourTraits> {
	const { durations, aspectRatios, resolutions } = facts;
	const traits: MagicHourTraits = { audio: facts.audio };
	if (facts.legacy) traits.legacy = true;
	if (facts.endFrameMaxSeconds) traits.endFrameMaxSeconds = facts.endFrameMaxSeconds;
	return {
		value,
		aliases: facts.aliases,
		name,
		description,
		fields: {
			duration: { values: durations, default: durations.includes(5) ? 5 : durations[0] },
			aspectRatio: { values: aspectRatios },
			resolution: { values: resolutions, default: resolutions.includes('720p') ? '720p' : resolutions[0] },
		},
		traits,
		// Every model of POST /v1/text-to-video takes a start image on POST /v1/image-to-video (the spec's
		// `model` enum is the same list there); an end frame where `end_image_file_path` says so.
		image: { start: 'optional', binary: true, ...(facts.endFrame ? { end: 'optional', endResolutions: facts.endFrame } : {}) },
	};
}

const FACTS: Record<string, ModelFacts> = {
	'kling-2.6': { durations: [5, 10], aspectRatios: WIDE_TALL_SQUARE, resolutions: ['720p', '1080p'], audio: 'none', endFrame: ['1080p'] },
	'kling-3.0': { durations: range(3, 15), aspectRatios: WIDE_TALL_SQUARE, resolutions: ['720p', '1080p', '4k'], audio: 'toggle', endFrame: ['720p', '1080p', '4k'] },
	'ltx-2.3': { durations: [...range(1, 10), 15, 20, 25, 30], aspectRatios: WIDE_TALL_SQUARE, resolutions: ['480p', '720p', '1080p'], audio: 'toggle', endFrame: ['480p', '720p', '1080p'] },
	'minimax-h3': { durations: [...range(1, 10), 15, 20, 25, 30], aspectRatios: WIDE_TALL_SQUARE, resolutions: ['480p', '720p', '1080p'], audio: 'toggle' },
	'seedance-1.5': { durations: range(4, 12), aspectRatios: WIDE_TALL_SQUARE, resolutions: ['480p', '720p', '1080p'], audio: 'toggle', endFrame: ['480p', '720p', '1080p'] },
	'seedance-2.0': { durations: range(4, 15), aspectRatios: WIDE_TALL_SQUARE, resolutions: ['480p', '720p'], audio: 'toggle', endFrame: ['480p', '720p'] },
	'seedance-2.0-mini': { durations: range(4, 15), aspectRatios: WIDE_TALL_SQUARE, resolutions: ['480p', '720p'], audio: 'toggle', endFrame: ['480p', '720p'] },
	'seedance-2.5': { durations: range(4, 30), aspectRatios: WIDE_TALL_SQUARE, resolutions: ['480p', '720p'], audio: 'toggle', endFrame: ['480p', '720p'] },
	'sora-2': { durations: [4, 8, 12, 24, 36, 48, 60], aspectRatios: WIDE_TALL, resolutions: ['720p'], audio: 'toggle' },
	'veo3.1': { durations: [4, 6, 8, 16, 24, 32, 40, 48, 56], aspectRatios: WIDE_TALL, resolutions: ['720p', '1080p'], audio: 'toggle', endFrame: ['720p', '1080p'], endFrameMaxSeconds: 8, aliases: ['veo3.1-audio'] },
	'veo3.1-lite': { durations: [4, 6, 8, 16, 24, 32, 40, 48, 56], aspectRatios: WIDE_TALL, resolutions: ['720p', '1080p'], audio: 'toggle', endFrame: ['720p', '1080p'], endFrameMaxSeconds: 8 },
	'wan-2.2': { durations: [...range(3, 10), 15], aspectRatios: WIDE_TALL_SQUARE, resolutions: ['480p', '720p', '1080p'], audio: 'none' },
};

const both = <T>(a: readonly T[], b: readonly T[]) => a.filter((value) => b.includes(value));

/**
 * `default`: "uses our currently recommended model for general use. For paid tiers, defaults to
 * `kling-3.0`. For free tiers, it defaults to `ltx-2.3`." The node cannot know the plan, so it offers
 * what both allow.
 */
export const DEFAULT_STANDS_FOR = { paid: 'kling-3.0', free: 'ltx-2.3' } as const;
function defaultFacts(): ModelFacts {
	const paid = FACTS[DEFAULT_STANDS_FOR.paid];
	const free = FACTS[DEFAULT_STANDS_FOR.free];
	return {
		durations: both(paid.durations, free.durations),
		aspectRatios: both(paid.aspectRatios, free.aspectRatios),
		resolutions: both(paid.resolutions, free.resolutions),
		audio: paid.audio === free.audio ? paid.audio : 'none',
		endFrame: paid.endFrame && free.endFrame ? both(paid.endFrame, free.endFrame) : undefined,
	};
}

/**
 * Legacy models: still in the spec's `model` enum, no longer documented. Their lists are those of the
 * last spec that documented them (2026-03-24, commit c5e7666); the deprecated "-audio" ids (the spec's
 * `model` description) mean the base model with audio on.
 */
const LEGACY: Record<string, ModelFacts> = {
	'kling-1.6': { durations: range(5, 60, 5), aspectRatios: WIDE_TALL_SQUARE, resolutions: ['720p', '1080p'], audio: 'none', legacy: true },
	'kling-2.5': { durations: [5, 10], aspectRatios: WIDE_TALL_SQUARE, resolutions: ['720p', '1080p'], audio: 'always', endFrame: ['1080p'], legacy: true, aliases: ['kling-2.5-audio'] },
	'ltx-2': { durations: [...range(3, 10), 15, 20, 25, 30], aspectRatios: WIDE_TALL_SQUARE, resolutions: ['480p', '720p', '1080p'], audio: 'always', legacy: true },
	seedance: { durations: range(2, 12), aspectRatios: WIDE_TALL_SQUARE, resolutions: ['480p', '720p', '1080p'], audio: 'none', endFrame: ['480p', '720p', '1080p'], legacy: true },
};

/**
 * Image files Magic Hour takes, by MIME type (POST /v1/files/upload-urls `extension` enum of the
 * 2026-03-24 spec: png, jpg, jpeg, heic, webp, avif, jp2, tiff, bmp; later specs add jfif, heif, tif).
 * GIF is not among them.
 */
export const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/pjpeg': 'jpg',
	'image/webp': 'webp',
	'image/avif': 'avif',
	'image/heic': 'heic',
	'image/heif': 'heif',
	'image/jp2': 'jp2',
	'image/tiff': 'tiff',
	'image/bmp': 'bmp',
	'image/x-ms-bmp': 'bmp',
};
/** Extensions an image URL's path may end in (the API checks the extension, not the content). */
export const URL_EXTENSIONS = ['png', 'jpg', 'jpeg', 'jfif', 'heic', 'heif', 'webp', 'avif', 'jp2', 'tiff', 'tif', 'bmp'];

export const MAGIC_HOUR_FIELDS: FieldSpec[] = [
	durationField('Length of the video. The lengths offered depend on the model.', 5),
	aspectRatioField('Shape of the video. Sora 2 and Veo 3.1 make 16:9 and 9:16 only.', '16:9'),
	resolutionField('Output resolution. The resolutions offered depend on the model (4K: Kling 3.0); 1080p and up need a paid plan.', '720p'),
];

/** Every value some model takes, in `order` (numbers: ascending): what a typed-in model id is offered. */
const union = <T extends FieldValue>(lists: T[][], order: readonly T[] = []): T[] => {
	const all = [...new Set(lists.flat())];
	const rank = (value: T) => (typeof value === 'number' ? value : order.indexOf(value));
	return all.sort((a, b) => rank(a) - rank(b));
};
const RESOLUTIONS = ['480p', '720p', '1080p', '4k'];
const current = Object.values(FACTS);

export const MAGIC_HOUR_CAPABILITIES = capabilityTable<MagicHourTraits>({
	defaultModel: 'default',
	fields: MAGIC_HOUR_FIELDS,
	// Current models first, in the spec's order; legacy ones after, marked.
	models: [
		model('default', 'Default (Recommended by Magic Hour)', 'Magic Hour picks its recommended model: Kling 3.0 on paid plans, LTX-2.3 on free plans. Offers what both allow.', defaultFacts()),
		model('kling-2.6', 'Kling 2.6', 'Action, motion blur and camera moves. 5 or 10 s, no audio.', FACTS['kling-2.6']),
		model('kling-3.0', 'Kling 3.0', 'Best overall quality for cinematic storytelling. Up to 4K; audio can be switched on (extra credits).', FACTS['kling-3.0']),
		model('ltx-2.3', 'LTX-2.3', 'Fastest output, for rapid iteration. 1 to 30 s; audio at no extra credits.', FACTS['ltx-2.3']),
		model('minimax-h3', 'MiniMax H3', 'Reference-driven video with native audio. 1 to 30 s; no end frame.', FACTS['minimax-h3']),
		model('seedance-1.5', 'Seedance 1.5', 'Smooth, consistent motion with precision. Audio adds extra credits.', FACTS['seedance-1.5']),
		model('seedance-2.0', 'Seedance 2.0', 'Top quality with reference-to-video control. Up to 720p.', FACTS['seedance-2.0']),
		model('seedance-2.0-mini', 'Seedance 2.0 Mini', 'Fast, consistent video with strong motion quality. Up to 720p.', FACTS['seedance-2.0-mini']),
		model('seedance-2.5', 'Seedance 2.5', 'Highest quality realism, detail and motion. 4 to 30 s, up to 720p.', FACTS['seedance-2.5']),
		model('sora-2', 'Sora 2', "OpenAI's model, for creativity and viral clips. 720p, 16:9 or 9:16.", FACTS['sora-2']),
		model('veo3.1', 'Veo 3.1', "Google's model: highest realism and detail. Audio adds extra credits.", FACTS['veo3.1']),
		model('veo3.1-lite', 'Veo 3.1 Lite', 'Veo quality at a lower cost. Audio adds extra credits.', FACTS['veo3.1-lite']),
		model('wan-2.2', 'Wan 2.2', 'Strong physics, camera moves and motion. No audio, no end frame.', FACTS['wan-2.2']),
		model('kling-1.6', 'Kling 1.6 (Legacy)', 'No longer in Magic Hour\'s docs, still accepted. Up to 60 s in steps of 5; no audio.', LEGACY['kling-1.6']),
		model('kling-2.5', 'Kling 2.5 (Legacy)', 'No longer in Magic Hour\'s docs, still accepted. Audio always included.', LEGACY['kling-2.5']),
		model('ltx-2', 'LTX-2 (Legacy)', 'No longer in Magic Hour\'s docs, still accepted. Audio always included.', LEGACY['ltx-2']),
		model('seedance', 'Seedance (Legacy)', 'No longer in Magic Hour\'s docs, still accepted. No audio.', LEGACY.seedance),
	],
	// A model id typed in (one newer than this package): any value some model takes; Magic Hour alone
	// says whether this model takes it.
	customModel: {
		fields: {
			duration: { values: union(current.map((m) => m.durations)) },
			aspectRatio: { values: union(current.map((m) => m.aspectRatios), WIDE_TALL_SQUARE) },
			resolution: { values: union(current.map((m) => m.resolutions), RESOLUTIONS) },
		},
		traits: { audio: 'toggle', typed: true },
		image: { start: 'optional', binary: true, end: 'optional' } satisfies ImageSupport,
	},
});

/** A Magic Hour model id as the spec spells them: lower case, digits, dots and hyphens. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;
export const MODEL_ID_EXAMPLE = 'seedance-2.5';

export const audioSupport = (modelId: string): AudioSupport =>
	modelSpec(MAGIC_HOUR_CAPABILITIES, modelId)?.traits?.audio ?? 'none';

export const MAX_PROMPT_LENGTH = 2000;
