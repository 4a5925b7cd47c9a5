/**
 * What every provider's integration test repeats: a sandbox started once, reset before each test and
 * closed with the binary store; the provider's requests by route; the checks on results.
 */
import type { ICredentialType, IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import { binaryBytes, cleanupBinaryData, runNode, type RunNodeResult } from './n8n';
import { sha256, startSandbox, type Sandbox, type SandboxJob } from './sandbox';

export interface RunExtra {
	items?: IDataObject[];
	/** Whole input items (with binary data), instead of `items`. */
	inputItems?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** Another key than the sandbox's (a wrong one). */
	apiKey?: string;
	/** Another base URL than the provider's sandbox root. */
	baseUrl?: string;
	/** The same id as an earlier run makes this run a Retry On Fail try of it. */
	executionId?: string;
}

export type Run = (parameters: IDataObject, extra?: RunExtra) => Promise<RunNodeResult>;

export interface ProviderSandbox {
	readonly sandbox: Sandbox;
	/** Runs the node against this provider's sandbox: `defaults` under the test's parameters, polls every 0.1 s unless told. */
	runner(nodeType: INodeType, credentialType: ICredentialType, defaults: IDataObject): Run;
	jobs(): SandboxJob[];
	submits(): Sandbox['requests'];
	polls(): Sandbox['requests'];
	downloads(): Sandbox['requests'];
	/** The item's binary holds the bytes the sandbox served for the item's job. */
	expectVideoOf(result: RunNodeResult, index?: number): Promise<void>;
	/**
	 * Submit (the job at once, no poll, no video), Get at once (not finished, no video), Get with
	 * Wait for Completion (the video), one job in all. Returns the three results for the provider's own checks.
	 */
	submitThenGet(run: Run, parameters?: IDataObject): Promise<SubmitThenGet>;
}

export interface SubmitThenGet {
	jobId: string;
	submitted: RunNodeResult;
	early: RunNodeResult;
	done: RunNodeResult;
}

export function useProviderSandbox(provider: string, options: { apiKey: string; jobDurationMs: number }): ProviderSandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox(options as never);
	});
	afterAll(async () => {
		await sandbox?.close();
		cleanupBinaryData();
	});
	beforeEach(() => sandbox?.reset());
	const current = () => {
		if (!sandbox) throw new Error('the sandbox is not started yet');
		return sandbox;
	};
	return {
		get sandbox() {
			return current();
		},
		runner: (nodeType, credentialType, defaults) => (parameters, extra = {}) =>
			runNode({
				nodeType,
				credentialType,
				credentials: { apiKey: extra.apiKey ?? options.apiKey, baseUrl: extra.baseUrl ?? current().urls[provider] },
				parameters: { operation: 'generate', ...defaults, ...parameters, options: { pollInterval: 0.1, ...(parameters.options as IDataObject) } },
				items: extra.items,
				inputItems: extra.inputItems,
				continueOnFail: extra.continueOnFail,
				executionId: extra.executionId,
			}),
		jobs: () => [...current().jobs.values()].filter((job) => (job as SandboxJob & { provider?: string }).provider === provider),
		submits: () => current().requestsTo(provider, 'submit'),
		polls: () => current().requestsTo(provider, 'poll'),
		downloads: () => current().requestsTo(provider, 'download'),
		async expectVideoOf(result, index = 0) {
			const item = result.items[index];
			const job = current().findJob(provider, String(item.json.jobId));
			expect({ index, job: !!job }).toEqual({ index, job: true });
			expect(sha256(await binaryBytes(item))).toBe(current().expectedVideo(job!).sha256);
		},
		async submitThenGet(run, parameters = {}) {
			const submitted = await run({ ...parameters, operation: 'submit' });
			expectNoError(submitted);
			const jobId = String(submitted.items[0].json.jobId);
			expect(submitted.items[0].json).toMatchObject({ jobId: this.jobs()[0]?.id, status: 'queued', provider });
			expect(submitted.items[0].binary).toBeUndefined();
			expect(this.polls()).toHaveLength(0);
			const early = await run({ operation: 'get', jobId });
			expectNoError(early);
			expect(['queued', 'processing']).toContain(early.items[0].json.status);
			expect(early.items[0].binary).toBeUndefined();
			const done = await run({ operation: 'get', jobId, options: { waitForCompletion: true } });
			expectNoError(done);
			expect(done.items[0].json).toMatchObject({ jobId, status: 'completed' });
			await this.expectVideoOf(done);
			expect(this.submits()).toHaveLength(1);
			return { jobId, submitted, early, done };
		},
	};
}

/**
 * Continue On Fail over three items whose second fails ([sandbox:fail]): the other two bring their
 * videos, the failed one its job id (matching `jobId`) in its error, each paired to its input item.
 * `failedStatus: false`: the failed item is not expected to say `status: 'failed'` (A4F's does not).
 */
export async function expectContinueOnFail(run: Run, jobId: RegExp, parameters: IDataObject = {}, options: { failedStatus?: boolean } = {}): Promise<RunNodeResult> {
	const items = [{ p: 'one' }, { p: 'two [sandbox:fail]' }, { p: 'three' }];
	const result = await run({ ...parameters, prompt: '={{ $json.p }}' }, { items, continueOnFail: true });
	expectNoError(result);
	expect(result.items).toHaveLength(3);
	expect(result.items[0].binary?.data).toBeDefined();
	expect(result.items[2].binary?.data).toBeDefined();
	const failed = result.items[1].json;
	if (options.failedStatus !== false) expect(failed).toMatchObject({ status: 'failed' });
	expect(failed.jobId).toEqual(expect.stringMatching(jobId));
	// The title says what happened and which item; the description names the job.
	expect(failed.error).toMatch(/ \(item 2\)$/);
	expect(failed.errorDescription).toContain(failed.jobId as string);
	expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	return result;
}

export function expectNoError(result: RunNodeResult) {
	if (result.error) throw result.error;
}

/** Everything a user sees of a run (items, error message, description, context), as text, to search for a leaked secret. */
export function visibleText(result: RunNodeResult): string {
	const { error } = result;
	return JSON.stringify({ items: result.items, error: error && { message: error.message, description: error.description, context: error.context } });
}
