import { type FieldSpec, type ModelEntry, aspectRatioField, capabilityTable, durationField, modelSpec, resolutionField } from '../shared/capabilities';

/**
 * Magic Hour text-to-video models (POST /v1/text-to-video in Magic Hour's OpenAPI file,
 * github.com/magichourhq/docs api-reference/openapi.json, model matrix of 2026-02-27 .. 2026-03-24;
 * docs/providers/magic-hour.md, "The API as this node uses it"). Drives the node's options and its validation.
 */

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

export type AudioSupport = 'always' | 'toggle' | 'none';
type MagicHourTraits = { audio: AudioSupport };

const WIDE_TALL_SQUARE = ['16:9', '9:16', '1:1'];
const WIDE_TALL = ['16:9', '9:16'];

function model(
	value: string,
	name: string,
	description: string,
	durations: number[],
	defaultDuration: number,
	aspectRatios: string[],
	resolutions: string[],
	audio: AudioSupport,
	aliases?: string[],
): ModelEntry<MagicHourTraits> {
	return {
		value,
		aliases,
		name,
		description,
		fields: {
			duration: { values: durations, default: defaultDuration },
			aspectRatio: { values: aspectRatios },
			resolution: { values: resolutions, default: resolutions.includes('720p') ? '720p' : resolutions[0] },
		},
		traits: { audio },
		// Every model of POST /v1/text-to-video takes a start image on POST /v1/image-to-video (the spec's
		// `model` enum is the same list there); end frames per END_FRAME.
		image: { start: 'optional', binary: true, ...(END_FRAME[value] ? { end: 'optional', endResolutions: END_FRAME[value] } : {}) },
	};
}

/**
 * Models that take an end frame (`assets.end_image_file_path`, in the spec since 2026-03-12), and at
 * which resolutions: Seedance at all of its own, Kling 2.5 and 3.0 at 1080p only. LTX-2, Sora 2, Veo 3.1
 * (matrix of the 2026-03-24 spec), Kling 1.6 and `default` (which may be LTX-2 on free plans) take none.
 */
const END_FRAME: Readonly<Record<string, readonly string[]>> = {
	seedance: ['480p', '720p', '1080p'],
	'kling-2.5': ['1080p'],
	'kling-3.0': ['1080p'],
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
	resolutionField('Output resolution. The resolutions offered depend on the model; 1080p needs a paid plan.', '720p'),
];

export const MAGIC_HOUR_CAPABILITIES = capabilityTable<MagicHourTraits>({
	defaultModel: 'default',
	fields: MAGIC_HOUR_FIELDS,
	models: [
		model(
			'default',
			'Default (Recommended by Magic Hour)',
			'Magic Hour picks its recommended model: Kling 2.5 on paid plans, LTX-2 on free plans. Offers what both allow.',
			[5, 10],
			5,
			WIDE_TALL_SQUARE,
			['720p', '1080p'],
			'always',
		),
		model('ltx-2', 'LTX-2', 'Fast iteration with audio, lip-sync and expressive faces. Audio always included.', [...range(3, 10), 15, 20, 25, 30], 5, WIDE_TALL_SQUARE, ['480p', '720p', '1080p'], 'always'),
		model('seedance', 'Seedance', 'Fast iteration, start and end frames. No audio.', range(2, 12), 5, WIDE_TALL_SQUARE, ['480p', '720p', '1080p'], 'none'),
		// The deprecated "-audio" ids (the spec's `model` description) mean the base model with audio on.
		model('kling-2.5', 'Kling 2.5', 'Motion, action and camera control. Audio always included.', [5, 10], 5, WIDE_TALL_SQUARE, ['720p', '1080p'], 'always', ['kling-2.5-audio']),
		model('kling-3.0', 'Kling 3.0', 'Cinematic, multi-scene storytelling. Audio can be switched on.', range(3, 15), 5, WIDE_TALL_SQUARE, ['720p', '1080p'], 'toggle'),
		model('sora-2', 'Sora 2', 'Storytelling, dialogue and creativity. 720p only; audio always included.', [4, 8, 12, 24, 36, 48, 60], 4, WIDE_TALL, ['720p'], 'always'),
		model('veo3.1', 'Veo 3.1', 'Realism, polish and prompt adherence. Audio can be switched on.', [4, 6, 8, 16, 24, 32, 40, 48, 56], 4, WIDE_TALL, ['720p', '1080p'], 'toggle', ['veo3.1-audio']),
		model('kling-1.6', 'Kling 1.6 (Legacy)', 'Dependable clips with smooth motion, up to 60 s. No audio.', range(5, 60, 5), 5, WIDE_TALL_SQUARE, ['720p', '1080p'], 'none'),
	],
});

export const audioSupport = (modelId: string): AudioSupport =>
	modelSpec(MAGIC_HOUR_CAPABILITIES, modelId)?.traits?.audio ?? 'none';

export const MAX_PROMPT_LENGTH = 2000;
