/**
 * The callback wait through the engine, with an in-memory provider: the engine's callback wait
 * strategy submits and parks the jobs (what the execution saves while it waits), reads them on a call
 * with its own failure rules, and words a failed job as Generate does. No HTTP, no n8n wait: the rules
 * tested here are the engine's (nodes/shared/engine/engine.ts), which nodes/shared/waitModes/callback.ts uses.
 */
import { NodeOperationError, type ICredentialType, type IExecuteFunctions, type INodeExecutionData, type INodeType } from 'n8n-workflow';
import { apiKeyProperty, baseUrlProperty, bearerAuthentication } from '../../credentials/common';
import { operationProperty, promptProperty, jobIdProperty } from '../../nodes/shared/fields/common';
import { jobsOver, runVideoNode, submitForCallback, type GivenJob, type ParkedJob } from '../../nodes/shared/engine/engine';
import { apiError } from '../../nodes/shared/failures/nodeErrors';
import { jobFailure } from '../../nodes/shared/failures/classify';
import { optionsProperty } from '../../nodes/shared/fields/options';
import type { Transport } from '../../nodes/shared/transport/transport';
import type { AsyncVideoProvider, JobInput, JobSnapshot } from '../../nodes/shared/engine/providerContract';
import { binaryBytes, runNode } from '../helpers/n8n';

type Input = JobInput & { prompt: string; callbackUrl?: string };

const video = (prompt: string) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1'), Buffer.from(`video of ${prompt}`)]);

/** Jobs in memory, each in the state a test sets; `withCallback` refuses a prompt that has a callback of its own. */
class CallbackMemory implements AsyncVideoProvider<Input, { account: string }> {
	name = 'memory';
	displayName = 'Memory';
	credentialType = 'memoryApi';
	defaultPollInterval = 0.1;
	submitted: Input[] = [];
	polls: string[] = [];
	/** What a status check of a job answers (default: processing). */
	states = new Map<string, JobSnapshot | (() => never)>();

	readInput(ctx: IExecuteFunctions, itemIndex: number): Input {
		const prompt = String(ctx.getNodeParameter('prompt', itemIndex));
		if (prompt.includes('bad')) throw new NodeOperationError(ctx.getNode(), 'Invalid parameter prompt: "bad" is not allowed', { itemIndex });
		return { model: 'memory-1', prompt };
	}

	readContext(_ctx: IExecuteFunctions, itemIndex: number) {
		return { account: `account-${itemIndex}` };
	}

	withCallback(input: Input, url: string): Input {
		if (input.prompt.includes('own-hook')) throw new Error('Reply URL must be empty with Wait Mode "Wait for Callback"');
		return { ...input, callbackUrl: url };
	}

	async start(_api: Transport, input: Input): Promise<JobSnapshot> {
		this.submitted.push(input);
		return { jobId: `job-${this.submitted.length}`, status: 'queued', videos: [] };
	}

	async status(_api: Transport, jobId: string): Promise<JobSnapshot> {
		this.polls.push(jobId);
		const state = this.states.get(jobId);
		if (typeof state === 'function') return state();
		return state ?? { jobId, status: 'processing', videos: [] };
	}
}

const credentialType: ICredentialType = {
	name: 'memoryApi',
	displayName: 'Memory API',
	properties: [apiKeyProperty('any'), baseUrlProperty('http://127.0.0.1:9')],
	authenticate: bearerAuthentication,
};

/** A node whose execute runs `action` (one of the engine's entry points) in n8n-core's real execution context. */
function run(action: (ctx: IExecuteFunctions) => Promise<INodeExecutionData[][]>, prompts: string[], options: Record<string, unknown> = {}) {
	const nodeType = {
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
			return await action(this);
		},
	} as INodeType;
	return runNode({
		nodeType,
		credentialType,
		credentials: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' },
		parameters: { operation: 'generate', prompt: '={{ $json.p }}', options },
		items: prompts.map((p) => ({ p })),
	});
}

const URL_ = 'https://n8n.example.com/webhook-waiting/42?signature=s';

describe('callback wait strategy: submit and park', () => {
	test('every item is submitted once with the callback URL; the parked jobs hold what a resume needs; nothing is polled', async () => {
		const provider = new CallbackMemory();
		let parked: ParkedJob[] = [];
		const before = Date.now();
		const result = await run(
			async (ctx) => {
				const submitted = await submitForCallback(ctx, provider, URL_);
				parked = submitted.parked;
				return [submitted.items];
			},
			['one', 'two'],
			{ maxWait: 60 },
		);
		expect(result.error).toBeUndefined();
		expect(provider.submitted.map((input) => input.callbackUrl)).toEqual([URL_, URL_]);
		expect(provider.polls).toEqual([]);
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ jobId: 'job-1', status: 'queued', provider: 'memory', model: 'memory-1' }),
			expect.objectContaining({ jobId: 'job-2', status: 'queued', provider: 'memory', model: 'memory-1' }),
		]);
		expect(parked.map(({ item, jobId, maxWait, context, model }) => ({ item, jobId, maxWait, context, model }))).toEqual([
			{ item: 0, jobId: 'job-1', maxWait: 60, context: { account: 'account-0' }, model: 'memory-1' },
			{ item: 1, jobId: 'job-2', maxWait: 60, context: { account: 'account-1' }, model: 'memory-1' },
		]);
		expect(parked[0].deadline).toBeGreaterThanOrEqual(before + 60_000);
		expect(parked[0].options).toMatchObject({ maxWait: 60, waitForCompletion: false });
		// Saved in n8n's database while the execution waits: plain JSON, nothing lost in the round trip.
		expect(JSON.parse(JSON.stringify(parked))).toEqual(parked);
	});

	test('an input that cannot take the callback is refused before anything is paid, with every other item checked first', async () => {
		const provider = new CallbackMemory();
		const result = await run(async (ctx) => [(await submitForCallback(ctx, provider, URL_)).items], ['one', 'own-hook two']);
		expect(result.error?.message).toBe('Reply URL must be empty with Wait Mode "Wait for Callback"');
		expect((result.error as NodeOperationError).description).toMatch(/no credits were used/);
		expect(provider.submitted).toHaveLength(0);
	});

	test('a provider without callbacks is refused before anything is paid', async () => {
		const provider = new CallbackMemory();
		(provider as { withCallback?: unknown }).withCallback = undefined;
		const result = await run(async (ctx) => [(await submitForCallback(ctx, provider, URL_)).items], ['one']);
		expect(result.error?.message).toBe('Memory cannot call back');
		expect(provider.submitted).toHaveLength(0);
	});
});

describe('callback wait strategy: a call reads the parked jobs through the engine', () => {
	const given = (ids: string[]): GivenJob[] =>
		ids.map((jobId) => ({ jobId, context: { account: 'a' }, options: {
				maxWait: 60,
				pollInterval: 0.1,
				concurrency: 0,
				download: true,
				binaryPropertyName: 'data',
				waitForCompletion: false,
				stallTimeout: 30,
				downloadTimeout: 60,
				maxDownloadSize: 10,
			},
		}));

	test('final jobs are over, running ones not, and a job whose reading fails for good (gone, refused) is over; a server fault is asked again later', async () => {
		const provider = new CallbackMemory();
		provider.states.set('done', { jobId: 'done', status: 'completed', videos: [{ data: video('x'), mimeType: 'video/mp4' }] });
		provider.states.set('failed', { jobId: 'failed', status: 'failed', videos: [], failure: jobFailure('nope') });
		provider.states.set('gone', () => {
			throw apiError({ name: 'Memory' } as never, { statusCode: 404, phase: 'poll' }, { kind: 'not-found', message: 'no such job' });
		});
		provider.states.set('moderated', () => {
			// A lasting kind on a 5xx (as Kling answers moderation): over, though a 500 is usually passing.
			throw apiError({ name: 'Memory' } as never, { statusCode: 500, phase: 'poll' }, { kind: 'moderation', message: 'refused' });
		});
		provider.states.set('flaky', () => {
			throw apiError({ name: 'Memory' } as never, { statusCode: 503, phase: 'poll' }, { kind: 'server', message: 'down' });
		});
		let over: string[] = [];
		const result = await run(async (ctx) => {
			over = await jobsOver(ctx, provider, given(['done', 'running', 'failed', 'gone', 'moderated', 'flaky']), { concurrency: 4, requestDeadline: Date.now() + 5000 });
			return [[]];
		}, []);
		expect(result.error).toBeUndefined();
		expect(over.sort()).toEqual(['done', 'failed', 'gone', 'moderated']);
		// Each read once, and no video fetched by a mere check.
		expect(provider.polls.sort()).toEqual(['done', 'failed', 'flaky', 'gone', 'moderated', 'running']);
	});

	test('the resume reads each job as Get does; a failed job carries Generate’s words naming it, a finished one its video', async () => {
		const provider = new CallbackMemory();
		provider.states.set('ok', { jobId: 'ok', status: 'completed', videos: [{ data: video('ok'), mimeType: 'video/mp4' }] });
		provider.states.set('refused-7', { jobId: 'refused-7', status: 'failed', videos: [], failure: jobFailure('unsafe content', 'content_policy') });
		provider.states.set('empty', { jobId: 'empty', status: 'completed', videos: [] });
		const result = await run(async (ctx) => await runVideoNode(ctx, provider, { jobs: given(['ok', 'refused-7', 'empty']), reportAsGenerate: true }), []);
		expect(result.error).toBeUndefined();
		const [ok, refused, empty] = result.items;
		// 'refused-7', not 'refused': a bare word as id would occur in the help text ("would be refused again"), which counts as naming it.
		expect(ok.json).toMatchObject({ jobId: 'ok', status: 'completed' });
		expect(ok.json.error).toBeUndefined();
		expect(await binaryBytes(ok)).toEqual(video('ok'));
		expect(refused.json).toMatchObject({ jobId: 'refused-7', status: 'failed', error: 'Memory rejected the prompt at content moderation (item 2)' });
		expect(refused.json.errorDescription).toContain('Memory said: "unsafe content" Job ID: refused-7.');
		expect(refused.json.errorDescription).not.toMatch(/Get operation/);
		expect(empty.json).toMatchObject({ jobId: 'empty', status: 'failed', error: 'Memory reported the job complete but gave no video (item 3)' });
		expect(empty.json.errorDescription).toContain('Job ID: empty.');
		expect(empty.json.errorDescription).not.toMatch(/Get operation/);
	});

	test('without reportAsGenerate (the Get operation) a failed job is its status and reason, as before', async () => {
		const provider = new CallbackMemory();
		provider.states.set('refused', { jobId: 'refused', status: 'failed', videos: [], failure: jobFailure('unsafe content', 'content_policy') });
		const result = await run(async (ctx) => await runVideoNode(ctx, provider, { jobs: given(['refused']) }), []);
		expect(result.items[0].json).toMatchObject({ jobId: 'refused', status: 'failed', error: 'unsafe content' });
	});
});
