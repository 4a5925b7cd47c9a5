/**
 * The engine with a one-request API (SyncVideoProvider: `generate` is the job and answers with the
 * video), in memory (test/helpers/memoryProvider.ts): Generate only, the engine's own job id, no
 * polling, nothing to pick up on a retry.
 */
import type { INodeProperties } from 'n8n-workflow';
import { resumeMemory } from '../../nodes/shared/engine/resume';
import { fakeVideo, MemorySyncProvider, memoryNode, runMemory } from '../helpers/memoryProvider';
import { binaryBytes } from '../helpers/n8n';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('a one-request API (the sync kind)', () => {
	test('its node offers Generate (and Estimate) only, with a Request Timeout instead of polling options', () => {
		const { properties } = memoryNode(new MemorySyncProvider()).description;
		const operation = properties.find((p) => p.name === 'operation');
		expect(operation?.options?.map((o) => (o as { value: string }).value)).toEqual(['generate', 'estimate']);
		const options = (properties.find((p) => p.name === 'options')?.options ?? []) as INodeProperties[];
		const names = options.map((o) => o.name);
		expect(names).toContain('requestTimeout');
		expect(names).not.toContain('pollInterval');
		expect(names).not.toContain('maxWait');
		expect(names).not.toContain('waitForCompletion');
	});

	test('Generate: one request per item, the video in hand stored, the engine\'s job id given to the request and the output', async () => {
		const provider = new MemorySyncProvider();
		const result = await runMemory(provider, ['one', 'two']);
		expect(result.error).toBeUndefined();
		expect(provider.calls.map((call) => call.kind)).toEqual(['generate', 'generate']);
		expect(result.items.map((item) => item.json.jobId)).toEqual(provider.calls.map((call) => call.jobId));
		for (const [index, item] of result.items.entries()) {
			expect(item.json).toMatchObject({ jobId: expect.stringMatching(UUID), status: 'completed', provider: 'memorySync', model: 'memory-1', mimeType: 'video/mp4' });
			expect(item.pairedItem).toEqual({ item: index });
			expect(await binaryBytes(item)).toEqual(fakeVideo(['one', 'two'][index]));
		}
	});

	test('a bad item stops the run before any request', async () => {
		const provider = new MemorySyncProvider();
		const result = await runMemory(provider, ['one', 'bad two']);
		expect(result.error?.message).toMatch(/Invalid parameter prompt/);
		expect(provider.calls).toHaveLength(0);
	});

	test('Submit or Get from a saved workflow fail without a request: the API has no jobs', async () => {
		const provider = new MemorySyncProvider();
		const submit = await runMemory(provider, ['one'], { operation: 'submit' });
		expect(submit.error?.message).toBe('Memory Sync has no submit operation');
		const get = await runMemory(provider, ['one'], { operation: 'get', jobId: 'some-id' });
		expect(get.error?.message).toBe('Memory Sync has no get operation');
		expect(get.error?.context?.jobId).toBe('some-id');
		expect(get.error?.description).toBe('Job ID: some-id.');
		expect(provider.calls).toHaveLength(0);
	});

	test('a failed request names the engine\'s job id and offers no Get', async () => {
		const provider = new MemorySyncProvider();
		const result = await runMemory(provider, ['a fox [fail]']);
		const jobId = provider.calls[0].jobId as string;
		expect(jobId).toMatch(UUID);
		expect(result.error?.message).toBe('Memory Sync could not make the video');
		expect(result.error?.description).toContain(`Memory Sync said: "render failed" Job ID: ${jobId}.`);
		expect(result.error?.context?.jobId).toBe(jobId);
		expect(String(result.error?.description ?? '')).not.toMatch(/Get operation/);
	});

	test('an answer without a video fails, naming the job', async () => {
		const provider = new MemorySyncProvider();
		const result = await runMemory(provider, ['a fox [empty]']);
		expect(result.error?.message).toBe('Memory Sync reported the job complete but gave no video');
		expect(result.error?.context?.jobId).toMatch(UUID);
		expect(result.error?.description).toContain(`Job ID: ${String(result.error?.context?.jobId)}.`);
		expect(result.error?.description).not.toMatch(/Get operation/);
	});

	test('Continue On Fail: the failed item is {error, status: failed, jobId}, the others have their videos', async () => {
		const provider = new MemorySyncProvider();
		const result = await runMemory(provider, ['one', 'two [fail]', 'three'], { continueOnFail: true });
		expect(result.error).toBeUndefined();
		const jobId = provider.calls.find((call) => result.items[1].json.jobId === call.jobId)?.jobId;
		expect(jobId).toMatch(UUID);
		expect(result.items[1].json).toEqual({
			error: 'Memory Sync could not make the video (item 2)',
			errorDescription: expect.stringContaining(`Memory Sync said: "render failed" Job ID: ${jobId}.`),
			status: 'failed',
			jobId,
			jobStatus: 'failed',
		});
		expect(result.items[1].json.errorDescription).not.toMatch(/Get operation/);
		expect(await binaryBytes(result.items[0])).toEqual(fakeVideo('one'));
		expect(await binaryBytes(result.items[2])).toEqual(fakeVideo('three'));
	});

	test('a capacity refusal (429, no video made) is waited out and asked again with the same job id', async () => {
		const provider = new MemorySyncProvider();
		provider.refuseNext = 1;
		const result = await runMemory(provider, ['a fox']);
		expect(result.error).toBeUndefined();
		expect(provider.calls.map((call) => !!call.refused)).toEqual([true, false]);
		expect(provider.calls[1].jobId).toBe(provider.calls[0].jobId);
		expect(provider.calls[1].at - provider.calls[0].at).toBeGreaterThanOrEqual(950);
		expect(await binaryBytes(result.items[0])).toEqual(fakeVideo('a fox'));
	});

	test('Retry On Fail: a one-request job leaves nothing to pick up, and nothing is remembered for it', async () => {
		const provider = new MemorySyncProvider();
		const before = resumeMemory.size;
		const first = await runMemory(provider, ['a fox [fail]'], { executionId: 'exec-sync-1' });
		expect(first.error).toBeDefined();
		expect(resumeMemory.size).toBe(before);
		await runMemory(provider, ['a fox [fail]'], { executionId: 'exec-sync-1' });
		expect(provider.calls).toHaveLength(2);
		expect(provider.calls[1].jobId).not.toBe(provider.calls[0].jobId);
	});
});
