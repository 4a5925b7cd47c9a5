import type { INodeProperties } from 'n8n-workflow';
import { fieldProperties, withCustomModelOption } from '../shared/capabilities/table';
import { OTHER_MODEL } from '../shared/fields/customModel';
import { JOB_OPERATIONS, jobIdProperty, modelProperties, modelProperty, operationProperty, operationsOf, promptProperty } from '../shared/fields/common';
import { endImageProperties, imageOnly, imageSourceProperties, textOnly } from '../shared/image/imageInput';
import { optionsProperty, optionsSpecOf } from '../shared/fields/options';
import { AIML_CAPABILITIES, AIML_IMAGE_CAPABILITIES, KLING_TURBO_IMAGE, MODEL_ID_EXAMPLE, type AimlTraits } from './capabilities';
import { aimlApiProvider } from './provider';


/** The Model list: the described models, then "Other model", whose id goes in `customModel`. */
export const UI_TABLE = withCustomModelOption(AIML_CAPABILITIES, {
	value: OTHER_MODEL,
	name: 'Other Model (Type Its ID)',
	description: 'Any other AI/ML API video model, by its ID from the AI/ML API model list',
});

/**
 * Image mode (Image other than None) has Model lists of its own, as AI/ML API's image-to-video models are
 * model ids of their own: by URL, every image model and "Other model"; from a binary field, only the
 * models that take a Base64 image.
 */
const URL_IMAGE_MODELS = {
	...AIML_IMAGE_CAPABILITIES,
	models: [
		...AIML_IMAGE_CAPABILITIES.models,
		{ ...AIML_CAPABILITIES.customModel, value: OTHER_MODEL, name: 'Other Model (Type Its ID)', description: 'Any other AI/ML API image-to-video model; the image URL goes in image_url', fields: {} },
	],
};
const BINARY_IMAGE_MODELS = { ...AIML_IMAGE_CAPABILITIES, defaultModel: KLING_TURBO_IMAGE, models: AIML_IMAGE_CAPABILITIES.models.filter((m) => m.image?.binary) };

const modelsWith = (trait: keyof AimlTraits) => [...UI_TABLE.models, ...AIML_IMAGE_CAPABILITIES.models].filter((m) => m.traits?.[trait] !== undefined).map((m) => m.value);
const show = (extra: Record<string, Array<string | number>> = {}) => ({ show: { operation: JOB_OPERATIONS, ...extra } });

/** Durations longer than a model allows at 1080p, for the notice that explains the refusal. */
const longAt1080p = [
	...new Set(
		[...UI_TABLE.models, ...AIML_IMAGE_CAPABILITIES.models].flatMap((m) => {
			const longest = m.traits?.longestAt1080p;
			return typeof longest === 'number' ? (m.fields.duration?.values ?? []).filter((d) => Number(d) > longest) : [];
		}),
	),
];

export const aimlApiProperties: INodeProperties[] = [
	operationProperty(operationsOf(aimlApiProvider)),
	...imageSourceProperties({
		description: "An image for the model to animate (its first frame): AI/ML API's image-to-video models are models of their own, so the Model list below changes with this choice",
		binary: "An image in the input item's binary data, sent inside the request as a Base64 data URI (AI/ML API has no file upload for video models); only models documented to take Base64 are offered",
		url: 'A public image address (http or https) that the model downloads',
	}),
	{
		displayName:
			'AI/ML API has no file upload for video models: a binary image travels inside the request as a Base64 data URI, which only the models listed here are documented to accept. PixVerse V5 takes images by URL only.',
		name: 'imageBinaryNotice',
		type: 'notice',
		default: '',
		displayOptions: show({ imageSource: ['binary'] }),
	},
	...textOnly(
		modelProperties(UI_TABLE, 'The model that renders the video. The fields below follow it.', {
			example: MODEL_ID_EXAMPLE,
			description: 'The ID of an AI/ML API video model, exactly as the AI/ML API docs write it',
		}),
		['model'],
	),
	{ ...modelProperty(URL_IMAGE_MODELS, 'The image-to-video model that animates the image. The fields below follow it.'), displayOptions: show({ imageSource: ['url'] }) },
	{ ...modelProperty(BINARY_IMAGE_MODELS, 'The image-to-video model that animates the image. The fields below follow it.'), displayOptions: show({ imageSource: ['binary'] }) },
	{ ...promptProperty(2048), description: 'The text to turn into video (PixVerse V5 takes up to 2048 characters)' },
	// Image models' fields first: with a model from an expression n8n shows every group, and the last one's default wins.
	...imageOnly(AIML_IMAGE_CAPABILITIES.fields.flatMap((field) => fieldProperties(AIML_IMAGE_CAPABILITIES, field, JOB_OPERATIONS))),
	...UI_TABLE.fields.flatMap((field) => fieldProperties(UI_TABLE, field, JOB_OPERATIONS)),
	...endImageProperties(AIML_IMAGE_CAPABILITIES, 'A public image address (http or https), or a data:image/...;base64 URI'),
	{
		displayName: '1080p videos can be 5 s long at most: choose 5 s, or 720p or lower for 8 s. The node stops before sending, so no credits are used.',
		name: 'longAt1080pNotice',
		type: 'notice',
		default: '',
		displayOptions: show({ model: modelsWith('longestAt1080p'), resolution: ['1080p'], duration: longAt1080p }),
	},
	{
		displayName: 'Negative Prompt',
		name: 'negativePrompt',
		type: 'string',
		default: '',
		placeholder: 'e.g. blurry, text, watermark',
		description: 'What to keep out of the video',
		typeOptions: { rows: 2 },
		displayOptions: show({ model: modelsWith('negativePrompt') }),
	},
	{
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 0 },
		description: 'The same seed with the same settings gives a similar video. 0 picks a random seed.',
		displayOptions: show({ model: modelsWith('seed') }),
	},
	{
		displayName: 'Additional Fields (JSON)',
		name: 'additionalFields',
		type: 'json',
		default: '{}',
		description:
			'Other fields of the model\'s request, as a JSON object in the AI/ML API\'s own names, e.g. {"duration": "10", "negative_prompt": "blur"}. Fields set above cannot be repeated here.',
		displayOptions: show({ model: modelsWith('additionalFields') }),
	},
	jobIdProperty,
	optionsProperty(optionsSpecOf(aimlApiProvider)),
];
