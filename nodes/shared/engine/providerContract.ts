import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import type { CostSupport } from '../cost/cost';
import type { Transport } from '../transport/transport';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const isFinal = (status: JobStatus) => status === 'completed' || status === 'failed' || status === 'canceled';

/** Why a job failed, in the provider's words, and what kind of failure it is. */
export interface JobFailure {
	message: string;
	code?: string;
	/** moderation and credits get their own plain-words explanation. */
	kind?: 'moderation' | 'credits' | 'other';
}

/** What n8n's binary store accepts: a Buffer or a readable stream. */
export type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];
export type ByteStream = Exclude<BinarySource, Buffer>;

/** A finished video: at a URL, or (synchronous APIs) as bytes in hand. */
export interface VideoRef {
	url?: string;
	data?: BinarySource;
	mimeType?: string;
	fileName?: string;
	sizeBytes?: number;
	/** Output fields that arrive after the bytes in `data` (read once `data` has been stored). */
	detailsAfterData?: () => IDataObject | undefined;
}

/** A provider's answer about a job, normalized. */
export interface JobSnapshot {
	jobId: string;
	status: JobStatus;
	/** 0..100 where the provider reports it. */
	progress?: number;
	videos: VideoRef[];
	failure?: JobFailure;
	credits?: number;
	/** Provider-specific output fields (expiresAt, durationSeconds, revisedPrompt, ...). */
	details?: IDataObject;
}

/** What the engine needs of every validated input. */
export interface JobInput {
	model: string;
	/** Base of the output file name; the job id when absent. */
	name?: string;
}

/**
 * What every provider has, whichever kind it is: its names, its credential, its Base URL rule, how it
 * reads one item's parameters and how it words its HTTP errors.
 */
interface ProviderBase<Input extends JobInput, Context> {
	/** Goes to `json.provider`. */
	name: string;
	displayName: string;
	credentialType: string;
	/**
	 * The API root from the credential's Base URL (trimmed, trailing slashes and version suffixes the API
	 * root does not include dropped). Its credential's test request uses the same rule
	 * (nodes/<Provider>/baseUrl.ts). `node` is for errors naming the node. None: trailing slashes dropped.
	 */
	baseUrl?(credentialBaseUrl: string, node: INode): string;
	/** Reads and validates one item's parameters; throws InputError before any request is made. */
	readInput(ctx: IExecuteFunctions, itemIndex: number): Input;
	/** Reads, for every operation and before any request, what `status` needs besides the job id (an account, an option). */
	readContext?(ctx: IExecuteFunctions, itemIndex: number): Context;
	/** The API's job IDs may contain `/` (they travel in a query, never in a path): AI/ML API's `<uuid>:<model>`. */
	jobIdMayContainSlash?: boolean;
	/**
	 * Plain words for the provider's HTTP errors that the shared defaults do not explain, and what kind
	 * of failure each is (a fact about the API: "a 500 whose text says moderation is a moderation
	 * verdict"). Whether and when to ask again is the transport's, from that kind.
	 */
	explainError?(error: ApiErrorInfo): Partial<ExplainedError> | undefined;
	/** The pause the API documents after an HTTP 429 that names no Retry-After (useapi.net: 10 s); the transport applies it. */
	rateLimitPauseMs?: number;
	/** Its unit, prices, reported charge and balance endpoint (nodes/shared/cost/cost.ts); none: cost unknown. */
	cost?: CostSupport<Input, Context>;
}

/**
 * An API with jobs (the Vercel AI SDK's `doStart` + `doStatus`): `start` pays for a job and returns its
 * id, `status` reads it. The node gets Generate, Submit and Get, and the polling options.
 */
export interface AsyncVideoProvider<Input extends JobInput = JobInput, Context = unknown> extends ProviderBase<Input, Context> {
	/** Seconds between status checks when the user sets none. */
	defaultPollInterval: number;
	/** `context` is what readContext read for the item, as `status` gets it. */
	start(api: Transport, input: Input, context: Context): Promise<JobSnapshot>;
	status(api: Transport, jobId: string, context: Context): Promise<JobSnapshot>;
	/** Seconds one request may take when the user sets none; present only where the API needs the option. */
	defaultRequestTimeout?: number;
	/**
	 * An API that calls a URL with the job's progress and end (Wait Mode "Wait for Callback",
	 * nodes/shared/waitModes/callback.ts): the validated input with `url` as that callback. Throws, with words for
	 * the user, when the input cannot take it. `readContext`'s result must then be plain JSON: the
	 * waiting execution keeps it.
	 */
	withCallback?(input: Input, url: string): Input;
	/** The job a callback's body names (only which job to read: its state still comes from the API). */
	callbackJobId?(body: unknown): string | undefined;
}

/**
 * An API whose one request is the job (the SDK's `doGenerate`): the answer carries the video. The node
 * gets Generate only, and a Request Timeout instead of polling; `jobId` is the engine's own.
 */
export interface SyncVideoProvider<Input extends JobInput = JobInput, Context = unknown> extends ProviderBase<Input, Context> {
	/** Seconds the one request may take when the user sets none (the Request Timeout option). */
	defaultRequestTimeout: number;
	generate(api: Transport, input: Input, jobId: string): Promise<JobSnapshot>;
}

/**
 * A text-to-video API, modelled on the Vercel AI SDK's VideoModel. The engine alone waits, retries,
 * downloads and reports; a provider knows nothing of the others.
 */
export type VideoProvider<Input extends JobInput = JobInput, Context = unknown> = AsyncVideoProvider<Input, Context> | SyncVideoProvider<Input, Context>;

export function isSynchronous<Input extends JobInput, Context>(provider: VideoProvider<Input, Context>): provider is SyncVideoProvider<Input, Context> {
	return 'generate' in provider;
}

export interface ApiErrorInfo {
	statusCode?: number;
	/** Network error code (ECONNREFUSED, ETIMEDOUT, ...) when no response came. */
	networkCode?: string;
	/** The provider's own message, taken from its error body. */
	providerMessage?: string;
	body?: unknown;
	phase: RequestPhase;
	/** The request was part of uploading an input image (free, before the paid submit): no job exists yet. */
	upload?: boolean;
}

export interface ExplainedError {
	/** What happened, in plain words: the error's title. Never the provider's own text (added once, to the description). */
	message: string;
	/** The transport never repeats a request whose failure is of a lasting kind (failures/nodeErrors.ts LASTING_KINDS). */
	/** What helps: the start of the error's description. */
	hint?: string;
	kind: 'moderation' | 'credits' | 'auth' | 'rate-limit' | 'not-found' | 'input' | 'server' | 'network' | 'other';
}

/**
 * submit: creates a paid job, so it is retried only when the provider certainly made none.
 * poll/download: idempotent, retried on 429, 5xx and network errors. once: never retried.
 */
export type RequestPhase = 'submit' | 'poll' | 'download' | 'once';

