import type { INodeProperties } from 'n8n-workflow';
import { fieldProperties, modelsWhere } from '../shared/capabilities';
import { JOB_OPERATIONS, jobIdProperty, modelProperty, operationProperty, operationsOf, promptProperty } from '../shared/description';
import { optionsProperty, optionsSpecOf } from '../shared/options';
import { endImageProperties, imageSourceProperties, textOnly } from '../shared/image';
import { MAGIC_HOUR_CAPABILITIES as TABLE, MAX_PROMPT_LENGTH } from './capabilities';
import { magicHourProvider } from './provider';


const audioIs = (mode: string) => modelsWhere(TABLE, (m) => m.traits?.audio === mode);

export const magicHourProperties: INodeProperties[] = [
	operationProperty(operationsOf(magicHourProvider)),
	...imageSourceProperties({
		description: "An image for the model to animate (its first frame): setting one makes the job image-to-video, through Magic Hour's image-to-video endpoint. Every model takes one.",
		binary: "An image in the input item's binary data (PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP, JPEG 2000), uploaded to Magic Hour's storage first, at no cost",
		url: 'A public image address whose path ends in the file extension (e.g. .png, .jpg), or a Magic Hour file path (api-assets/...) uploaded within the last 7 days',
	}),
	modelProperty(TABLE, 'The model that renders the video. Durations, aspect ratios and resolutions follow it.'),
	promptProperty(MAX_PROMPT_LENGTH),
	// Image-to-video has no aspect ratio: the video takes the image's shape.
	...textOnly(TABLE.fields.flatMap((field) => fieldProperties(TABLE, field, JOB_OPERATIONS)), ['aspectRatio']),
	...endImageProperties(TABLE, 'A public image address whose path ends in the file extension, or a Magic Hour file path (api-assets/...)'),
	{
		displayName: 'Audio',
		name: 'audio',
		type: 'boolean',
		default: false,
		description: 'Whether to add audio to the video',
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
