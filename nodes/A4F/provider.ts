import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';
import { openBase64Field } from '../shared/transport/base64Json';
import { applyModelDefaults, modelSpec, tableSchema } from '../shared/capabilities/table';
import { modelIdSchema, readModelId } from '../shared/fields/customModel';
import { providerMessage } from '../shared/transport/errorBody';
import { isModeration, jobFailure } from '../shared/failures/classify';
import { paramReader, parseOrThrow } from '../shared/validation/input';
import type { Transport } from '../shared/transport/transport';
import type { ApiErrorInfo, ByteStream, ExplainedError, JobInput, JobSnapshot, SyncVideoProvider } from '../shared/engine/providerContract';
import { A4F_CAPABILITIES as TABLE, EXAMPLE_MODEL_ID, MAX_PROMPT_LENGTH, MODEL_ID_PATTERN } from './capabilities';
import { A4F_BASE_URL } from './baseUrl';

/** A4F's HTTP mapping (docs/providers/a4f.md, "The API as this node uses it"): one synchronous request per video. */

export const GENERATIONS_PATH = '/video/generations';
/** Where the video is in the answer: `{ created, data: [{ b64_json, url, revised_prompt }] }`. */
const VIDEO_FIELD = ['data', 0, 'b64_json'];

export interface A4FInput extends JobInput {
	prompt: string;
	duration: number;
	resolution: string;
	aspectRatio: string;
}

interface A4FAnswer {
	created?: number;
	data?: Array<{ b64_json?: string | null; url?: string | null; revised_prompt?: string | null }>;
}

const customModelSchema = modelIdSchema(EXAMPLE_MODEL_ID);

export const inputSchema = tableSchema(TABLE, MAX_PROMPT_LENGTH, {}).superRefine((input, ctx) => {
	const listed = TABLE.models.some((m) => m.value === input.model);
	if (!listed && modelSpec(TABLE, input.model) && !MODEL_ID_PATTERN.test(input.model))
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['model'],
			message: `"${input.model}" is not an A4F model ID. A4F IDs look like provider-N/name (e.g. ${EXAMPLE_MODEL_ID}); listed models: ${TABLE.models.map((m) => m.value).join(', ')}`,
		});
});

/** Output fields from the answer: the prompt as the model rewrote it, and when the video was made. */
function answerDetails(answer: unknown): IDataObject {
	const { created, data } = (answer ?? {}) as A4FAnswer;
	const details: IDataObject = {};
	const revised = data?.[0]?.revised_prompt;
	if (typeof revised === 'string' && revised) details.revisedPrompt = revised;
	if (typeof created === 'number' && created > 0) details.createdAt = new Date(created * 1000).toISOString();
	return details;
}

/** A4F answers only once the video is made: minutes for the premium models. */
export const DEFAULT_REQUEST_TIMEOUT = 900;

export const a4fProvider: SyncVideoProvider<A4FInput> = {
	baseUrl: A4F_BASE_URL.normalize,
	name: 'a4f',
	displayName: 'A4F',
	credentialType: 'a4fApi',
	defaultRequestTimeout: DEFAULT_REQUEST_TIMEOUT,

	readInput(ctx: IExecuteFunctions, itemIndex: number): A4FInput {
		const param = paramReader(ctx, itemIndex);
		const raw = applyModelDefaults(TABLE, {
			model: readModelId(ctx, itemIndex, TABLE.defaultModel, customModelSchema),
			prompt: param('prompt', ''),
			duration: param('duration'),
			resolution: param('resolution'),
			aspectRatio: param('aspectRatio'),
		});
		return parseOrThrow(ctx, itemIndex, inputSchema, raw) as A4FInput;
	},

	async generate(api: Transport, input: A4FInput, jobId: string): Promise<JobSnapshot> {
		const { body } = await api.request<ByteStream>({
			method: 'POST',
			path: GENERATIONS_PATH,
			phase: 'submit',
			// The answer holds the whole video as base64: it is decoded while it arrives.
			stream: true,
			body: { model: input.model, prompt: input.prompt, quality: input.resolution, duration: input.duration, ratio: input.aspectRatio },
		});
		const details: IDataObject = { durationSeconds: input.duration, quality: input.resolution };
		const answer = await openBase64Field(api.node, body, VIDEO_FIELD, { source: 'A4F' });
		if (answer.found) {
			const video = { data: answer.stream, mimeType: answer.mimeType ?? 'video/mp4', detailsAfterData: () => answerDetails(answer.document()) };
			return { jobId, status: 'completed', videos: [video], details };
		}
		// Some A4F versions host the video and give its URL instead; the engine downloads it.
		const url = (answer.document as A4FAnswer)?.data?.[0]?.url;
		if (typeof url === 'string' && url) return { jobId, status: 'completed', videos: [{ url }], details: { ...details, ...answerDetails(answer.document) } };
		const reason = providerMessage(answer.document) ?? 'the answer held neither b64_json nor a url';
		return { jobId, status: 'failed', videos: [], failure: jobFailure(reason) };
	},

	explainError(error: ApiErrorInfo): Partial<ExplainedError> | undefined {
		const status = error.statusCode;
		const code = JSON.stringify((error.body as { error?: unknown } | undefined)?.error ?? '');
		if (status === 400 && isModeration(error.providerMessage))
			return { kind: 'moderation', message: 'A4F rejected the prompt at content moderation (HTTP 400)', hint: 'Rephrase the prompt, then run the node again.' };
		if (status === 400 && /n_exceeds_model_limit/.test(code))
			return { message: 'The model cannot make this duration or quality (HTTP 400)', hint: "The Model field lists each model's limits: choose a shorter duration or a lower quality." };
		if (status === 403)
			return {
				message: 'Your A4F plan does not include this model (HTTP 403)',
				hint: "Video generation needs A4F's Pro or Ultra plan: choose another model or upgrade the plan.",
			};
		if (status === 408)
			return {
				message: 'A4F timed out before the video was made (HTTP 408)',
				hint: "The model's provider was too slow: try again, a shorter duration or a faster model (Kling v2.1, Seedance Lite).",
			};
		if (status === 429)
			return {
				message: "A4F's rate limit for your plan is reached (HTTP 429)",
				hint: 'Requests per minute and per day depend on the plan: lower Concurrency, or try again later.',
			};
		if (status !== undefined && status >= 500)
			return { message: `A4F's video provider could not make the video (HTTP ${status})`, hint: 'Run the node again to try once more.' };
		if (status === undefined && error.phase === 'submit' && /^(ETIMEDOUT|ECONNABORTED|ESOCKETTIMEDOUT)$/.test(error.networkCode ?? ''))
			return {
				message: `A4F sent no answer within the Request Timeout (${error.networkCode})`,
				hint: "A4F answers only once the video is made: raise Request Timeout in the node's Options.",
			};
		return undefined;
	},
};
