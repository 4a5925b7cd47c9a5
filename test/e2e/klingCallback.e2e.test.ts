/**
 * Kling (useapi.net) Generate with Options → Wait Mode "Wait for Callback (Frees the Worker)", in real
 * n8n started as a server (`n8n start`: the resume webhooks need one), for each pinned version.
 *
 * The node submits with `replyUrl` = the execution's resume URL and puts the execution to wait in the
 * database; the sandbox plays useapi.net and POSTs the task object to that URL with progress and at
 * the end (sandbox/providers/useApiKling.js). A call is only a wake-up: the node reads every job from
 * the provider itself. Checked here:
 *
 * 1. two items: the execution is `waiting` (REST) while Kling renders; no status check is made until a
 *    call comes; a forged call (a fake "succeed" body with a video on another host) and the progress
 *    calls leave it waiting and fetch nothing from that host; the last job's final call resumes it and
 *    both videos reach Write File byte for byte; exactly one submit per item;
 * 2. a job that fails: the execution resumes when both jobs are over; the failed one comes out as an
 *    item with its job ID, status and `error` (a resumed node cannot stop the workflow), the other with
 *    its video;
 * 3. Max Wait passes with no call at all: n8n resumes the execution by itself and the node's item names
 *    the job ID and the Get operation (n8n runs no node code then: no status check is made).
 */
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { startSandbox, SANDBOX_API_KEY, type Sandbox, type SandboxJob, type SandboxRequest } from '../helpers/sandbox';
import {
	BUILTIN,
	chain,
	credentialsFor,
	describeEachN8n,
	itemsNodes,
	N8nInstance,
	sha256File,
	withCredentials,
	writeFileNode,
	type Item,
	type N8nServer,
	type StoredExecution,
	type WorkflowSpec,
} from './harness';

const NODE_TYPE = 'n8n-nodes-text-to-video.useApiKling';
const KLING = 'Kling';
const FINAL = (e: StoredExecution) => !['new', 'running', 'waiting', 'unknown'].includes(e.status) && Boolean(e.stoppedAt);

const PROMPTS = {
	videos: ['callback fox [sandbox:seconds=6]', 'callback boat [sandbox:seconds=16]'],
	failing: ['callback fails [sandbox:fail] [sandbox:seconds=3]', 'callback fine [sandbox:seconds=5]'],
	lost: ['callback never comes [sandbox:seconds=600] [sandbox:reply=none]'],
};
const LOST_MAX_WAIT = 5;

function klingNode(maxWait: number) {
	return {
		id: 'kling',
		name: KLING,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [440, 0],
		parameters: {
			operation: 'generate',
			model: 'kling-v2-5',
			prompt: '={{ $json.prompt }}',
			duration: 5,
			aspectRatio: '16:9',
			options: { waitMode: 'callback', maxWait },
		},
		credentials: { useApiApi: { id: 'useApiSandbox', name: 'useapi.net (sandbox)' } },
	};
}

/** A node after ours that only passes the items on (what reached it is the node's output). */
const doneNode = { id: 'done', name: 'Done', ...BUILTIN.code, position: [660, 0], parameters: { jsCode: 'return $input.all();' } };

function workflow(id: string, prompts: string[], maxWait: number, last: Record<string, unknown>): WorkflowSpec {
	return {
		id,
		name: id,
		nodes: [...itemsNodes(prompts.map((prompt) => ({ prompt }))), klingNode(maxWait), last],
		connections: chain('Start', 'Items', KLING, String(last.name)),
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describeEachN8n('Kling Wait for Callback in real n8n', (version, install) => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let server: N8nServer;
	/** Another host, playing a video URL a forger would slip in: it must never be asked. */
	let foreign: Server;
	let foreignHits = 0;
	let foreignUrl: string;
	let workflows: Record<'videos' | 'failing' | 'lost', WorkflowSpec>;
	let lostExecution: string;
	let lostStartedAt: number;

	/** The sandbox's jobs for these prompts, in the prompts' (the items') order: items submit concurrently. */
	const jobsOf = (prompts: string[]) => {
		const all = [...sandbox.jobs.values()] as Array<SandboxJob & { taskId: number; prompt: string }>;
		return prompts.flatMap((prompt) => all.filter((job) => job.prompt === prompt));
	};
	const requestsFor = (jobs: Array<{ taskId: number }>, route: string): SandboxRequest[] =>
		sandbox.requestsTo('useApiKling', route).filter((r) => jobs.some((job) => r.url.includes(`/tasks/${job.taskId}`) || (r.body as { task?: { id?: number } })?.task?.id === job.taskId));
	const submitsOf = (prompts: string[]) => sandbox.requestsTo('useApiKling', 'submit').filter((r) => prompts.includes(String((r.body as { prompt?: string })?.prompt)));

	async function finalExecution(executionId: string, timeoutMs: number): Promise<StoredExecution> {
		const done = await server.waitForExecution(executionId, FINAL, timeoutMs);
		if (done.status !== 'success') {
			const error = done.data?.resultData?.error;
			throw new Error(`execution ${executionId} ended ${done.status}${error ? `: ${error.message}` : ''}\n${server.output().slice(-4000)}`);
		}
		return done;
	}

	const nodeOutput = (execution: StoredExecution, node: string): Item[] => (execution.data.resultData.runData[node] ?? []).flatMap((run) => run.data?.main[0] ?? []);

	beforeAll(async () => {
		foreign = createServer((_req, res) => {
			foreignHits++;
			res.writeHead(200, { 'content-type': 'video/mp4' }).end(Buffer.from('not the video'));
		});
		await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
		foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/forged.mp4`;
		sandbox = await startSandbox({ jobDurationMs: 1000 });
		n8n = await N8nInstance.create(install);
		const credentials = credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY });
		await n8n.importCredentials(credentials);
		workflows = {
			videos: withCredentials(workflow('klingCbVideos', PROMPTS.videos, 300, writeFileNode('Write File', '{{ $json.jobId }}.mp4', 'data', 660)), credentials),
			failing: withCredentials(workflow('klingCbFailing', PROMPTS.failing, 300, doneNode), credentials),
			lost: withCredentials(workflow('klingCbLost', PROMPTS.lost, LOST_MAX_WAIT, doneNode), credentials),
		};
		await n8n.importWorkflows(Object.values(workflows));
		server = await n8n.startServer();
		// The lost-callback run starts first: n8n looks for due waiting executions once a minute.
		lostStartedAt = Date.now();
		lostExecution = await server.start(workflows.lost.id);
	}, 5 * 60_000);

	afterAll(async () => {
		await server?.stop();
		await sandbox?.close();
		await new Promise((resolve) => foreign?.close(resolve));
		n8n?.dispose();
	});

	test('waits in the database; a forged and the progress calls do not end the wait; the last final call brings both videos', async () => {
		const startedAt = Date.now();
		const executionId = await server.start(workflows.videos.id);

		// 1. Submitted, and waiting in the database with the node's Max Wait as its limit.
		// n8n 1.x can report the status before it has written the execution's data: wait for both.
		const waiting = await server.waitForExecution(executionId, (e) => (e.status === 'waiting' && Boolean(e.data?.resultData)) || FINAL(e), 60_000);
		const waitingAt = Date.now();
		if (waiting.status !== 'waiting') throw new Error(`the execution did not wait: ${waiting.status}\n${server.output().slice(-3000)}`);
		expect(waiting.data.resultData.lastNodeExecuted).toBe(KLING);
		expect(Date.parse(waiting.waitTill!) - Date.parse(waiting.startedAt!)).toBeGreaterThanOrEqual(299_000);
		const submits = submitsOf(PROMPTS.videos);
		expect(submits).toHaveLength(2);
		const replyUrl = String((submits[0].body as { replyUrl?: string }).replyUrl);
		expect(replyUrl).toContain(`/webhook-waiting/${executionId}`);
		expect(submits.every((s) => (s.body as { replyUrl?: string }).replyUrl === replyUrl)).toBe(true);
		// The editor shows the jobs while the execution waits.
		expect(nodeOutput(waiting, KLING).map((item) => item.json.status)).toEqual(['queued', 'queued']);
		const jobs = jobsOf(PROMPTS.videos);
		expect(jobs).toHaveLength(2);

		// 2. A forged call: a "succeed" body with a video on another host, while the tasks still run.
		const forgedAt = Date.now();
		const forged = await fetch(replyUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				status: 99,
				status_name: 'succeed',
				status_final: true,
				task: { id: jobs[0].taskId, status: 99, status_name: 'succeed', status_final: true },
				works: [{ workId: 1, status_name: 'succeed', resource: { resource: foreignUrl, width: 1280, height: 720, duration: 5000 } }],
			}),
		});
		expect(forged.status).toBe(200);
		expect(await forged.json()).toEqual({ received: true });
		// n8n 2.x signs the resume URL: without its token the call does not even reach the node.
		if (version.startsWith('2.')) {
			const unsigned = new URL(replyUrl);
			unsigned.search = '';
			expect((await fetch(unsigned, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
		}
		await sleep(1500);
		expect((await server.execution(executionId)).status).toBe('waiting');
		expect(foreignHits).toBe(0);

		// 3. No status check before the first call (ours or the sandbox's first progress call, whichever
		// came first): nothing polls while the execution waits.
		const polls = () => requestsFor(jobs, 'poll');
		const firstCall = Math.min(forgedAt, ...requestsFor(jobs, 'callback').map((c) => c.at));
		expect(polls().length).toBeGreaterThan(0);
		expect(polls().filter((r) => r.at < firstCall)).toEqual([]);

		// 4. The progress calls (20% into each job) and the first job's final call: still waiting.
		const callbacks = () => requestsFor(jobs, 'callback') as Array<SandboxRequest & { status?: number; body: { status_final?: boolean } }>;
		const deadline = Date.now() + 30_000;
		while (callbacks().filter((c) => c.status !== undefined).length < 3 && Date.now() < deadline) await sleep(200);
		const delivered = callbacks().filter((c) => c.status !== undefined);
		// Progress, progress, the first job's end; n8n answered each (our node's 200).
		expect(delivered.map((c) => `${c.body.status_final}:${c.status}`)).toEqual(['false:200', 'false:200', 'true:200']);
		const firstJobDoneAt = Date.now();
		expect(firstJobDoneAt).toBeLessThan(jobs[1].finishedAt);
		expect((await server.execution(executionId)).status).toBe('waiting');

		// 5. The second job's final call resumes the execution: both videos, as the CDN served them.
		const done = await finalExecution(executionId, 120_000);
		const doneAt = Date.now();
		const written = nodeOutput(done, 'Write File');
		expect(written).toHaveLength(2);
		expect(written.map((item) => item.json.jobId)).toEqual(jobs.map((job) => String(job.taskId)));
		for (const [index, item] of written.entries()) {
			expect(item.json).toMatchObject({ status: 'completed', provider: 'useApiKling', model: 'kling-v2-5', taskStatus: 'succeed', mimeType: 'video/mp4' });
			expect(item.json.error).toBeUndefined();
			expect(item.json.waitForCallback).toBeUndefined();
			expect(item.pairedItem).toEqual({ item: index });
			const file = path.resolve(n8n.userFolder, String(item.json.fileName));
			const expected = sandbox.expectedVideo(jobs[index]);
			expect(fs.statSync(file).size).toBe(expected.size);
			expect(await sha256File(file)).toBe(expected.sha256);
		}
		expect(Date.parse(done.stoppedAt!)).toBeGreaterThanOrEqual(jobs[1].finishedAt);
		expect(foreignHits).toBe(0);
		expect(submitsOf(PROMPTS.videos)).toHaveLength(2);
		expect(jobsOf(PROMPTS.videos)).toHaveLength(2);
		const allCallbacks = callbacks();
		expect(allCallbacks.map((c) => c.status)).toEqual([200, 200, 200, 200]);
		console.log(
			[
				`Kling callback on n8n ${version}: waiting ${seconds(waitingAt - startedAt)} after the run started; first job final at +${seconds(firstJobDoneAt - startedAt)}; success at +${seconds(doneAt - startedAt)} (jobs of 6 s and 16 s)`,
				`  calls to the resume URL: ${allCallbacks.length} from the sandbox + 1 forged; status checks: ${polls().length}; submits: ${submitsOf(PROMPTS.videos).length}`,
			].join('\n'),
		);
	}, 4 * 60_000);

	test('a job that fails comes out as an item with its job ID and error; the other job brings its video', async () => {
		const executionId = await server.start(workflows.failing.id);
		const done = await finalExecution(executionId, 120_000);
		const jobs = jobsOf(PROMPTS.failing);
		expect(jobs).toHaveLength(2);
		expect(submitsOf(PROMPTS.failing)).toHaveLength(2);
		const [failed, fine] = nodeOutput(done, 'Done');
		expect(failed.json).toMatchObject({ jobId: String(jobs[0].taskId), status: 'failed', provider: 'useApiKling', model: 'kling-v2-5', taskStatus: 'failed' });
		// n8n's shape: the title says what happened; the description carries Kling's words once and the job ID, and no Get (it would only report the failure).
		expect(String(failed.json.error)).toMatch(/^Kling \(useapi\.net\) could not make the video/);
		expect(String(failed.json.errorDescription)).toContain('Generation failed: internal error (task 50)');
		expect(String(failed.json.errorDescription)).toContain(`Job ID: ${jobs[0].taskId}.`);
		expect(String(failed.json.errorDescription)).not.toMatch(/Get operation/);
		expect(failed.binary).toBeUndefined();
		expect(fine.json).toMatchObject({ jobId: String(jobs[1].taskId), status: 'completed', mimeType: 'video/mp4' });
		expect(fine.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${jobs[1].taskId}.mp4` });
		expect(Date.parse(done.stoppedAt!)).toBeGreaterThanOrEqual(jobs[1].finishedAt);
	}, 3 * 60_000);

	test('Max Wait passes without any call: n8n resumes the execution itself, the item names the job ID and Get', async () => {
		const done = await finalExecution(lostExecution, 150_000);
		const doneAt = Date.now();
		const jobs = jobsOf(PROMPTS.lost);
		expect(jobs).toHaveLength(1);
		expect(submitsOf(PROMPTS.lost)).toHaveLength(1);
		expect(requestsFor(jobs, 'callback')).toHaveLength(0);
		// n8n resumed it (no call came), after its waitTill (n8n 1.x restamps startedAt on resume).
		expect(Date.parse(done.stoppedAt!) - lostStartedAt).toBeGreaterThanOrEqual(LOST_MAX_WAIT * 1000);
		const [item] = nodeOutput(done, 'Done');
		const jobId = String(jobs[0].taskId);
		expect(item.json).toMatchObject({ jobId, provider: 'useApiKling', model: 'kling-v2-5' });
		expect(String(item.json.error)).toBe(`The Kling (useapi.net) job did not finish within Max Wait (${LOST_MAX_WAIT} s)`);
		expect(String(item.json.errorDescription)).toContain(`with ID ${jobId}. Run this node with the Get operation and this Job ID`);
		expect(item.binary).toBeUndefined();
		// No code of the node runs when n8n resumes a wait that timed out: no status check was made.
		expect(requestsFor(jobs, 'poll')).toHaveLength(0);
		console.log(`Kling callback on n8n ${version}: Max Wait ${LOST_MAX_WAIT} s, no call; n8n resumed the execution ${seconds(doneAt - lostStartedAt)} after it started`);
	}, 4 * 60_000);
});
