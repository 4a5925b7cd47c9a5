import type { INodeProperties } from 'n8n-workflow';
import { fieldProperties, modelsWhere, withCustomModelOption } from '../shared/capabilities';
import { modelProperties, OTHER_MODEL } from '../shared/customModel';
import { JOB_OPERATIONS, jobIdProperty, operationProperty, promptProperty } from '../shared/description';
import { optionsProperty } from '../shared/options';
import { AIML_CAPABILITIES, MODEL_ID_EXAMPLE } from './capabilities';

/** AI/ML API asks clients to poll every 10 to 15 s; a PixVerse clip takes 30 to 75 s. */
export const DEFAULT_POLL_INTERVAL = 10;

/** The Model list: the described models, then "Other model", whose id goes in `customModel`. */
export const UI_TABLE = withCustomModelOption(AIML_CAPABILITIES, {
	value: OTHER_MODEL,
	name: 'Other Model (Type Its ID)',
	description: 'Any other AI/ML API video model, by its ID from the AI/ML API model list',
});

const modelsWith = (trait: string) => modelsWhere(UI_TABLE, (m) => m.traits?.[trait] !== undefined);
const show = (extra: Record<string, Array<string | number>> = {}) => ({ show: { operation: JOB_OPERATIONS, ...extra } });

/** Durations longer than a model allows at 1080p, for the notice that explains the refusal. */
const longAt1080p = [
	...new Set(
		UI_TABLE.models.flatMap((m) => {
			const longest = m.traits?.longestAt1080p;
			return typeof longest === 'number' ? (m.fields.duration?.values ?? []).filter((d) => Number(d) > longest) : [];
		}),
	),
];

export const aimlApiProperties: INodeProperties[] = [
	operationProperty(['generate', 'submit', 'get']),
	...modelProperties(UI_TABLE, 'The model that renders the video. The fields below follow it.', {
		example: MODEL_ID_EXAMPLE,
		description: 'The ID of an AI/ML API video model, exactly as the AI/ML API docs write it',
	}),
	{ ...promptProperty(2048), description: 'The text to turn into video (PixVerse V5 takes up to 2048 characters)' },
	...UI_TABLE.fields.flatMap((field) => fieldProperties(UI_TABLE, field, JOB_OPERATIONS)),
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
	optionsProperty({ defaultPollInterval: DEFAULT_POLL_INTERVAL, hasGet: true }),
];
