import { type FieldSpec, type FieldValue, aspectRatioField, capabilityTable, durationField, resolutionField } from '../shared/capabilities';

/**
 * AI/ML API video models (seed 002 and provider-contracts.md section 3). PixVerse v5 is described
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

export const AIML_CAPABILITIES = capabilityTable({
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
	},
});

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
