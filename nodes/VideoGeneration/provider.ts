import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeListSearchResult,
} from 'n8n-workflow';
import { z } from 'zod';
import { modelSpec, promptSchema } from '../shared/capabilities/table';
import { readImages, type ImageRef, type ImageRules } from '../shared/image/imageInput';
import { jsonWithBase64Field } from '../shared/transport/base64Json';
import { failureKind, jobFailure } from '../shared/failures/classify';
import { jsonObjectSchema, paramReader, parseOrThrow } from '../shared/validation/input';
import { Transport } from '../shared/transport/transport';
import type { ApiErrorInfo, ExplainedError, JobFailure, JobInput, JobSnapshot, JobStatus, AsyncVideoProvider, VideoProvider, VideoRef } from '../shared/engine/providerContract';
import {
	API_STYLES,
	GATEWAY_FIELDS,
	MAX_PROMPT_LENGTH,
	styleSpec,
	VIDEO_GENERATION_CAPABILITIES as TABLE,
	type ApiStyle,
	type GatewayField,
} from './capabilities';
import { GATEWAY_BASE_URL } from './baseUrl';
import { userPrice } from './prices';

/**
 * The HTTP mapping of OpenAI-style video gateways (docs/providers/video-generation-api.md, "The API as
 * this node uses it"; QuantumNous/new-api and openai/openai-node on GitHub): the task
 * API in both response shapes found in the wild, and the OpenAI Videos API. One provider per style.
 */

export const CREDENTIAL_TYPE = 'videoGenerationApi';
const DISPLAY_NAME = 'Video Generation API';
/** Two seconds between checks at first: a 60 s job then costs about 15 status requests. */
export const DEFAULT_POLL_INTERVAL = 2;

export interface GatewayInput extends JobInput {
	prompt: string;
	duration?: number;
	width?: number;
	height?: number;
	fps?: number;
	seed?: number;
	n?: number;
	user?: string;
	metadata?: IDataObject;
	image?: ImageRef;
}

// ---- validation -------------------------------------------------------------------------------

const blankToUndefined = (value: unknown) => (value === undefined || value === null || (typeof value === 'string' && !value.trim()) ? undefined : value);
/** Numbers typed as text (expressions) count as numbers. */
const toNumber = (value: unknown) => {
	const blank = blankToUndefined(value);
	return typeof blank === 'string' && Number.isFinite(Number(blank)) ? Number(blank) : blank;
};

/** A table field's schema: unset (empty) passes as undefined; a set value must fit the field. */
function fieldSchema(field: GatewayField): z.ZodTypeAny {
	const { displayName, typeOptions } = field.property;
	if (field.kind === 'json')
		return jsonObjectSchema(displayName).transform((object) => (Object.keys(object).length ? (object as IDataObject) : undefined));
	if (field.kind === 'string')
		return z.preprocess(blankToUndefined, z.string({ invalid_type_error: `${displayName} must be text` }).trim().optional());
	const min = typeOptions?.minValue ?? 0;
	const max = typeOptions?.maxValue ?? Number.MAX_SAFE_INTEGER;
	const rule = `${displayName} must be a whole number from ${min} to ${max}`;
	const number = z.number({ invalid_type_error: rule }).int(rule).min(min, rule).max(max, rule);
	return z.preprocess(toNumber, number.optional()).transform((value) => (value === 0 && field.zeroMeansUnset ? undefined : value));
}

const isImageAddress = (value: string) => /^https?:\/\/\S+$/i.test(value) || /^data:image\/[\w.+-]+;base64,\S+$/i.test(value);

/** The shared image input's rules for a gateway: any image type (the gateway passes it on), a URL or a data URI. */
export const imageRules: ImageRules = {
	table: TABLE,
	checkUrl: (url) => (isImageAddress(url) ? undefined : `"${url}" is not an image URL: give an http(s) URL or a data:image/...;base64 URI`),
};

const inputSchema = z
	.object({
		style: z.enum(['videoGenerations', 'videos']),
		model: z.string({ invalid_type_error: 'Model must be text' }).trim().min(1, "Model is empty: pick one from the list, or choose ID and type the gateway's model ID"),
		prompt: promptSchema(MAX_PROMPT_LENGTH),
		...Object.fromEntries(GATEWAY_FIELDS.map((field) => [field.property.name, fieldSchema(field)])),
	})
	.superRefine((input, ctx) => {
		const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
		const values = input as Record<string, unknown>;
		const styleName = styleSpec(input.style).name;
		for (const { property, styles } of GATEWAY_FIELDS)
			if (styles && !styles.includes(input.style) && values[property.name] !== undefined)
				issue(property.name, `${property.displayName} is not part of the ${styleName}: remove it, or use ${styles.map((s) => styleSpec(s).name).join(' or ')}`);
		if (input.style === 'videos' && (values.width === undefined) !== (values.height === undefined))
			issue(values.width === undefined ? 'width' : 'height', 'The Videos API sends Width and Height together as size (e.g. 1280x720): set both, or neither');
	});

function modelParameter(ctx: IExecuteFunctions, itemIndex: number): unknown {
	// A resource locator ({ mode, value }) or, in a workflow written by hand, a plain model ID.
	const value = ctx.getNodeParameter('model', itemIndex, '', { extractValue: true });
	return typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value;
}

// ---- reading answers ----------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;

/** Every status word seen: documented (queued, in_progress, completed, failed), new-api's capitals, Gemini's. */
const STATUS: Readonly<Record<string, JobStatus>> = {
	not_start: 'queued',
	submitted: 'queued',
	queued: 'queued',
	pending: 'queued',
	unknown: 'queued',
	in_progress: 'processing',
	processing: 'processing',
	running: 'processing',
	success: 'completed',
	succeeded: 'completed',
	completed: 'completed',
	failure: 'failed',
	failed: 'failed',
	error: 'failed',
	cancelled: 'canceled',
	canceled: 'canceled',
};
const statusOf = (word: unknown): JobStatus => STATUS[String(word ?? '').toLowerCase()] ?? 'processing';

/** 42 or "42%". */
function progressOf(value: unknown): number | undefined {
	const number = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
	return Number.isFinite(number) ? Math.max(0, Math.min(100, number)) : undefined;
}

function failureOf(message: string | undefined, code: string | undefined): JobFailure {
	const said = message ?? 'the gateway gave no reason';
	return jobFailure(code && !said.includes(code) ? `${said} (${code})` : said, code);
}

const errorText = (error: unknown) => (isRecord(error) ? text(error.message) : text(error));
const errorCodeOf = (error: unknown) => (isRecord(error) && typeof error.code === 'string' ? text(error.code) : undefined);

/** What the answer readers need of the transport: the gateway root (relative URLs) and the node (errors). */
export type AnswerContext = Pick<Transport, 'baseUrl' | 'node'>;

/** The job inside a task answer: new-api's envelope {code, message, data}, else the documented flat shape. */
function unwrapTask(body: unknown, api: AnswerContext): Json {
	const record = isRecord(body) ? body : {};
	if (typeof record.code !== 'string' || !('data' in record)) return record;
	if (isRecord(record.data)) return record.data;
	// Older relays answer a submit with the task id as `data`.
	if (typeof record.data === 'string') return { task_id: record.data, status: 'submitted' };
	if (record.code !== 'success')
		throw new NodeOperationError(api.node, `The gateway answered "${record.code}"${text(record.message) ? `: ${text(record.message)}` : ''}`);
	return {};
}

/** The video URLs of a finished task, in order, whichever fields the gateway fills. */
function taskVideos(task: Json, baseUrl: string): VideoRef[] {
	const metadata = isRecord(task.metadata) ? task.metadata : {};
	const lists = [task.urls, task.result_urls].flatMap((list) => (Array.isArray(list) ? list : []));
	const candidates = [task.url, task.result_url, task.video_url, ...lists, metadata.url].map(text).filter((url): url is string => !!url);
	return [...new Set(candidates.map((url) => new URL(url, baseUrl).toString()))].map((url) => ({ url }));
}

export function taskSnapshot(body: unknown, api: AnswerContext, knownId?: string): JobSnapshot {
	const task = unwrapTask(body, api);
	const jobId = text(task.task_id) ?? text(task.id) ?? knownId ?? '';
	const status = statusOf(task.status);
	const videos = status === 'completed' ? taskVideos(task, api.baseUrl) : [];
	const failure = status === 'failed' || status === 'canceled' ? failureOf(text(task.fail_reason) ?? errorText(task.error), errorCodeOf(task.error)) : undefined;
	const metadata = isRecord(task.metadata) ? task.metadata : {};
	const details: IDataObject = {};
	const numbers: Array<[string, unknown]> = [
		['durationSeconds', metadata.duration],
		['width', metadata.width],
		['height', metadata.height],
		['fps', metadata.fps],
		['seed', metadata.seed],
		['quota', task.quota],
	];
	for (const [name, value] of numbers) if (typeof value === 'number') details[name] = value;
	if (text(task.format)) details.format = text(task.format);
	return { jobId, status, progress: progressOf(task.progress), videos, failure, details };
}

/** OpenAI's video object; the bytes come from the gateway's /content route, with the credential. */
export function videoSnapshot(body: unknown, api: AnswerContext, knownId?: string): JobSnapshot {
	const video = isRecord(body) ? body : {};
	const jobId = text(video.id) ?? text(video.task_id) ?? knownId ?? '';
	const status = statusOf(video.status);
	const details: IDataObject = {};
	if (typeof video.expires_at === 'number') details.expiresAt = new Date(video.expires_at * 1000).toISOString();
	if (text(video.seconds) && Number.isFinite(Number(video.seconds))) details.durationSeconds = Number(video.seconds);
	if (text(video.size)) details.size = text(video.size);
	return {
		jobId,
		status,
		progress: progressOf(video.progress),
		videos: status === 'completed' ? [{ url: `${api.baseUrl}/v1/videos/${encodeURIComponent(jobId)}/content` }] : [],
		failure: status === 'failed' || status === 'canceled' ? failureOf(errorText(video.error), errorCodeOf(video.error)) : undefined,
		details,
	};
}

// ---- the request ----------------------------------------------------------------------------------

/** Where the image goes in the request body of each style. */
const imageField = (style: ApiStyle) => (style === 'videos' ? 'input_reference' : 'image');

/** Only what the user set, in the style's field names (the Videos API: seconds as text, size WxH). */
export function requestBody(style: ApiStyle, input: GatewayInput, image: string | undefined): IDataObject {
	const { model, prompt, duration, width, height, fps, seed, n, user, metadata } = input;
	const body: IDataObject =
		style === 'videos'
			? {
					model,
					prompt,
					seconds: duration === undefined ? undefined : String(duration),
					size: width === undefined ? undefined : `${width}x${height}`,
					input_reference: image,
				}
			: { model, prompt, image, duration, width, height, n };
	Object.assign(body, { fps, seed, user, metadata });
	return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

// ---- the providers ----------------------------------------------------------------------------------

function explainError(style: ApiStyle, error: ApiErrorInfo): Partial<ExplainedError> | undefined {
	const body = isRecord(error.body) ? error.body : {};
	const code = text(body.code) ?? errorCodeOf(body.error);
	const sameStyle = 'Check the Job ID, and that API Style is the one the job was submitted with.';
	// The one classifier reads the gateway's code (insufficient_user_quota) and, on a 403, its words.
	if (failureKind(code) === 'credits' || (error.statusCode === 403 && failureKind(error.providerMessage) === 'credits'))
		return {
			kind: 'credits',
			message: `Your account on this gateway is out of quota, that is out of credits (HTTP ${error.statusCode} insufficient_user_quota)`,
			hint: "Top up the balance in the gateway's dashboard, then run again.",
		};
	if (code === 'task_not_exist') return { kind: 'not-found', message: `The gateway has no job with this ID (HTTP ${error.statusCode} task_not_exist)`, hint: sameStyle };
	if (error.statusCode !== 404) return undefined;
	if (error.phase === 'poll') return { message: 'The gateway has no video with this ID (HTTP 404)', hint: sameStyle };
	if (error.phase === 'submit')
		return {
			message: `The gateway does not serve POST ${styleSpec(style).submitPath} (HTTP 404)`,
			hint: "Try the other API Style, and check that the credential's Base URL is the gateway's root (e.g. https://gateway.example.com).",
		};
	// The editor's model list shows only the title: it carries what to do.
	if (error.phase === 'once') return { message: "This gateway serves no model list (GET /v1/models answered HTTP 404). Under Model, choose ID and type the model's ID." };
	return undefined;
}

export function gatewayProvider(style: ApiStyle): AsyncVideoProvider<GatewayInput> {
	const { submitPath } = styleSpec(style);
	const read = style === 'videos' ? videoSnapshot : taskSnapshot;
	return {
		name: 'videoGeneration',
		displayName: DISPLAY_NAME,
		credentialType: CREDENTIAL_TYPE,
		defaultPollInterval: DEFAULT_POLL_INTERVAL,
		baseUrl: (url, node) => gatewayRoot(node, url),
		// A gateway's prices are its own: the user's price from the Options (./prices.ts); no reported charge, no balance.
		cost: { estimate: (input, from) => userPrice(input.duration, from) },

		readInput(ctx: IExecuteFunctions, itemIndex: number): GatewayInput {
			const param = paramReader(ctx, itemIndex);
			const raw = {
				...(ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
				style,
				model: modelParameter(ctx, itemIndex),
				prompt: param('prompt', ''),
				duration: param('duration'),
			};
			const parsed = parseOrThrow(ctx, itemIndex, inputSchema, raw) as z.infer<typeof inputSchema> & Omit<GatewayInput, 'image'>;
			// The shared image input: the same fields, checks and streamed bytes as the provider nodes.
			const { image } = readImages(ctx, itemIndex, modelSpec(TABLE, parsed.model), imageRules);
			const input: GatewayInput = { model: parsed.model, prompt: parsed.prompt, image };
			for (const { property } of GATEWAY_FIELDS) {
				const value = (parsed as Record<string, unknown>)[property.name];
				if (value !== undefined) (input as unknown as Record<string, unknown>)[property.name] = value;
			}
			return input;
		},

		async start(api: Transport, input: GatewayInput): Promise<JobSnapshot> {
			const { image } = input;
			const request = { method: 'POST' as const, path: submitPath, phase: 'submit' as const };
			// A binary image goes inline as a data URI, encoded while the body is sent (never read whole);
			// it is opened now, after every item was validated, and before the paid request.
			const { body: created } =
				image?.source === 'binary'
					? await api.request({ ...request, openBody: async () => await jsonWithBase64Field(api.node, requestBody(style, input, ''), imageField(style), { mimeType: image.mimeType, open: image.open! }) })
					: await api.request({ ...request, body: requestBody(style, input, image?.url) });
			const snapshot = read(created, api);
			if (!snapshot.jobId) throw new NodeOperationError(api.node, `The gateway accepted the request but returned no job ID (POST ${submitPath})`);
			return snapshot;
		},

		async status(api: Transport, jobId: string): Promise<JobSnapshot> {
			const { body } = await api.request({ method: 'GET', path: `${submitPath}/${encodeURIComponent(jobId)}`, phase: 'poll' });
			return read(body, api, jobId);
		},

		explainError: (error) => explainError(style, error),
	};
}

export const PROVIDERS = Object.fromEntries(API_STYLES.map(({ value }) => [value, gatewayProvider(value)])) as Record<ApiStyle, VideoProvider<GatewayInput>>;

export function providerFor(node: INode, style: unknown): VideoProvider<GatewayInput> {
	const provider = PROVIDERS[style as ApiStyle];
	if (!provider)
		throw new NodeOperationError(node, `Invalid parameter apiStyle: "${String(style)}". Allowed: ${API_STYLES.map((s) => s.value).join(', ')}`);
	return provider;
}

/** The gateway's root from the credential: trailing slashes and a trailing /v1 dropped (both mean the same root). */
export function gatewayRoot(node: INode, baseUrl: unknown): string {
	const root = GATEWAY_BASE_URL.normalize(String(baseUrl ?? ''));
	if (!URL.canParse(root) || !/^https?:$/.test(new URL(root).protocol))
		throw new NodeOperationError(node, `The credential's Base URL "${root}" is not an http(s) URL`, {
			description: "Give the gateway's root, e.g. https://gateway.example.com (with or without /v1).",
		});
	return root;
}

/** The gateway's models for the Model list (GET /v1/models), filtered by what the user typed. */
export async function searchModels(ctx: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const api = new Transport(ctx, PROVIDERS.videoGenerations, gatewayRoot(ctx.getNode(), credentials.baseUrl), undefined, String(credentials.apiKey ?? ''));
	const { body } = await api.request<{ data?: unknown }>({ method: 'GET', path: '/v1/models', phase: 'once' });
	const entries = isRecord(body) && Array.isArray(body.data) ? body.data : [];
	const ids = entries.map((entry) => (isRecord(entry) ? text(entry.id) : text(entry))).filter((id): id is string => !!id);
	const wanted = filter?.trim().toLowerCase();
	return {
		results: [...new Set(ids)]
			.filter((id) => !wanted || id.toLowerCase().includes(wanted))
			.sort()
			.map((id) => ({ name: id, value: id })),
	};
}
