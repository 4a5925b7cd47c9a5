import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';
import { applyModelDefaults, modelSpec, tableSchema, type RawInput } from '../shared/capabilities/table';
import { modelIdSchema, readModelId } from '../shared/fields/customModel';
import { providerMessage } from '../shared/transport/errorBody';
import { jobFailure } from '../shared/failures/classify';
import { jsonObjectSchema, paramReader, parseOrThrow } from '../shared/validation/input';
import type { Transport } from '../shared/transport/transport';
import type { JobFailure, JobInput, JobSnapshot, JobStatus, AsyncVideoProvider } from '../shared/engine/providerContract';
// The table of every described model, text and image (./image.ts: image-to-video).
import { AIML_ALL_CAPABILITIES as TABLE, API_FIELD, MAX_PROMPT_LENGTH, MAX_SEED, MODEL_ID_EXAMPLE, NOT_SENT } from './capabilities';
import { readImages, type ImageInputs } from '../shared/image/imageInput';
import { aimlApiBalance, aimlApiPrice } from './prices';
import { imageFields, imageModelFallback, imageRules, refuseImageFieldsTwice } from './image';
import { AIML_API_BASE_URL } from './baseUrl';

/** AI/ML API's HTTP mapping (docs/providers/aiml-api.md, "The API as this node uses it"): the universal video generation endpoint. */

export const GENERATIONS_PATH = '/v2/video/generations';

export interface AimlApiInput extends JobInput, ImageInputs {
	prompt: string;
	aspectRatio?: string;
	resolution?: string;
	duration?: number;
	style?: string;
	negativePrompt?: string;
	seed?: number;
	additionalFields: Record<string, unknown>;
}

const typedModelSchema = modelIdSchema(MODEL_ID_EXAMPLE);

const FIXED_FIELDS: Readonly<Record<string, string>> = { model: 'Model', prompt: 'Prompt' };
const displayNameOf = (param: string) =>
	TABLE.fields.find((f) => f.property.name === param)?.property.displayName ?? { negativePrompt: 'Negative Prompt', seed: 'Seed' }[param] ?? param;

export const inputSchema = tableSchema(TABLE, MAX_PROMPT_LENGTH, {
	negativePrompt: z.string().optional(),
	seed: z
		.number({ invalid_type_error: 'Seed must be a whole number' })
		.int('Seed must be a whole number')
		.min(0, `Seed must be 0 to ${MAX_SEED}`)
		.max(MAX_SEED, `Seed must be 0 to ${MAX_SEED}`)
		.optional(),
	additionalFields: jsonObjectSchema('Additional Fields'),
}).superRefine((parsed, ctx) => {
	const input = parsed as typeof parsed & Partial<AimlApiInput>;
	const spec = modelSpec(TABLE, input.model);
	if (!spec) return; // the table's own check has named the model
	const traits = spec.traits ?? {};
	const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
	const longest = traits.longestAt1080p;
	if (typeof longest === 'number' && input.resolution === '1080p' && (input.duration ?? 0) > longest)
		issue('duration', `${input.duration} s is not available at 1080p on ${spec.name}: choose ${longest} s, or 720p or lower for ${input.duration} s`);
	const maxPrompt = traits.maxPromptLength;
	if (typeof maxPrompt === 'number' && input.prompt.length > maxPrompt) issue('prompt', `Prompt is longer than the ${maxPrompt} characters ${spec.name} takes`);
	if (input.negativePrompt !== undefined && !traits.negativePrompt) issue('negativePrompt', `${spec.name} does not take a negative prompt`);
	if (input.seed !== undefined && !traits.seed) issue('seed', `${spec.name} does not take a seed`);
	const extra = Object.keys(input.additionalFields);
	if (extra.length && !traits.additionalFields) issue('additionalFields', `${spec.name} takes no additional fields`);
	for (const key of extra) {
		if (FIXED_FIELDS[key]) issue('additionalFields', `"${key}" comes from the ${FIXED_FIELDS[key]} field: remove it from Additional Fields`);
		const param = Object.keys(API_FIELD).find((name) => API_FIELD[name] === key && name !== 'prompt');
		if (param && input[param as keyof AimlApiInput] !== undefined)
			issue('additionalFields', `"${key}" is set twice, by ${displayNameOf(param)} and in Additional Fields: set ${displayNameOf(param)} to Model's Default or remove "${key}"`);
	}
});

/** Fills the model's defaults, then drops what is not to be sent (a field left to the model, no style, seed 0). */
export function normalizeInput(raw: RawInput): RawInput {
	const filled: RawInput = applyModelDefaults(TABLE, raw);
	for (const { property } of TABLE.fields) if (filled[property.name] === NOT_SENT || filled[property.name] === null) delete filled[property.name];
	if (typeof filled.negativePrompt !== 'string' || !filled.negativePrompt.trim()) delete filled.negativePrompt;
	else filled.negativePrompt = filled.negativePrompt.trim();
	if (filled.seed === 0 || filled.seed === '' || filled.seed === null || filled.seed === undefined) delete filled.seed;
	return filled;
}

/** The request body: the model, the common fields in the API's names, then the additional fields. */
export function requestBody(input: AimlApiInput): IDataObject {
	const body: IDataObject = { model: input.model };
	for (const [param, field] of Object.entries(API_FIELD)) {
		const value = input[param as keyof AimlApiInput];
		if (value !== undefined) body[field] = value as IDataObject[string];
	}
	return { ...body, ...(input.additionalFields as IDataObject) };
}

export interface Generation {
	id?: string;
	status?: string;
	video?: { url?: string; content_type?: string; file_name?: string; file_size?: number } | null;
	error?: unknown;
	meta?: { usage?: { credits_used?: number; tokens_used?: number } | null } | null;
}

const SUCCESS = ['completed', 'succeeded'];
const FAILURE = ['error', 'failed'];

/** A generation as a job snapshot: queued; generating, waiting or any other word pending; completed/succeeded; error/failed. */
export function snapshotOf(generation: Generation, jobId: string): JobSnapshot {
	const word = String(generation?.status ?? '').toLowerCase();
	const video = generation?.video?.url ? generation.video : undefined;
	const status: JobStatus = word === 'queued' ? 'queued' : SUCCESS.includes(word) ? 'completed' : FAILURE.includes(word) ? 'failed' : 'processing';
	const failure = status === 'failed' ? failureOf(generation.error) : undefined;
	const usage = generation?.meta?.usage;
	const details: IDataObject = {};
	if (video?.file_name) details.fileName = video.file_name;
	if (typeof video?.file_size === 'number') details.fileSize = video.file_size;
	if (usage?.credits_used === undefined && typeof usage?.tokens_used === 'number') details.tokensUsed = usage.tokens_used;
	return {
		jobId,
		status,
		videos: video?.url ? [{ url: video.url, mimeType: video.content_type, fileName: video.file_name, sizeBytes: video.file_size }] : [],
		credits: typeof usage?.credits_used === 'number' ? usage.credits_used : undefined,
		failure,
		details,
	};
}

/** Why a generation failed, readable whether `error` is `{name, message}` or `{detail: [{loc, msg}]}`. */
export function failureOf(error: unknown): JobFailure {
	const record = error && typeof error === 'object' ? (error as Record<string, unknown>) : undefined;
	const name = typeof record?.name === 'string' && record.name !== 'Error' ? record.name : undefined;
	const detail = Array.isArray(record?.detail)
		? (record.detail as Array<Record<string, unknown>>)
				.map((entry) => {
					const where = Array.isArray(entry?.loc) ? entry.loc.filter((part) => part !== 'body').join('.') : '';
					const what = providerMessage(entry) ?? '';
					return where ? `${where}: ${what}` : what;
				})
				.join('; ')
		: undefined;
	const said = detail || providerMessage(error);
	const message = [name, said].filter(Boolean).join(': ') || 'AI/ML API gave no reason';
	return jobFailure(message, name);
}

/** AI/ML API asks clients to poll every 10 to 15 s; a PixVerse clip takes 30 to 75 s. */
export const DEFAULT_POLL_INTERVAL = 10;

export const aimlApiProvider: AsyncVideoProvider<AimlApiInput> = {
	baseUrl: (url) => aimlApiBaseUrl(url),
	name: 'aimlApi',
	displayName: 'AI/ML API',
	credentialType: 'aimlApiApi',
	// `<uuid>:<model>` ids hold the model's path (`pixverse/v5/text-to-video`); they go in `generation_id=`.
	jobIdMayContainSlash: true,
	defaultPollInterval: DEFAULT_POLL_INTERVAL,
	// Prices from the live model catalogue, a charge in meta.usage.credits_used, a free balance endpoint (./prices.ts).
	cost: {
		unit: 'credits',
		reportedField: 'meta.usage.credits_used',
		estimate: (input, { api }) => aimlApiPrice(api, input),
		balance: aimlApiBalance,
	},

	readInput(ctx: IExecuteFunctions, itemIndex: number): AimlApiInput {
		const param = paramReader(ctx, itemIndex);
		const model = readModelId(ctx, itemIndex, imageModelFallback(param('imageSource', 'none')) ?? TABLE.defaultModel, typedModelSchema);
		const raw = normalizeInput({
			model,
			prompt: param('prompt', ''),
			aspectRatio: param('aspectRatio'),
			resolution: param('resolution'),
			duration: param('duration'),
			style: param('style'),
			negativePrompt: param('negativePrompt'),
			seed: param('seed'),
			additionalFields: param('additionalFields'),
		});
		const input = parseOrThrow(ctx, itemIndex, inputSchema, raw) as AimlApiInput;
		const images = readImages(ctx, itemIndex, modelSpec(TABLE, input.model), imageRules);
		if (images.image) refuseImageFieldsTwice(ctx, itemIndex, input.additionalFields);
		return { ...input, ...images };
	},

	async start(api: Transport, input: AimlApiInput): Promise<JobSnapshot> {
		// The current spec answers 200, an older one 201: any 2xx is a created generation.
		// Image-to-video: `image_url` (and the model's end-frame field), a binary image as a data URI.
		const body = { ...requestBody(input), ...(await imageFields(input.model, input)) };
		const { body: created, statusCode } = await api.request<Generation>({ method: 'POST', path: GENERATIONS_PATH, body, phase: 'submit' });
		if (!created?.id) throw new Error(`AI/ML API accepted the request (HTTP ${statusCode}) but returned no generation ID; look for the video in your AI/ML API dashboard`);
		return snapshotOf(created, created.id);
	},

	async status(api: Transport, jobId: string): Promise<JobSnapshot> {
		const { body } = await api.request<Generation>({ method: 'GET', path: GENERATIONS_PATH, qs: { generation_id: jobId }, phase: 'poll' });
		return snapshotOf(body, jobId);
	},

	explainError(error) {
		const code = error.statusCode;
		if (code === 403)
			return { kind: 'credits', message: 'Your AI/ML API account is out of credits (HTTP 403)', hint: 'Top up at https://aimlapi.com/app/billing/, then run again.' };
		if (code === 404 && error.phase === 'poll')
			return { message: 'AI/ML API has no video generation with this ID (HTTP 404)', hint: 'Check the Job ID: it is the ID that the Submit operation returned.' };
		if ((code === 400 || code === 404 || code === 422) && error.phase === 'submit')
			return { message: `AI/ML API refused the request (HTTP ${code})`, hint: "Check the model ID and its fields on the model's page in the AI/ML API docs." };
		return undefined;
	},
};

/** The credential's base URL as the API root: a trailing slash or a copied `/v1` or `/v2` is dropped. */
export const aimlApiBaseUrl = (url: string) => AIML_API_BASE_URL.normalize(url);
