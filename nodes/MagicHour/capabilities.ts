import { type FieldSpec, type ModelEntry, aspectRatioField, capabilityTable, durationField, modelSpec, resolutionField } from '../shared/capabilities';

/**
 * Magic Hour text-to-video models (seeds/000 and provider-contracts.md 1.2, model matrix of
 * 2026-02-27 .. 2026-03-24). Drives the node's options and its validation.
 */

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

export type AudioSupport = 'always' | 'toggle' | 'none';

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
): ModelEntry {
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
	};
}

export const MAGIC_HOUR_FIELDS: FieldSpec[] = [
	durationField('Length of the video. The lengths offered depend on the model.', 5),
	aspectRatioField('Shape of the video. Sora 2 and Veo 3.1 make 16:9 and 9:16 only.', '16:9'),
	resolutionField('Output resolution. The resolutions offered depend on the model; 1080p needs a paid plan.', '720p'),
];

export const MAGIC_HOUR_CAPABILITIES = capabilityTable({
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
		// The deprecated "-audio" ids (seed 000) mean the base model with audio on.
		model('kling-2.5', 'Kling 2.5', 'Motion, action and camera control. Audio always included.', [5, 10], 5, WIDE_TALL_SQUARE, ['720p', '1080p'], 'always', ['kling-2.5-audio']),
		model('kling-3.0', 'Kling 3.0', 'Cinematic, multi-scene storytelling. Audio can be switched on.', range(3, 15), 5, WIDE_TALL_SQUARE, ['720p', '1080p'], 'toggle'),
		model('sora-2', 'Sora 2', 'Storytelling, dialogue and creativity. 720p only; audio always included.', [4, 8, 12, 24, 36, 48, 60], 4, WIDE_TALL, ['720p'], 'always'),
		model('veo3.1', 'Veo 3.1', 'Realism, polish and prompt adherence. Audio can be switched on.', [4, 6, 8, 16, 24, 32, 40, 48, 56], 4, WIDE_TALL, ['720p', '1080p'], 'toggle', ['veo3.1-audio']),
		model('kling-1.6', 'Kling 1.6 (Legacy)', 'Dependable clips with smooth motion, up to 60 s. No audio.', range(5, 60, 5), 5, WIDE_TALL_SQUARE, ['720p', '1080p'], 'none'),
	],
});

export const audioSupport = (modelId: string): AudioSupport =>
	(modelSpec(MAGIC_HOUR_CAPABILITIES, modelId)?.traits?.audio as AudioSupport | undefined) ?? 'none';

export const MAX_PROMPT_LENGTH = 2000;
