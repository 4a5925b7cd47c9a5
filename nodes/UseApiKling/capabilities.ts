import { type FieldSpec, type ModelEntry, aspectRatioField, capabilityTable, durationField, modelSpec } from '../shared/capabilities/table';

/**
 * Kling text-to-video through useapi.net (https://useapi.net/docs/api-kling-v1/post-kling-videos-text2video:
 * its model list of 2025-10, and useapi.net's Postman collection of 2026-07; summed up in
 * docs/providers/kling-useapi.md, "The API as this node uses it"). Drives the node's options and its validation.
 */

export const MAX_PROMPT_LENGTH = 2500;
export const MAX_NEGATIVE_PROMPT_LENGTH = 2500;

/** 'toggle': `enable_audio` may be sent; 'always': the model makes audio and refuses the parameter. */
export type AudioSupport = 'toggle' | 'always';

type KlingTraits = {
	/** 1.x only: `negative_prompt` and `cfg_scale`. */
	negativePrompt?: boolean;
	cfgScale?: boolean;
	audio: AudioSupport;
	/** What `enable_audio` is when not sent (v3 turns audio on). */
	audioDefault?: boolean;
	/** Audio only in Pro mode (Kling 2.6). */
	audioNeedsPro?: boolean;
	/** The model renders in Pro mode only and refuses `mode` (2.1 Master, 2.5). */
	proOnly?: boolean;
}

const FIVE_OR_TEN = [5, 10];
const THREE_TO_FIFTEEN = Array.from({ length: 13 }, (_, i) => i + 3);
const ASPECT_RATIOS = ['16:9', '9:16', '1:1'];
const STD_PRO = ['std', 'pro'];

function model(value: string, name: string, description: string, durations: number[], modes: string[] | undefined, traits: KlingTraits): ModelEntry<KlingTraits> {
	return {
		value,
		name,
		description,
		fields: {
			duration: { values: durations },
			aspectRatio: { values: ASPECT_RATIOS },
			...(modes ? { mode: { values: modes } } : {}),
		},
		traits: { ...traits },
		// Every text2video model is a model of POST /videos/image2video-frames too; all but 2.1 Master and
		// 3.0 Turbo take an end frame (`image_tail`). Binary images go through POST /assets/ first.
		image: { start: 'optional', binary: true, ...(NO_END_FRAME.includes(value) ? {} : { end: 'optional' }) },
	};
}

/** image2video-frames models without `image_tail`: 2.1 Master (docs, June 2026), 3.0 Turbo ("start frame only", Postman, July 2026). */
const NO_END_FRAME = ['kling-v2-1-master', 'kling-v3-0-turbo'];

/**
 * Images useapi.net's POST /v1/kling/assets/ takes (the Content-Type must be one of them), up to 10 MB
 * and at least 300 px on a side; it answers `{ status: 3, url, fileName }`, the `url` on Kling's CDN.
 */
export const ASSET_IMAGE_TYPES: Readonly<Record<string, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg' };
export const MAX_ASSET_IMAGE_BYTES = 10 * 1024 * 1024;

const MODE_LABELS: Record<string, string> = { std: 'Standard', pro: 'Pro (Higher Quality, Slower)', '4k': '4K' };

export const USEAPI_KLING_FIELDS: FieldSpec[] = [
	durationField('Length of the video. Kling 3.0 models make 3 to 15 seconds, the others 5 or 10.', 5),
	aspectRatioField('Shape of the video', '16:9'),
	{
		property: {
			displayName: 'Mode',
			name: 'mode',
			type: 'options',
			options: [],
			default: 'std',
			description: 'Quality level. Pro looks better, takes longer and costs more Kling credits.',
		},
		valueType: 'string',
		label: (value) => MODE_LABELS[String(value)] ?? String(value),
	},
];

export const USEAPI_KLING_CAPABILITIES = capabilityTable<KlingTraits>({
	defaultModel: 'kling-v1-6',
	fields: USEAPI_KLING_FIELDS,
	models: [
		model('kling-v1-6', 'Kling 1.6', 'Dependable clips; takes a negative prompt and a CFG scale', FIVE_OR_TEN, STD_PRO, {
			negativePrompt: true,
			cfgScale: true,
			audio: 'toggle',
		}),
		model('kling-v1-5', 'Kling 1.5', 'Older 1.x model; takes a negative prompt and a CFG scale', FIVE_OR_TEN, STD_PRO, {
			negativePrompt: true,
			cfgScale: true,
			audio: 'toggle',
		}),
		model('kling-v2-1-master', 'Kling 2.1 Master', 'Flagship 2.1 quality; always renders in Pro mode', FIVE_OR_TEN, undefined, { audio: 'toggle', proOnly: true }),
		model('kling-v2-5', 'Kling 2.5', 'Motion and camera control; always renders in Pro mode', FIVE_OR_TEN, undefined, { audio: 'toggle', proOnly: true }),
		model('kling-v2-6', 'Kling 2.6', 'Native audio, in Pro mode only', FIVE_OR_TEN, STD_PRO, { audio: 'toggle', audioNeedsPro: true }),
		model('kling-v3-0', 'Kling 3.0', 'Cinematic; 3 to 15 seconds, audio on unless switched off, Pro or 4K mode', THREE_TO_FIFTEEN, [...STD_PRO, '4k'], {
			audio: 'toggle',
			audioDefault: true,
		}),
		model('kling-v3-0-turbo', 'Kling 3.0 Turbo', 'Faster 3.0; 3 to 15 seconds, always with audio', THREE_TO_FIFTEEN, STD_PRO, { audio: 'always' }),
	],
});

export const klingTraits = (modelId: string): Partial<KlingTraits> => modelSpec(USEAPI_KLING_CAPABILITIES, modelId)?.traits ?? {};
