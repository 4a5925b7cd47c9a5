import type { ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';
import type { CapabilityTable } from '../shared/capabilities/table';
import { version2Properties, type Version2Spec } from '../shared/fields/version2';
import { AIML_CAPABILITIES, AIML_IMAGE_CAPABILITIES, MAX_SEED, MODEL_ID_EXAMPLE } from './capabilities';
import { aimlApiProperties } from './description';

/** Version 2 of the AI/ML API node (docs/node-version-2.md): Style, Negative Prompt, Seed and the request's extra fields under Options. */
export const AIML_API_V2: Version2Spec = {
	intoOptions: {
		style: {},
		negativePrompt: {},
		seed: {
			default: 1,
			typeOptions: { minValue: 1, maxValue: MAX_SEED, numberPrecision: 0 },
			description: 'The same seed with the same settings gives a similar video. Not set: a random seed.',
		},
		additionalFields: {
			displayName: 'Extra Request Fields (JSON)',
			description: 'Other fields of the model\'s request, as a JSON object in the AI/ML API\'s own names, e.g. {"duration": "10"}. Fields set elsewhere in this node cannot be repeated here.',
		},
	},
	modelLocator: {
		tables: [AIML_CAPABILITIES, AIML_IMAGE_CAPABILITIES],
		example: MODEL_ID_EXAMPLE,
		description: 'The model that renders the video; the list follows the image input (image-to-video models are models of their own). By ID: any other AI/ML API video model.',
	},
};

export const aimlApiPropertiesV2: INodeProperties[] = version2Properties(aimlApiProperties, AIML_API_V2);

/** The From List of the model picker: text-to-video models, or the image models the chosen image input can reach. */
export function aimlModelTables(ctx: ILoadOptionsFunctions): CapabilityTable[] {
	let source = 'none';
	try {
		source = String(ctx.getCurrentNodeParameter('imageSource') ?? 'none');
	} catch {
		source = 'none';
	}
	if (source === 'binary') return [{ ...AIML_IMAGE_CAPABILITIES, models: AIML_IMAGE_CAPABILITIES.models.filter((m) => m.image?.binary) }];
	return source === 'url' ? [AIML_IMAGE_CAPABILITIES] : [AIML_CAPABILITIES];
}
