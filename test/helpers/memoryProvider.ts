/**
 * In-memory providers for testing the engine's rules without HTTP: a job API (AsyncVideoProvider, with
 * the callback hooks) and a one-request API (SyncVideoProvider). Their node runs inside n8n-core's real
 * ExecuteContext (test/helpers/n8n.ts), so parameters, Continue On Fail, the cancel signal and binary
 * storage are n8n's own; only the provider is ours. Every rule a test sees here is the engine's.
 *
 * Prompt markers ask a job for a behaviour, as the sandbox's directives do:
 *   `bad`          invalid input (readInput throws before any request)
 *   `[fail]`       the job fails (the provider's words: "render failed")
 *   `[moderation]` the job fails at content moderation
 *   `[empty]`      the job completes without a video
 *   `[ms=N]`       the job takes N ms (else the provider's `jobMs`)
 */
import { NodeOperationError, type ICredentialType, type IExecuteFunctions, type INodeType, type IWebhookFunctions } from 'n8n-workflow';
import { apiKeyProperty, baseUrlProperty, bearerAuthentication } from '../../credentials/common';
import { runVideoNode } from '../../nodes/shared/engine/engine';
import type { AsyncVideoProvider, JobInput, JobSnapshot, SyncVideoProvider, VideoProvider } from '../../nodes/shared/engine/providerContract';
import { isSynchronous } from '../../nodes/shared/engine/providerContract';
import { apiError, canceledError } from '../../nodes/shared/failures/nodeErrors';
import { jobIdProperty, operationProperty, operationsOf, promptProperty } from '../../nodes/shared/fields/common';
import { optionsProperty, optionsSpecOf } from '../../nodes/shared/fields/options';
import type { Transport } from '../../nodes/shared/transport/transport';
import { callbackWebhooks, resumeFromCallback, runWithCallback, waitModeOption, waitsForCallback } from '../../nodes/shared/waitModes/callback';
import { runNode, type RunNodeResult } from './n8n';

/** Bytes that start as an MP4 does (an `ftyp` box), so the engine's check of the first bytes takes them for a video. */
export const fakeVideo = (prompt: string) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1'), Buffer.from(`video of ${prompt}`)]);

export type MemoryInput = JobInput & { prompt: string; callbackUrl?: string };

export interface MemoryJob {
	id: string;
	prompt: string;
	createdAt: number;
	durationMs: number;
	polls: number;
	/** The URL the job calls when it ends (Wait for Callback). */
	callbackUrl?: string;
}

/** One request the provider answered (or refused), in order. */
export interface MemoryCall {
	kind: 'start' | 'status' | 'generate';
	jobId?: string;
	at: number;
	refused?: boolean;
}

/** A capacity refusal as a provider's HTTP 429 on submit comes out of the transport (made no job). */
function capacityRefusal(api: Transport, retryAfterMs?: number) {
	return apiError(api.node, { statusCode: 429, phase: 'submit', providerMessage: 'too many jobs at once' }, { kind: 'rate-limit', message: 'Memory is busy (HTTP 429)' }, retryAfterMs);
}

/** What the Transport does before every request: a canceled batch or execution sends nothing. */
function checkCanceled(api: Transport) {
	if (api.cancelSignal?.aborted) throw canceledError(api.node);
}

function outcomeOf(prompt: string): Pick<JobSnapshot, 'status' | 'failure'> | undefined {
	if (prompt.includes('[fail]')) return { status: 'failed', failure: { message: 'render failed', kind: 'other' } };
	if (prompt.includes('[moderation]')) return { status: 'failed', failure: { message: 'the prompt was flagged', kind: 'moderation' } };
	return undefined;
}

function readMemoryInput(ctx: IExecuteFunctions, itemIndex: number): MemoryInput {
	const prompt = String(ctx.getNodeParameter('prompt', itemIndex));
	if (prompt.includes('bad')) throw new NodeOperationError(ctx.getNode(), 'Invalid parameter prompt: "bad" is not allowed', { itemIndex });
	return { model: 'memory-1', prompt };
}

/**
 * A job API that keeps its jobs in memory: each takes `jobMs` (or its prompt's `[ms=N]`). Its methods
 * are own properties, as the package's providers are object literals: the callback wait copies a
 * provider with `{ ...provider }`, which drops methods of a class's prototype.
 */
export class MemoryProvider implements AsyncVideoProvider<MemoryInput> {
	name = 'memory';
	displayName = 'Memory';
	credentialType = 'memoryApi';
	defaultPollInterval = 0.1;
	jobs: MemoryJob[] = [];
	calls: MemoryCall[] = [];
	/** Jobs it runs at once for us; a submit beyond it is refused (429) and makes no job. */
	capacity = Number.POSITIVE_INFINITY;
	/** The Retry-After its refusals carry. */
	retryAfterMs: number | undefined;
	/** Status checks that throw, by job id (a flaky status endpoint). */
	failingPolls = new Map<string, number>();
	/** Most of its jobs running at one moment. */
	peak = 0;

	constructor(readonly jobMs = 150) {}

	get submits(): number {
		return this.calls.filter((call) => call.kind === 'start').length;
	}

	statusChecks(jobId?: string): MemoryCall[] {
		return this.calls.filter((call) => call.kind === 'status' && (jobId === undefined || call.jobId === jobId));
	}

	job(prompt: string): MemoryJob {
		const job = this.jobs.find((j) => j.prompt === prompt);
		if (!job) throw new Error(`no job for the prompt "${prompt}"`);
		return job;
	}

	private running(now = Date.now()) {
		return this.jobs.filter((job) => now - job.createdAt < job.durationMs);
	}

	readInput = (ctx: IExecuteFunctions, itemIndex: number): MemoryInput => readMemoryInput(ctx, itemIndex);

	start = async (api: Transport, input: MemoryInput): Promise<JobSnapshot> => {
		checkCanceled(api);
		const refused = this.running().length >= this.capacity;
		this.calls.push({ kind: 'start', at: Date.now(), refused });
		if (refused) throw capacityRefusal(api, this.retryAfterMs);
		const ms = /\[ms=(\d+)\]/.exec(input.prompt);
		const job: MemoryJob = { id: `job-${this.jobs.length + 1}`, prompt: input.prompt, createdAt: Date.now(), durationMs: ms ? Number(ms[1]) : this.jobMs, polls: 0, callbackUrl: input.callbackUrl };
		this.jobs.push(job);
		this.peak = Math.max(this.peak, this.running().length);
		return { jobId: job.id, status: 'queued', videos: [] };
	};

	status = async (api: Transport, jobId: string): Promise<JobSnapshot> => {
		checkCanceled(api);
		this.calls.push({ kind: 'status', jobId, at: Date.now() });
		const job = this.jobs.find((j) => j.id === jobId);
		if (!job) throw new NodeOperationError(api.node, 'no such job (HTTP 404)');
		job.polls++;
		const failing = this.failingPolls.get(jobId) ?? 0;
		if (failing > 0) {
			this.failingPolls.set(jobId, failing - 1);
			throw new NodeOperationError(api.node, 'the status check failed (HTTP 503)');
		}
		if (Date.now() - job.createdAt < job.durationMs) return { jobId, status: 'processing', videos: [] };
		const outcome = outcomeOf(job.prompt);
		if (outcome) return { jobId, videos: [], ...outcome };
		const videos = job.prompt.includes('[empty]') ? [] : [{ data: fakeVideo(job.prompt), mimeType: 'video/mp4', fileName: `${jobId}.mp4` }];
		return { jobId, status: 'completed', videos };
	};

	withCallback = (input: MemoryInput, url: string): MemoryInput => {
		if (input.prompt.includes('[no-callback]')) throw new Error('this prompt cannot be called back');
		return { ...input, callbackUrl: url };
	};

	/** The call's body names its job as `{ jobId }` (only which job to read: its state comes from `status`). */
	callbackJobId = (body: unknown): string | undefined => {
		const id = (body as { jobId?: unknown } | undefined)?.jobId;
		return typeof id === 'string' ? id : undefined;
	};
}

/** A one-request API: `generate` is the job and answers with the video's bytes. */
export class MemorySyncProvider implements SyncVideoProvider<MemoryInput> {
	name = 'memorySync';
	displayName = 'Memory Sync';
	credentialType = 'memoryApi';
	defaultRequestTimeout = 30;
	calls: MemoryCall[] = [];
	/** The next this many requests are refused for capacity (429, no video made). */
	refuseNext = 0;
	retryAfterMs: number | undefined;

	readInput(ctx: IExecuteFunctions, itemIndex: number): MemoryInput {
		return readMemoryInput(ctx, itemIndex);
	}

	async generate(api: Transport, input: MemoryInput, jobId: string): Promise<JobSnapshot> {
		checkCanceled(api);
		const refused = this.refuseNext > 0;
		this.calls.push({ kind: 'generate', jobId, at: Date.now(), refused });
		if (refused) {
			this.refuseNext--;
			throw capacityRefusal(api, this.retryAfterMs);
		}
		const outcome = outcomeOf(input.prompt);
		if (outcome) return { jobId, videos: [], ...outcome };
		return { jobId, status: 'completed', videos: input.prompt.includes('[empty]') ? [] : [{ data: fakeVideo(input.prompt), mimeType: 'video/mp4' }] };
	}
}

export const memoryCredentialType: ICredentialType = {
	name: 'memoryApi',
	displayName: 'Memory API',
	properties: [apiKeyProperty('any'), baseUrlProperty('http://127.0.0.1:9')],
	authenticate: bearerAuthentication,
};

/** The credential's values: the Base URL is never called (the providers make no request). */
export const memoryCredentials = { apiKey: 'memory-key', baseUrl: 'http://127.0.0.1:9' };

/**
 * A node on the provider, wired as the package's nodes are: execute() runs the engine, or (Wait Mode
 * "Wait for Callback") runWithCallback; webhook() is resumeFromCallback (nodes/UseApiKling/UseApiKling.node.ts).
 */
export function memoryNode(provider: VideoProvider<MemoryInput>): INodeType {
	const synchronous = isSynchronous(provider);
	return {
		description: {
			displayName: provider.displayName,
			name: provider.name,
			group: ['transform'],
			version: 1,
			description: 'in-memory provider',
			defaults: { name: provider.displayName },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'memoryApi', required: true }],
			properties: [
				operationProperty(operationsOf(provider)),
				promptProperty(1000),
				jobIdProperty,
				optionsProperty(optionsSpecOf(provider, synchronous ? [] : [waitModeOption])),
			],
			webhooks: synchronous ? undefined : callbackWebhooks,
		},
		async execute(this: IExecuteFunctions) {
			if (!synchronous && waitsForCallback(this)) return await runWithCallback(this, provider);
			return await runVideoNode(this, provider);
		},
		async webhook(this: IWebhookFunctions) {
			if (synchronous) throw new Error('a one-request API has no callback');
			return await resumeFromCallback(this, provider);
		},
	} as INodeType;
}

export interface MemoryRun {
	operation?: 'generate' | 'submit' | 'get' | 'estimate';
	/** Options of the node (pollInterval, maxWait, concurrency, ...); polls every 0.1 s (the least it takes) unless told. */
	options?: Record<string, unknown>;
	jobId?: string;
	executionId?: string;
	continueOnFail?: boolean;
	abortSignal?: AbortSignal;
}

/** Runs the provider's node over one item per prompt (`prompt` is `{{ $json.p }}`). */
export function runMemory(provider: VideoProvider<MemoryInput>, prompts: string[], extra: MemoryRun = {}): Promise<RunNodeResult> {
	return runNode({
		nodeType: memoryNode(provider),
		credentialType: memoryCredentialType,
		credentials: memoryCredentials,
		parameters: {
			operation: extra.operation ?? 'generate',
			prompt: '={{ $json.p }}',
			...(extra.jobId !== undefined ? { jobId: extra.jobId } : {}),
			options: isSynchronous(provider) ? (extra.options ?? {}) : { pollInterval: 0.1, ...extra.options },
		},
		items: prompts.map((p) => ({ p })),
		executionId: extra.executionId,
		continueOnFail: extra.continueOnFail,
		abortSignal: extra.abortSignal,
	});
}
