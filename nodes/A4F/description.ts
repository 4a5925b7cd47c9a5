import type { INodeProperties } from 'n8n-workflow';
import { fieldProperties, withCustomModelOption } from '../shared/capabilities/table';
import { OTHER_MODEL } from '../shared/fields/customModel';
import { JOB_OPERATIONS, modelProperties, operationProperty, operationsOf, promptProperty } from '../shared/fields/common';
import { optionsProperty, optionsSpecOf } from '../shared/fields/options';
import { A4F_CAPABILITIES, EXAMPLE_MODEL_ID, MAX_PROMPT_LENGTH } from './capabilities';
import { a4fProvider } from './provider';


/** The Model list: the models of A4F's model table, then "Other model", whose id goes in `customModel`. */
export const UI_TABLE = withCustomModelOption(A4F_CAPABILITIES, {
	value: OTHER_MODEL,
	name: 'Other Model (Type Its ID)',
	description: 'Any other A4F video model, by its ID (provider-N/name), within the API limits: 1 to 8 s, 480p to 1080p',
});


export const a4fProperties: INodeProperties[] = [
	operationProperty(operationsOf(a4fProvider)),
	{
		displayName: 'Video generation on A4F needs a Pro or Ultra plan. A4F pays its providers per video: try prompts on Kling v2.1 or Seedance Lite, keep the premium models for final videos.',
		name: 'planNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: JOB_OPERATIONS } },
	},
	...modelProperties(UI_TABLE, 'The model that renders the video. Durations and qualities follow it.', {
		example: EXAMPLE_MODEL_ID,
		description: 'The ID of an A4F video model, exactly as A4F writes it (provider-N/name)',
	}),
	promptProperty(MAX_PROMPT_LENGTH),
	...UI_TABLE.fields.flatMap((field) => fieldProperties(UI_TABLE, field, JOB_OPERATIONS)),
	optionsProperty(optionsSpecOf(a4fProvider)),
];
