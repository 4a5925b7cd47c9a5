import type { INodeProperties } from 'n8n-workflow';
import { fieldProperties, modelsWhere, type ModelSpec } from '../shared/capabilities/table';
import { JOB_OPERATIONS, jobIdProperty, modelProperty, operationProperty, operationsOf, promptProperty } from '../shared/fields/common';
import { optionsProperty, optionsSpecOf } from '../shared/fields/options';
import { MAX_NEGATIVE_PROMPT_LENGTH, MAX_PROMPT_LENGTH, USEAPI_KLING_CAPABILITIES as TABLE } from './capabilities';
import { endImageProperties, imageSourceProperties, textOnly } from '../shared/image/imageInput';
import { useApiKlingProvider } from './provider';
import { waitModeOption } from '../shared/waitModes/callback';


const forModels = (predicate: (model: ModelSpec) => boolean) => ({
	show: { operation: JOB_OPERATIONS, model: modelsWhere(TABLE, predicate) },
});

/** One Enable Audio property per group of models with the same default and the same Pro-mode rule. */
function audioProperties(): INodeProperties[] {
	const groups = new Map<string, ModelSpec>();
	for (const model of TABLE.models) {
		if (model.traits?.audio !== 'toggle') continue;
		const key = `${!!model.traits.audioDefault}|${!!model.traits.audioNeedsPro}`;
		if (!groups.has(key)) groups.set(key, model);
	}
	// Groups whose default is on come first: when the model is an expression n8n shows every group and
	// the last one's default wins, so audio then stays off unless switched on.
	const ordered = [...groups.values()].sort((a, b) => Number(!!b.traits?.audioDefault) - Number(!!a.traits?.audioDefault));
	return ordered.map((first) => {
		const property: INodeProperties = {
			displayName: 'Enable Audio',
			name: 'enableAudio',
			type: 'boolean',
			default: false,
			description: first.traits?.audioNeedsPro
				? 'Whether to add audio. This model makes audio in Pro mode only.'
				: 'Whether to add audio (sound effects) to the video',
			displayOptions: forModels(
				(m) => m.traits?.audio === 'toggle' && !!m.traits.audioDefault === !!first.traits?.audioDefault && !!m.traits.audioNeedsPro === !!first.traits?.audioNeedsPro,
			),
		};
		// A boolean default stays a literal (n8n's linter reads only literals); the models whose audio is on by default get true.
		if (first.traits?.audioDefault) property.default = true;
		return property;
	});
}

export const useApiKlingProperties: INodeProperties[] = [
	operationProperty(operationsOf(useApiKlingProvider)),
	...imageSourceProperties({
		description: "An image for Kling to animate (its first frame): setting one makes the job image-to-video, through useapi.net's image2video-frames. Every model takes one.",
		binary: "An image in the input item's binary data (PNG or JPEG, up to 10 MB, at least 300 px), uploaded to useapi.net's Kling assets first, at no cost",
		url: 'A public image address (http or https) that Kling downloads',
	}),
	modelProperty(TABLE, 'The Kling model that renders the video. Durations, modes and audio follow it.'),
	promptProperty(MAX_PROMPT_LENGTH),
	{
		displayName: 'Negative Prompt',
		name: 'negativePrompt',
		type: 'string',
		default: '',
		placeholder: 'e.g. people, text, low quality',
		typeOptions: { rows: 2 },
		description: `What to keep out of the video (up to ${MAX_NEGATIVE_PROMPT_LENGTH} characters). Kling 1.x models only.`,
		displayOptions: forModels((m) => !!m.traits?.negativePrompt),
	},
	// image2video-frames has no aspect ratio: the video takes the frame's shape.
	...textOnly(TABLE.fields.flatMap((field) => fieldProperties(TABLE, field, JOB_OPERATIONS)), ['aspectRatio']),
	...endImageProperties(TABLE, 'A public image address (http or https) for the last frame'),
	{
		displayName: 'This model always renders in Pro mode',
		name: 'proModeNotice',
		type: 'notice',
		default: '',
		displayOptions: forModels((m) => !!m.traits?.proOnly),
	},
	...audioProperties(),
	{
		displayName: 'This model always includes audio',
		name: 'audioAlwaysNotice',
		type: 'notice',
		default: '',
		displayOptions: forModels((m) => m.traits?.audio === 'always'),
	},
	{
		displayName: 'CFG Scale',
		name: 'cfgScale',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.5,
		description: 'How closely the video follows the prompt, from 0 (free) to 1 (strict). Kling 1.x models only.',
		displayOptions: forModels((m) => !!m.traits?.cfgScale),
	},
	{
		displayName: 'Kling Account Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'e.g. name@example.com',
		description:
			'Which Kling account linked to your useapi.net token runs the job. Leave empty when only one account is linked. For Get, give the account the job ran on.',
	},
	{
		displayName: 'Max Jobs',
		name: 'maxJobs',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 50 },
		default: 0,
		description: "How many jobs the Kling account may run at once (1 to 50); 0 keeps the account's own setting",
		displayOptions: { show: { operation: JOB_OPERATIONS } },
	},
	{
		displayName: 'Reply URL',
		name: 'replyUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $execution.resumeUrl }}',
		description:
			"A URL that useapi.net calls (POST, the task as JSON) with progress and when the job ends. With Submit and a Wait node set to On Webhook Call, use {{ $execution.resumeUrl }} so the workflow sleeps until the video is ready.",
		displayOptions: { show: { operation: JOB_OPERATIONS } },
	},
	{
		displayName: 'Reply Reference',
		name: 'replyRef',
		type: 'string',
		default: '',
		description: 'Any text of yours, passed back in the Reply URL calls (for example an order number)',
		displayOptions: { show: { operation: JOB_OPERATIONS } },
	},
	jobIdProperty,
	optionsProperty(
		optionsSpecOf(useApiKlingProvider, [
			{
				displayName: 'Without Watermark',
				name: 'noWatermark',
				type: 'boolean',
				default: false,
				description:
					"Whether to fetch Kling's clean master file, without the watermark, through useapi.net's asset download (one more request once the job is done) instead of the watermarked preview",
			},
			waitModeOption,
		]),
	),
];
