import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';
import { applyModelDefaults, modelSpec, tableSchema } from '../shared/capabilities/table';
import { modelIdSchema, readModelId } from '../shared/fields/customModel';
import { jobFailure } from '../shared/failures/classify';
import { invalidInput, paramReader, parseOrThrow } from '../shared/validation/input';
import type { Transport } from '../shared/transport/transport';
import type { JobInput, JobSnapshot, JobStatus, AsyncVideoProvider } from '../shared/engine/providerContract';
import { readImages, type ImageInputs } from '../shared/image/imageInput';
import { audioSupport, MAGIC_HOUR_CAPABILITIES as TABLE, MAX_PROMPT_LENGTH, MODEL_ID_EXAMPLE, MODEL_ID_PATTERN } from './capabilities';
import { imageAssets, imageRules } from './image';
import { magicHourPrice } from './prices';
import { MAGIC_HOUR_BASE_URL } from './baseUrl';

/** Magic Hour's HTTP mapping (docs/providers/magic-hour.md, "The API as this node uses it"). */

interface MagicHourInput extends JobInput, ImageInputs {
	prompt: string;
	duration: number;
	aspectRatio: string;
	resolution: string;
	audio?: boolean;
}

// Audio is read only for models where it can be switched (the toggle is hidden elsewhere).
const schema = tableSchema(TABLE, MAX_PROMPT_LENGTH, { audio: z.boolean().optional(), name: z.string().optional() }).superRefine((input, ctx) => {
	// An id that is not listed (typed in, or from an expression) goes to Magic Hour as given, which alone
	// knows its models; only the shape of an id is checked here, so that a typo with a space or capitals
	// is caught before anything is sent.
	const listed = TABLE.models.some((m) => m.value === input.model || m.aliases?.includes(input.model));
	if (!listed && !MODEL_ID_PATTERN.test(input.model))
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['model'],
			message: `"${input.model}" is not a Magic Hour model ID (lower case letters, digits, dots and hyphens, e.g. ${MODEL_ID_EXAMPLE}). Listed models: ${TABLE.models.map((m) => m.value).join(', ')}`,
		});
});
const typedModelSchema = modelIdSchema(MODEL_ID_EXAMPLE);

interface ProjectResponse {
	id: string;
	status?: string;
	name?: string;
	end_seconds?: number;
	width?: number;
	height?: number;
	credits_charged?: number;
	error?: { code?: string; message?: string } | null;
	downloads?: Array<{ url: string; expires_at?: string }>;
	download?: { url: string; expires_at?: string } | null;
}

const STATUS: Record<string, JobStatus> = {
	draft: 'queued',
	queued: 'queued',
	rendering: 'processing',
	complete: 'completed',
	error: 'failed',
	canceled: 'canceled',
};

export const DEFAULT_POLL_INTERVAL = 1;

/**
 * `audio` where the model lets it be switched: as set (false unless switched on). A typed-in model may
 * take no audio at all, so it gets the field only when audio is switched on.
 */
function audioField(input: MagicHourInput): boolean | undefined {
	if (audioSupport(input.model) !== 'toggle') return undefined;
	if (modelSpec(TABLE, input.model)?.traits?.typed) return input.audio ? true : undefined;
	return input.audio ?? false;
}

export const magicHourProvider: AsyncVideoProvider<MagicHourInput> = {
	baseUrl: MAGIC_HOUR_BASE_URL.normalize,
	name: 'magicHour',
	displayName: 'Magic Hour',
	credentialType: 'magicHourApi',
	defaultPollInterval: DEFAULT_POLL_INTERVAL,
	// Credits per second from Magic Hour's published table (./prices.ts); the API reports credits_charged
	// at submit (an estimate until the project completes). No balance endpoint is documented.
	cost: {
		unit: 'credits',
		reportedField: 'credits_charged',
		estimate: (input) => magicHourPrice(input.model, input.resolution, input.duration, input.audio ?? false),
	},

	readInput(ctx: IExecuteFunctions, itemIndex: number): MagicHourInput {
		const param = paramReader(ctx, itemIndex);
		const requested = readModelId(ctx, itemIndex, TABLE.defaultModel, typedModelSchema);
		const spec = modelSpec(TABLE, requested);
		// A deprecated "-audio" id is its base model with audio on.
		const isAlias = !!spec && spec.value !== requested;
		const model = spec?.value ?? requested;
		const audio = audioSupport(model) !== 'toggle' ? undefined : isAlias ? true : (param('audio') as boolean | undefined);
		const raw = applyModelDefaults(TABLE, {
			model,
			prompt: param('prompt', ''),
			duration: param('duration'),
			aspectRatio: param('aspectRatio'),
			resolution: param('resolution'),
			audio,
			name: String(param('name', '') ?? '').trim() || undefined,
		});
		const input = parseOrThrow(ctx, itemIndex, schema, raw) as MagicHourInput;
		// Image-to-video: checked here too, before any request (an end frame depends on the resolution).
		const images = readImages(ctx, itemIndex, spec, imageRules(input.resolution));
		const longestWithEnd = spec?.traits?.endFrameMaxSeconds;
		if (images.endImage && longestWithEnd !== undefined && input.duration > longestWithEnd)
			throw invalidInput(ctx.getNode(), itemIndex, [
				{ field: 'duration', problem: `${spec?.name ?? model} takes an end frame only for videos of ${longestWithEnd} s or less, not ${input.duration} s. Choose a shorter duration, or no end frame` },
			]);
		return { ...input, ...images };
	},

	async start(api: Transport, input: MagicHourInput): Promise<JobSnapshot> {
		// Image-to-video (./image.ts): the images uploaded first where they are binary, then the same body
		// with `assets` and without `aspect_ratio`, to /v1/image-to-video.
		const assets = await imageAssets(api, input);
		const body = {
			name: input.name,
			model: input.model,
			end_seconds: input.duration,
			aspect_ratio: assets ? undefined : input.aspectRatio,
			resolution: input.resolution,
			audio: audioField(input),
			style: { prompt: input.prompt },
			assets,
		};
		const { body: created } = await api.request<{ id?: string; credits_charged?: number }>({
			method: 'POST',
			path: assets ? '/v1/image-to-video' : '/v1/text-to-video',
			body,
			phase: 'submit',
		});
		if (!created?.id) throw new Error('Magic Hour accepted the request but returned no project ID');
		return { jobId: created.id, status: 'queued', videos: [], credits: created.credits_charged };
	},

	async status(api: Transport, jobId: string): Promise<JobSnapshot> {
		const { body: project } = await api.request<ProjectResponse>({
			method: 'GET',
			path: `/v1/video-projects/${encodeURIComponent(jobId)}`,
			phase: 'poll',
		});
		const downloads = project.downloads?.length ? project.downloads : project.download ? [project.download] : [];
		const errorCode = project.error?.code ?? '';
		return {
			jobId: project.id ?? jobId,
			status: STATUS[project.status ?? ''] ?? 'processing',
			videos: downloads.map((d) => ({ url: d.url })),
			credits: project.credits_charged,
			failure: project.error ? jobFailure([project.error.message, errorCode && `(${errorCode})`].filter(Boolean).join(' '), errorCode || undefined) : undefined,
			details: {
				...(downloads[0]?.expires_at ? { expiresAt: downloads[0].expires_at } : {}),
				...(project.end_seconds !== undefined ? { durationSeconds: project.end_seconds } : {}),
				...(project.width && project.width > 0 ? { width: project.width, height: project.height } : {}),
			},
		};
	},

	explainError(error) {
		if (error.statusCode === 402)
			return { kind: 'credits', message: 'Your Magic Hour account is out of credits (HTTP 402)', hint: 'Top up at magichour.ai, then run again.' };
		if (error.statusCode === 403)
			return {
				message: 'Your Magic Hour plan does not include this model, resolution or feature (HTTP 403)',
				hint: 'Choose another model or resolution, or upgrade the plan at magichour.ai.',
			};
		if (error.statusCode === 404 && error.phase === 'poll' && !error.upload)
			return { message: 'Magic Hour has no video project with this ID (HTTP 404)', hint: 'Check the Job ID: it is the ID that the Submit operation returned.' };
		if (error.statusCode === 422) return { message: 'Magic Hour could not create the video (HTTP 422)', hint: 'Change the input Magic Hour names below.' };
		return undefined;
	},
};
