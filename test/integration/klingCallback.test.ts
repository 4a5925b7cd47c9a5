/**
 * Kling (useapi.net) Generate with Wait Mode "Wait for Callback", inside n8n-core's real ExecuteContext
 * and WebhookContext (what n8n builds for the node's run and for a call to the resume URL), against the
 * sandbox over HTTP. The real-n8n suite (test/e2e/klingCallback.e2e.test.ts) shows n8n's side: the
 * execution saved as waiting, resumed by the call or by Max Wait. Here, quickly, the node's side:
 * what it submits, what it waits with, and what each call makes of the wait.
 */
import type { IDataObject } from 'n8n-workflow';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { binaryBytes, cleanupBinaryData, initBinaryData, WAITING_BASE_URL } from '../helpers/n8n';
import { waitingExecution } from '../helpers/waitingExecution';
import { sha256, startSandbox, type Sandbox, type SandboxJob } from '../helpers/sandbox';

const API_KEY = 'user:4242-kL1nGs3cReTt0k3n';
const nodeType = new UseApiKling();
const credentialType = new UseApiApi();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sandbox: Sandbox;
beforeAll(async () => {
	await initBinaryData();
	sandbox = await startSandbox({ apiKey: API_KEY, jobDurationMs: 600 } as never);
});
afterAll(async () => {
	await sandbox?.close();
	cleanupBinaryData();
});
beforeEach(() => sandbox.reset());

type Job = SandboxJob & { taskId: number; prompt: string };
const jobs = () => [...sandbox.jobs.values()] as Job[];
/** The job of a prompt (items are submitted at once, so task ids need not follow item order). */
const jobFor = (prompt: string) => jobs().find((job) => job.prompt === prompt) as Job;
const requests = (route: string) => sandbox.requestsTo('useApiKling', route);

/** One execution of a workflow holding the node: its run, then calls to its resume URL (test/helpers/waitingExecution.ts). */
function execution(parameters: IDataObject, prompts: string[], options: { continueOnFail?: boolean } = {}) {
	return waitingExecution({
		nodeType,
		credentialType,
		credentials: { apiKey: API_KEY, baseUrl: sandbox.urls.useApiKling },
		parameters: { operation: 'generate', model: 'kling-v2-5', prompt: '={{ $json.prompt }}', ...parameters },
		items: prompts.map((prompt) => ({ prompt })),
		continueOnFail: options.continueOnFail,
	});
}

const CALLBACK = { options: { waitMode: 'callback', maxWait: 60 } };

describe('Kling (useapi.net): Wait for Callback', () => {
	test('submits with the resume URL, waits until Max Wait with one waiting item per job, and polls nothing', async () => {
		const run = execution(CALLBACK, ['a fox [sandbox:seconds=30]', 'a boat [sandbox:seconds=30]']);
		const before = Date.now();
		const { items, error } = await run.run();
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({ status: 'queued', provider: 'useApiKling', model: 'kling-v2-5' }),
			expect.objectContaining({ status: 'queued', provider: 'useApiKling', model: 'kling-v2-5' }),
		]);
		const submits = requests('submit');
		// $execution.resumeUrl: n8n 2.x appends the execution's resume token (`signature`), which its handler checks.
		const replyUrl = `${WAITING_BASE_URL}/${run.executionId}?signature=${run.runExecutionData.resumeToken}`;
		expect(submits.map((s) => (s.body as IDataObject).replyUrl)).toEqual([replyUrl, replyUrl]);
		expect(requests('poll')).toHaveLength(0);
		// Put to wait until Max Wait.
		const waitTill = (run.runExecutionData.waitTill as Date).getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 60_000);
		expect(waitTill).toBeLessThan(Date.now() + 61_000);
		// What it waits with: the output if Max Wait passes, and what a call reads back.
		const waiting = run.outputWhenMaxWaitPasses();
		expect(waiting).toHaveLength(2);
		expect(waiting[1]).toMatchObject({ pairedItem: { item: 1 }, json: { jobId: items[1].json.jobId, status: 'queued' } });
		expect(waiting[1].json.error).toBe('The Kling (useapi.net) job did not finish within Max Wait (60 s)');
		expect(waiting[1].json.errorDescription).toContain(`with ID ${items[1].json.jobId}. Run this node with the Get operation and this Job ID`);
		expect(waiting[1].json.waitForCallback).toMatchObject({ item: 1, jobId: items[1].json.jobId, maxWait: 60, context: { noWatermark: false } });
	});

	test('a call while a job runs (forged, or progress) reads the jobs and keeps waiting; the last job over resumes with the videos', async () => {
		const prompts = ['first [sandbox:seconds=0.5]', 'second [sandbox:seconds=2]'];
		const run = execution(CALLBACK, prompts);
		expect((await run.run()).error).toBeUndefined();
		const [first, second] = prompts.map(jobFor);
		await sleep(700);
		// A caller who knows the URL claims success with a video of its own.
		const forged = await run.call({ status: 99, status_name: 'succeed', status_final: true, task: { id: second.taskId }, works: [{ resource: { resource: 'http://127.0.0.1:9/evil.mp4' } }] });
		expect(forged.response).toEqual({ status: 200, body: { received: true } });
		expect(forged.result.workflowData).toBeUndefined();
		expect(requests('poll').map((p) => p.url).sort()).toEqual([`/useapi/v1/kling/tasks/${first.taskId}`, `/useapi/v1/kling/tasks/${second.taskId}`].sort());
		expect(requests('download').length + sandbox.requests.filter((r) => r.url.includes('evil')).length).toBe(0);

		await sleep(1500);
		const last = await run.call({});
		expect(last.response.status).toBe(200);
		const output = last.result.workflowData![0];
		expect(output).toHaveLength(2);
		for (const [index, job] of [first, second].entries()) {
			expect(output[index].pairedItem).toEqual({ item: index });
			expect(output[index].json).toMatchObject({ jobId: String(job.taskId), status: 'completed', provider: 'useApiKling', model: 'kling-v2-5', fileName: `${job.taskId}.mp4` });
			expect(output[index].json.waitForCallback).toBeUndefined();
			expect(sha256(await binaryBytes(output[index]))).toBe(sandbox.expectedVideo(job).sha256);
		}
		expect(requests('submit')).toHaveLength(2);
	});

	test('a call after Max Wait reads once: an unfinished job comes out with its ID, the error and no video', async () => {
		const run = execution({ options: { waitMode: 'callback', maxWait: 0.5 } }, ['slow [sandbox:seconds=30]']);
		expect((await run.run()).error).toBeUndefined();
		await sleep(700);
		const { result } = await run.call({});
		const [item] = result.workflowData![0];
		const [job] = jobs();
		expect(item.json).toMatchObject({ jobId: String(job.taskId), status: 'queued', taskStatus: 'submitted', provider: 'useApiKling' });
		expect(item.json.error).toBe('The Kling (useapi.net) job did not finish within Max Wait (0.5 s)');
		expect(item.json.errorDescription).toContain(`with ID ${job.taskId}. Run this node with the Get operation and this Job ID`);
		expect(item.binary).toBeUndefined();
		expect(requests('submit')).toHaveLength(1);
	});

	test('a task that failed comes out as an item naming the job and the reason', async () => {
		const run = execution(CALLBACK, ['bad [sandbox:fail] [sandbox:seconds=0.3]']);
		expect((await run.run()).error).toBeUndefined();
		await sleep(500);
		const [item] = (await run.call({})).result.workflowData![0];
		const [job] = jobs();
		expect(item.json).toMatchObject({ jobId: String(job.taskId), status: 'failed', taskStatus: 'failed' });
		expect(item.json.error).toBe('Kling (useapi.net) could not make the video');
		expect(item.json.errorDescription).toMatch(new RegExp(`Kling \\(useapi\\.net\\) said: "Generation failed: internal error \\(task 50\\).*" Job ID: ${job.taskId}\\.$`));
		expect(item.json.errorDescription).not.toMatch(/Get operation/);
	});

	test('a Reply URL of the user is refused before anything is paid; other items are checked first too', async () => {
		const run = execution({ ...CALLBACK, replyUrl: 'https://example.com/hook' }, ['one', 'two']);
		const { error } = await run.run();
		expect(error?.message).toContain('Reply URL must be empty with Wait Mode "Wait for Callback"');
		expect(error?.description).toContain('no credits were used');
		expect(requests('submit')).toHaveLength(0);
		expect(run.runExecutionData.waitTill).toBeUndefined();
	});

	test('invalid input in Wait for Callback names the field as the editor shows it and the item, before anything is paid', async () => {
		const run = execution({ ...CALLBACK, aspectRatio: '4:3' }, ['one', 'two']);
		const { error } = await run.run();
		expect(error?.message).toMatch(/^Invalid Aspect Ratio: 4:3 is not available for Kling 2\.5\b.* \(item 1\)$/);
		expect(error?.message).not.toMatch(/aspectRatio/);
		expect(requests('submit')).toHaveLength(0);
		expect(run.runExecutionData.waitTill).toBeUndefined();
	});

	test('Poll While Running (the default) is unchanged: no wait, no reply URL', async () => {
		const run = execution({ options: { pollInterval: 0.1 } }, ['plain']);
		const { items, error } = await run.run();
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('completed');
		expect((requests('submit')[0].body as IDataObject).replyUrl).toBeUndefined();
		expect(run.runExecutionData.waitTill).toBeUndefined();
	});

	test('a callback flood (50 jobs, 5 progress calls and 2 final calls each) is bounded: one check at a time, the named job only, one finish', async () => {
		const JOBS = 50;
		// Jobs long enough that none ends during the progress calls, even on a loaded machine.
		const prompts = Array.from({ length: JOBS }, (_, i) => `flood ${i} [sandbox:seconds=8] [sandbox:reply=none]`);
		const run = execution({ ...CALLBACK, maxJobs: 50 }, prompts);
		expect((await run.run()).error).toBeUndefined();
		const ids = prompts.map((prompt) => jobFor(prompt).taskId);
		expect(new Set(ids).size).toBe(JOBS);
		const pollsBefore = requests('poll').length;
		// Every progress call names its task, as useapi.net's body does; they all arrive at once.
		const progress = await Promise.all(ids.flatMap((id) => Array.from({ length: 5 }, () => run.call({ task: { id, status: 10 }, status: 10 }))));
		expect(progress.every(({ result }) => result.workflowData === undefined)).toBe(true);
		const progressPolls = requests('poll').length - pollsBefore;
		// Then every job ends, and each sends its final call twice.
		await sleep(Math.max(...jobs().map((job) => (job as unknown as { finishedAt: number }).finishedAt)) - Date.now() + 300);
		const finals = await Promise.all(ids.flatMap((id) => [run.call({ task: { id, status: 99 }, status: 99 }), run.call({ task: { id, status: 99 }, status: 99 })]));
		const resumed = finals.filter(({ result }) => result.workflowData);
		const polls = requests('poll').length - pollsBefore;
		const downloads = requests('download').length;
		console.info(`callback flood, ${JOBS} jobs, 5 progress + 2 final calls each: ${polls} status requests (${progressPolls} during progress), ${downloads} downloads, ${resumed.length} resume(s)`);
		expect(resumed).toHaveLength(1);
		expect(resumed[0].result.workflowData![0]).toHaveLength(JOBS);
		expect(resumed[0].result.workflowData![0].every((item) => item.json.status === 'completed')).toBe(true);
		expect(downloads).toBe(JOBS);
		// One sweep and one round of the named jobs while they run; one round of the finals, then the finish's own read of each.
		expect(progressPolls).toBeLessThanOrEqual(2 * JOBS);
		expect(polls).toBeLessThanOrEqual(4 * JOBS);
		// Calls after the resume do nothing.
		const late = await run.call({ task: { id: ids[0], status: 99 } });
		expect(late.result.workflowData).toBeUndefined();
		expect(requests('poll').length - pollsBefore).toBe(polls);
	}, 120_000);

	test('a call naming a job of another execution, or garbage, reads nothing beyond the usual check', async () => {
		const run = execution(CALLBACK, ['one [sandbox:seconds=30] [sandbox:reply=none]']);
		expect((await run.run()).error).toBeUndefined();
		await run.call({});
		const after = requests('poll').length;
		expect(after).toBe(1);
		await Promise.all([run.call({ task: { id: 999999999 } }), run.call({ task: { id: '../../accounts' } })]);
		// Not one of this execution's jobs: treated as a call naming none (one coalesced check of the unfinished job).
		expect(requests('poll').length - after).toBeLessThanOrEqual(1);
		expect(requests('poll').every((p) => /\/useapi\/v1\/kling\/tasks\/\d+$/.test(p.url))).toBe(true);
	});
});
