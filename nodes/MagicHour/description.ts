import type { INodeProperties } from 'n8n-workflow';
import { fieldProperties, modelsWhere, withCustomModelOption } from '../shared/capabilities/table';
import { OTHER_MODEL } from '../shared/fields/customModel';
import { JOB_OPERATIONS, jobIdProperty, modelProperties, operationProperty, operationsOf, promptProperty } from '../shared/fields/common';
import { optionsProperty, optionsSpecOf } from '../shared/fields/options';
import { endImageProperties, imageSourceProperties, textOnly } from '../shared/image/imageInput';
import { MAGIC_HOUR_CAPABILITIES, MAX_PROMPT_LENGTH, MODEL_ID_EXAMPLE } from './capabilities';
import { magicHourProvider } from './provider';

/** The Model list: current models, legacy ones (marked), then "Other model", whose id goes in `customModel`. */
export const UI_TABLE = withCustomModelOption(MAGIC_HOUR_CAPABILITIES, {
	value: OTHER_MODEL,
	name: 'Other Model (Type Its ID)',
	description: 'A Magic Hour model newer than this node, by its ID from the Magic Hour API reference',
});

const audioIs = (mode: string) => modelsWhere(UI_TABLE, (m) => m.traits?.audio === mode);

export const magicHourProperties: INodeProperties[] = [
	operationProperty(operationsOf(magicHourProvider)),
	...imageSourceProperties({
		description: "An image for the model to animate (its first frame): setting one makes the job image-to-video, through Magic Hour's image-to-video endpoint. Every model takes one.",
		binary: "An image in the input item's binary data (PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP, JPEG 2000), uploaded to Magic Hour's storage first, at no cost",
		url: 'A public image address whose path ends in the file extension (e.g. .png, .jpg), or a Magic Hour file path (api-assets/...) uploaded within the last 7 days',
	}),
	...modelProperties(UI_TABLE, 'The model that renders the video. Durations, aspect ratios and resolutions follow it.', {
		example: MODEL_ID_EXAMPLE,
		description: "The ID of a Magic Hour video model, exactly as the API reference writes it (the `model` field). Magic Hour checks it, and the values below, when the job is submitted.",
	}),
	promptProperty(MAX_PROMPT_LENGTH),
	// Image-to-video has no aspect ratio: the video takes the image's shape.
	...textOnly(UI_TABLE.fields.flatMap((field) => fieldProperties(UI_TABLE, field, JOB_OPERATIONS)), ['aspectRatio']),
	...endImageProperties(UI_TABLE, 'A public image address whose path ends in the file extension, or a Magic Hour file path (api-assets/...)'),
	{
		displayName: 'Audio',
		name: 'audio',
		type: 'boolean',
		default: false,
		description: 'Whether to add audio to the video (extra credits on Kling 3.0, Seedance 1.5 and Veo 3.1)',
		displayOptions: { show: { operation: JOB_OPERATIONS, model: audioIs('toggle') } },
	},
	{
		displayName: 'This model always includes audio, at no extra credits',
		name: 'audioAlwaysNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: JOB_OPERATIONS, model: audioIs('always') } },
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Product teaser',
		description: 'Name of the video in your Magic Hour library; also the file name of the output (the job ID when empty)',
		displayOptions: { show: { operation: JOB_OPERATIONS } },
	},
	jobIdProperty,
	optionsProperty(optionsSpecOf(magicHourProvider)),
];
