import type { INodeProperties } from 'n8n-workflow';
import { capabilityTable, type CapabilityTable } from '../shared/capabilities/table';

/**
 * What an OpenAI-style video gateway takes (new-api's documented request body,
 * https://docs.newapi.pro/en/docs/api/ai-model/videos/createvideogeneration, and OpenAI's Videos API;
 * docs/providers/video-generation-api.md, "The API as this node uses it"). The
 * model is free text, so the table is of API styles and of the optional fields each one carries:
 * it drives the node's properties (description.ts), their validation and the request body
 * (provider.ts).
 */

export type ApiStyle = 'videoGenerations' | 'videos';

export interface ApiStyleSpec {
	value: ApiStyle;
	name: string;
	description: string;
	/** Where a job is created; its status is at `${submitPath}/{id}`. */
	submitPath: string;
}

export const API_STYLES: readonly ApiStyleSpec[] = [
	{
		value: 'videoGenerations',
		name: 'Task API (Video Generations)',
		description: 'POST /v1/video/generations, then GET /v1/video/generations/{task_id}: new-api, One API and most multi-vendor gateways',
		submitPath: '/v1/video/generations',
	},
	{
		value: 'videos',
		name: 'Videos API (OpenAI Style)',
		description: 'POST /v1/videos, GET /v1/videos/{video_id}, the video from /v1/videos/{video_id}/content: the OpenAI Videos API shape',
		submitPath: '/v1/videos',
	},
];

export const DEFAULT_API_STYLE: ApiStyle = 'videoGenerations';

export const styleSpec = (style: ApiStyle): ApiStyleSpec => API_STYLES.find((s) => s.value === style) ?? API_STYLES[0];

/** An optional request field. Left empty, it is not sent and the gateway's default applies. */
export interface GatewayField {
	/** The field's editor parameter, as the node shows it; its default is the value offered when the field is added. */
	property: INodeProperties;
	/** How a set value is checked: a whole number within the property's minValue..maxValue, text, or a JSON object. */
	kind: 'integer' | 'string' | 'json';
	/** 0 is the editor's "not set" (a number field always holds a number): not sent. */
	zeroMeansUnset?: boolean;
	/** The API styles that take the field (all when absent). */
	styles?: readonly ApiStyle[];
}

export const DURATION_FIELD: GatewayField = {
	property: {
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 600, numberPrecision: 0 },
		default: 0,
		description: "Length of the video in whole seconds. 0: not sent, the model's default applies. Which lengths a model takes is up to the gateway.",
	},
	kind: 'integer',
	zeroMeansUnset: true,
};

/** The fields under "Additional Fields", in the order new-api's documented request body lists them. */
export const ADDITIONAL_FIELDS: readonly GatewayField[] = [
	{
		property: {
			displayName: 'Width',
			name: 'width',
			type: 'number',
			typeOptions: { minValue: 64, maxValue: 8192, numberPrecision: 0 },
			default: 1280,
			description: 'Video width in pixels (the Videos API sends width and height as size, e.g. 1280x720)',
		},
		kind: 'integer',
	},
	{
		property: {
			displayName: 'Height',
			name: 'height',
			type: 'number',
			typeOptions: { minValue: 64, maxValue: 8192, numberPrecision: 0 },
			default: 720,
			description: 'Video height in pixels',
		},
		kind: 'integer',
	},
	{
		property: {
			displayName: 'Frame Rate (FPS)',
			name: 'fps',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 120, numberPrecision: 0 },
			default: 24,
			description: 'Frames per second',
		},
		kind: 'integer',
	},
	{
		property: {
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 4294967295, numberPrecision: 0 },
			default: 0,
			description: 'Random seed: the same seed and settings tend to give similar videos',
		},
		kind: 'integer',
	},
	{
		property: {
			displayName: 'Number of Videos',
			name: 'n',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10, numberPrecision: 0 },
			default: 1,
			description: 'How many videos the job makes; each becomes its own output item. Gateways recommend 1.',
		},
		kind: 'integer',
		styles: ['videoGenerations'],
	},
	{
		property: {
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			placeholder: 'e.g. user-1234',
			description: "Your end user's ID, for the gateway's auditing and abuse monitoring",
		},
		kind: 'string',
	},
	{
		property: {
			displayName: 'Metadata (JSON)',
			name: 'metadata',
			type: 'json',
			default: '{\n  "negative_prompt": ""\n}',
			description: 'Model-specific fields as a JSON object, e.g. negative_prompt, style, quality_level. What a model reads is up to the gateway.',
		},
		kind: 'json',
	},
];

export const GATEWAY_FIELDS: readonly GatewayField[] = [DURATION_FIELD, ...ADDITIONAL_FIELDS];

/** Gateways document no limit; this one only stops a runaway expression. */
export const MAX_PROMPT_LENGTH = 32_000;

/**
 * The gateway's models as the shared capability table has them (nodes/shared/capabilities/table.ts):
 * none known in advance (the model is free text), so every model ID follows one rule. A gateway takes
 * an optional start image, by URL or inline as base64 (so from a binary field too), and no end frame;
 * its model-dependent values are the gateway's to check, so the table has no fields.
 */
export const VIDEO_GENERATION_CAPABILITIES: CapabilityTable = capabilityTable({
	models: [],
	defaultModel: '',
	fields: [],
	customModel: { fields: {}, image: { start: 'optional', binary: true } },
});
