/**
 * The Magic Hour node inside real n8n (each pinned version), loaded from dist/ as an installed
 * community package, talking to the sandbox over HTTP, its videos written by n8n's own Read/Write
 * Files node. Runs with `n8n execute` (CLI mode); examples.e2e.test.ts covers the server/editor path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, SANDBOX_API_KEY, type Sandbox, type SandboxJob } from '../helpers/sandbox';
import {
	chain,
	credentialsFor,
	describeEachN8n,
	itemsNodes,
	N8nInstance,
	sha256File,
	writeFileNode,
	type ExecutionResult,
	type Item,
	type WorkflowSpec,
} from './harness';

const NODE_TYPE = 'n8n-nodes-text-to-video.magicHour';
const CREDENTIALS = { magicHourApi: { id: 'magicHourSandbox', name: 'Magic Hour (sandbox)' } };
const BIG_VIDEO_BYTES = 40 * 1024 * 1024;
const RETRY_PROMPTS = ['retry one', 'retry two [sandbox:pollfail=7]', 'retry three'];

function magicHourNode(name: string, parameters: Record<string, unknown>, x = 440, extra: Record<string, unknown> = {}) {
	return {
		id: name.replace(/\W+/g, '-').toLowerCase(),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters: { options: { pollInterval: 0.2 }, ...parameters },
		credentials: CREDENTIALS,
		...extra,
	};
}

/** Manual Trigger → Code (one item per prompt) → Magic Hour → Read/Write Files (~/.n8n-files/<jobId>.mp4). */
function generateWorkflow(id: string, prompts: string[], extra: { onError?: string; node?: Record<string, unknown> } = {}): WorkflowSpec {
	const onError = extra.onError ? { onError: extra.onError } : {};
	return {
		id,
		name: id,
		nodes: [
			...itemsNodes(prompts.map((prompt) => ({ prompt }))),
			magicHourNode('Magic Hour', { operation: 'generate', model: 'kling-2.5', prompt: '={{ $json.prompt }}', duration: 5, aspectRatio: '16:9' }, 440, { ...onError, ...extra.node }),
			{ ...writeFileNode('Write File', '{{ $json.jobId }}.mp4'), ...onError },
		],
		connections: chain('Start', 'Items', 'Magic Hour', 'Write File'),
	};
}

const WORKFLOWS: WorkflowSpec[] = [
	generateWorkflow('e2eGenerate', ['a red fox in the snow', `a big one [sandbox:size=${BIG_VIDEO_BYTES}]`]),
	{
		id: 'e2eSubmitGet',
		name: 'e2eSubmitGet',
		nodes: [
			...itemsNodes([{ prompt: 'clouds over a ridge' }]),
			magicHourNode('Submit', { operation: 'submit', model: 'kling-2.5', prompt: '={{ $json.prompt }}', duration: 5 }),
			magicHourNode('Get', { operation: 'get', jobId: '={{ $json.jobId }}', options: { pollInterval: 0.2, waitForCompletion: true } }, 660),
			writeFileNode('Write File', '{{ $json.jobId }}.mp4'),
		],
		connections: chain('Start', 'Items', 'Submit', 'Get', 'Write File'),
	},
	generateWorkflow('e2eFailing', ['doomed [sandbox:fail]']),
	generateWorkflow('e2eContinueOnFail', ['one', 'two [sandbox:fail]', 'three'], { onError: 'continueRegularOutput' }),
	// n8n's Retry On Fail (3 tries, none between): the second job's status checks fail one time more
	// than the node's own 6 attempts, so the first try fails after all three jobs were paid.
	generateWorkflow('e2eRetryOnFail', RETRY_PROMPTS, { node: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } }),
];

describeEachN8n('Magic Hour in real n8n', (version, install) => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;

	beforeAll(async () => {
		sandbox = await startSandbox({ jobDurationMs: 1000 });
		n8n = await N8nInstance.create(install);
		await n8n.importCredentials(credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY }));
		await n8n.importWorkflows(WORKFLOWS);
	}, 5 * 60_000);

	afterAll(async () => {
		await sandbox?.close();
		n8n?.dispose();
	});

	beforeEach(() => sandbox.reset());

	const jobFor = (jobId: string): SandboxJob => {
		const job = [...sandbox.jobs.values()].find((j) => j.id === jobId);
		if (!job) throw new Error(`the sandbox has no job ${jobId}`);
		return job;
	};

	/** The item's file, as written by the Read/Write Files node, is the video the sandbox served. */
	async function expectWrittenVideo(item: Item) {
		const job = jobFor(item.json.jobId);
		const file = path.resolve(n8n.userFolder, item.json.fileName);
		expect(file.startsWith(n8n.filesDir + path.sep)).toBe(true);
		const expected = sandbox.expectedVideo(job);
		expect(fs.statSync(file).size).toBe(expected.size);
		expect(await sha256File(file)).toBe(expected.sha256);
	}

	function expectSuccess(result: ExecutionResult) {
		if (result.status !== 'success') throw new Error(`workflow did not succeed on n8n ${version}: ${result.describe()}`);
	}

	test('generate: Manual Trigger → items → Magic Hour → Write File writes the bytes the API served', async () => {
		const result = await n8n.execute('e2eGenerate');
		expectSuccess(result);
		expect(result.executedNodes).toEqual(['Start', 'Items', 'Magic Hour', 'Write File']);
		const videos = result.items('Magic Hour');
		expect(videos).toHaveLength(2);
		videos.forEach((item, index) => {
			expect(item.json).toMatchObject({ status: 'completed', provider: 'magicHour', model: 'kling-2.5' });
			expect(item.json.jobId).toEqual(expect.any(String));
			expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${item.json.jobId}.mp4`, fileExtension: 'mp4' });
			expect(item.pairedItem).toEqual({ item: index });
		});
		// The big one went through n8n's filesystem binary-data mode whole.
		expect(videos[1].binary?.data.id).toMatch(/^filesystem/);
		const written = result.items('Write File');
		expect(written).toHaveLength(2);
		for (const item of written) await expectWrittenVideo(item);
		expect(fs.statSync(path.resolve(n8n.userFolder, written[1].json.fileName)).size).toBeGreaterThanOrEqual(BIG_VIDEO_BYTES);
		// API calls carried the key of the imported credential (encrypted by n8n, decrypted at run time);
		// the CDN downloads, another origin, did not.
		const calls = sandbox.requestsTo('magicHour');
		expect(calls.filter((r) => r.route !== 'download').every((r) => r.authorization === `Bearer ${SANDBOX_API_KEY}`)).toBe(true);
		const downloads = calls.filter((r) => r.route === 'download');
		expect(downloads.length).toBeGreaterThanOrEqual(2);
		expect(downloads.every((r) => r.authorization === undefined)).toBe(true);
	}, 5 * 60_000);

	test('submit then get in one workflow', async () => {
		const result = await n8n.execute('e2eSubmitGet');
		expectSuccess(result);
		const [submitted] = result.items('Submit');
		expect(submitted.json.jobId).toEqual(expect.any(String));
		expect(['queued', 'processing']).toContain(submitted.json.status);
		expect(submitted.binary).toBeUndefined();
		const [fetched] = result.items('Get');
		expect(fetched.json).toMatchObject({ jobId: submitted.json.jobId, status: 'completed' });
		expect(fetched.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: expect.stringMatching(/\.mp4$/) });
		await expectWrittenVideo(result.items('Write File')[0]);
		expect(sandbox.requestsTo('magicHour', 'submit')).toHaveLength(1);
	}, 5 * 60_000);

	test('a failing job stops the workflow with the provider reason and the job id', async () => {
		const result = await n8n.execute('e2eFailing');
		expect(result.status).toBe('error');
		expect(result.cli.code).not.toBe(0);
		const [job] = [...sandbox.jobs.values()];
		expect(result.error?.message).toBe('Magic Hour could not make the video');
		expect(result.error?.description).toContain('Magic Hour said: "The render did not finish in time');
		expect(result.error?.description).toContain(`Job ID: ${job.id}.`);
		expect(result.nodeRun('Magic Hour').error?.description).toContain(job.id);
		expect(result.executedNodes).not.toContain('Write File');
		expect(fs.readdirSync(n8n.filesDir).filter((f) => f.startsWith(job.id))).toEqual([]);
	}, 5 * 60_000);

	test('Continue On Fail: one of three items fails, two videos arrive', async () => {
		const result = await n8n.execute('e2eContinueOnFail');
		expectSuccess(result);
		const out = result.items('Magic Hour');
		expect(out).toHaveLength(3);
		expect(out[1].json).toMatchObject({ status: 'failed', jobId: expect.any(String) });
		expect(out[1].json.errorDescription).toContain(out[1].json.jobId);
		expect(out[1].binary).toBeUndefined();
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const written = result.items('Write File').filter((item) => item.json.fileName);
		expect(written.map((item) => item.json.jobId)).toEqual([out[0].json.jobId, out[2].json.jobId]);
		for (const item of written) await expectWrittenVideo(item);
	}, 5 * 60_000);

	test('Retry On Fail picks the paid jobs up: 3 videos, exactly 3 submits', async () => {
		const result = await n8n.execute('e2eRetryOnFail');
		expectSuccess(result);
		const out = result.items('Magic Hour');
		expect(out).toHaveLength(3);
		const jobs = [...sandbox.jobs.values()];
		expect(sandbox.requestsTo('magicHour', 'submit')).toHaveLength(3);
		expect(jobs).toHaveLength(3);
		// The faulty job's checks did fail past the node's own retries (7 failures, then answers).
		const faulty = jobs.find((job) => (job as typeof job & { prompt: string }).prompt === RETRY_PROMPTS[1]);
		expect(faulty?.polls).toBeGreaterThan(7);
		expect(new Set(out.map((item) => item.json.jobId))).toEqual(new Set(jobs.map((job) => job.id)));
		for (const item of result.items('Write File')) await expectWrittenVideo(item);
	}, 5 * 60_000);
});
