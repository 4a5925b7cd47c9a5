import { type FieldSpec, type FieldValue, aspectRatioField, capabilityTable, durationField, resolutionField } from '../shared/capabilities/table';

/**
 * AI/ML API video models (github.com/aimlapi/api-docs, docs/api-references/video-models/PixVerse/
 * v5-text-to-video.json; docs/providers/aiml-api.md, "The API as this node uses it"). PixVerse v5 is described
 * field by field; any other video model id of the universal endpoint can be typed in, with the
 * common fields below (each can be left to the model) plus an "Additional Fields" JSON.
 */

export const PIXVERSE_V5 = 'pixverse/v5/text-to-video';
export const MODEL_ID_EXAMPLE = 'kling-video/v1.6/standard/text-to-video';
/** An empty option value: the field is not sent, so the model's own default (or no style) applies. */
export const NOT_SENT = '';

const STYLE_NAMES: Record<string, string> = {
	[NOT_SENT]: 'None',
	anime: 'Anime',
	'3d_animation': '3D Animation',
	clay: 'Clay',
	comic: 'Comic',
	cyberpunk: 'Cyberpunk',
};
const orModelDefault = (label: (value: FieldValue) => string) => (value: FieldValue) => (value === NOT_SENT ? "Model's Default" : label(value));

export const AIML_FIELDS: FieldSpec[] = [
	aspectRatioField('Shape of the video', '16:9', orModelDefault(String)),
	resolutionField('Output resolution (its short side). PixVerse V5 makes 8 s videos up to 720p only.', '720p', { label: orModelDefault(String) }),
	durationField('Length of the video. PixVerse V5 makes 5 or 8 s, and only 5 s at 1080p.', 5, orModelDefault((value) => `${value} s`)),
	{
		property: {
			displayName: 'Style',
			name: 'style',
			type: 'options',
			options: [],
			default: NOT_SENT,
			description: 'Visual style of the video',
		},
		valueType: 'string',
		label: (value) => STYLE_NAMES[String(value)] ?? String(value),
	},
];

/** What a model takes beyond the table's fields; the provider's validation reads them. */
export type AimlTraits = {
	negativePrompt?: boolean;
	seed?: boolean;
	/** The longest duration at 1080p (PixVerse: 5 s). */
	longestAt1080p?: number;
	maxPromptLength?: number;
	/** Typed-in models: Additional Fields are sent as given. */
	additionalFields?: boolean;
	/** The end frame's request field (`tail_image_url` or `last_image_url`). */
	endImageField?: string;
};

export const AIML_CAPABILITIES = capabilityTable<AimlTraits>({
	defaultModel: PIXVERSE_V5,
	fields: AIML_FIELDS,
	models: [
		{
			value: PIXVERSE_V5,
			name: 'PixVerse V5',
			description: 'Fast, sharp, cinematic clips of 5 or 8 s, from 360p to 1080p',
			fields: {
				aspectRatio: { values: ['16:9', '4:3', '1:1', '3:4', '9:16'] },
				resolution: { values: ['360p', '540p', '720p', '1080p'] },
				duration: { values: [5, 8] },
				style: { values: Object.keys(STYLE_NAMES) },
			},
			// The API refuses 1080p with 8 s; PixVerse takes prompts up to 2048 characters.
			traits: { negativePrompt: true, seed: true, longestAt1080p: 5, maxPromptLength: 2048 },
		},
	],
	// Values most AI/ML API video models take; anything else goes into Additional Fields.
	customModel: {
		fields: {
			aspectRatio: { values: [NOT_SENT, '16:9', '9:16', '1:1', '4:3', '3:4', '21:9'], default: NOT_SENT },
			resolution: { values: [NOT_SENT, '480p', '540p', '720p', '768p', '1080p'], default: NOT_SENT },
			duration: { values: [NOT_SENT, 4, 5, 6, 8, 10, 12], default: NOT_SENT },
		},
		traits: { additionalFields: true },
		// A typed-in image-to-video model gets its image as `image_url` (the field every AI/ML API image-to-video
		// model uses for the start frame), by URL only: whether it takes Base64 is known only for the models below.
		image: { start: 'optional', binary: false },
	},
});

/**
 * Image-to-video models (aimlapi/api-docs, docs/api-references/video-models; docs/providers/aiml-api.md,
 * "The API as this node uses it"). The model id alone selects image-to-video on the same POST /v2/video/generations; the
 * start frame goes in `image_url`, the last frame in the field the model names (`endImageField`).
 * AI/ML API has no file upload for video models: an image from a binary field can only travel inside
 * the JSON body as a Base64 data URI, and only to models whose docs say "a direct link to an online
 * image or a Base64-encoded local image" (Kling, Wan; PixVerse's `tail_image_url`). PixVerse V5's
 * `image_url` is documented as a URL only (`format: uri`), so it takes no binary image.
 */
export const PIXVERSE_V5_IMAGE = 'pixverse/v5/image-to-video';
export const PIXVERSE_V5_TRANSITION = 'pixverse/v5/transition';
export const KLING_TURBO_IMAGE = 'klingai/v2.5-turbo/pro/image-to-video';
export const WAN_IMAGE = 'alibaba/wan2.5-i2v-preview';

// PixVerse V5 image to video: the text model's fields without aspect_ratio (dropped from its spec on 2025-12-24).
const PIXVERSE_IMAGE_FIELDS = {
	resolution: { values: ['360p', '540p', '720p', '1080p'] },
	duration: { values: [5, 8] },
	style: { values: Object.keys(STYLE_NAMES) },
};
const PIXVERSE_TRAITS: AimlTraits = { negativePrompt: true, seed: true, longestAt1080p: 5, maxPromptLength: 2048 };

export const AIML_IMAGE_CAPABILITIES = capabilityTable<AimlTraits>({
	defaultModel: PIXVERSE_V5_IMAGE,
	fields: AIML_FIELDS,
	models: [
		{
			value: PIXVERSE_V5_IMAGE,
			name: 'PixVerse V5 Image to Video',
			description: 'Animates an image given by URL: 5 or 8 s, 360p to 1080p; the video takes the image\'s shape',
			fields: PIXVERSE_IMAGE_FIELDS,
			traits: PIXVERSE_TRAITS,
			image: { start: 'required', binary: false },
		},
		{
			value: PIXVERSE_V5_TRANSITION,
			name: 'PixVerse V5 Transition (First and Last Frame)',
			description: 'Moves from a first frame (by URL) to a last frame (URL or binary): 5 or 8 s, 360p to 1080p',
			fields: PIXVERSE_IMAGE_FIELDS,
			traits: { ...PIXVERSE_TRAITS, endImageField: 'tail_image_url' },
			image: { start: 'required', binary: false, end: 'required', endBinary: true },
		},
		{
			value: KLING_TURBO_IMAGE,
			name: 'Kling 2.5 Turbo Pro Image to Video',
			description: 'Animates an image by URL or from a binary field: 5 or 10 s; the video takes the image\'s shape',
			fields: { duration: { values: [5, 10] } },
			traits: { negativePrompt: true },
			image: { start: 'required', binary: true },
		},
		{
			value: WAN_IMAGE,
			name: 'Wan 2.5 Image to Video (Preview)',
			description: 'Animates an image by URL or from a binary field: 5 or 10 s, 480p to 1080p',
			fields: {
				aspectRatio: { values: ['16:9', '9:16', '1:1'] },
				resolution: { values: ['480p', '720p', '1080p'], default: '1080p' },
				duration: { values: [5, 10], default: 10 },
			},
			traits: { negativePrompt: true, seed: true },
			image: { start: 'required', binary: true },
		},
	],
});

/** Every described model, text and image: what validation knows (the Model lists show one kind each). */
export const AIML_ALL_CAPABILITIES = { ...AIML_CAPABILITIES, models: [...AIML_CAPABILITIES.models, ...AIML_IMAGE_CAPABILITIES.models] };

/** The request fields the common parameters fill, by parameter name. */
export const API_FIELD: Readonly<Record<string, string>> = {
	prompt: 'prompt',
	aspectRatio: 'aspect_ratio',
	resolution: 'resolution',
	duration: 'duration',
	style: 'style',
	negativePrompt: 'negative_prompt',
	seed: 'seed',
};

/** No model's prompt limit is known for typed-in ids: this only stops runaway text. */
export const MAX_PROMPT_LENGTH = 20_000;
export const MAX_SEED = 2_147_483_647;
