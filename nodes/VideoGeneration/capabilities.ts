/**
 * What an OpenAI-style video gateway takes (seed 004, provider-contracts.md sections 5 and 6). The
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
		name: 'Task API (/v1/video/generations)',
		description: 'POST /v1/video/generations, then GET /v1/video/generations/{id}: new-api, One API and most multi-vendor gateways',
		submitPath: '/v1/video/generations',
	},
	{
		value: 'videos',
		name: 'Videos API (/v1/videos, OpenAI Style)',
		description: 'POST /v1/videos, GET /v1/videos/{id}, the video from /v1/videos/{id}/content: the OpenAI Videos API shape',
		submitPath: '/v1/videos',
	},
];

export const DEFAULT_API_STYLE: ApiStyle = 'videoGenerations';

export const styleSpec = (style: ApiStyle): ApiStyleSpec => API_STYLES.find((s) => s.value === style) ?? API_STYLES[0];

/** An optional request field. Left empty, it is not sent and the gateway's default applies. */
export interface GatewayField {
	name: string;
	displayName: string;
	description: string;
	type: 'integer' | 'string' | 'json';
	min?: number;
	max?: number;
	/** The value offered when the field is added in the editor. */
	default: number | string;
	/** 0 is the editor's "not set" (a number field always holds a number): not sent. */
	zeroMeansUnset?: boolean;
	placeholder?: string;
	/** The API styles that take the field (all when absent). */
	styles?: readonly ApiStyle[];
}

export const DURATION_FIELD: GatewayField = {
	name: 'duration',
	displayName: 'Duration (Seconds)',
	description: "Length of the video in whole seconds. 0: not sent, the model's default applies. Which lengths a model takes is up to the gateway.",
	type: 'integer',
	min: 0,
	max: 600,
	default: 0,
	zeroMeansUnset: true,
};

/** The fields under "Additional Fields", in the order the seed lists them. */
export const ADDITIONAL_FIELDS: readonly GatewayField[] = [
	{ name: 'width', displayName: 'Width', description: 'Video width in pixels (the Videos API sends width and height as size, e.g. 1280x720)', type: 'integer', min: 64, max: 8192, default: 1280 },
	{ name: 'height', displayName: 'Height', description: 'Video height in pixels', type: 'integer', min: 64, max: 8192, default: 720 },
	{ name: 'fps', displayName: 'Frame Rate (FPS)', description: 'Frames per second', type: 'integer', min: 1, max: 120, default: 24 },
	{ name: 'seed', displayName: 'Seed', description: 'Random seed: the same seed and settings tend to give similar videos', type: 'integer', min: 0, max: 4294967295, default: 0 },
	{
		name: 'n',
		displayName: 'Number of Videos',
		description: 'How many videos the job makes; each becomes its own output item. Gateways recommend 1.',
		type: 'integer',
		min: 1,
		max: 10,
		default: 1,
		styles: ['videoGenerations'],
	},
	{ name: 'user', displayName: 'User', description: 'Your end user\'s ID, for the gateway\'s auditing and abuse monitoring', type: 'string', default: '', placeholder: 'e.g. user-1234' },
	{
		name: 'metadata',
		displayName: 'Metadata (JSON)',
		description: 'Model-specific fields as a JSON object, e.g. negative_prompt, style, quality_level. What a model reads is up to the gateway.',
		type: 'json',
		default: '{\n  "negative_prompt": ""\n}',
	},
];

export const GATEWAY_FIELDS: readonly GatewayField[] = [DURATION_FIELD, ...ADDITIONAL_FIELDS];

/** Gateways document no limit; this one only stops a runaway expression. */
export const MAX_PROMPT_LENGTH = 32_000;

/** Image-to-video: where the image comes from. */
export type ImageSource = 'none' | 'binary' | 'url';
