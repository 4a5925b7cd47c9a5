/**
 * Wait Mode "Wait for Callback" through the entry points the nodes use (`waitsForCallback`,
 * `runWithCallback`, `resumeFromCallback`, nodes/shared/waitModes/callback.ts), with the in-memory job
 * API: the run submits with the execution's resume URL and puts the execution to wait; a call to that
 * URL (test/helpers/waitingExecution.ts, over the execution data as n8n saved it) reads the jobs and
 * resumes with Generate's output. No HTTP. The Kling node's own entry points close the file.
 */
import type { IDataObject } from 'n8n-workflow';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { fakeVideo, MemoryProvider, memoryCredentials, memoryCredentialType, memoryNode } from '../helpers/memoryProvider';
import { binaryBytes } from '../helpers/n8n';
import { waitingExecution } from '../helpers/waitingExecution';

const LONG = '[ms=600000]';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function execution(provider: MemoryProvider, prompts: string[], options: IDataObject = {}, extra: { continueOnFail?: boolean; operation?: string } = {}) {
	return waitingExecution({
		nodeType: memoryNode(provider),
		credentialType: memoryCredentialType,
		credentials: memoryCredentials,
		parameters: { operation: extra.operation ?? 'generate', prompt: '={{ $json.p }}', options: { waitMode: 'callback', maxWait: 60, ...options } },
		items: prompts.map((p) => ({ p })),
		continueOnFail: extra.continueOnFail,
	});
}

describe('Wait for Callback with the in-memory job API', () => {
	test('the run submits every job with the resume URL, polls nothing, and puts the execution to wait until Max Wait', async () => {
		const provider = new MemoryProvider();
		const run = execution(provider, [`one ${LONG}`, `two ${LONG}`]);
		const before = Date.now();
		const { items, error } = await run.run();
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({ jobId: 'job-1', status: 'queued', provider: 'memory' }),
			expect.objectContaining({ jobId: 'job-2', status: 'queued', provider: 'memory' }),
		]);
		expect(provider.jobs.map((job) => job.callbackUrl)).toEqual([run.resumeUrl, run.resumeUrl]);
		expect(run.resumeUrl).toMatch(new RegExp(`/webhook-waiting/${run.executionId}`));
		expect(provider.calls.map((call) => call.kind)).toEqual(['start', 'start']);
		const waitTill = run.waitTill!.getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 60_000);
		expect(waitTill).toBeLessThan(Date.now() + 61_000);
	});

	test('a call while a job runs reads it and keeps waiting; a call once every job is over resumes with the videos, in item order', async () => {
		const provider = new MemoryProvider();
		const run = execution(provider, ['first [ms=800]', 'second [ms=0]']);
		expect((await run.run()).error).toBeUndefined();
		const early = await run.call({ jobId: 'job-2' });
		expect(early.response).toEqual({ status: 200, body: { received: true } });
		expect(early.result.workflowData).toBeUndefined();
		expect(provider.statusChecks().length).toBeGreaterThanOrEqual(1);
		// Checks of one execution are at least 1 s apart anyway.
		await sleep(850);
		const last = await run.call({ jobId: 'job-1' });
		const output = last.result.workflowData![0];
		expect(output).toHaveLength(2);
		for (const [index, prompt] of ['first [ms=800]', 'second [ms=0]'].entries()) {
			expect(output[index].pairedItem).toEqual({ item: index });
			expect(output[index].json).toMatchObject({ jobId: `job-${index + 1}`, status: 'completed', provider: 'memory', model: 'memory-1', fileName: `job-${index + 1}.mp4` });
			expect(await binaryBytes(output[index])).toEqual(fakeVideo(prompt));
		}
		expect(provider.submits).toBe(2);
		// Later calls (the provider's second final call) do nothing.
		const checks = provider.statusChecks().length;
		const late = await run.call({ jobId: 'job-1' });
		expect(late.result.workflowData).toBeUndefined();
		expect(provider.statusChecks()).toHaveLength(checks);
	});

	test('what a caller says about the job counts for nothing: the job is read from the provider', async () => {
		const provider = new MemoryProvider();
		const run = execution(provider, [`one ${LONG}`]);
		expect((await run.run()).error).toBeUndefined();
		const forged = await run.call({ jobId: 'job-1', status: 'completed', videoUrl: 'http://127.0.0.1:9/evil.mp4' });
		expect(forged.result.workflowData).toBeUndefined();
		expect(provider.statusChecks('job-1')).toHaveLength(1);
	});

	test('a failed job comes out as an item naming the job and the reason', async () => {
		const provider = new MemoryProvider(0);
		const run = execution(provider, ['a fox [fail]']);
		expect((await run.run()).error).toBeUndefined();
		const [item] = (await run.call({ jobId: 'job-1' })).result.workflowData![0];
		expect(item.json).toMatchObject({ jobId: 'job-1', status: 'failed' });
		expect(item.json.error).toBe('Memory could not make the video');
		expect(item.json.errorDescription).toContain('Memory said: "render failed" Job ID: job-1.');
		expect(item.json.errorDescription).not.toMatch(/Get operation/);
		expect(item.binary).toBeUndefined();
	});

	test('a call after Max Wait resumes with the unfinished job: its ID, the error and no video', async () => {
		const provider = new MemoryProvider();
		const run = execution(provider, [`slow ${LONG}`], { maxWait: 0.3 });
		expect((await run.run()).error).toBeUndefined();
		await sleep(400);
		const [item] = (await run.call({})).result.workflowData![0];
		expect(item.json).toMatchObject({ jobId: 'job-1', status: 'processing' });
		expect(item.json.error).toBe('The Memory job did not finish within Max Wait (0.3 s)');
		expect(item.json.errorDescription).toContain('with ID job-1. Run this node with the Get operation and this Job ID');
		expect(item.binary).toBeUndefined();
		expect(provider.submits).toBe(1);
	});

	test('when Max Wait passes without a call, n8n resumes by itself: each item carries its job ID and why it has no video', async () => {
		const provider = new MemoryProvider();
		const run = execution(provider, [`one ${LONG}`, `two ${LONG}`], { maxWait: 0.3 });
		expect((await run.run()).error).toBeUndefined();
		const output = run.outputWhenMaxWaitPasses();
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [index, item] of output.entries()) {
			expect(item.json.jobId).toBe(`job-${index + 1}`);
			expect(item.json.error).toBe('The Memory job did not finish within Max Wait (0.3 s)');
			expect(item.json.errorDescription).toContain(`with ID job-${index + 1}. Run this node with the Get operation`);
		}
	});

	test('a bad item stops the run before anything is paid, and nothing waits', async () => {
		const provider = new MemoryProvider();
		const run = execution(provider, ['one', 'bad two']);
		const { error } = await run.run();
		expect(error?.message).toMatch(/Invalid parameter prompt/);
		expect(provider.calls).toHaveLength(0);
		expect(run.waitTill).toBeUndefined();
	});

	test('an input the provider cannot call back is refused before anything is paid, for every item', async () => {
		const provider = new MemoryProvider();
		const run = execution(provider, ['one', 'two [no-callback]']);
		const { error } = await run.run();
		expect(error?.message).toBe('this prompt cannot be called back');
		expect(error?.description).toContain('no credits were used');
		expect(provider.calls).toHaveLength(0);
		expect(run.waitTill).toBeUndefined();
	});

	test('Continue On Fail: a bad item comes out as its error; the others wait and resume with their videos', async () => {
		const provider = new MemoryProvider(0);
		const run = execution(provider, ['one', 'bad two', 'three'], {}, { continueOnFail: true });
		expect((await run.run()).error).toBeUndefined();
		expect(provider.jobs.map((job) => job.prompt)).toEqual(['one', 'three']);
		expect(run.waitTill).toBeDefined();
		await sleep(50);
		const output = (await run.call({})).result.workflowData![0];
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json).toEqual({ error: expect.stringMatching(/Invalid parameter prompt/), status: 'failed' });
		expect(await binaryBytes(output[0])).toEqual(fakeVideo('one'));
		expect(await binaryBytes(output[2])).toEqual(fakeVideo('three'));
	});

	test('Poll While Running, and Submit with a saved Wait Mode, do not wait: the engine runs as usual', async () => {
		const provider = new MemoryProvider(0);
		const polling = execution(provider, ['one'], { waitMode: 'poll', pollInterval: 0.1 });
		const polled = await polling.run();
		expect(polled.items[0].json.status).toBe('completed');
		expect(polling.waitTill).toBeUndefined();
		const submitting = execution(provider, ['two'], {}, { operation: 'submit' });
		const submitted = await submitting.run();
		expect(submitted.items[0].json).toMatchObject({ jobId: 'job-2', status: 'queued' });
		expect(submitting.waitTill).toBeUndefined();
		expect(provider.jobs.map((job) => job.callbackUrl)).toEqual([undefined, undefined]);
	});
});

describe('the Kling (useapi.net) node\'s callback entry points, with nothing sent', () => {
	const kling = (parameters: IDataObject, prompts: string[]) =>
		waitingExecution({
			nodeType: new UseApiKling(),
			credentialType: new UseApiApi(),
			// A closed port: any request would fail the test with a connection error.
			credentials: { apiKey: 'user:1-memory', baseUrl: 'http://127.0.0.1:9' },
			parameters: { operation: 'generate', model: 'kling-v2-5', prompt: '={{ $json.p }}', options: { waitMode: 'callback', maxWait: 60 }, ...parameters },
			items: prompts.map((p) => ({ p })),
		});

	test('execute(): a Reply URL of the user is refused before anything is paid', async () => {
		const run = kling({ replyUrl: 'https://example.com/hook' }, ['one', 'two']);
		const { error } = await run.run();
		expect(error?.message).toContain('Reply URL must be empty with Wait Mode "Wait for Callback"');
		expect(error?.description).toContain('no credits were used');
		expect(run.waitTill).toBeUndefined();
	});

	test('webhook(): a call to an execution with no job waiting answers 200 and keeps it waiting', async () => {
		const run = kling({}, ['one']);
		const { result, response } = await run.call({ task: { id: 1 } });
		expect(response).toEqual({ status: 200, body: { received: true } });
		expect(result).toEqual({ noWebhookResponse: true });
	});
});
