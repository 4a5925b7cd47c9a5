/**
 * Every workflow in examples/, imported unchanged (credentials aside) into a STOCK n8n of each pinned
 * version, run as a user runs it from the editor: `n8n start` with n8n's own defaults (N8nInstance
 * `stock: true`: no widened file access, the version's default binary-data mode, HOME and user folder
 * relocated to a throwaway folder only), signed in, "Execute workflow". The only change to an example
 * is its credential pointed at the sandbox, as a user enters an API key.
 *
 * Per example the sandbox counts the paid submits (jobs it created). An example fails when:
 * - it errors after paying (named as such: "paid N submit(s), then failed at <node>"), or before;
 * - a paid video does not land where its sticky note says: in the output of a last node of the
 *   workflow, as binary `data` (MP4), with the bytes the provider served, downloadable as the editor's
 *   *Download* button gets it (n8n's binary-data endpoint, or the item itself in 1.x's memory mode).
 * The closing summary prints passed/paid per example for each version.
 */
import { startSandbox, SANDBOX_API_KEY, sha256, type Sandbox, type SandboxJob } from '../helpers/sandbox';
import { credentialsFor, describeEachN8n, exampleWorkflows, N8nInstance, withCredentials, withShortWaits, type Item, type N8nServer, type WorkflowSpec } from './harness';

const examples = exampleWorkflows();

/** Nodes with no outgoing connection, where a workflow's result stays: not notes, not Stop and Error. */
function lastNodes(workflow: WorkflowSpec): string[] {
	const feeding = new Set(
		Object.entries(workflow.connections)
			.filter(([, outputs]) => (outputs.main ?? []).some((targets: unknown[] | null) => (targets ?? []).length > 0))
			.map(([name]) => name),
	);
	return workflow.nodes
		.filter((node) => !node.disabled && !feeding.has(node.name) && !['n8n-nodes-base.stickyNote', 'n8n-nodes-base.stopAndError'].includes(node.type))
		.map((node) => node.name);
}

describeEachN8n('Example workflows in a stock n8n', (version, install) => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let server: N8nServer;
	const summary: Array<{ file: string; paid: number; passed: boolean; note: string }> = [];

	beforeAll(async () => {
		sandbox = await startSandbox({ jobDurationMs: 1000 });
		n8n = await N8nInstance.create(install, { stock: true });
		const credentials = credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY });
		await n8n.importCredentials(credentials);
		// The durable recipes (*-durable-submit-wait-get.json) wait minutes between status checks: here
		// their Waits (65 s and more) are cut to half a second, so the recipe's loop runs in seconds.
		// restart.e2e.test.ts runs the recipe with its real, persisted Wait across an n8n kill.
		await n8n.importWorkflows(examples.map((e) => withShortWaits(withCredentials(e.workflow, credentials), 0.5)));
		server = await n8n.startServer();
	}, 5 * 60_000);

	afterAll(async () => {
		const passed = summary.filter((s) => s.passed).length;
		console.log(
			[
				`examples on stock n8n ${version}: ${passed} of ${summary.length} passed; ${summary.reduce((n, s) => n + s.paid, 0)} paid submits`,
				...summary.map((s) => `  ${s.passed ? 'pass' : 'FAIL'}  ${s.file}: ${s.paid} paid${s.note ? `; ${s.note}` : ''}`),
			].join('\n'),
		);
		await server?.stop();
		await sandbox?.close();
		n8n?.dispose();
	});

	if (examples.length === 0) {
		test('examples/ holds workflows', () => {
			throw new Error('examples/ holds no workflow: the examples suite has nothing to run');
		});
		return;
	}

	/** The sandbox job that served `bytes` for `item`: by job id, or for A4F (no job id in its API) by the bytes. */
	function jobOf(item: Item, digest: string, jobs: Array<SandboxJob & { provider: string }>) {
		return (
			jobs.find((j) => j.id === item.json.jobId) ??
			(item.json.provider === 'a4f' ? jobs.find((j) => j.provider === 'a4f' && sandbox.expectedVideo(j).sha256 === digest) : undefined)
		);
	}

	test.each(examples.map((e) => [e.file, e.workflow] as const))('%s', async (file, workflow) => {
		const entry = { file, paid: 0, passed: false, note: '' };
		summary.push(entry);
		const before = new Set(sandbox.jobs.keys());
		const result = await server.run(workflow.id);
		const paid = [...sandbox.jobs.entries()].filter(([key]) => !before.has(key)).map(([, job]) => job) as Array<SandboxJob & { provider: string }>;
		entry.paid = paid.length;
		if (result.status !== 'success') {
			const failedAt = result.error?.node?.name ?? result.run?.data.resultData.lastNodeExecuted ?? '?';
			entry.note = `failed at "${failedAt}": ${result.error?.message ?? result.status}`;
			throw new Error(
				paid.length > 0
					? `example paid ${paid.length} submit(s), then failed at "${failedAt}" on stock n8n ${version}: ${result.describe()}`
					: `example failed on stock n8n ${version} before paying: ${result.describe()}`,
			);
		}
		expect(paid.length).toBeGreaterThan(0);

		// Every paid video is in a last node's output, with the bytes the provider served.
		const ends = lastNodes(workflow);
		const delivered: Item[] = ends.flatMap((name) => (result.run?.data.resultData.runData[name] ?? []).flatMap((_, runIndex) => result.items(name, 0, runIndex)));
		const videos = delivered.filter((item) => item.binary?.data);
		if (videos.length === 0) entry.note = `no video in the output of ${ends.join(', ')}`;
		expect(videos.length).toBe(paid.length);
		const served = new Set<string>();
		for (const item of videos) {
			expect(item.json.status).toBe('completed');
			expect(item.binary!.data).toMatchObject({ mimeType: 'video/mp4', fileName: expect.stringMatching(/\.mp4$/) });
			const bytes = await server.binaryBytes(item.binary!.data);
			const digest = sha256(bytes);
			const job = jobOf(item, digest, paid);
			if (!job) throw new Error(`${file}: a video for job ${item.json.jobId} that this run did not pay for`);
			const expected = sandbox.expectedVideo(job);
			expect(bytes.length).toBe(expected.size);
			expect(digest).toBe(expected.sha256);
			served.add(`${job.provider}:${job.id}`);
		}
		// No paid job without its video.
		expect(served.size).toBe(paid.length);
		entry.passed = true;
	}, 5 * 60_000);
});
