/**
 * The download step in real n8n (each pinned version), against a CDN that misbehaves: an HTML page
 * with 200, a link refused with 403 until the job's status is asked again, and a stall (headers and
 * some bytes, then nothing). Magic Hour and AI/ML API, as in issue 23's measurements. The stall case
 * proves that the watchdog ends the stream n8n's binary store reads (on n8n 2.41 a stalled response
 * body emits neither 'error' nor 'close' when destroyed), within Download Stall Timeout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, SANDBOX_API_KEY, type Sandbox, type SandboxJob } from '../helpers/sandbox';
import { chain, credentialsFor, describeEachN8n, itemsNodes, N8nInstance, sha256File, writeFileNode, type ExecutionResult, type Item, type WorkflowSpec } from './harness';

const NODES = {
	magicHour: { type: 'n8n-nodes-text-to-video.magicHour', credentials: { magicHourApi: { id: 'magicHourSandbox', name: 'Magic Hour (sandbox)' } }, parameters: { model: 'kling-2.5', duration: 5 } },
	aimlApi: { type: 'n8n-nodes-text-to-video.aimlApi', credentials: { aimlApiApi: { id: 'aimlApiSandbox', name: 'AI/ML API (sandbox)' } }, parameters: { model: 'pixverse/v5/text-to-video', duration: 5 } },
} as const;
type NodeKey = keyof typeof NODES;

const STALL_SECONDS = 2;
const CASES = {
	html: ['html once [sandbox:cdn=html*1]', 'html always [sandbox:cdn=html]'],
	expired: ['expired link [sandbox:cdn=403]', 'gone link [sandbox:cdn=gone]'],
	stall: ['stall once [sandbox:cdn=stall*1]', 'stall always [sandbox:cdn=stall]'],
} as const;
type CaseKey = keyof typeof CASES;

/** Manual Trigger → Code (one item per prompt) → our node (Continue On Fail) → Read/Write Files. */
function workflow(node: NodeKey, key: CaseKey): WorkflowSpec {
	const spec = NODES[node];
	const id = `e2eDownload_${node}_${key}`;
	const onError = { onError: 'continueRegularOutput' };
	return {
		id,
		name: id,
		nodes: [
			...itemsNodes(CASES[key].map((prompt) => ({ prompt }))),
			{
				id: 'video',
				name: 'Video',
				type: spec.type,
				typeVersion: 1,
				position: [440, 0],
				parameters: { operation: 'generate', ...spec.parameters, prompt: '={{ $json.prompt }}', options: { pollInterval: 0.2, stallTimeout: STALL_SECONDS, downloadTimeout: 12 } },
				credentials: spec.credentials,
				...onError,
			},
			{ ...writeFileNode('Write File', '{{ $json.fileName }}'), ...onError },
		],
		connections: chain('Start', 'Items', 'Video', 'Write File'),
	};
}

const BILLING = /plan|credit|billing|top up|upgrade/i;

describeEachN8n('Downloads in real n8n', (version, install) => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;

	beforeAll(async () => {
		sandbox = await startSandbox({ jobDurationMs: 600, videoBytes: 2 * 1024 * 1024 });
		n8n = await N8nInstance.create(install);
		await n8n.importCredentials(credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY }));
		await n8n.importWorkflows((Object.keys(NODES) as NodeKey[]).flatMap((node) => (Object.keys(CASES) as CaseKey[]).map((key) => workflow(node, key))));
	}, 5 * 60_000);

	afterAll(async () => {
		await sandbox?.close();
		n8n?.dispose();
	});

	beforeEach(() => sandbox.reset());

	const jobOf = (prompt: string): SandboxJob & { downloads: number } => {
		const job = [...sandbox.jobs.values()].find((j) => (j as SandboxJob & { prompt?: string }).prompt === prompt);
		if (!job) throw new Error(`the sandbox has no job for "${prompt}"`);
		return job as SandboxJob & { downloads: number };
	};

	async function run(node: NodeKey, key: CaseKey): Promise<{ result: ExecutionResult; out: Item[]; seconds: number }> {
		const started = Date.now();
		const result = await n8n.execute(`e2eDownload_${node}_${key}`);
		const seconds = (Date.now() - started) / 1000;
		if (result.status !== 'success') throw new Error(`workflow did not succeed on n8n ${version}: ${result.describe()}`);
		const out = result.items('Video');
		expect(out).toHaveLength(2);
		// Never a second submit: one job per item.
		expect(sandbox.jobs.size).toBe(2);
		return { result, out, seconds };
	}

	/** The file n8n wrote holds exactly the bytes the CDN served for the job. */
	async function expectWrittenVideo(result: ExecutionResult, job: SandboxJob) {
		const written = result.items('Write File').find((item) => item.json.jobId === job.id);
		expect(written?.json.fileName).toEqual(expect.any(String));
		const file = path.resolve(n8n.userFolder, String(written?.json.fileName));
		const expected = sandbox.expectedVideo(job);
		expect(fs.statSync(file).size).toBe(expected.size);
		expect(await sha256File(file)).toBe(expected.sha256);
	}

	function expectFailedItem(item: Item, job: SandboxJob) {
		expect(item.json).toMatchObject({ status: 'failed', jobStatus: 'completed', jobId: job.id });
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toContain(`Downloading the video of job ${job.id} failed`);
		// The job is complete: Get can still bring the video, so the description offers it.
		expect(item.json.errorDescription).toContain(`with ID ${job.id}. Run this node with the Get operation and this Job ID`);
		expect(item.json.error).not.toMatch(BILLING);
	}

	describe.each(Object.keys(NODES) as NodeKey[])('%s', (node) => {
		test('HTML with 200: fetched again when it passes, never stored as the video when it keeps coming', async () => {
			const { result, out } = await run(node, 'html');
			const [once, always] = CASES.html.map(jobOf);
			expect(out[0].json).toMatchObject({ status: 'completed', jobId: once.id });
			await expectWrittenVideo(result, once);
			expect(once.downloads).toBe(2);
			expectFailedItem(out[1], always);
			expect(out[1].json.error).toMatch(/not a video \(type text\/html, \d+ bytes, starting "<!DOCTYPE html>/);
			expect(always.downloads).toBe(4);
			console.info(`n8n ${version}, ${node}, HTML: recovered after ${once.downloads} downloads; kept failing after ${always.downloads}: ${out[1].json.error}`);
		}, 5 * 60_000);

		test('403 on an expired link: the status is asked again and the fresh link gives the video; refused again, it fails in download words', async () => {
			const { result, out } = await run(node, 'expired');
			const [expired, gone] = CASES.expired.map(jobOf);
			expect(out[0].json).toMatchObject({ status: 'completed', jobId: expired.id });
			await expectWrittenVideo(result, expired);
			expect(expired.downloads).toBe(2);
			expectFailedItem(out[1], gone);
			expect(out[1].json.error).toContain('The video link was refused (HTTP 403)');
			expect(gone.downloads).toBe(2);
			console.info(`n8n ${version}, ${node}, 403: fresh link after ${expired.polls} status checks; gone: ${out[1].json.error}`);
		}, 5 * 60_000);

		test(`a stall is ended after ${STALL_SECONDS} s without bytes and tried again; the execution never hangs`, async () => {
			const { result, out, seconds } = await run(node, 'stall');
			const [once, always] = CASES.stall.map(jobOf);
			expect(out[0].json).toMatchObject({ status: 'completed', jobId: once.id });
			await expectWrittenVideo(result, once);
			expect(once.downloads).toBe(2);
			expectFailedItem(out[1], always);
			expect(out[1].json.error).toMatch(/the video host sent nothing for [\d.]+ s \(Download Stall Timeout\)/);
			// Download Timeout (12 s) bounds the attempts: 2 s stalls and 1, 2, 4 s pauses.
			expect(always.downloads).toBeGreaterThanOrEqual(3);
			expect(always.downloads).toBeLessThanOrEqual(4);
			// n8n's start and shutdown take some seconds on top; the old behaviour hung for 10 minutes.
			expect(seconds).toBeLessThan(60);
			console.info(`n8n ${version}, ${node}, stall: workflow ended in ${seconds.toFixed(1)} s, ${always.downloads} downloads: ${out[1].json.error}`);
		}, 5 * 60_000);
	});
});
