/**
 * The durable recipe (examples/magic-hour-durable-submit-wait-get.json: Submit → Wait → Get → back to
 * the Wait while a job renders) survives n8n being killed while the execution waits. n8n 2.x.
 *
 * What n8n does with a waiting execution (read from n8n 2.41.1's source; 1.123.81 does the same):
 * - The Wait node (n8n-nodes-base/dist/nodes/Wait/Wait.node.js), "After Time Interval": a wait of less
 *   than 65 000 ms stays a timer in the running process (lost with it); anything longer calls
 *   putExecutionToWait(waitTill), and the execution is saved to the database with status `waiting`
 *   and `waitTill`, manual executions included (execution-lifecycle-hooks.js saves a manual execution
 *   that has a waitTill whatever the workflow's "save manual executions" setting).
 * - The WaitTracker (n8n/dist/wait-tracker.js) of the main instance (the leader) asks the database at
 *   start-up and then every 60 s for executions `waiting` with waitTill in the next 70 s, sets a timer
 *   for each and resumes it from its stored data (WorkflowRunner.run with the saved run data), in the
 *   mode it started in: a manual run from the editor resumes like a triggered one.
 * - So after a restart the execution resumes at its waitTill, or at once when that has passed.
 *
 * Here: n8n start, the recipe run as the editor runs it (two items, sandbox jobs of 30 s and 60 s,
 * the Wait at 70 s), SIGKILL to n8n's process group as soon as the execution is `waiting` in the
 * database, n8n started again on the same user folder (same SQLite database, same encryption key),
 * and the execution must finish `success` in the new process with both videos (in the output of
 * "Finished videos", downloadable as the editor downloads them), two submits and no further job at the
 * provider. n8n runs with its defaults (N8nInstance `stock: true`).
 */
import { startSandbox, SANDBOX_API_KEY, sha256, type Sandbox, type SandboxJob } from '../helpers/sandbox';
import {
	credentialsFor,
	describeEachN8n,
	exampleWorkflows,
	N8nInstance,
	n8nV2Version,
	waitSeconds,
	withCredentials,
	type Item,
	type N8nServer,
	type StoredExecution,
	type WorkflowSpec,
} from './harness';

const EXAMPLE = 'magic-hour-durable-submit-wait-get.json';
const NODES = { prompts: 'Prompts', submit: 'Submit jobs', wait: 'Wait before checking', get: 'Check job', done: 'Finished videos' };
/** n8n parks waits of 65 s and more in the database; 70 s is one, and keeps the test short. */
const WAIT_SECONDS = 70;
/** Both jobs end before the Wait does, the second one after n8n has been killed and started again. */
const PROMPTS = ['a lighthouse in a storm [sandbox:seconds=30]', 'a desert road at dusk [sandbox:seconds=60]'];
const FINAL = (e: StoredExecution) => !['new', 'running', 'waiting', 'unknown'].includes(e.status) && Boolean(e.stoppedAt);

/** The shipped example, with two test prompts and its Wait (2 minutes there) at 70 s. */
function recipe(): WorkflowSpec {
	const example = exampleWorkflows().find((e) => e.file === EXAMPLE);
	if (!example) throw new Error(`examples/${EXAMPLE} is missing`);
	const names = example.workflow.nodes.map((node) => node.name);
	for (const name of Object.values(NODES)) if (!names.includes(name)) throw new Error(`examples/${EXAMPLE} has no node "${name}" (has ${names.join(', ')})`);
	const wait = example.workflow.nodes.find((node) => node.name === NODES.wait)!;
	// The example itself must park its executions in the database, or it is no durable recipe.
	expect(waitSeconds(wait)).toBeGreaterThanOrEqual(65);
	return {
		...example.workflow,
		nodes: example.workflow.nodes.map((node) => {
			if (node.name === NODES.prompts) return { ...node, parameters: { jsCode: `return ${JSON.stringify(PROMPTS.map((prompt) => ({ json: { prompt } })))};` } };
			if (node.name === NODES.wait) return { ...node, parameters: { ...node.parameters, amount: WAIT_SECONDS, unit: 'seconds' } };
			return node;
		}),
	};
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describeEachN8n(
	'Durable Submit → Wait → Get across a killed n8n',
	(version, install) => {
		let sandbox: Sandbox;
		let n8n: N8nInstance;
		let server: N8nServer | undefined;
		let workflow: WorkflowSpec;
		let suiteStartedAt: number;

		beforeAll(async () => {
			suiteStartedAt = Date.now();
			sandbox = await startSandbox({ jobDurationMs: 1000 });
			// n8n's defaults, as users run the recipe (see examples.e2e.test.ts).
			n8n = await N8nInstance.create(install, { stock: true });
			const credentials = credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY });
			await n8n.importCredentials(credentials);
			workflow = withCredentials(recipe(), credentials);
			await n8n.importWorkflows([workflow]);
		}, 5 * 60_000);

		afterAll(async () => {
			await server?.stop();
			await sandbox?.close();
			n8n?.dispose();
		});

		test('SIGKILL while the execution waits; after a restart it finishes with both videos, one submit per item, no second job', async () => {
			const testStartedAt = Date.now();
			server = await n8n.startServer();
			const firstReadyAt = Date.now();
			const executionId = await server.start(workflow.id);
			const runStartedAt = Date.now();

			// 1. The Wait node parked the execution in the database.
			const waiting = await server.waitForExecution(executionId, (e) => e.status === 'waiting' || FINAL(e), 3 * 60_000);
			const waitingAt = Date.now();
			if (waiting.status !== 'waiting') throw new Error(`the execution did not wait: status ${waiting.status}\n${server.output().slice(-3000)}`);
			expect(waiting.waitTill).toEqual(expect.any(String));
			const waitTill = Date.parse(waiting.waitTill!);
			expect(waitTill - Date.parse(waiting.startedAt!)).toBeGreaterThanOrEqual(WAIT_SECONDS * 1000);
			expect(waiting.data.resultData.lastNodeExecuted).toBe(NODES.wait);
			expect(Object.keys(waiting.data.resultData.runData)).not.toContain(NODES.get);
			expect(waiting.data.resultData.runData[NODES.submit][0].data?.main[0]).toHaveLength(PROMPTS.length);
			expect(sandbox.requestsTo('magicHour', 'submit')).toHaveLength(PROMPTS.length);

			// 2. A crash: SIGKILL to n8n and its task runner, before the Wait is over.
			const firstUrl = server.baseUrl;
			const killed = await server.kill();
			const killedAt = Date.now();
			server = undefined;
			expect(killed.signal).toBe('SIGKILL');
			expect(killedAt).toBeLessThan(waitTill);
			await expect(fetch(`${firstUrl}/rest/settings`)).rejects.toThrow();
			// Nothing had checked on a job yet: every status check below is made by the new process.
			expect(sandbox.requestsTo('magicHour', 'poll')).toHaveLength(0);

			// 3. n8n again, on the same user folder: same SQLite database, same encryption key.
			server = await n8n.startServer();
			const restartedAt = Date.now();
			const finished = await server.waitForExecution(executionId, FINAL, 5 * 60_000);
			const finishedAt = Date.now();
			if (finished.status !== 'success') {
				const error = finished.data?.resultData?.error;
				throw new Error(`the execution ended ${finished.status} after the restart${error ? `: ${error.message}` : ''}\n${server.output().slice(-4000)}`);
			}
			// Resumed by the WaitTracker at its waitTill (the restart was quicker than the Wait), not before.
			expect(Date.parse(finished.stoppedAt!)).toBeGreaterThanOrEqual(waitTill);

			// 4. Both videos, the bytes the provider served, and nothing paid twice.
			const runData = finished.data.resultData.runData;
			const written: Item[] = (runData[NODES.done] ?? []).flatMap((run) => run.data?.main[0] ?? []);
			expect(written).toHaveLength(PROMPTS.length);
			const jobs = [...sandbox.jobs.values()] as Array<SandboxJob & { prompt: string }>;
			expect(jobs).toHaveLength(PROMPTS.length);
			expect(jobs.map((job) => job.prompt).sort()).toEqual([...PROMPTS].sort());
			expect(sandbox.requestsTo('magicHour', 'submit')).toHaveLength(PROMPTS.length);
			expect(new Set(written.map((item) => item.json.jobId))).toEqual(new Set(jobs.map((job) => job.id)));
			for (const item of written) {
				const job = jobs.find((j) => j.id === item.json.jobId)!;
				// The video as the editor's Download button gets it from the restarted n8n.
				const bytes = await server.binaryBytes(item.binary!.data);
				const expected = sandbox.expectedVideo(job);
				expect(bytes.length).toBe(expected.size);
				expect(sha256(bytes)).toBe(expected.sha256);
			}
			// Every status check came from the restarted n8n (the first one was dead by then).
			const polls = sandbox.requestsTo('magicHour', 'poll');
			expect(polls.length).toBeGreaterThanOrEqual(PROMPTS.length);
			expect(polls.every((request) => request.at >= killedAt)).toBe(true);
			// One execution, resumed: no second one started.
			const list = await server.request('GET', '/executions');
			const ids = (list?.results ?? list ?? []).map((e: { id: string }) => String(e.id));
			expect(ids).toEqual([executionId]);

			const wall = Date.now() - suiteStartedAt;
			console.log(
				[
					`restart test on n8n ${version}: wall time ${seconds(wall)} (imports ${seconds(testStartedAt - suiteStartedAt)}, test ${seconds(finishedAt - testStartedAt)})`,
					`  first n8n ready after ${seconds(firstReadyAt - testStartedAt)}; execution waiting ${seconds(waitingAt - runStartedAt)} after the run started, waitTill in ${seconds(waitTill - waitingAt)}`,
					`  SIGKILL at +${seconds(killedAt - runStartedAt)}; second n8n ready ${seconds(restartedAt - killedAt)} later; execution success at +${seconds(finishedAt - runStartedAt)}`,
					`  Wait runs: ${runData[NODES.wait]?.length}, Check job runs: ${runData[NODES.get]?.length}, status checks: ${polls.length}, submits: ${sandbox.requestsTo('magicHour', 'submit').length}`,
				].join('\n'),
			);
		}, 12 * 60_000);
	},
	[n8nV2Version()],
);
