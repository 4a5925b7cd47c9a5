import { NodeOperationError, type IBinaryData, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { randomUUID } from 'crypto';
import { asNodeError, isCanceled, isCapacityRefusal, retryAfterOf, type VideoNodeError } from './errors';
import { readOptions, type EngineOptions } from './options';
import { AUTO_LIMIT, ItemSlot, SlotPool } from './pool';
import { ResumeMemory, resumeMemory, type RunKey } from './resume';
import { nextPollDelayMs } from './schedule';
import { cancellableSleep } from './sleep';
import { Transport } from './transport';
import { storeVideo } from './video';
import { isFinal, type JobInput, type JobSnapshot, type VideoProvider } from './types';

/**
 * The job engine: the one place that runs items in parallel, submits, waits, downloads and turns
 * every failure into an error a user can act on. Providers only translate to and from their API.
 */

export type Operation = 'generate' | 'submit' | 'get';

/**
 * A synchronous API has no Max Wait option (its one request is the job): a refusal for capacity is
 * waited out this long, which covers the per-minute rate limits such plans have.
 */
const SYNCHRONOUS_CAPACITY_WAIT_MS = 120_000;

/** What one item asks for; `context` is what the provider's `status` needs besides the job id (readContext). */
type ItemPlan<Input> = ({ input: Input; jobId?: undefined } | { input?: undefined; jobId: string }) & { context?: unknown };

export async function runVideoNode<Input extends JobInput>(
	ctx: IExecuteFunctions,
	provider: VideoProvider<Input>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const operation = ctx.getNodeParameter('operation', 0) as Operation;
	const optionsSpec = {
		defaultPollInterval: provider.defaultPollInterval,
		defaultRequestTimeout: provider.defaultRequestTimeout,
		synchronous: !provider.start,
		hasGet: !!provider.status,
	};
	const results: INodeExecutionData[][] = new Array(items.length);

	// Every item is read and validated before the first request: a bad item 3 must not let items 1
	// and 2 spend credits first.
	const plans: Array<{ plan: ItemPlan<Input>; options: EngineOptions } | undefined> = items.map((_, itemIndex) => {
		try {
			const options = readOptions(ctx, itemIndex, optionsSpec);
			const context = provider.readContext?.(ctx, itemIndex);
			const plan: ItemPlan<Input> = operation === 'get' ? { jobId: readJobId(ctx, itemIndex), context } : { input: provider.readInput(ctx, itemIndex), context };
			return { plan, options };
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx.getNode(), error);
			results[itemIndex] = [{ json: { error: error.message }, pairedItem: { item: itemIndex } }];
			return undefined;
		}
	});

	const credentials = await ctx.getCredentials(provider.credentialType);
	// The provider owns its Base URL rule (the credential test applies the same one).
	const credentialBaseUrl = String(credentials.baseUrl ?? '');
	const baseUrl = provider.baseUrl ? provider.baseUrl(credentialBaseUrl, ctx.getNode()) : credentialBaseUrl.replace(/\/+$/, '');
	const secret = String(credentials.apiKey ?? '');

	// One failing item (without Continue On Fail) stops the batch: no further job is submitted and
	// the others stop waiting; their job ids go into the error so none is lost.
	const batch = new AbortController();
	const executionSignal = ctx.getExecutionCancelSignal?.();
	if (executionSignal?.aborted) batch.abort();
	executionSignal?.addEventListener('abort', () => batch.abort(), { once: true });
	// Job ids of every item that got one: reported if the batch fails, so no paid job is lost.
	const submitted = new Map<number, string>();
	// Retry On Fail re-runs this whole function: jobs of an earlier try are picked up, not bought again.
	const run = runKeyOf(ctx);
	let firstError: VideoNodeError | undefined;
	let firstErrorItem = -1;
	// Concurrency 0 (the default) is automatic; a number is a fixed upper bound. The slowest item's
	// setting wins, as items of one node run share one provider account.
	const fixed = Math.min(...plans.map((p) => p?.options.concurrency || Number.POSITIVE_INFINITY));
	const slots = new SlotPool(Number.isFinite(fixed) ? fixed : AUTO_LIMIT, items.length);

	const runItem = async (itemIndex: number) => {
		const prepared = plans[itemIndex];
		if (!prepared || batch.signal.aborted) return;
		const { plan, options } = prepared;
		const api = new Transport(ctx, provider, baseUrl, batch.signal, secret);
		if (options.requestTimeout) api.requestTimeoutMs = options.requestTimeout * 1000;
		const resumeKey = run && plan.input && provider.start ? ResumeMemory.key(run, itemIndex, { provider: provider.name, input: plan.input }) : undefined;
		const state: JobState = {
			jobId: plan.jobId,
			resumeJobId: resumeKey ? resumeMemory.recall(resumeKey) : undefined,
			onJobId: (jobId) => {
				submitted.set(itemIndex, jobId);
				if (!resumeKey || state.resumeJobId) return;
				resumeMemory.remember(resumeKey, jobId, options.maxWait * 1000);
				// The trace a crash leaves: the job id in n8n's log (no prompt, no key).
				ctx.logger?.info(`${provider.displayName} job submitted`, logFields(ctx, provider, jobId, plan.input?.model, itemIndex));
			},
		};
		if (state.resumeJobId) {
			ctx.logger?.info(`${provider.displayName} job picked up again after a retry, not submitted twice`, logFields(ctx, provider, state.resumeJobId, plan.input?.model, itemIndex));
		}
		const slot = new ItemSlot(slots, batch.signal);
		state.submit = async (submitJob) => {
			const deadline = Date.now() + (provider.start ? options.maxWait * 1000 : SYNCHRONOUS_CAPACITY_WAIT_MS);
			const outcome = await slot.submit(submitJob, deadline, { is: isCapacityRefusal, retryAfterMs: retryAfterOf });
			if (outcome.ok) return outcome.value;
			const error = asNodeError(ctx.getNode(), outcome.error);
			if (isCapacityRefusal(outcome.error)) {
				// Still refused when time ran out: the provider's own words stay the message.
				const waited = provider.start ? `Max Wait (${options.maxWait} s)` : `${SYNCHRONOUS_CAPACITY_WAIT_MS / 1000} s`;
				error.description = [error.description, `The node waited up to ${waited} for capacity and asked ${outcome.attempts} time(s); no job was made.`].filter(Boolean).join(' ');
			}
			throw error;
		};
		try {
			await slot.take();
			results[itemIndex] = await runOperation(ctx, provider, api, operation, plan, options, batch.signal, state, itemIndex);
		} catch (error) {
			if (firstError && isCanceled(error)) return; // stopped because another item failed
			const nodeError = withJob(ctx, provider, error, itemIndex, state);
			if (ctx.continueOnFail() && !executionSignal?.aborted) {
				const json: IDataObject = { error: nodeError.message };
				if (state.jobId) json.jobId = state.jobId;
				if (state.snapshot) json.status = state.snapshot.status;
				results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
				return;
			}
			if (!firstError) {
				firstError = nodeError;
				firstErrorItem = itemIndex;
				batch.abort();
			}
		} finally {
			slot.give();
		}
	};

	// Every item waits for a slot in item order; the pool decides how many run.
	await Promise.all(items.map((_, itemIndex) => runItem(itemIndex)));

	// Every item done (no error output, which would make n8n retry too): no retry can follow.
	if (run && !firstError && !results.some((r) => r?.some((item) => item.json.error !== undefined))) resumeMemory.forgetRun(run);

	if (firstError) {
		const others = [...submitted].filter(([itemIndex]) => itemIndex !== firstErrorItem);
		if (others.length && operation !== 'get') {
			firstError.description = [
				firstError.description,
				`Jobs of other items, already paid for: ${others.map(([i, id]) => `item ${i + 1}: ${id}`).join(', ')}. Use the Get operation with these IDs to fetch them.`,
			]
				.filter(Boolean)
				.join(' ');
		}
		throw firstError;
	}
	return [results.flat()];
}

interface JobState {
	jobId?: string;
	/** The job an earlier try of Retry On Fail submitted for this item: picked up instead of a new one. */
	resumeJobId?: string;
	/** Makes the paid request (start or generate) through the slot pool's capacity handling. */
	submit?: (submitJob: () => Promise<JobSnapshot>) => Promise<JobSnapshot>;
	snapshot?: JobSnapshot;
	onJobId: (jobId: string) => void;
}

/** Which node run of which execution this is; none outside a real execution (no resume then). */
function runKeyOf(ctx: IExecuteFunctions): RunKey | undefined {
	const executionId = ctx.getExecutionId?.();
	if (!executionId) return undefined;
	const node = ctx.getNode();
	return { executionId: String(executionId), node: node.id || node.name };
}

function logFields(ctx: IExecuteFunctions, provider: VideoProvider<JobInput>, jobId: string, model: string | undefined, itemIndex: number) {
	return {
		jobId,
		provider: provider.name,
		model,
		workflowId: ctx.getWorkflow?.().id,
		executionId: ctx.getExecutionId?.(),
		node: ctx.getNode().name,
		itemIndex,
	};
}

function readJobId(ctx: IExecuteFunctions, itemIndex: number): string {
	const jobId = String(ctx.getNodeParameter('jobId', itemIndex, '') ?? '').trim();
	if (!jobId)
		throw new NodeOperationError(ctx.getNode(), 'Invalid parameter jobId: Job ID is empty', {
			itemIndex,
			description: 'Give the ID that the Submit operation (or an error message) returned.',
		});
	return jobId;
}

async function runOperation<Input extends JobInput>(
	ctx: IExecuteFunctions,
	provider: VideoProvider<Input>,
	api: Transport,
	operation: Operation,
	plan: ItemPlan<Input>,
	options: EngineOptions,
	signal: AbortSignal,
	state: JobState,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const track = (answer: JobSnapshot) => {
		const snapshot = finished(answer);
		if (!state.jobId) state.onJobId(snapshot.jobId);
		state.jobId = snapshot.jobId;
		state.snapshot = snapshot;
		return snapshot;
	};
	const model = plan.input?.model;
	if (operation === 'get') {
		const jobId = plan.jobId as string;
		let snapshot = track(await status(provider, api, jobId, plan.context));
		if (options.waitForCompletion) snapshot = await waitForJob(ctx, provider, api, snapshot, options, signal, track, plan.context);
		// `get` reports a failed job as its status, not as an error: the job is what was asked for.
		return await outputs(ctx, provider, api, snapshot, options, itemIndex, undefined, undefined);
	}
	const input = plan.input as Input;
	let snapshot: JobSnapshot;
	if (provider.generate) {
		// A synchronous API has no job id of its own; ours names the output and the errors.
		const jobId = randomUUID();
		state.jobId = jobId;
		if (operation !== 'generate') throw new NodeOperationError(ctx.getNode(), `${provider.displayName} has no ${operation} operation`, { itemIndex });
		const generate = provider.generate.bind(provider);
		snapshot = track(await submitThrough(state, () => generate(api, input, jobId)));
	} else {
		snapshot = track(state.resumeJobId ? await status(provider, api, state.resumeJobId, plan.context) : await submitThrough(state, () => start(provider, api, input)));
		if (operation === 'submit') return await outputs(ctx, provider, api, snapshot, { ...options, download: false }, itemIndex, model, input.name);
		snapshot = await waitForJob(ctx, provider, api, snapshot, options, signal, track, plan.context);
	}
	if (snapshot.status !== 'completed') {
		const error = new NodeOperationError(ctx.getNode(), failureMessage(provider, snapshot), { itemIndex });
		error.context.failureKind = snapshot.failure?.kind ?? snapshot.status;
		throw error;
	}
	return await outputs(ctx, provider, api, snapshot, options, itemIndex, model, input.name);
}

/**
 * What "finished" means is the engine's: a job the provider calls complete but that has no video is a
 * failed job (its id goes into the error), whatever the provider.
 */
function finished(snapshot: JobSnapshot): JobSnapshot {
	if (snapshot.status !== 'completed' || snapshot.videos.length) return snapshot;
	return { ...snapshot, status: 'failed', failure: { message: 'the provider reported the job complete but gave no video', kind: 'other' } };
}

const submitThrough = (state: JobState, submitJob: () => Promise<JobSnapshot>) => (state.submit ? state.submit(submitJob) : submitJob());

async function start<Input extends JobInput>(provider: VideoProvider<Input>, api: Transport, input: Input) {
	if (!provider.start) throw new Error(`${provider.displayName} has no asynchronous jobs`);
	return await provider.start(api, input);
}

async function status(provider: VideoProvider<JobInput>, api: Transport, jobId: string, context: unknown) {
	if (!provider.status) throw new Error(`${provider.displayName} cannot report job status`);
	return await provider.status(api, jobId, context);
}

/**
 * Polls until the job is final. The user's interval is the floor; checks space out as the job runs
 * long. No sleep follows the final status, and a canceled execution ends the sleep at once.
 */
async function waitForJob(
	ctx: IExecuteFunctions,
	provider: VideoProvider<JobInput>,
	api: Transport,
	first: JobSnapshot,
	options: EngineOptions,
	signal: AbortSignal,
	track: (snapshot: JobSnapshot) => JobSnapshot,
	context: unknown,
): Promise<JobSnapshot> {
	const startedAt = Date.now();
	const deadline = startedAt + options.maxWait * 1000;
	api.deadline = deadline;
	let snapshot = first;
	// Gaps run from one check's start to the next, so a slow answer does not push every later check.
	let checkedAt = startedAt;
	while (!isFinal(snapshot.status)) {
		const now = Date.now();
		if (now >= deadline)
			throw new NodeOperationError(
				ctx.getNode(),
				`${provider.displayName} job ${snapshot.jobId} did not finish within ${options.maxWait} s (last status: ${snapshot.status})`,
			);
		const nextCheckAt = checkedAt + nextPollDelayMs(checkedAt - startedAt, options.pollInterval * 1000);
		await cancellableSleep(Math.max(0, Math.min(nextCheckAt, deadline) - now), signal);
		checkedAt = Date.now();
		snapshot = track(await status(provider, api, snapshot.jobId, context));
	}
	return snapshot;
}

/** One output item per video (one without a video when there is none to attach). */
async function outputs(
	ctx: IExecuteFunctions,
	provider: VideoProvider<JobInput>,
	api: Transport,
	snapshot: JobSnapshot,
	options: EngineOptions,
	itemIndex: number,
	model: string | undefined,
	name: string | undefined,
): Promise<INodeExecutionData[]> {
	const json: IDataObject = { jobId: snapshot.jobId, status: snapshot.status, provider: provider.name };
	if (model) json.model = model;
	if (snapshot.progress !== undefined) json.progress = snapshot.progress;
	if (snapshot.credits !== undefined) json.credits = snapshot.credits;
	if (snapshot.failure) json.error = snapshot.failure.message;
	Object.assign(json, snapshot.details);
	const videos = snapshot.status === 'completed' ? snapshot.videos : [];
	if (!videos.length) return [{ json, pairedItem: { item: itemIndex } }];
	const items: INodeExecutionData[] = [];
	for (const [index, video] of videos.entries()) {
		const itemJson: IDataObject = { ...json };
		if (video.url) itemJson.videoUrl = video.url;
		if (videos.length > 1) itemJson.videoIndex = index;
		const item: INodeExecutionData = { json: itemJson, pairedItem: { item: itemIndex } };
		// Bytes in hand with no URL (a synchronous API's answer) are stored even with Download off: nothing else keeps them.
		if (options.download || (video.data && !video.url)) {
			const fileBase = videos.length > 1 ? `${name || snapshot.jobId}-${index + 1}` : name || snapshot.jobId;
			const binary: IBinaryData = await storeVideo(ctx, api, video, fileBase);
			item.binary = { [options.binaryPropertyName]: binary };
			itemJson.fileName = binary.fileName;
			itemJson.mimeType = binary.mimeType;
			const bytes = (binary as IBinaryData & { bytes?: number }).bytes;
			if (bytes !== undefined) itemJson.fileSize = bytes;
			Object.assign(itemJson, video.detailsAfterData?.());
		}
		items.push(item);
	}
	return items;
}

/** Every failure as an n8n error with the item and, once a job exists, its id and how to pick it up. */
function withJob(
	ctx: IExecuteFunctions,
	provider: VideoProvider<JobInput>,
	error: unknown,
	itemIndex: number,
	state: JobState,
): VideoNodeError {
	const nodeError = asNodeError(ctx.getNode(), error);
	const jobId = state.jobId;
	if (isCanceled(error))
		nodeError.message = jobId ? `Canceled while waiting for ${provider.displayName} job ${jobId}` : 'The execution was canceled';
	nodeError.context.itemIndex = itemIndex;
	if (!jobId) return nodeError;
	nodeError.context.jobId = jobId;
	if (!nodeError.message.includes(jobId)) nodeError.message += ` (job ${jobId})`;
	if (!provider.generate)
		nodeError.description = `The job was submitted to ${provider.displayName} with ID ${jobId}. Run this node with the Get operation and this Job ID to pick it up without paying again.`;
	return nodeError;
}

function failureMessage(provider: VideoProvider<JobInput>, snapshot: JobSnapshot): string {
	const reason = snapshot.failure?.message;
	const said = reason ? `: ${reason}` : '';
	if (snapshot.status === 'canceled') return `The ${provider.displayName} job was canceled${said}`;
	if (snapshot.failure?.kind === 'moderation') return `${provider.displayName} rejected the prompt at content moderation${said}`;
	if (snapshot.failure?.kind === 'credits') return `Your ${provider.displayName} account is out of credits${said}`;
	return `${provider.displayName} could not make the video${said}`;
}
