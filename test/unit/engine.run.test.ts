/**
 * The job engine (`runVideoNode`) on its own, inside n8n-core's real execution context, with an
 * in-memory provider: no HTTP, no sandbox, so every rule tested here is the engine's and no provider's.
 */
import { NodeOperationError, type ICredentialType, type IExecuteFunctions, type INodeType } from 'n8n-workflow';
import { apiKeyProperty, baseUrlProperty, bearerAuthentication } from '../../credentials/common';
import { operationProperty, promptProperty, jobIdProperty } from '../../nodes/shared/fields/common';
import { runVideoNode } from '../../nodes/shared/engine/engine';
import { apiError } from '../../nodes/shared/failures/nodeErrors';
import { optionsProperty } from '../../nodes/shared/fields/options';
import type { Transport } from '../../nodes/shared/transport/transport';
import type { JobInput, JobSnapshot, AsyncVideoProvider } from '../../nodes/shared/engine/providerContract';
import { binaryBytes, runNode } from '../helpers/n8n';

/** Bytes that start as an MP4 does (an `ftyp` box), so the engine's check of the first bytes takes them for a video. */
const fakeVideo = (prompt: string) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1'), Buffer.from(`video of ${prompt}`)]);

interface Job {
	id: string;
	prompt: string;
	createdAt: number;
	polls: number;
}

/** A provider that keeps its jobs in memory: each takes `jobMs`; `capacity` caps how many run at once. */
class MemoryProvider implements AsyncVideoProvider<JobInput & { prompt: string }> {
	name = 'memory';
	displayName = 'Memory';
	credentialType = 'memoryApi';
	defaultPollInterval = 0.1;
	jobs: Job[] = [];
	submits = 0;
	capacity = Number.POSITIVE_INFINITY;
	/** Status checks that throw, by job id (a flaky status endpoint). */
	failingPolls = new Map<string, number>();
	peak = 0;

	constructor(private readonly jobMs = 150) {}

	private running(now = Date.now()) {
		return this.jobs.filter((job) => now - job.createdAt < this.jobMs);
	}

	readInput(ctx: IExecuteFunctions, itemIndex: number) {
		const prompt = String(ctx.getNodeParameter('prompt', itemIndex));
		if (prompt.includes('bad')) throw new NodeOperationError(ctx.getNode(), 'Invalid parameter prompt: "bad" is not allowed', { itemIndex });
		return { model: 'memory-1', prompt };
	}

	async start(api: Transport, input: JobInput & { prompt: string }): Promise<JobSnapshot> {
		this.submits++;
		if (this.running().length >= this.capacity)
			throw apiError(api.node, { statusCode: 429, phase: 'submit', providerMessage: 'busy' }, { kind: 'rate-limit', message: 'Memory is busy (HTTP 429)' }, 100);
		const job = { id: `job-${this.jobs.length + 1}`, prompt: input.prompt, createdAt: Date.now(), polls: 0 };
		this.jobs.push(job);
		this.peak = Math.max(this.peak, this.running().length);
		return { jobId: job.id, status: 'queued', videos: [] };
	}

	async status(api: Transport, jobId: string): Promise<JobSnapshot> {
		const job = this.jobs.find((j) => j.id === jobId);
		if (!job) throw new NodeOperationError(api.node, `no job ${jobId}`);
		job.polls++;
		const failing = this.failingPolls.get(jobId) ?? 0;
		if (failing > 0) {
			this.failingPolls.set(jobId, failing - 1);
			throw new NodeOperationError(api.node, `status of ${jobId} failed`);
		}
		if (Date.now() - job.createdAt < this.jobMs) return { jobId, status: 'processing', videos: [] };
		// `[empty]`: the provider says complete but gives no video.
		const videos = job.prompt.includes('[empty]') ? [] : [{ data: fakeVideo(job.prompt), mimeType: 'video/mp4', fileName: `${jobId}.mp4` }];
		return { jobId, status: 'completed', videos };
	}
}

const credentialType: ICredentialType = {
	name: 'memoryApi',
	displayName: 'Memory API',
	properties: [apiKeyProperty('any'), baseUrlProperty('http://127.0.0.1:9')],
	authenticate: bearerAuthentication,
};

function nodeFor(provider: MemoryProvider): INodeType {
	return {
		description: {
			displayName: 'Memory',
			name: 'memory',
			group: ['transform'],
			version: 1,
			description: 'in-memory provider',
			defaults: { name: 'Memory' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'memoryApi', required: true }],
			properties: [operationProperty(['generate', 'submit', 'get']), promptProperty(1000), jobIdProperty, optionsProperty({ defaultPollInterval: 0.1, hasGet: true })],
		},
		async execute(this: IExecuteFunctions) {
			return await runVideoNode(this, provider);
		},
	} as INodeType;
}

function run(provider: MemoryProvider, prompts: string[], extra: { executionId?: string; options?: Record<string, unknown> } = {}) {
	return runNode({
		nodeType: nodeFor(provider),
		credentialType,
		credentials: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' },
		parameters: { operation: 'generate', prompt: '={{ $json.p }}', options: extra.options ?? {} },
		items: prompts.map((p) => ({ p })),
		executionId: extra.executionId,
	});
}

describe('runVideoNode with an in-memory provider', () => {
	test('every item is validated before anything is paid: a bad third item means no submit at all', async () => {
		const provider = new MemoryProvider();
		const result = await run(provider, ['one', 'two', 'bad three']);
		expect(result.error?.message).toMatch(/Invalid parameter prompt/);
		expect(provider.submits).toBe(0);
	});

	test('items run at once, come back in order, each with its video', async () => {
		const provider = new MemoryProvider(200);
		const result = await run(provider, ['one', 'two', 'three']);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(await binaryBytes(result.items[1])).toEqual(fakeVideo('two'));
		expect(provider.peak).toBe(3);
	});

	test('a job the provider calls complete without a video fails, naming the job', async () => {
		const provider = new MemoryProvider();
		const result = await run(provider, ['a fox [empty]']);
		expect(result.error?.message).toBe('Memory reported the job complete but gave no video');
		expect(result.error?.description).toContain('Job ID: job-1.');
		// Get would only report the job as failed: no offer of it.
		expect(result.error?.description).not.toMatch(/Get operation/);
		expect(result.error?.context?.jobId).toBe('job-1');
	});

	test('a try of the same execution (Retry On Fail) picks the jobs up; another execution submits anew', async () => {
		const provider = new MemoryProvider();
		provider.failingPolls.set('job-2', 1);
		const first = await run(provider, ['one', 'two', 'three'], { executionId: 'exec-mem-1' });
		expect(first.error?.message).toMatch(/status of job-2 failed/);
		expect(first.error?.description).toMatch(/item 1: job-1, item 3: job-3/);
		expect(provider.submits).toBe(3);
		const second = await run(provider, ['one', 'two', 'three'], { executionId: 'exec-mem-1' });
		expect(second.error).toBeUndefined();
		expect(second.items.map((item) => item.json.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
		expect(provider.submits).toBe(3);
		await run(provider, ['one', 'two', 'three'], { executionId: 'exec-mem-2' });
		expect(provider.submits).toBe(6);
	});

	test('automatic concurrency against a cap of 2: all 5 items, never more than 2 at once, refused ones made no job', async () => {
		const provider = new MemoryProvider(150);
		provider.capacity = 2;
		const result = await run(provider, ['1', '2', '3', '4', '5']);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(provider.peak).toBe(2);
		expect(provider.jobs).toHaveLength(5);
		expect(provider.submits).toBeGreaterThan(5);
	});

	test('a fixed Concurrency of 1 runs one job at a time and asks no more than once per item', async () => {
		const provider = new MemoryProvider(80);
		const result = await run(provider, ['1', '2', '3'], { options: { concurrency: 1 } });
		expect(result.error).toBeUndefined();
		expect(provider.peak).toBe(1);
		expect(provider.submits).toBe(3);
	});
});
