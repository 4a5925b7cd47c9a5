import { NodeOperationError, type IBinaryData, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type IWebhookFunctions } from 'n8n-workflow';
import { randomUUID } from 'crypto';
import { costOf, estimateItems, RunSpend } from '../cost/cost';
import { asNodeError, canceledError, isCanceled, isCapacityRefusal, isLastingFailure, retryAfterOf, type VideoNodeError } from '../failures/nodeErrors';
import { optionsSpecOf, readOptions, type EngineOptions } from '../fields/options';
import { AUTO_LIMIT, ItemSlot, SlotPool } from './pool';
import { ResumeMemory, resumeMemory, type RunKey } from './resume';
import { nextPollDelayMs } from './pollSchedule';
import { cancellableSleep } from './sleep';
import { Transport } from '../transport/transport';
import { guardBaseUrl } from '../transport/urlGuard';
import { storeVideo, type DownloadRules } from '../transport/download';
import { describeInvalid, invalidInput, type InputIssue } from '../validation/input';
import { fieldDisplayName, type NodeProperties } from '../validation/fieldNames';
import { isFinal, isSynchronous, type AsyncVideoProvider, type JobInput, type JobSnapshot, type VideoProvider } from './providerContract';

/**
 * The job engine: the one place that runs items in parallel, submits, waits, downloads and turns
 * every failure into an error a user can act on. Providers only translate to and from their API.
 */

export type Operation = 'generate' | 'submit' | 'get' | 'estimate';

/**
 * A synchronous API has no Max Wait option (its one request is the job): a refusal for capacity is
 * waited out this long, which covers the per-minute rate limits such plans have.
 */
const SYNCHRONOUS_CAPACITY_WAIT_MS = 120_000;

/** A job the engine is given to read (Get on it, with its own options and context) instead of an input item. */
export interface GivenJob {
	jobId: string;
	options: EngineOptions;
	context?: unknown;
}

/**
 * How Generate waits for a job. `poll` (the default): each item run checks its job until it ends.
 * `callback`: every item is submitted with `url` as the provider's callback (its `withCallback`) and
 * the run returns at once, the jobs parked (`NodeRun.parked`) for the callback wait mode
 * (nodes/shared/waitModes/callback.ts) to save in the execution; on resume the engine reads them
 * again as given jobs (`reportAsGenerate`).
 */
export type WaitStrategy = { kind: 'poll' } | { kind: 'callback'; url: string };

/**
 * How another part of the package (the callback wait mode) runs the engine for the node: as another
 * operation than the node's, with another wait strategy, or on given jobs instead of the input items.
 * Failures of given jobs become items, as with Continue On Fail.
 */
export interface RunOverride {
	operation?: Operation;
	wait?: WaitStrategy;
	jobs?: GivenJob[];
	/** The node's parameters (every version): errors name fields as the editor shows them for the node's version. */
	properties?: NodeProperties;
	/** Given jobs: a job that ended without its video is reported in Generate's words (the error names the job). */
	reportAsGenerate?: boolean;
	/** Given jobs: no request is retried past this time (epoch ms). */
	requestDeadline?: number;
}

/**
 * A job submitted under the callback wait strategy, as the execution keeps it while it waits: plain
 * JSON, since the waiting execution is saved in n8n's database and may be resumed by another process.
 */
export interface ParkedJob {
	/** The input item this job belongs to. */
	item: number;
	jobId: string;
	/** Epoch ms: the item's Max Wait from submission. */
	deadline: number;
	maxWait: number;
	/** The item's options as read at submission (expressions resolved). */
	options: EngineOptions;
	/** What the provider's `status` needs besides the job ID (readContext's result). */
	context?: unknown;
	model?: string;
	/** The job was already over when submitted (no wait needed for it). */
	final?: boolean;
}

export async function runVideoNode<Input extends JobInput>(
	ctx: IExecuteFunctions,
	provider: VideoProvider<Input>,
	override: RunOverride = {},
): Promise<INodeExecutionData[][]> {
	return await new NodeRun(ctx, provider, override).run();
}

/**
 * Generate under the callback wait strategy: every item validated (with the callback set) before the
 * first paid request, then submitted as Submit does; the jobs come back parked for the wait mode to save.
 */
export async function submitForCallback<Input extends JobInput>(
	ctx: IExecuteFunctions,
	provider: VideoProvider<Input>,
	url: string,
	{ properties }: Pick<RunOverride, 'properties'> = {},
): Promise<{ items: INodeExecutionData[]; parked: ParkedJob[] }> {
	const run = new NodeRun(ctx, provider, { operation: 'submit', wait: { kind: 'callback', url }, properties });
	const [items] = await run.run();
	return { items: items ?? [], parked: run.parked(Date.now()) };
}

/**
 * Which of the given jobs are over: each read once through the engine's item runs (its transport, its
 * failure rules), `concurrency` at a time. A job whose reading fails in a way asking again cannot cure
 * (it is gone, the key is refused) counts as over; anything else is asked again later.
 */
export async function jobsOver<Input extends JobInput>(
	ctx: IExecuteFunctions | IWebhookFunctions,
	provider: VideoProvider<Input>,
	jobs: GivenJob[],
	{ concurrency, requestDeadline }: { concurrency: number; requestDeadline: number },
): Promise<string[]> {
	if (!jobs.length) return [];
	const given = jobs.map((job) => ({ ...job, options: { ...job.options, download: false, waitForCompletion: false, concurrency } }));
	const run = new NodeRun(ctx as IExecuteFunctions, provider, { jobs: given, requestDeadline });
	const [items] = await run.run();
	return jobs.flatMap((job, index) => {
		const failure = run.failures.get(index);
		if (failure !== undefined) return isLastingFailure(failure) ? [job.jobId] : [];
		const status = items?.find((item) => item.pairedItem && (item.pairedItem as { item: number }).item === index)?.json.status;
		return typeof status === 'string' && isFinal(status as JobSnapshot['status']) ? [job.jobId] : [];
	});
}

/** The API root and key of the node's credential; the provider owns its Base URL rule (the credential test applies the same one). */
export async function accountOf<Input extends JobInput, Context>(ctx: IExecuteFunctions | IWebhookFunctions, provider: VideoProvider<Input, Context>): Promise<{ baseUrl: string; secret: string }> {
	const credentials = await ctx.getCredentials(provider.credentialType);
	const credentialBaseUrl = String(credentials.baseUrl ?? '');
	const baseUrl = provider.baseUrl ? provider.baseUrl(credentialBaseUrl, ctx.getNode()) : credentialBaseUrl.replace(/\/+$/, '');
	const node = ctx.getNode();
	guardBaseUrl(node, baseUrl, node.credentials?.[provider.credentialType]?.name ?? provider.credentialType);
	return { baseUrl, secret: String(credentials.apiKey ?? '') };
}

/** One execution of the node over all its items: what the items share (account, batch, pool). */
class NodeRun<Input extends JobInput> {
	readonly items: INodeExecutionData[];
	readonly operation: Operation;
	readonly results: INodeExecutionData[][];
	/** One failing item (without Continue On Fail) stops the batch: no further job is submitted and the others stop waiting. */
	readonly batch = new AbortController();
	readonly executionSignal: AbortSignal | undefined;
	/** Job ids of every item that got one: reported if the batch fails, so no paid job is lost. */
	readonly submitted = new Map<number, string>();
	/** Retry On Fail re-runs the node: jobs of an earlier try are picked up, not bought again. */
	readonly runKey: RunKey | undefined;
	firstError: { error: VideoNodeError; itemIndex: number } | undefined;
	/** Estimates, budget and balance floor of a Generate or Submit run (nodes/shared/cost/cost.ts). */
	spend: RunSpend<Input> | undefined;
	/** Each failed item's error, by item: what the callback wait mode asks of a job it could not read. */
	readonly failures = new Map<number, unknown>();
	private plans: Array<ItemPlan<Input> | undefined> = [];

	constructor(
		readonly ctx: IExecuteFunctions,
		readonly provider: VideoProvider<Input>,
		private readonly override: RunOverride = {},
	) {
		this.items = override.jobs ? override.jobs.map(() => ({ json: {} })) : ctx.getInputData();
		this.operation = override.jobs ? 'get' : (override.operation ?? (ctx.getNodeParameter('operation', 0) as Operation));
		this.results = new Array(this.items.length);
		this.executionSignal = ctx.getExecutionCancelSignal?.();
		if (this.executionSignal?.aborted) this.batch.abort();
		this.executionSignal?.addEventListener('abort', () => this.batch.abort(), { once: true });
		this.runKey = runKeyOf(ctx);
	}

	async run(): Promise<INodeExecutionData[][]> {
		const { ctx, provider } = this;
		// Every item is read and validated before the first request: a bad item 3 must not let items 1
		// and 2 spend credits first.
		const plans = (this.plans = this.items.map((_, itemIndex) => this.plan(itemIndex)));

		const account = await accountOf(ctx, provider);
		// Cost: Estimate answers from the price tables alone; a budget below the estimates stops the run here, before any submit.
		if (this.operation === 'estimate') return [await this.estimate(plans, account)];
		if (this.operation !== 'get') {
			const items = plans.flatMap((plan, itemIndex) => (plan?.input ? [{ itemIndex, input: plan.input, context: plan.context }] : []));
			const transport = (root: string) => new Transport(ctx, provider, root, this.batch.signal, account.secret);
			this.spend = await RunSpend.prepare(ctx, provider.cost, items, transport(account.baseUrl), (rootOf) => transport(rootOf(account.baseUrl)));
		}
		// Concurrency 0 (the default) is automatic; a number is a fixed upper bound. The slowest item's
		// setting wins, as items of one node run share one provider account.
		const fixed = Math.min(...plans.map((p) => p?.options.concurrency || Number.POSITIVE_INFINITY));
		const slots = new SlotPool(Number.isFinite(fixed) ? fixed : AUTO_LIMIT, this.items.length);

		// Every item waits for a slot in item order; the pool decides how many run.
		await Promise.all(
			plans.map(async (plan, itemIndex) => {
				if (!plan || this.batch.signal.aborted) return;
				await new ItemRun(this, itemIndex, plan, account, new ItemSlot(slots, this.batch.signal)).settle();
			}),
		);

		// Every item done (no error output, which would make n8n retry too): no retry can follow.
		if (this.runKey && !this.firstError && !this.results.some((r) => r?.some((item) => item.json.error !== undefined))) resumeMemory.forgetRun(this.runKey);

		if (this.firstError) {
			const { error, itemIndex } = this.firstError;
			const others = [...this.submitted].filter(([index]) => index !== itemIndex);
			if (others.length && this.operation !== 'get') {
				error.description = [
					error.description,
					`Jobs of other items, already paid for: ${others.map(([i, id]) => `item ${i + 1}: ${id}`).join(', ')}. Use the Get operation with these IDs to fetch them.`,
				]
					.filter(Boolean)
					.join(' ');
			}
			throw error;
		}
		return [this.results.flat()];
	}

	/** The Estimate operation: each valid item's `cost` as Generate would incur it; no paid request is made. */
	private async estimate(plans: Array<ItemPlan<Input> | undefined>, account: { baseUrl: string; secret: string }): Promise<INodeExecutionData[]> {
		const { ctx, provider } = this;
		const items = plans.flatMap((plan, itemIndex) => (plan?.input ? [{ itemIndex, input: plan.input }] : []));
		const quotes = await estimateItems(provider.cost, ctx, items, new Transport(ctx, provider, account.baseUrl, this.batch.signal, account.secret));
		for (const { itemIndex, input } of items)
			this.results[itemIndex] = [
				{
					json: { provider: provider.name, ...(isVersion2(ctx) ? { providerName: provider.displayName } : {}), model: input.model, cost: costOf(provider.cost, undefined, quotes.get(itemIndex)) },
					pairedItem: { item: itemIndex },
				},
			];
		return this.results.flat();
	}

	/** Failures as items: with Continue On Fail, and always for given jobs (their caller reports them). */
	continueOnFail(): boolean {
		return !!this.override.jobs || this.ctx.continueOnFail();
	}

	/** Given jobs read for the callback wait mode's resume: failed jobs in Generate's words. */
	get reportsAsGenerate(): boolean {
		return !!this.override.reportAsGenerate;
	}

	get requestDeadline(): number | undefined {
		return this.override.requestDeadline;
	}

	/** The jobs this run submitted under the callback wait strategy, as the execution keeps them while it waits. */
	parked(submittedAt: number): ParkedJob[] {
		return [...this.submitted].map(([item, jobId]) => {
			const plan = this.plans[item] as ItemPlan<Input>;
			const status = this.results[item]?.[0]?.json.status;
			const job: ParkedJob = {
				item,
				jobId,
				deadline: submittedAt + plan.options.maxWait * 1000,
				maxWait: plan.options.maxWait,
				options: { ...plan.options, waitForCompletion: false },
				context: plan.context,
				model: plan.input?.model,
			};
			if (typeof status === 'string' && isFinal(status as JobSnapshot['status'])) job.final = true;
			return job;
		});
	}

	/** Reads and validates one item; with Continue On Fail a bad item becomes an error output. */
	private plan(itemIndex: number): ItemPlan<Input> | undefined {
		const { ctx, provider } = this;
		const given = this.override.jobs?.[itemIndex];
		if (given) return { jobId: given.jobId, context: given.context, options: given.options };
		try {
			const options = readOptions(ctx, itemIndex, optionsSpecOf(provider));
			const context = provider.readContext?.(ctx, itemIndex);
			if (this.operation === 'get') return { jobId: readJobId(ctx, itemIndex, provider), context, options };
			const input = provider.readInput(ctx, itemIndex);
			const wait = this.override.wait;
			return { input: wait?.kind === 'callback' ? withCallbackUrl(ctx, provider, input, wait.url, itemIndex) : input, context, options };
		} catch (error) {
			const nodeError = this.named(asNodeError(ctx.getNode(), error), itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			const json: IDataObject = { error: nodeError.message, status: 'failed' };
			if (typeof nodeError.description === 'string' && nodeError.description) json.errorDescription = nodeError.description;
			this.results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
			return undefined;
		}
	}

	/** "item 2" when the node runs on more than one item (n8n's own nodes name the item that failed); none for one. */
	itemLabel(itemIndex: number): string | undefined {
		return this.items.length > 1 ? `item ${itemIndex + 1}` : undefined;
	}

	/** The field as the editor shows it for this node's version ("Duration (Seconds)"), else its name. */
	fieldLabel(field: string): string {
		return fieldDisplayName(this.override.properties, this.ctx.getNode(), field) ?? field;
	}

	/** An invalid-input error in the user's words: the field's display name and the item. */
	named(error: VideoNodeError, itemIndex: number): VideoNodeError {
		const issues = error.context.invalid as InputIssue[] | undefined;
		if (!issues?.length) return error;
		const { message, description } = describeInvalid(issues, (field) => this.fieldLabel(field), this.itemLabel(itemIndex));
		error.message = message;
		error.description = description;
		return error;
	}
}

/** What one item asks for; `context` is what the provider's `status` needs besides the job id (readContext). */
type ItemPlan<Input> = ({ input: Input; jobId?: undefined } | { input?: undefined; jobId: string }) & { context?: unknown; options: EngineOptions };

/** One item's run: its transport, its job (one id, however it came) and its outcome. */
class ItemRun<Input extends JobInput> {
	private readonly ctx: IExecuteFunctions;
	private readonly provider: VideoProvider<Input>;
	private readonly options: EngineOptions;
	private readonly api: Transport;
	/** Where Retry On Fail finds this item's job again; none outside an execution and for `get`. */
	private readonly resumeKey: string | undefined;
	/** The job an earlier try of Retry On Fail submitted for this item: picked up instead of a new one. */
	private readonly resumeJobId: string | undefined;
	private jobId: string | undefined;
	private snapshot: JobSnapshot | undefined;

	constructor(
		private readonly node: NodeRun<Input>,
		private readonly itemIndex: number,
		private readonly plan: ItemPlan<Input>,
		account: { baseUrl: string; secret: string },
		private readonly slot: ItemSlot,
	) {
		this.ctx = node.ctx;
		this.provider = node.provider;
		this.options = plan.options;
		this.api = new Transport(node.ctx, node.provider, account.baseUrl, node.batch.signal, account.secret);
		if (this.options.requestTimeout) this.api.requestTimeoutMs = this.options.requestTimeout * 1000;
		this.api.allowPrivateUrls = this.options.allowPrivateUrls === true;
		if (node.requestDeadline !== undefined) this.api.deadline = node.requestDeadline;
		this.jobId = plan.jobId;
		const { runKey } = node;
		this.resumeKey =
			runKey && plan.input && !isSynchronous(node.provider) ? ResumeMemory.key(runKey, itemIndex, { provider: node.provider.name, input: plan.input, context: plan.context }) : undefined;
		this.resumeJobId = this.resumeKey ? resumeMemory.recall(this.resumeKey) : undefined;
		if (this.resumeJobId) this.log('job picked up again after a retry, not submitted twice', this.resumeJobId);
	}

	/** Runs the item and files its result, or its error (as output with Continue On Fail, else as the batch's error). */
	async settle(): Promise<void> {
		const { node, itemIndex } = this;
		try {
			await this.slot.take();
			// The batch may have stopped while this item waited for its slot: it starts nothing then.
			if (node.batch.signal.aborted) throw canceledError(this.ctx.getNode());
			node.results[itemIndex] = await this.operate();
		} catch (error) {
			if (node.firstError && isCanceled(error)) return; // stopped because another item failed
			node.failures.set(itemIndex, error);
			const nodeError = this.withJob(error);
			if (node.continueOnFail() && !node.executionSignal?.aborted) {
				// A failed item says so in `status`, whatever failed; `jobStatus` is the job's own (a
				// `completed` job whose download failed can be fetched later with Get and its `jobId`).
				const json: IDataObject = { error: nodeError.message, status: 'failed' };
				// What helps, and the provider's own words, which the title leaves out.
				if (typeof nodeError.description === 'string' && nodeError.description) json.errorDescription = nodeError.description;
				if (this.jobId) json.jobId = this.jobId;
				if (this.snapshot) json.jobStatus = this.snapshot.status;
				node.results[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
				return;
			}
			if (!node.firstError) {
				node.firstError = { error: nodeError, itemIndex };
				node.batch.abort();
			}
		} finally {
			this.slot.give();
		}
	}

	private async operate(): Promise<INodeExecutionData[]> {
		const { provider, plan, node } = this;
		if (node.operation === 'get') {
			if (isSynchronous(provider)) throw new NodeOperationError(this.ctx.getNode(), `${provider.displayName} has no get operation`, { itemIndex: this.itemIndex });
			let snapshot = this.track(await provider.status(this.api, plan.jobId as string, plan.context));
			if (this.options.waitForCompletion) snapshot = await this.wait(provider, snapshot);
			// `get` reports a failed job as its status, not as an error: the job is what was asked for.
			const outputs = await this.outputs(snapshot, this.options);
			// A resumed Generate (callback wait mode) says why, as Generate does, besides the job's status.
			if (node.reportsAsGenerate && isFinal(snapshot.status) && snapshot.status !== 'completed') {
				const { message, description } = this.withJob(this.jobFailedError(snapshot));
				for (const item of outputs) {
					item.json.error = message;
					// The provider's words and the job id sit in the description, as on Generate's own failed items.
					if (typeof description === 'string' && description) item.json.errorDescription = description;
				}
			}
			return outputs;
		}
		const input = plan.input as Input;
		let snapshot: JobSnapshot;
		if (isSynchronous(provider)) {
			if (node.operation !== 'generate') throw new NodeOperationError(this.ctx.getNode(), `${provider.displayName} has no ${node.operation} operation`, { itemIndex: this.itemIndex });
			// A synchronous API has no job id of its own; ours names the output and the errors.
			const jobId = (this.jobId = randomUUID());
			snapshot = this.track(await this.submit(() => provider.generate(this.api, input, jobId)));
		} else {
			snapshot = this.track(this.resumeJobId ? await provider.status(this.api, this.resumeJobId, plan.context) : await this.submit(() => provider.start(this.api, input, plan.context)));
			if (node.operation === 'submit') return await this.outputs(snapshot, { ...this.options, download: false });
			snapshot = await this.wait(provider, snapshot);
		}
		if (snapshot.status !== 'completed') throw this.jobFailedError(snapshot);
		return await this.outputs(snapshot, this.options);
	}

	/** A job that ended without its video, as an error. */
	private jobFailedError(snapshot: JobSnapshot): NodeOperationError {
		const error = new NodeOperationError(this.ctx.getNode(), failureMessage(this.provider, snapshot), { itemIndex: this.itemIndex, description: failureHelp(this.provider, snapshot) });
		error.context.failureKind = snapshot.failure?.kind ?? snapshot.status;
		return error;
	}

	/** Every answer about the job passes here: the first id is recorded (and remembered for Retry On Fail). */
	private track(answer: JobSnapshot): JobSnapshot {
		const snapshot = redactSnapshot(finished(answer), this.api);
		// A hostile answer's id would walk up the API path on the next status check.
		const idProblem = jobIdProblem(snapshot.jobId, this.provider);
		if (idProblem) throw new NodeOperationError(this.ctx.getNode(), `${this.provider.displayName} answered with an unusable job ID: ${idProblem}`, { itemIndex: this.itemIndex });
		this.node.spend?.onAnswer(this.itemIndex, snapshot);
		if (!this.jobId) this.recordJob(snapshot.jobId);
		this.jobId = snapshot.jobId;
		this.snapshot = snapshot;
		return snapshot;
	}

	private recordJob(jobId: string) {
		this.node.submitted.set(this.itemIndex, jobId);
		if (!this.resumeKey || this.resumeJobId) return;
		resumeMemory.remember(this.resumeKey, jobId, this.options.maxWait * 1000);
		// The trace a crash leaves: the job id in n8n's log (no prompt, no key).
		this.log('job submitted', jobId);
	}

	/** Makes the paid request (start or generate) through the slot pool's capacity handling. */
	private async submit(submitJob: () => Promise<JobSnapshot>): Promise<JobSnapshot> {
		const synchronous = isSynchronous(this.provider);
		// Max Cost per Run and Keep Balance Above: refused here, nothing is paid.
		await this.node.spend?.beforeSubmit(this.itemIndex, this.plan.context);
		const deadline = Date.now() + (synchronous ? SYNCHRONOUS_CAPACITY_WAIT_MS : this.options.maxWait * 1000);
		const outcome = await this.slot.submit(submitJob, deadline, { is: isCapacityRefusal, retryAfterMs: retryAfterOf });
		if (outcome.ok) return outcome.value;
		this.node.spend?.onSubmitFailed(this.itemIndex);
		const error = asNodeError(this.ctx.getNode(), outcome.error);
		if (isCapacityRefusal(outcome.error)) {
			// Still refused when time ran out: the provider's own words stay the message.
			const waited = synchronous ? `${SYNCHRONOUS_CAPACITY_WAIT_MS / 1000} s` : `Max Wait (${this.options.maxWait} s)`;
			error.description = [error.description, `The node waited up to ${waited} for capacity and asked ${outcome.attempts} time(s); no job was made.`].filter(Boolean).join(' ');
		}
		throw error;
	}

	/**
	 * Polls until the job is final. The user's interval is the floor; checks space out as the job runs
	 * long. No sleep follows the final status, and a canceled execution ends the sleep at once.
	 */
	private async wait(provider: AsyncVideoProvider<Input>, first: JobSnapshot): Promise<JobSnapshot> {
		const { maxWait, pollInterval } = this.options;
		const startedAt = Date.now();
		const deadline = startedAt + maxWait * 1000;
		// No single request outlives Max Wait.
		this.api.deadline = deadline;
		let snapshot = first;
		// Gaps run from one check's start to the next, so a slow answer does not push every later check.
		let checkedAt = startedAt;
		while (!isFinal(snapshot.status)) {
			const now = Date.now();
			if (now >= deadline)
				throw new NodeOperationError(this.ctx.getNode(), `The ${provider.displayName} job did not finish within Max Wait (${maxWait} s)`, {
					description: `Its last status was ${snapshot.status}, and it keeps running at ${provider.displayName}. To wait longer next time, raise Max Wait in Options.`,
				});
			const nextCheckAt = checkedAt + nextPollDelayMs(checkedAt - startedAt, pollInterval * 1000);
			await cancellableSleep(Math.max(0, Math.min(nextCheckAt, deadline) - now), this.node.batch.signal);
			checkedAt = Date.now();
			snapshot = this.track(await provider.status(this.api, snapshot.jobId, this.plan.context));
		}
		return snapshot;
	}

	/** One output item per video (one without a video when there is none to attach). */
	private async outputs(snapshot: JobSnapshot, options: EngineOptions): Promise<INodeExecutionData[]> {
		const { itemIndex } = this;
		const model = this.plan.input?.model;
		const name = this.plan.input?.name;
		const json: IDataObject = { jobId: snapshot.jobId, status: snapshot.status, provider: this.provider.name };
		// Node version 2 (issue 26): the provider's name as users know it, sizes with their unit, readable file names.
		const v2 = isVersion2(this.ctx);
		if (v2) json.providerName = this.provider.displayName;
		if (model) json.model = model;
		if (snapshot.progress !== undefined) json.progress = snapshot.progress;
		if (snapshot.credits !== undefined) json.credits = snapshot.credits;
		json.cost = costOf(this.provider.cost, snapshot, this.node.spend?.quote(itemIndex));
		if (snapshot.failure) json.error = snapshot.failure.message;
		Object.assign(json, snapshot.details);
		const videos = snapshot.status === 'completed' ? snapshot.videos : [];
		if (v2 && json.fileSize !== undefined) {
			json.fileSizeBytes = json.fileSize;
			delete json.fileSize;
		}
		if (!videos.length) return [{ json, pairedItem: { item: itemIndex } }];
		const items: INodeExecutionData[] = [];
		for (const [index, video] of videos.entries()) {
			const itemJson: IDataObject = { ...json };
			if (video.url) itemJson.videoUrl = this.api.redact(video.url);
			if (videos.length > 1) itemJson.videoIndex = index;
			const item: INodeExecutionData = { json: itemJson, pairedItem: { item: itemIndex } };
			// Bytes in hand with no URL (a synchronous API's answer) are stored even with Download off: nothing else keeps them.
			if (options.download || (video.data && !video.url)) {
				const base = name || (v2 ? readableFileBase(this.provider.displayName, model, snapshot.jobId) : snapshot.jobId);
				const fileBase = videos.length > 1 ? `${base}-${index + 1}` : base;
				const stored = await storeVideo(this.ctx, this.api, video, fileBase, this.downloadRules(snapshot, index, options));
				const binary: IBinaryData = stored.binary;
				if (stored.url && stored.url !== video.url) itemJson.videoUrl = stored.url;
				item.binary = { [options.binaryPropertyName]: binary };
				itemJson.fileName = binary.fileName;
				itemJson.mimeType = binary.mimeType;
				const bytes = (binary as IBinaryData & { bytes?: number }).bytes;
				if (bytes !== undefined) itemJson[v2 ? 'fileSizeBytes' : 'fileSize'] = bytes;
				Object.assign(itemJson, video.detailsAfterData?.());
			}
			// Version 2: one size field, with its unit in the name, whoever reported it (a provider's details too).
			if (v2 && itemJson.fileSize !== undefined) {
				itemJson.fileSizeBytes ??= itemJson.fileSize;
				delete itemJson.fileSize;
			}
			items.push(item);
		}
		return items;
	}

	/** How a video of this job is downloaded: the user's limits, and (jobs with a status) a fresh link for a refused one. */
	private downloadRules(snapshot: JobSnapshot, index: number, options: EngineOptions): DownloadRules {
		const { provider, plan } = this;
		const rules: DownloadRules = {
			jobId: snapshot.jobId,
			stallMs: options.stallTimeout * 1000,
			timeoutMs: options.downloadTimeout * 1000,
			maxBytes: options.maxDownloadSize * 1024 * 1024,
		};
		if (isSynchronous(provider)) return rules;
		// A status check is free and never makes a job: a signed link that expired gets renewed by it.
		rules.refresh = async () => {
			const fresh = finished(await provider.status(this.api, snapshot.jobId, plan.context));
			return fresh.status === 'completed' ? fresh.videos[index]?.url : undefined;
		};
		return rules;
	}

	/**
	 * Every failure as an n8n error in the user's words: the item (when there are several) and, once a
	 * job exists, its id. "Run Get" is offered only where Get can still bring the video: a job still
	 * running (Max Wait reached, a canceled execution, a network error while polling) or a completed
	 * one whose download failed. A failed or canceled job gets no such offer: Get would only report it
	 * as failed.
	 */
	private withJob(error: unknown): VideoNodeError {
		const { provider, jobId } = this;
		const nodeError = this.node.named(asNodeError(this.ctx.getNode(), error), this.itemIndex);
		// Provider texts reach errors in many ways (answers, echoes): none may carry the key.
		nodeError.message = this.api.redact(nodeError.message);
		if (typeof nodeError.description === 'string') nodeError.description = this.api.redact(nodeError.description);
		if (isCanceled(error)) nodeError.message = jobId ? `The execution was canceled while the ${provider.displayName} job was running` : 'The execution was canceled';
		nodeError.context.itemIndex = this.itemIndex;
		const item = this.node.itemLabel(this.itemIndex);
		if (item && !nodeError.message.endsWith(`(${item})`)) nodeError.message += ` (${item})`;
		if (!jobId) return nodeError;
		nodeError.context.jobId = jobId;
		// A status check answered with a moderation verdict is as final as a failed job.
		const verdict = (nodeError.context.api as { kind?: string } | undefined)?.kind === 'moderation';
		// The Get operation itself gets no offer of Get: the user is already running it.
		const fetchable =
			!isSynchronous(provider) && this.node.operation !== 'get' && !verdict && this.snapshot?.status !== 'failed' && this.snapshot?.status !== 'canceled';
		nodeError.context.fetchable = fetchable;
		const job = fetchable
			? `The job was submitted to ${provider.displayName} with ID ${jobId}. Run this node with the Get operation and this Job ID to pick it up without paying again.`
			: `Job ID: ${jobId}.`;
		const said = typeof nodeError.description === 'string' ? nodeError.description : '';
		if (!said.includes(jobId) || fetchable) nodeError.description = [said, job].filter(Boolean).join(' ');
		return nodeError;
	}

	private log(what: string, jobId: string) {
		const { ctx, provider } = this;
		ctx.logger?.info(`${provider.displayName} ${what}`, {
			jobId,
			provider: provider.name,
			model: this.plan.input?.model,
			workflowId: ctx.getWorkflow?.().id,
			executionId: ctx.getExecutionId?.(),
			node: ctx.getNode().name,
			itemIndex: this.itemIndex,
		});
	}
}

/**
 * The input with the provider's callback set to `url` (the callback wait strategy). An input that cannot
 * take it (the user set a callback of their own) is refused before anything is paid.
 */
function withCallbackUrl<Input extends JobInput>(ctx: IExecuteFunctions, provider: VideoProvider<Input>, input: Input, url: string, itemIndex: number): Input {
	const node = ctx.getNode();
	if (isSynchronous(provider) || !provider.withCallback)
		throw new NodeOperationError(node, `${provider.displayName} cannot call back`, { description: 'Set Options → Wait Mode to Poll While Running.' });
	try {
		return provider.withCallback(input, url);
	} catch (error) {
		throw new NodeOperationError(node, error instanceof Error ? error.message : String(error), {
			itemIndex,
			description: 'Nothing was sent to the provider, so no credits were used.',
		});
	}
}

/** Version 2 of a node (issue 26) adds output fields; version 1's stay as saved workflows read them. */
function isVersion2(ctx: IExecuteFunctions): boolean {
	return (ctx.getNode().typeVersion ?? 1) >= 2;
}

/**
 * A file name a person can read: provider, model and the job ID's first characters, e.g.
 * `ai-ml-api-pixverse-v5-text-to-video-cbf71e1e`, instead of the raw job ID.
 */
export function readableFileBase(providerName: string, model: string | undefined, jobId: string): string {
	const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
	const shortId = jobId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'video';
	return [slug(providerName), model ? slug(model) : 'video', shortId.toLowerCase()].filter(Boolean).join('-');
}

/** Which node run of which execution this is; none outside a real execution (no resume then). */
function runKeyOf(ctx: IExecuteFunctions): RunKey | undefined {
	const executionId = ctx.getExecutionId?.();
	if (!executionId) return undefined;
	const node = ctx.getNode();
	return { executionId: String(executionId), node: node.id || node.name };
}

function readJobId(ctx: IExecuteFunctions, itemIndex: number, provider: { jobIdMayContainSlash?: boolean }): string {
	const jobId = String(ctx.getNodeParameter('jobId', itemIndex, '') ?? '').trim();
	const problem = jobId ? jobIdProblem(jobId, provider) : 'Job ID is empty';
	if (problem) throw invalidInput(ctx.getNode(), itemIndex, [{ field: 'jobId', problem: `${problem}. Give the ID that the Submit operation (or an error message) returned` }]);
	return jobId;
}

/**
 * Why a job ID cannot be used: one made only of dots walks up the API path (`/tasks/..`), and a `/`
 * reaches another route, unless the provider's IDs are documented to contain it and travel in a query
 * (AI/ML API's `<uuid>:<model>`, models like `pixverse/v5/text-to-video`). Control characters never.
 */
export function jobIdProblem(jobId: string, provider: { jobIdMayContainSlash?: boolean }): string | undefined {
	if (/^\.+$/.test(jobId)) return `Job ID "${jobId}" is made only of dots`;
	if (!provider.jobIdMayContainSlash && /[/\\]/.test(jobId)) return `Job ID "${jobId}" contains a slash`;
	if (/[\u0000-\u001f\u007f]/.test(jobId)) return 'Job ID contains control characters';
	return undefined;
}

/** A snapshot with every provider text redacted (failure reasons, text details): they go to the output as they are. */
function redactSnapshot(snapshot: JobSnapshot, api: Transport): JobSnapshot {
	const failure = snapshot.failure ? { ...snapshot.failure, message: api.redact(snapshot.failure.message) } : undefined;
	const details = snapshot.details
		? Object.fromEntries(Object.entries(snapshot.details).map(([key, value]) => [key, typeof value === 'string' ? api.redact(value) : value]))
		: undefined;
	return { ...snapshot, failure, details };
}

/** The engine's own reason for a "complete" job without a video (not the provider's words). */
const NO_VIDEO = 'the provider reported the job complete but gave no video';

/**
 * What "finished" means is the engine's: a job the provider calls complete but that has no video is a
 * failed job (its id goes into the error), whatever the provider.
 */
export function finished(snapshot: JobSnapshot): JobSnapshot {
	if (snapshot.status !== 'completed' || snapshot.videos.length) return snapshot;
	return { ...snapshot, status: 'failed', failure: { message: NO_VIDEO, kind: 'other' } };
}

/** A failed job's title: what happened, in plain words (the provider's own words go to the description). */
export function failureMessage(provider: VideoProvider<JobInput>, snapshot: JobSnapshot): string {
	if (snapshot.status === 'canceled') return `The ${provider.displayName} job was canceled`;
	if (snapshot.failure?.message === NO_VIDEO) return `${provider.displayName} reported the job complete but gave no video`;
	if (snapshot.failure?.kind === 'moderation') return `${provider.displayName} rejected the prompt at content moderation`;
	if (snapshot.failure?.kind === 'credits') return `Your ${provider.displayName} account is out of credits`;
	return `${provider.displayName} could not make the video`;
}

/** A failed job's description: what helps, then the provider's reason once, quoted. */
export function failureHelp(provider: VideoProvider<JobInput>, snapshot: JobSnapshot): string {
	const name = provider.displayName;
	const reason = snapshot.failure?.message;
	let help: string;
	if (snapshot.status === 'canceled') help = `The job was canceled at ${name} (in its dashboard, or by ${name} itself). Run the node again to make a new video.`;
	else if (snapshot.failure?.kind === 'moderation')
		help = 'Rephrase the prompt (and check the input image, if any) and run the node again: the same input would be refused again.';
	else if (snapshot.failure?.kind === 'credits') help = `Add credits to your ${name} account, then run the node again.`;
	else help = 'Run the node again to try once more. If it fails again, change the input: the prompt, the image, or the model and its settings.';
	const said = reason && reason !== NO_VIDEO ? ` ${name} said: "${reason}"` : '';
	return help + said;
}
