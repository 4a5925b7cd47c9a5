import type { INodeProperties } from 'n8n-workflow';
import { fieldProperties, modelsWhere } from '../shared/capabilities';
import { JOB_OPERATIONS, jobIdProperty, modelProperty, operationProperty, promptProperty } from '../shared/description';
import { optionsProperty } from '../shared/options';
import { MAGIC_HOUR_CAPABILITIES as TABLE, MAX_PROMPT_LENGTH } from './capabilities';

export const DEFAULT_POLL_INTERVAL = 1;

const audioIs = (mode: string) => modelsWhere(TABLE, (m) => m.traits?.audio === mode);

export const magicHourProperties: INodeProperties[] = [
	operationProperty(['generate', 'submit', 'get']),
	modelProperty(TABLE, 'The model that renders the video. Durations, aspect ratios and resolutions follow it.'),
	promptProperty(MAX_PROMPT_LENGTH),
	...TABLE.fields.flatMap((field) => fieldProperties(TABLE, field, JOB_OPERATIONS)),
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
	optionsProperty({ defaultPollInterval: DEFAULT_POLL_INTERVAL, hasGet: true }),
];
