/**
 * Every workflow in examples/ runs in real n8n (each pinned version), as a user runs it from the
 * editor: `n8n start`, signed in, "Execute workflow" (a manual execution on the server, so Wait nodes
 * can be resumed by the provider's webhook calls). Credentials are the sandbox ones, whatever ids the
 * example was saved with. Each video an example writes with Read/Write Files must be the bytes the
 * sandbox served.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, SANDBOX_API_KEY, type Sandbox, type SandboxJob } from '../helpers/sandbox';
import {
	credentialsFor,
	describeEachN8n,
	exampleWorkflows,
	N8nInstance,
	sha256File,
	withCredentials,
	withShortWaits,
	type Item,
	type N8nServer,
} from './harness';

const examples = exampleWorkflows();

describeEachN8n('Example workflows in real n8n', (version, install) => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let server: N8nServer;

	beforeAll(async () => {
		sandbox = await startSandbox({ jobDurationMs: 1000 });
		n8n = await N8nInstance.create(install);
		const credentials = credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY });
		await n8n.importCredentials(credentials);
		// The durable recipes (*-durable-submit-wait-get.json) wait minutes between status checks: here
		// their Waits (65 s and more) are cut to half a second, so the recipe's loop runs in seconds.
		// restart.e2e.test.ts runs the recipe with its real, persisted Wait across an n8n kill.
		await n8n.importWorkflows(examples.map((e) => withShortWaits(withCredentials(e.workflow, credentials), 0.5)));
		server = await n8n.startServer();
	}, 5 * 60_000);

	afterAll(async () => {
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

	async function expectServedVideo(item: Item, file: string) {
		const jobs = [...sandbox.jobs.values()] as Array<SandboxJob & { provider: string }>;
		const sha256 = await sha256File(file);
		// A4F's API gives no job id (the node makes one): its job is the one of its provider that served these bytes.
		const job =
			jobs.find((j) => j.id === item.json.jobId) ??
			(item.json.provider === 'a4f' ? jobs.find((j) => j.provider === 'a4f' && sandbox.expectedVideo(j).sha256 === sha256) : undefined);
		if (!job) throw new Error(`the sandbox has no job ${item.json.jobId}`);
		const expected = sandbox.expectedVideo(job);
		expect(fs.statSync(file).size).toBe(expected.size);
		expect(sha256).toBe(expected.sha256);
	}

	test.each(examples.map((e) => [e.file, e.workflow] as const))('%s', async (_file, workflow) => {
		const result = await server.run(workflow.id);
		if (result.status !== 'success') throw new Error(`example failed on n8n ${version}: ${result.describe()}`);
		const writers = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.readWriteFile' && !node.disabled);
		if (writers.length) {
			for (const writer of writers) {
				// Every run of the writer: a recipe that loops (Submit → Wait → Get) writes each video when its job is done.
				const runs = result.run?.data.resultData.runData[writer.name] ?? [];
				const written = runs.flatMap((_, runIndex) => result.items(writer.name, 0, runIndex));
				expect(written.length).toBeGreaterThan(0);
				for (const item of written) {
					expect(item.json.status).toBe('completed');
					const file = path.resolve(n8n.userFolder, item.json.fileName);
					expect(file.startsWith(n8n.filesDir + path.sep)).toBe(true);
					await expectServedVideo(item, file);
				}
			}
		} else {
			// No file written: the last node must hold the finished video as binary data.
			const last = result.run!.data.resultData.lastNodeExecuted!;
			const items = result.items(last);
			expect(items.length).toBeGreaterThan(0);
			for (const item of items) {
				expect(item.json.status).toBe('completed');
				expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: expect.stringMatching(/\.mp4$/) });
			}
		}
	}, 5 * 60_000);
});
