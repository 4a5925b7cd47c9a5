/**
 * Every node of the registry (providers.json), once per conformance profile (nodes/<Provider>/
 * conformance.ts: the Video Generation API node in both API styles), inside real n8n (each pinned
 * version), loaded from dist/ as an installed community package, talking to the sandbox over HTTP,
 * their videos written by n8n's own Read/Write Files node. A provider needs nothing here: its profile
 * gives the parameters, whether it has jobs to get, and the reason the sandbox gives for a failed job.
 *
 * Each n8n process start costs seconds, so each node gets ONE workflow, run once with `n8n execute`:
 * from one Manual Trigger, branches that n8n runs one after the other, top to bottom (execution order
 * v1, depth first):
 *
 *   y=0    Generate Items → <node> generate → Write Generated
 *   y=200  Batch Items (3, the middle one fails) → <node> with Continue On Fail → Write Batch
 *   y=400  Submit Items → <node> submit → <node> get (Wait for Completion) → Write Fetched   (not A4F)
 *   y=500  Retry Items (3, the middle job's status checks outlast the node's retries) → <node> with
 *          n8n's Retry On Fail (3 tries, 0 ms apart) → Write Retried                       (not A4F)
 *   y=600  Failing Items → <node> generate, a job that fails → Write Failing (never reached)
 *
 * The last branch stops the run with the node's error; `n8n execute --rawOutput` still prints the whole
 * run, so the other branches' outputs are there too. The tests assert that everything else ran before
 * the failure, so no check is vacuous.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conformanceProfiles } from '../helpers/conformance';
import { startSandbox, SANDBOX_API_KEY, type Sandbox, type SandboxJob, type SandboxRequest } from '../helpers/sandbox';
import {
	BUILTIN,
	credentialsFor,
	describeEachN8n,
	N8nInstance,
	sha256File,
	withCredentials,
	writeFileNode,
	type ExecutionResult,
	type Item,
	type WorkflowSpec,
} from './harness';

interface NodeUnderTest {
	/** Test title and workflow id. */
	label: string;
	workflowId: string;
	/** The node's `name` (providers.json key) and its credential type. */
	node: string;
	credential: string;
	/** The sandbox provider module that plays its API (sandbox/providers/<provider>.js). */
	provider: string;
	parameters: Record<string, unknown>;
	options: Record<string, unknown>;
	/** Whether the node has `submit` and `get` (A4F is generate-only). */
	submitGet: boolean;
	/** Whether `json.jobId` is the API's own id (A4F has none: the node makes one). */
	apiJobId: boolean;
	/** The reason the sandbox gives for a `[sandbox:fail]` job, in the provider's own error shape (docs/providers/*.md, "The API as this node uses it"). */
	failureReason: string;
}

const POLL = { pollInterval: 0.2 };

/** One workflow per conformance profile, in registry order. */
const NODES: NodeUnderTest[] = conformanceProfiles().map((profile, index) => {
	const { prompt: _prompt, ...parameters } = profile.defaults;
	return {
		label: profile.name,
		// n8n keeps an imported id of at most 21 characters as it is.
		workflowId: `e2e${index}${profile.slug}`.slice(0, 21),
		node: profile.entry.key,
		credential: profile.entry.credential.type,
		provider: profile.provider,
		parameters,
		options: profile.synchronous ? {} : POLL,
		submitGet: !profile.synchronous,
		apiJobId: !profile.synchronous,
		failureReason: profile.failureReason,
	};
});

/** The prompts of each branch; the label keeps them apart across nodes sharing a provider. */
function prompts(spec: NodeUnderTest) {
	const p = (text: string) => `${spec.label}: ${text}`;
	return {
		generate: [p('a red fox in the snow'), p('a paper boat on a river')],
		batch: [p('batch one'), p('batch two [sandbox:fail]'), p('batch three')],
		submit: [p('clouds over a ridge')],
		failing: [p('doomed [sandbox:fail]')],
		retry: [p('retry one'), p('retry two [sandbox:pollfail=7]'), p('retry three')],
	};
}

const BRANCHES = { generate: 0, batch: 200, submit: 400, retry: 500, failing: 600 } as const;

/** The file name the node gives a video: its job id made file-safe, plus the extension. */
const videoFileName = (jobId: string) => `${jobId.replace(/[^\w.-]+/g, '_')}.mp4`;

function workflowFor(spec: NodeUnderTest): WorkflowSpec {
	// Any reference: at import it is pointed at the sandbox credential of this type (withCredentials).
	const credentials = { [spec.credential]: { id: spec.credential, name: spec.label } };
	const at = (x: number, y: number) => ({ position: [x, y] });
	const items = (name: string, list: string[], y: number) => ({
		id: name.replace(/\W+/g, '-').toLowerCase(),
		name,
		...BUILTIN.code,
		...at(220, y),
		parameters: { jsCode: `return ${JSON.stringify(list.map((prompt) => ({ json: { prompt } })))};` },
	});
	const ours = (name: string, parameters: Record<string, unknown>, x: number, y: number, extra: Record<string, unknown> = {}) => ({
		id: name.replace(/\W+/g, '-').toLowerCase(),
		name,
		type: `n8n-nodes-text-to-video.${spec.node}`,
		typeVersion: 1,
		...at(x, y),
		parameters,
		credentials,
		...extra,
	});
	const job = (operation: string) => ({ operation, ...spec.parameters, prompt: '={{ $json.prompt }}', options: spec.options });
	const write = (name: string, x: number, y: number, extra: Record<string, unknown> = {}) => ({
		...writeFileNode(name, '{{ $json.fileName }}'),
		...at(x, y),
		...extra,
	});
	const continueOnFail = { onError: 'continueRegularOutput' };
	const p = prompts(spec);

	const nodes: Array<Record<string, unknown>> = [
		{ id: 'start', name: 'Start', ...BUILTIN.manualTrigger, ...at(0, 300), parameters: {} },
		items('Generate Items', p.generate, BRANCHES.generate),
		ours('Generate', job('generate'), 440, BRANCHES.generate),
		write('Write Generated', 660, BRANCHES.generate),
		items('Batch Items', p.batch, BRANCHES.batch),
		ours('Batch', job('generate'), 440, BRANCHES.batch, continueOnFail),
		write('Write Batch', 660, BRANCHES.batch, continueOnFail),
		items('Failing Items', p.failing, BRANCHES.failing),
		ours('Failing', job('generate'), 440, BRANCHES.failing),
		write('Write Failing', 660, BRANCHES.failing),
	];
	const links: Array<[string, string]> = [
		['Start', 'Generate Items'],
		['Generate Items', 'Generate'],
		['Generate', 'Write Generated'],
		['Start', 'Batch Items'],
		['Batch Items', 'Batch'],
		['Batch', 'Write Batch'],
		['Start', 'Failing Items'],
		['Failing Items', 'Failing'],
		['Failing', 'Write Failing'],
	];
	if (spec.submitGet) {
		// Get must use the API style the job was submitted with (Video Generation API).
		const sameApiStyle = 'apiStyle' in spec.parameters ? { apiStyle: spec.parameters.apiStyle } : {};
		nodes.push(
			items('Submit Items', p.submit, BRANCHES.submit),
			ours('Submit', job('submit'), 440, BRANCHES.submit),
			ours('Get', { operation: 'get', ...sameApiStyle, jobId: '={{ $json.jobId }}', options: { ...spec.options, waitForCompletion: true } }, 660, BRANCHES.submit),
			write('Write Fetched', 880, BRANCHES.submit),
		);
		links.push(['Start', 'Submit Items'], ['Submit Items', 'Submit'], ['Submit', 'Get'], ['Get', 'Write Fetched']);
		nodes.push(
			items('Retry Items', p.retry, BRANCHES.retry),
			ours('Retried', job('generate'), 440, BRANCHES.retry, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 }),
			write('Write Retried', 660, BRANCHES.retry),
		);
		links.push(['Start', 'Retry Items'], ['Retry Items', 'Retried'], ['Retried', 'Write Retried']);
	}
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	for (const [from, to] of links) {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	}
	return { id: spec.workflowId, name: `e2e: ${spec.label}`, nodes, connections };
}

describeEachN8n('Provider nodes in real n8n', (version, install) => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;

	beforeAll(async () => {
		sandbox = await startSandbox({ jobDurationMs: 600 });
		n8n = await N8nInstance.create(install);
		const credentials = credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY });
		const missing = NODES.filter((spec) => !credentials.some((c) => c.type === spec.credential)).map((spec) => spec.credential);
		if (missing.length) throw new Error(`the built package declares no credential type ${missing.join(', ')}`);
		await n8n.importCredentials(credentials);
		await n8n.importWorkflows(NODES.map((spec) => withCredentials(workflowFor(spec), credentials)));
	}, 5 * 60_000);

	afterAll(async () => {
		await sandbox?.close();
		n8n?.dispose();
	});

	describe.each(NODES.map((spec) => [spec.label, spec] as const))('%s', (_label, spec) => {
		let result: ExecutionResult;
		const p = prompts(spec);

		beforeAll(async () => {
			sandbox.reset();
			const startedAt = Date.now();
			result = await n8n.execute(spec.workflowId);
			const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
			// For the record: the run's cost, and the requests one generated video took (none if it failed: the tests say why).
			const routes = jobs().some((job) => (job as SandboxJob & { prompt: string }).prompt === p.generate[0]) ? requestsFor(p.generate[0]).map((r) => r.route) : [];
			console.info(`[e2e] n8n ${version}, ${spec.label}: \`n8n execute\` (${result.executedNodes.length} nodes) took ${seconds} s; one video's requests: ${routes.join(', ')}`);
		}, 5 * 60_000);

		const jobs = (): SandboxJob[] => [...sandbox.jobs.values()].filter((job) => (job as SandboxJob & { provider: string }).provider === spec.provider);
		const jobOf = (prompt: string): SandboxJob => {
			const found = jobs().filter((job) => (job as SandboxJob & { prompt: string }).prompt === prompt);
			if (found.length !== 1) throw new Error(`the sandbox has ${found.length} ${spec.provider} jobs for "${prompt}", expected 1\n${result.describe()}`);
			return found[0];
		};
		/** Every request of a prompt's job: its submit (by body), then its polls and downloads (by id or URL; ids may be URL-encoded). */
		const requestsFor = (prompt: string): SandboxRequest[] => {
			const job = jobOf(prompt);
			const names = (r: SandboxRequest) => decodeURIComponent(r.url).includes(job.id) || r.url.includes(job.videoId);
			return sandbox.requestsTo(spec.provider).filter((r) => carries(r, prompt) || names(r));
		};
		/** Whether a request's body holds the prompt, wherever the API puts it (Magic Hour: `style.prompt`). */
		const carries = (r: SandboxRequest, prompt: string) => JSON.stringify(r.body ?? null).includes(JSON.stringify(prompt));
		const submitsOf = (prompt: string) => sandbox.requestsTo(spec.provider, 'submit').filter((r) => carries(r, prompt));

		function expectSucceededUpTo(node: string) {
			if (!result.executedNodes.includes(node)) throw new Error(`"${node}" did not run on n8n ${version}: ${result.describe()}`);
			const run = result.nodeRun(node);
			if (run.error) throw new Error(`"${node}" failed on n8n ${version}: ${run.error.message}\n${result.describe()}`);
		}

		/** The node's item for `prompt`: a finished video whose binary is named after the job. */
		function expectVideoItem(item: Item, prompt: string, index: number) {
			const job = jobOf(prompt);
			expect(item.json).toMatchObject({ status: 'completed', provider: spec.provider, jobId: expect.any(String) });
			if (spec.apiJobId) expect(item.json.jobId).toBe(job.id);
			expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: videoFileName(item.json.jobId), fileExtension: 'mp4' });
			expect(item.pairedItem).toEqual({ item: index });
		}

		/** The file the Read/Write Files node wrote for `prompt` holds the bytes the sandbox served. */
		async function expectWrittenVideo(item: Item, prompt: string) {
			const file = path.resolve(n8n.userFolder, item.json.fileName);
			expect(file.startsWith(n8n.filesDir + path.sep)).toBe(true);
			const expected = sandbox.expectedVideo(jobOf(prompt));
			expect(fs.statSync(file).size).toBe(expected.size);
			expect(await sha256File(file)).toBe(expected.sha256);
		}

		test('generate → Read/Write Files: the written MP4 is the video the API served', async () => {
			expectSucceededUpTo('Write Generated');
			const videos = result.items('Generate');
			expect(videos).toHaveLength(p.generate.length);
			videos.forEach((item, index) => expectVideoItem(item, p.generate[index], index));
			const written = result.items('Write Generated');
			expect(written.map((item) => item.json.jobId)).toEqual(videos.map((item) => item.json.jobId));
			for (const [index, item] of written.entries()) await expectWrittenVideo(item, p.generate[index]);
			// The imported credential's key (encrypted by n8n, decrypted at run time) went to the API on
			// every call; the video CDN, another origin, never saw it.
			for (const prompt of p.generate) {
				expect(submitsOf(prompt)).toHaveLength(1);
				for (const request of requestsFor(prompt)) {
					expect(request.authorization).toBe(request.url.startsWith('/videos/') ? undefined : `Bearer ${SANDBOX_API_KEY}`);
				}
			}
		});

		test('Continue On Fail: one of three items fails with its reason and job id, two videos arrive', async () => {
			expectSucceededUpTo('Write Batch');
			const out = result.items('Batch');
			expect(out).toHaveLength(3);
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expectVideoItem(out[0], p.batch[0], 0);
			expectVideoItem(out[2], p.batch[2], 2);
			const failed = out[1].json;
			expect(failed.jobId).toEqual(expect.any(String));
			if (spec.apiJobId) expect(failed.jobId).toBe(jobOf(p.batch[1]).id);
			// The title says what happened and which item; the provider's reason and the job id are in the description.
			expect(failed.error).toMatch(/could not make the video.* \(item 2\)$/);
			expect(failed.errorDescription).toContain(spec.failureReason);
			expect(failed.errorDescription).toContain(failed.jobId);
			expect(out[1].binary).toBeUndefined();
			const written = result.items('Write Batch').filter((item) => item.json.fileName);
			expect(written.map((item) => item.json.jobId)).toEqual([out[0].json.jobId, out[2].json.jobId]);
			await expectWrittenVideo(written[0], p.batch[0]);
			await expectWrittenVideo(written[1], p.batch[2]);
			for (const prompt of p.batch) expect(submitsOf(prompt)).toHaveLength(1);
		});

		// A4F has no submit/get (its API answers with the finished video): nothing to skip, the test is not there.
		if (spec.submitGet)
			test('submit then get in one workflow: one job, its video written', async () => {
			expectSucceededUpTo('Write Fetched');
			const [submitted] = result.items('Submit');
			const job = jobOf(p.submit[0]);
			expect(submitted.json).toMatchObject({ jobId: job.id, provider: spec.provider });
			expect(['queued', 'processing']).toContain(submitted.json.status);
			expect(submitted.binary).toBeUndefined();
			const [fetched] = result.items('Get');
			expect(fetched.json).toMatchObject({ jobId: job.id, status: 'completed' });
			expect(fetched.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: videoFileName(job.id), fileExtension: 'mp4' });
			await expectWrittenVideo(result.items('Write Fetched')[0], p.submit[0]);
			expect(submitsOf(p.submit[0])).toHaveLength(1);
		});

		if (spec.submitGet)
			test("n8n's Retry On Fail picks the paid jobs up: 3 videos, exactly 3 submits", async () => {
				expectSucceededUpTo('Write Retried');
				const out = result.items('Retried');
				expect(out).toHaveLength(3);
				out.forEach((item, index) => expectVideoItem(item, p.retry[index], index));
				for (const prompt of p.retry) expect(submitsOf(prompt)).toHaveLength(1);
				// The faulty job's status checks did fail past the node's own 6 attempts.
				expect(jobOf(p.retry[1]).polls).toBeGreaterThan(7);
				const written = result.items('Write Retried');
				for (const [index, item] of written.entries()) await expectWrittenVideo(item, p.retry[index]);
			});

		test('a failing job stops the workflow with the provider reason and the job id', async () => {
			expect(result.status).toBe('error');
			expect(result.cli.code).not.toBe(0);
			// The failing branch ran last: every other branch had finished, and nothing ran after it.
			const nodes = result.executedNodes;
			expect(nodes[nodes.length - 1]).toBe('Failing');
			expect(nodes).toEqual(expect.arrayContaining(spec.submitGet ? ['Write Generated', 'Write Batch', 'Write Fetched', 'Write Retried'] : ['Write Generated', 'Write Batch']));
			expect(nodes).not.toContain('Write Failing');
			const message = result.error?.message ?? '';
			const description = result.error?.description ?? '';
			// n8n shows the title (what happened) and the description (what helps, the provider's reason once, the job id).
			expect(message).toMatch(/could not make the video/);
			expect(description).toContain(spec.failureReason);
			expect(description.split(spec.failureReason)).toHaveLength(2);
			const jobId = /Job ID: (\S+)\.$/.exec(description)?.[1];
			expect(jobId).toEqual(expect.any(String));
			if (spec.apiJobId) expect(jobId).toBe(jobOf(p.failing[0]).id);
			expect(result.nodeRun('Failing').error?.message).toBe(message);
			// A failed job is not offered to Get: Get would only report it as failed.
			expect(description).not.toMatch(/Get operation/);
			// A paid job is never submitted twice, even when it fails.
			expect(submitsOf(p.failing[0])).toHaveLength(1);
		});
	});
});
