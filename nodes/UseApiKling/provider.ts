import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';
import { applyModelDefaults, modelSpec, tableSchema } from '../shared/capabilities/table';
import { isModeration, jobFailure } from '../shared/failures/classify';
import { paramReader, parseOrThrow } from '../shared/validation/input';
import type { Transport } from '../shared/transport/transport';
import type { ApiErrorInfo, ExplainedError, JobFailure, JobInput, JobSnapshot, JobStatus, AsyncVideoProvider } from '../shared/engine/providerContract';
import { klingTraits, MAX_NEGATIVE_PROMPT_LENGTH, MAX_PROMPT_LENGTH, USEAPI_KLING_CAPABILITIES as TABLE } from './capabilities';
import type { ImageInputs } from '../shared/image/imageInput';
import { IMAGE_PATH, imageFields, readKlingImages } from './image';
import { USEAPI_BASE_URL } from './baseUrl';
import { useApiKlingBalance } from './prices';

/** Kling through useapi.net (docs/providers/kling-useapi.md, "The API as this node uses it"): tasks, works[], assets/download. */

export interface UseApiKlingContext {
	/** The linked Kling account; needed on every request when several are linked. */
	email?: string;
	/** Fetch the clean master through /assets/download once the task succeeded. */
	noWatermark: boolean;
}

export interface UseApiKlingInput extends JobInput, ImageInputs {
	prompt: string;
	negativePrompt?: string;
	cfgScale?: number;
	duration: number;
	aspectRatio: string;
	mode?: string;
	enableAudio?: boolean;
	maxJobs?: number;
	replyUrl?: string;
	replyRef?: string;
}

/** An empty text field means "not set". */
const optionalText = (schema: z.ZodString) =>
	z
		.string()
		.trim()
		.optional()
		.transform((value) => value || undefined)
		.pipe(schema.optional());

const contextSchema = z.object({
	email: optionalText(z.string().email('Kling Account Email is not an email address')),
	noWatermark: z.boolean({ invalid_type_error: 'Without Watermark must be true or false' }),
});

const schema = tableSchema(TABLE, MAX_PROMPT_LENGTH, {
	negativePrompt: optionalText(z.string().max(MAX_NEGATIVE_PROMPT_LENGTH, `Negative Prompt is longer than ${MAX_NEGATIVE_PROMPT_LENGTH} characters`)),
	cfgScale: z.number({ invalid_type_error: 'CFG Scale must be a number from 0 to 1' }).min(0, 'CFG Scale must be 0 to 1').max(1, 'CFG Scale must be 0 to 1').optional(),
	enableAudio: z.boolean({ invalid_type_error: 'Enable Audio must be true or false' }).optional(),
	maxJobs: z
		.number({ invalid_type_error: 'Max Jobs must be a whole number' })
		.int('Max Jobs must be a whole number')
		.min(0, "Max Jobs must be 1 to 50 (0 keeps the account's own setting)")
		.max(50, "Max Jobs must be 1 to 50 (0 keeps the account's own setting)")
		.optional()
		.transform((value) => (value ? value : undefined)),
	replyUrl: optionalText(z.string().url('Reply URL must be a full http(s) URL').regex(/^https?:\/\//i, 'Reply URL must be an http(s) URL')),
	replyRef: optionalText(z.string()),
}).superRefine((input, ctx) => {
	if (input.enableAudio && klingTraits(input.model).audioNeedsPro && (input as { mode?: string }).mode !== 'pro')
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['enableAudio'],
			message: `${modelSpec(TABLE, input.model)?.name ?? input.model} makes audio in Pro mode only. Set Mode to Pro, or switch Enable Audio off`,
		});
});

/** The task object of POST /videos/text2video, GET /tasks/{id} and the replyUrl calls. */
interface TaskResponse {
	status?: number;
	status_name?: string;
	status_final?: boolean;
	message?: string;
	error?: string;
	task?: { id?: number | string; status?: number; status_name?: string; status_final?: boolean; type?: string };
	works?: Array<{
		workId?: number | string;
		status_name?: string;
		resource?: { resource?: string; width?: number; height?: number; duration?: number };
		cover?: { resource?: string };
	}>;
}

/** Numeric codes where the words are missing: 5 submitted, 10 processing, 50 failed, 99 succeed. */
const CODE_NAMES: Record<number, string> = { 5: 'submitted', 10: 'processing', 50: 'failed', 99: 'succeed' };

/** Reads a task object, wherever useapi.net put its status (top level or under `task`). */
export function taskSnapshot(body: TaskResponse, knownJobId?: string): JobSnapshot {
	const task = body?.task ?? {};
	const code = body?.status ?? task.status;
	const name = body?.status_name ?? task.status_name ?? (code !== undefined ? CODE_NAMES[code] : undefined);
	const final = body?.status_final ?? task.status_final ?? (name === 'succeed' || name === 'failed');
	const jobId = task.id !== undefined && task.id !== null && task.id !== '' ? String(task.id) : (knownJobId ?? '');
	const work = body?.works?.find((w) => w?.resource?.resource) ?? body?.works?.[0];
	const url = work?.resource?.resource;
	const status: JobStatus = !final ? (name === 'submitted' ? 'queued' : 'processing') : name === 'succeed' ? 'completed' : 'failed';
	let failure: JobFailure | undefined;
	if (status === 'failed') {
		const reason = [body?.error, body?.message].filter((part) => typeof part === 'string' && part.trim()).join(' — ');
		failure = jobFailure(reason || `the task ended as "${name ?? code ?? 'unknown'}"`);
	}
	const resource = work?.resource;
	const details: IDataObject = {};
	if (name) details.taskStatus = name;
	if (status === 'completed') {
		if (work?.workId !== undefined) details.workId = String(work.workId);
		if (typeof resource?.duration === 'number') details.durationSeconds = Math.round(resource.duration) / 1000;
		if (resource?.width) Object.assign(details, { width: resource.width, height: resource.height });
		if (work?.cover?.resource) details.coverUrl = work.cover.resource;
		details.watermark = true;
	}
	return { jobId, status, videos: status === 'completed' && url ? [{ url, mimeType: 'video/mp4' }] : [], failure, details };
}

/** The clean master of a finished task, in place of the watermarked preview. */
async function withoutWatermark(api: Transport, snapshot: JobSnapshot, context: UseApiKlingContext): Promise<JobSnapshot> {
	const workId = snapshot.details?.workId;
	if (snapshot.status !== 'completed' || !context.noWatermark || !workId) return snapshot;
	const { body } = await api.request<{ cdnUrl?: string }>({
		method: 'GET',
		path: '/v1/kling/assets/download',
		qs: { ...(context.email ? { email: context.email } : {}), workIds: String(workId), fileTypes: 'MP4' },
		phase: 'poll',
	});
	if (!body?.cdnUrl)
		return { ...snapshot, status: 'failed', videos: [], failure: { message: 'useapi.net gave no cdnUrl for the watermark-free file', kind: 'other' } };
	return {
		...snapshot,
		videos: [{ url: body.cdnUrl, mimeType: 'video/mp4' }],
		details: { ...snapshot.details, watermark: false, watermarkedUrl: snapshot.videos[0]?.url },
	};
}

function readContext(ctx: IExecuteFunctions, itemIndex: number): UseApiKlingContext {
	const param = paramReader(ctx, itemIndex);
	const options = (param('options', {}) ?? {}) as IDataObject;
	return parseOrThrow(ctx, itemIndex, contextSchema, { email: param('email', ''), noWatermark: options.noWatermark ?? false });
}

export function explainUseApiError(error: ApiErrorInfo): Partial<ExplainedError> | undefined {
	const body = error.body as { error?: unknown } | undefined;
	const errorText = typeof body?.error === 'string' ? body.error : typeof error.body === 'string' ? error.body : '';
	const status = error.statusCode;
	// Kling answers moderation with 500 (or 400): the `error` text tells it from a real fault.
	if ((status === 500 || status === 400) && isModeration(errorText))
		return {
			kind: 'moderation',
			message: `The prompt was rejected by Kling's content moderation (HTTP ${status})`,
			hint: 'Rephrase the prompt: the same prompt would be refused again.',
		};
	if (status === 401)
		return { message: 'useapi.net rejected the API token (HTTP 401)', hint: "Check the credential's API Token: the whole user:… string." };
	if (status === 402)
		return {
			kind: 'credits',
			message: 'useapi.net asks for payment (HTTP 402): your useapi.net subscription has expired or has no credits left',
			hint: 'Renew it at useapi.net, then run again.',
		};
	if (status === 412) return { kind: 'credits', message: 'Not enough Kling credits (HTTP 412)', hint: 'Add credits to the Kling account, then run again.' };
	if (status === 429)
		return {
			message: 'All Kling accounts linked to your useapi.net token are busy (HTTP 429)',
			hint: 'They already run as many jobs as their Max Jobs allows: lower Concurrency in Options, raise Max Jobs, or link another account.',
		};
	if (status === 404 && (error.phase === 'submit' || error.upload))
		return { message: 'useapi.net found no linked Kling account for this request (HTTP 404)', hint: 'Check Kling Account Email, or link the account at useapi.net.' };
	if (status === 404)
		return {
			message: 'useapi.net has no such Kling task (HTTP 404)',
			hint: 'It was deleted, failed at moderation, or the Kling account ran out of credits. Check the Job ID and Kling Account Email.',
		};
	if (status === 596)
		return {
			// A lasting kind: the transport does not repeat it, though it is a 5xx.
			kind: 'auth',
			message: 'The linked Kling account needs attention (HTTP 596): its session is broken or in an error state',
			hint: 'Sign in to Kling in a browser, then add the account again at useapi.net (POST /v1/kling/accounts).',
		};
	return undefined;
}

/** Kling renders for minutes; useapi.net's own example client checks every 20 s. */
export const DEFAULT_POLL_INTERVAL = 10;

export const useApiKlingProvider: AsyncVideoProvider<UseApiKlingInput, UseApiKlingContext> = {
	baseUrl: (url) => useApiRoot(url),
	name: 'useApiKling',
	displayName: 'Kling (useapi.net)',
	credentialType: 'useApiApi',
	defaultPollInterval: DEFAULT_POLL_INTERVAL,
	// After a 429 (no job was made) useapi.net's own example client waits 10 s before trying again.
	rateLimitPauseMs: 10_000,
	// No public per-model price and no reported charge; the Kling account's credits are readable (./prices.ts).
	cost: { unit: 'Kling credits', balance: useApiKlingBalance },

	readContext,

	readInput(ctx: IExecuteFunctions, itemIndex: number): UseApiKlingInput {
		const param = paramReader(ctx, itemIndex);
		const model = String(param('model', TABLE.defaultModel) ?? '').trim();
		const spec = modelSpec(TABLE, model);
		const traits = klingTraits(model);
		// Model-dependent parameters are read only where the model shows them: with a model chosen by
		// an expression n8n fills every one with its default, and those must not reach a model that
		// refuses them (2.5 takes no mode, 3.0 Turbo no enable_audio).
		const raw = applyModelDefaults(TABLE, {
			model,
			prompt: param('prompt', ''),
			duration: param('duration'),
			aspectRatio: param('aspectRatio'),
			mode: spec?.fields.mode ? param('mode') : undefined,
			negativePrompt: traits.negativePrompt ? param('negativePrompt') : undefined,
			cfgScale: traits.cfgScale ? param('cfgScale') : undefined,
			enableAudio: traits.audio === 'toggle' ? param('enableAudio', traits.audioDefault ?? false) : undefined,
			maxJobs: param('maxJobs'),
			replyUrl: param('replyUrl'),
			// A reference from an expression may be a number (an order ID): it travels as text.
			replyRef: typeof param('replyRef') === 'number' ? String(param('replyRef')) : param('replyRef'),
		});
		const input = parseOrThrow(ctx, itemIndex, schema, raw) as UseApiKlingInput;
		// Image-to-video (./image.ts): the images checked here too, before any request.
		return { ...input, ...readKlingImages(ctx, itemIndex, spec, input) };
	},

	async start(api: Transport, input: UseApiKlingInput, context: UseApiKlingContext): Promise<JobSnapshot> {
		// Image-to-video: binary images uploaded first, then image2video-frames with `image`/`image_tail`, no aspect_ratio.
		const images = await imageFields(api, input, context.email);
		const body: IDataObject = {
			email: context.email,
			prompt: input.prompt,
			negative_prompt: input.negativePrompt,
			cfg_scale: input.cfgScale,
			duration: String(input.duration),
			model_name: input.model,
			aspect_ratio: images ? undefined : input.aspectRatio,
			...images,
			mode: input.mode,
			enable_audio: input.enableAudio,
			maxJobs: input.maxJobs,
			replyUrl: input.replyUrl,
			replyRef: input.replyRef,
		};
		for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
		const { body: created } = await api.request<TaskResponse>({ method: 'POST', path: images ? IMAGE_PATH : '/v1/kling/videos/text2video', body, phase: 'submit' });
		const snapshot = taskSnapshot(created);
		if (!snapshot.jobId)
			throw new NodeOperationError(api.node, 'useapi.net accepted the request but returned no task ID; look for the video in your Kling account');
		return snapshot;
	},

	async status(api: Transport, jobId: string, context: UseApiKlingContext): Promise<JobSnapshot> {
		const { body } = await api.request<TaskResponse>({
			method: 'GET',
			path: `/v1/kling/tasks/${encodeURIComponent(jobId)}`,
			qs: context.email ? { email: context.email } : undefined,
			phase: 'poll',
		});
		return await withoutWatermark(api, taskSnapshot(body, jobId), context);
	},

	// Wait for Callback: useapi.net POSTs the task to `replyUrl` with progress and at the end (useapi.net's text2video docs: "a callback URL to receive generation progress and result").
	withCallback(input: UseApiKlingInput, url: string): UseApiKlingInput {
		if (input.replyUrl)
			throw new Error('Reply URL must be empty with Wait Mode "Wait for Callback": the node gives useapi.net the URL of this execution itself');
		return { ...input, replyUrl: url };
	},

	// The task object useapi.net POSTs names its task (`task.id`); anyone can send such a body, so it only picks the job to read.
	callbackJobId(body: unknown): string | undefined {
		const task = (body as { task?: { id?: unknown } } | undefined)?.task;
		const id = task?.id;
		return typeof id === 'number' || (typeof id === 'string' && id) ? String(id) : undefined;
	},

	explainError: explainUseApiError,
};

/** The API root from the credential: a Base URL given with /v1 or /v1/kling means the same root. */
export const useApiRoot = (baseUrl: string) => USEAPI_BASE_URL.normalize(baseUrl);
