import type { INodeProperties } from 'n8n-workflow';
import { JOB_OPERATIONS, jobIdProperty, operationProperty, operationsOf, promptProperty } from '../shared/fields/common';
import { imageSourceProperties } from '../shared/image/imageInput';
import { optionsProperty, optionsSpecOf } from '../shared/fields/options';
import { ADDITIONAL_FIELDS, API_STYLES, DEFAULT_API_STYLE, DURATION_FIELD, MAX_PROMPT_LENGTH, type GatewayField } from './capabilities';
import { gatewayProvider } from './provider';
import { userPriceOptions } from './prices';


const forJobs = { show: { operation: JOB_OPERATIONS } };

/** A field of the table as an n8n property; `styles` limits it to the API styles that take it. */
function fieldProperty(field: GatewayField): INodeProperties {
	return field.styles ? { ...field.property, displayOptions: { show: { '/apiStyle': [...field.styles] } } } : field.property;
}

export const videoGenerationProperties: INodeProperties[] = [
	// Both API styles are asynchronous gateways: the operations and options are those of either.
	operationProperty(operationsOf(gatewayProvider(DEFAULT_API_STYLE))),
	{
		displayName: 'API Style',
		name: 'apiStyle',
		type: 'options',
		noDataExpression: true,
		options: API_STYLES.map(({ name, value, description }) => ({ name, value, description })),
		default: DEFAULT_API_STYLE,
		description: 'Which of the two video APIs your gateway serves. Get must use the style the job was submitted with.',
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: "The gateway's model ID, exactly as the gateway spells it. The list comes from the gateway's /v1/models; where it serves none, choose ID and type it.",
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model...',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. kling-v2-5-turbo',
			},
		],
		displayOptions: forJobs,
	},
	promptProperty(MAX_PROMPT_LENGTH),
	{ ...fieldProperty(DURATION_FIELD), displayOptions: forJobs },
	// The same Image fields as the provider nodes; this gateway takes the image inline or by URL.
	...imageSourceProperties({
		description: 'An image for the model to animate: setting one makes the job image-to-video',
		binary: "An image in the input item's binary data, sent as a base64 data URI",
		url: 'Public URL (or base64 data URI) of the image; the gateway downloads it itself',
	}),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Fields sent only when added here; the gateway decides what each model makes of them',
		options: ADDITIONAL_FIELDS.map(fieldProperty),
		displayOptions: forJobs,
	},
	jobIdProperty,
	optionsProperty(optionsSpecOf(gatewayProvider(DEFAULT_API_STYLE), userPriceOptions)),
];
