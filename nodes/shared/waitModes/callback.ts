import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { jobsOver, runVideoNode, submitForCallback, type ParkedJob, type RunOverride } from '../engine/engine';
import { cancellableSleep } from '../engine/sleep';
import type { AsyncVideoProvider, JobInput } from '../engine/providerContract';

/**
 * Wait Mode "Wait for Callback": Generate submits every item's job with the URL of this execution as
 * the provider's callback, then puts the execution to wait in n8n's database (n8n's own mechanism, as
 * the Wait node and the "send and wait" nodes use it), so no process or queue worker is busy while the
 * provider renders. Provider-agnostic: a provider takes part by implementing `withCallback`.
 *
 * What n8n does (read from n8n 2.41.1 and 1.123.81, the same in both):
 * - `putExecutionToWait(waitTill)` saves the execution as `waiting`. A POST to `$execution.resumeUrl`
 *   (n8n/dist/webhooks/waiting-webhooks.js; in 2.x it carries a `signature` token n8n checks) runs
 *   this node's `webhook()`. Returning no `workflowData` leaves the execution waiting; returning
 *   `workflowData` resumes it, and that data becomes this node's output: n8n does NOT run `execute()`
 *   again (the node is marked disabled and passes the data on; n8n-core WorkflowExecute).
 * - When `waitTill` passes, n8n's WaitTracker resumes the execution by itself and WorkflowExecute's
 *   handleWaitingState again disables the node: it passes on its input items, and no code of ours
 *   runs. So the items this node waits with are made the output for that case (one per job, with its
 *   job ID and an `error` saying Max Wait passed), and they also carry what `webhook()` needs (the
 *   job IDs): n8n hands the waiting node's input to `webhook()` as its input data.
 *
 * A call to the URL is only a wake-up: its body at most names the job to read (the provider's
 * `callbackJobId`), and that job is read from the provider with the credential; progress calls and
 * calls from anyone else who learned the URL find a job that is not final and leave the execution
 * waiting. The work a call can cause is bounded (see ParkedExecution below). Once every job is final (or its Max Wait passed), the
 * videos are downloaded into binary data through the engine's own Get, so the output is Generate's.
 *
 * The engine does the work (nodes/shared/engine/engine.ts): it validates and submits under its
 * `callback` wait strategy, reads the jobs on each call with its transport and failure rules, and
 * words failed jobs as Generate does. This module is only n8n's side of the wait: the resume URL,
 * the parked jobs saved in the execution, and the bounds on what calls may cause.
 */

export const WAIT_MODE_POLL = 'poll';
export const WAIT_MODE_CALLBACK = 'callback';

/** The option (in a node's Options) that switches Generate to this mode. */
export const waitModeOption: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	noDataExpression: true,
	default: 'poll',
	displayOptions: { show: { '/operation': ['generate'] } },
	options: [
		{
			name: 'Poll While Running',
			value: 'poll',
			description: 'Check the job until it ends; the execution, and a queue-mode worker, stays busy meanwhile',
		},
		{
			name: 'Wait for Callback (Frees the Worker)',
			value: 'callback',
			description:
				"Submit, then let the execution sleep in n8n's database until the provider calls back. Needs an n8n URL the provider can reach (N8N_WEBHOOK_URL).",
		},
	],
	description:
		'How Generate waits for the video. Wait for Callback resumes once every item\'s job has ended, or after Max Wait with the unfinished jobs\' IDs.',
};

/** The node's resume webhook: POST to `$execution.resumeUrl` (no suffix). */
export const callbackWebhooks: IWebhookDescription[] = [
	{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: '', restartWebhook: true },
];

/** Where a waiting item keeps what the resume needs (it is also the output if Max Wait passes). */
export const CALLBACK_STATE_KEY = 'waitForCallback';

interface WaitingItem {
	json: IDataObject;
	/** Absent for an item that ended before the wait (an error item under Continue On Fail). */
	job?: ParkedJob;
	item: number;
}

/** Whether this run of the node is a Generate in Wait for Callback mode (read from the first item). */
export function waitsForCallback(ctx: IExecuteFunctions): boolean {
	if (ctx.getNodeParameter('operation', 0) !== 'generate') return false;
	const options = (ctx.getNodeParameter('options', 0, {}) ?? {}) as IDataObject;
	return options.waitMode === WAIT_MODE_CALLBACK;
}

type Provider<Input extends JobInput, Context> = AsyncVideoProvider<Input, Context>;

/** A job still running when Max Wait ends the wait: the engine's Max Wait wording; Get can still bring its video, so it is offered. */
const timedOut = (provider: { displayName: string }, jobId: string, maxWait: number): IDataObject => ({
	error: `The ${provider.displayName} job did not finish within Max Wait (${maxWait} s)`,
	errorDescription:
		`n8n resumed the workflow without its video; the job keeps running at ${provider.displayName}. To wait longer next time, raise Max Wait in Options. ` +
		`The job was submitted to ${provider.displayName} with ID ${jobId}. Run this node with the Get operation and this Job ID to pick it up without paying again.`,
});

const pairedIndex = (item: INodeExecutionData): number => {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'object' && paired ? paired.item : typeof paired === 'number' ? paired : 0;
};

/**
 * Generate in Wait for Callback mode: the engine validates and submits every item under its callback
 * wait strategy (before the first paid request every item is checked; capacity refusals, Retry On Fail
 * and errors naming job IDs as everywhere), with the execution's resume URL as the callback; the jobs
 * it parked are saved in the execution, which is put to wait.
 */
export async function runWithCallback<Input extends JobInput, Context>(
	ctx: IExecuteFunctions,
	provider: Provider<Input, Context>,
	// The node's properties, as runVideoNode takes them: invalid input is named as the editor shows it.
	{ properties }: Pick<RunOverride, 'properties'> = {},
): Promise<INodeExecutionData[][]> {
	const node = ctx.getNode();
	if (/Tool$/.test(node.type))
		throw new NodeOperationError(node, 'Wait Mode "Wait for Callback" cannot run while the node is used as a tool', {
			description: 'Set Options → Wait Mode to Poll While Running.',
		});
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	if (!/^https?:\/\/[^/]/i.test(resumeUrl))
		throw new NodeOperationError(node, `n8n gave no resume URL for this execution (got "${resumeUrl}")`, {
			description: 'Wait for Callback needs a saved execution of a running n8n (not the command line).',
		});

	const { items: submitted, parked } = await submitForCallback(ctx, provider, resumeUrl, { properties });
	const waiting: WaitingItem[] = submitted.map((out) => {
		const item = pairedIndex(out);
		const job = out.json.error === undefined ? parked.find((parkedJob) => parkedJob.item === item) : undefined;
		return { json: { ...out.json }, item, job };
	});
	const waitTill = Math.max(0, ...parked.filter((job) => !job.final).map((job) => job.deadline));

	// Every job already over (or none made): no wait, the result now.
	if (!waitTill) return [await finish(ctx, provider, waiting)];

	// The items the node waits with: what webhook() reads back, and the output if Max Wait passes.
	const stateItems: INodeExecutionData[] = waiting.map(({ json, item, job }) => ({
		json: job ? { ...json, ...timedOut(provider, job.jobId, job.maxWait), [CALLBACK_STATE_KEY]: job as unknown as IDataObject } : json,
		pairedItem: { item },
	}));
	const executeData = ctx.getExecuteData();
	executeData.data = { ...executeData.data, main: [stateItems] };
	ctx.logger?.info(`${provider.displayName}: execution waits for the provider to call back`, {
		executionId: ctx.getExecutionId?.(),
		node: node.name,
		jobIds: waiting.flatMap(({ job }) => (job ? [job.jobId] : [])),
		waitTill: new Date(waitTill).toISOString(),
	});
	await ctx.putExecutionToWait(new Date(waitTill));
	// What the editor shows while the execution waits (n8n replaces it when the execution resumes).
	return [submitted];
}

/**
 * Bounded work per parked execution, in this process (the main or webhook process that n8n runs the
 * resume webhook in): calls are cheap to make and anyone who can reach the URL may make them.
 * - one check at a time (single flight): a call that arrives while a check runs only adds its job to
 *   the next check and returns; the running call takes it along;
 * - checks start at least MIN_CHECK_GAP_MS apart;
 * - a call that names one of this execution's jobs (Kling's body: the task) reads that job only, still
 *   from the API; a call naming none, the first check in this process, and one check a minute read
 *   every job not yet known to be over (so a lost final call costs a minute, not Max Wait);
 * - at most CHECK_CONCURRENCY status requests at once;
 * - the finish (each job read once more and its video downloaded) runs once, in the call that found
 *   the last job over; later calls do nothing.
 */
const MIN_CHECK_GAP_MS = 1000;
const SWEEP_GAP_MS = 60_000;
const CHECK_CONCURRENCY = 4;
/** How long one check's requests may take, retries included. */
const CHECK_REQUEST_MS = 20_000;

interface ParkedExecution {
	/** Job ids known to be over (read as final from the API). */
	over: Set<string>;
	/** What the next check reads: job ids named by calls, or every job. */
	pending: Set<string>;
	pendingAll: boolean;
	running: boolean;
	finished: boolean;
	lastCheckAt: number;
	lastSweepAt: number;
	/** Forgotten after this (epoch ms): the last Max Wait, and some. */
	expiresAt: number;
}

const parked = new Map<string, ParkedExecution>();

function parkedExecution(key: string, jobs: ParkedJob[], now: number): ParkedExecution {
	for (const [other, state] of parked) if (state.expiresAt < now && !state.running) parked.delete(other);
	let state = parked.get(key);
	if (!state) {
		const expiresAt = Math.max(...jobs.map((job) => job.deadline)) + 10 * 60_000;
		state = { over: new Set(), pending: new Set(), pendingAll: true, running: false, finished: false, lastCheckAt: 0, lastSweepAt: 0, expiresAt };
		parked.set(key, state);
	}
	return state;
}

/** What n8n's resume webhook does: read the jobs the call concerns, keep waiting or resume with the videos. */
export async function resumeFromCallback<Input extends JobInput, Context>(ctx: IWebhookFunctions, provider: Provider<Input, Context>): Promise<IWebhookResponseData> {
	// One short answer for every caller, before any work; nothing is returned to the caller.
	ctx.getResponseObject().status(200).json({ received: true });
	const keepWaiting: IWebhookResponseData = { noWebhookResponse: true };
	// A throw here would make n8n end the execution with an empty output: never throw.
	try {
		const waiting = readWaitingItems(ctx);
		const jobs = waiting.flatMap(({ job }) => (job ? [job] : []));
		if (!jobs.length) return keepWaiting;
		const state = parkedExecution(`${String(ctx.getExecutionId?.() ?? '')}|${ctx.getNode().name}`, jobs, Date.now());
		if (state.finished) return keepWaiting;
		// The body only says which job to read; what the job is comes from the API.
		const named = namedJob(ctx, provider, jobs);
		if (named) {
			if (!state.over.has(named)) state.pending.add(named);
		} else state.pendingAll = true;
		if (state.running) return keepWaiting;
		state.running = true;
		try {
			for (;;) {
				const now = Date.now();
				if (jobs.every((job) => state.over.has(job.jobId) || now >= job.deadline)) {
					state.finished = true;
					try {
						return { noWebhookResponse: true, workflowData: [await finish(ctx, provider, waiting)] };
					} catch (error) {
						// The next call may try again, rather than the execution waiting until Max Wait.
						state.finished = false;
						throw new NodeOperationError(ctx.getNode(), error as Error);
					}
				}
				if (!state.pendingAll && !state.pending.size) return keepWaiting;
				const gap = state.lastCheckAt + MIN_CHECK_GAP_MS - now;
				if (gap > 0) await cancellableSleep(gap, undefined);
				const sweep = state.pendingAll || Date.now() - state.lastSweepAt >= SWEEP_GAP_MS;
				const targets = jobs.filter((job) => !state.over.has(job.jobId) && Date.now() < job.deadline && (sweep || state.pending.has(job.jobId)));
				state.pending.clear();
				state.pendingAll = false;
				state.lastCheckAt = Date.now();
				if (sweep) state.lastSweepAt = state.lastCheckAt;
				// Read through the engine; a callback is no place for long retries: the next call, or Max Wait, comes anyway.
				const over = await jobsOver(ctx, provider, targets, { concurrency: CHECK_CONCURRENCY, requestDeadline: Date.now() + CHECK_REQUEST_MS });
				for (const jobId of over) state.over.add(jobId);
			}
		} finally {
			state.running = false;
		}
	} catch (error) {
		ctx.logger?.warn(`${provider.displayName}: a callback could not be handled; the execution keeps waiting`, {
			executionId: ctx.getExecutionId?.(),
			error: error instanceof Error ? error.message : String(error),
		});
		return keepWaiting;
	}
}

/** The job of this execution the call's body names, if the provider reads one from it. */
function namedJob<Input extends JobInput, Context>(ctx: IWebhookFunctions, provider: Provider<Input, Context>, jobs: ParkedJob[]): string | undefined {
	if (!provider.callbackJobId) return undefined;
	let named: string | undefined;
	try {
		named = provider.callbackJobId(ctx.getBodyData());
	} catch {
		return undefined;
	}
	return named !== undefined && jobs.some((job) => job.jobId === named) ? named : undefined;
}

/** The waiting node's input items (n8n gives the webhook the waiting node's input). */
function readWaitingItems(ctx: IWebhookFunctions): WaitingItem[] {
	const text = ctx.evaluateExpression('{{ JSON.stringify($input.all()) }}', 0);
	const items = JSON.parse(String(text)) as INodeExecutionData[];
	return items.map((entry) => {
		const json = { ...(entry.json ?? {}) };
		const job = json[CALLBACK_STATE_KEY] as unknown as ParkedJob | undefined;
		delete json[CALLBACK_STATE_KEY];
		return { json, job, item: job?.item ?? pairedIndex(entry) };
	});
}

/**
 * The node's output: each job read once more and its video downloaded, through the engine's Get
 * (so the items are Generate's, binary property and file names included), in item order.
 */
async function finish<Input extends JobInput, Context>(
	ctx: IExecuteFunctions | IWebhookFunctions,
	provider: Provider<Input, Context>,
	waiting: WaitingItem[],
): Promise<INodeExecutionData[]> {
	const jobs = waiting.flatMap(({ job }) => (job ? [job] : []));
	let fetched: INodeExecutionData[] = [];
	if (jobs.length) {
		// Get on each job, failed jobs in Generate's words; an item's failure is its own output here: n8n gives a resumed node no way to stop the workflow.
		const given = jobs.map(({ jobId, options, context }) => ({ jobId, options: { ...options }, context }));
		fetched = (await runVideoNode(ctx as IExecuteFunctions, provider, { jobs: given, reportAsGenerate: true }))[0] ?? [];
	}
	const output: INodeExecutionData[] = [];
	for (const { json, job, item } of waiting) {
		if (!job) {
			output.push({ json, pairedItem: { item } });
			continue;
		}
		const index = jobs.indexOf(job);
		for (const result of fetched.filter((r) => pairedIndex(r) === index)) {
			const { jobId, status, provider: name, ...rest } = result.json;
			const itemJson: IDataObject = { jobId: jobId ?? job.jobId, status, provider: name ?? provider.name };
			if (job.model) itemJson.model = job.model;
			Object.assign(itemJson, rest);
			if (status === undefined) delete itemJson.status;
			// Still running when Max Wait passed (a job that ended without a video has the engine's words already).
			if (status === 'queued' || status === 'processing') Object.assign(itemJson, timedOut(provider, job.jobId, job.maxWait));
			output.push({ ...result, json: itemJson, pairedItem: { item } });
		}
	}
	return output;
}
