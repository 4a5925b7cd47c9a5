#!/usr/bin/env node
'use strict';
// Long renders in n8n queue mode: how long a batch of executions takes, how many executions a worker
// runs at once, how long worker slots are held, and what each job costs in requests. n8n 2.x with Redis,
// Postgres, a main and workers (scripts/queue.js), against the sandbox started in this process.
//
//   node bench/queue.js                       every scenario: one worker, --concurrency=2, 10 executions
//                                             of one 20 s job each (about 8 minutes on 2 cores)
//   node bench/queue.js --scenarios=klingHolding,klingCallback   Kling: Poll While Running vs Wait for Callback
//   node bench/queue.js --scenarios=magicHourDurable --executions=4 --job-seconds=10 --wait-seconds=65
//   options: --workers=<n> --concurrency=<n> --json=<file> (the figures as JSON) --keep (keep the folders)
//
// A scenario (SCENARIOS below) is a workflow that renders one job per execution, started as the
// editor starts it (a manual execution; queue mode sends it to a worker). To compare another node or
// mode (e.g. Kling holding the worker vs. Kling's callback wait), add an entry: `workflow(options)`
// returns the workflow (credential references are pointed at the sandbox ones), `provider` is the
// sandbox provider its jobs go to, `check({ stack, sandbox, ids, list })` (optional) checks what the
// executions produced ({ ok, ... }; not ok fails the run). Every scenario runs on the same stack, one
// after the other.
const fs = require('node:fs');
const path = require('node:path');
const { ensureN8n, DEFAULT_N8N_VERSION } = require('../scripts/n8n');
const runtime = require('../scripts/n8n-runtime');
const { startQueueStack, peakRunning } = require('../scripts/queue');
const { startSandbox, SANDBOX_API_KEY } = require('../sandbox');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const FINAL = (e) => !['new', 'running', 'waiting', 'unknown'].includes(e.status) && Boolean(e.stoppedAt);

function example(file) {
	const found = runtime.exampleWorkflows().find((e) => e.file === file);
	if (!found) throw new Error(`examples/${file} is missing`);
	return found.workflow;
}

/** The example with node `name`'s parameters changed by `change(parameters)`; throws if it has no such node. */
function withNode(workflow, name, change) {
	if (!workflow.nodes.some((n) => n.name === name)) throw new Error(`workflow "${workflow.name}" has no node "${name}"`);
	return { ...workflow, nodes: workflow.nodes.map((n) => (n.name === name ? { ...n, parameters: change(n.parameters) } : n)) };
}

/**
 * Whether every job's video reached Write File byte for byte: the sha256 of each `kling-*` file in the
 * workers' folders against what the sandbox served for the scenario's jobs (the watermarked preview).
 */
function klingVideosWritten({ stack, sandbox }) {
	const crypto = require('node:crypto');
	const files = stack.workers.flatMap((w) =>
		fs.existsSync(w.filesDir) ? fs.readdirSync(w.filesDir).filter((f) => f.startsWith('kling-')).map((f) => ({ worker: w.name, file: path.join(w.filesDir, f) })) : [],
	);
	const written = new Set(files.map(({ file }) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')));
	const jobs = [...sandbox.jobs.values()].filter((job) => job.provider === 'useApiKling');
	const equal = jobs.filter((job) => written.has(sandbox.expectedVideo(job).sha256)).length;
	return { ok: jobs.length > 0 && equal === jobs.length, videosByteEqual: equal, jobs: jobs.length };
}

/**
 * The example with a storage step after its last node, as a user adds one on a stock n8n: Read/Write
 * Files writing into `~/.n8n-files` (relative to the worker's working directory, its HOME), the folder
 * n8n 2.x allows by default; klingVideosWritten checks those files.
 */
function withSaveStep(workflow, after, prefix) {
	const node = workflow.nodes.find((n) => n.name === after);
	const save = {
		id: 'bench-save',
		name: 'Save video',
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [node.position[0] + 240, node.position[1]],
		parameters: { operation: 'write', fileName: `=${runtime.N8N_FILES}/${prefix}{{ $json.fileName }}`, dataPropertyName: 'data', options: {} },
	};
	return { ...workflow, nodes: [...workflow.nodes, save], connections: { ...workflow.connections, [after]: { main: [[{ node: save.name, type: 'main', index: 0 }]] } } };
}

const klingGenerate = (id, options) =>
	withSaveStep(withNode({ ...example('kling-text-to-video.json'), id }, 'Kling (useapi.net)', (p) => ({ ...p, options: { ...p.options, ...options } })), 'Kling (useapi.net)', 'kling-');

const SCENARIOS = {
	magicHourHolding: {
		title: 'Magic Hour Generate (holds a worker slot while the job renders)',
		provider: 'magicHour',
		// examples/magic-hour-text-to-video.json as shipped: Prompt → Magic Hour (Generate), the video its output.
		workflow: () => ({ ...example('magic-hour-text-to-video.json'), id: 'benchQueueMhHold' }),
	},
	magicHourDurable: {
		title: 'Magic Hour Submit → Wait → Get (examples/magic-hour-durable-submit-wait-get.json)',
		provider: 'magicHour',
		// The shipped recipe with one prompt and its Wait (2 minutes there) at --wait-seconds (65 s and
		// more: n8n parks the execution in Postgres and the worker slot is free).
		workflow: ({ waitSeconds }) => {
			let workflow = { ...example('magic-hour-durable-submit-wait-get.json'), id: 'benchQueueMhDurable' };
			workflow = withNode(workflow, 'Prompts', () => ({ jsCode: 'return [{ json: { prompt: "a paper boat on a rainy street" } }];' }));
			return withNode(workflow, 'Wait before checking', (p) => ({ ...p, amount: waitSeconds, unit: 'seconds' }));
		},
	},
	klingHolding: {
		title: 'Kling Generate, Poll While Running (holds a worker slot while the job renders)',
		provider: 'useApiKling',
		// examples/kling-text-to-video.json: Prompt → Kling (useapi.net) Generate, plus a Write File step.
		workflow: () => klingGenerate('benchQueueKlingHold', {}),
		check: klingVideosWritten,
	},
	klingCallback: {
		title: 'Kling Generate, Wait for Callback (frees the worker)',
		provider: 'useApiKling',
		// The same with Options → Wait Mode = Wait for Callback: the sandbox calls the resume URL (main).
		workflow: () => klingGenerate('benchQueueKlingCb', { waitMode: 'callback' }),
		check: klingVideosWritten,
	},
};

function parseArgs(argv) {
	const args = { scenarios: Object.keys(SCENARIOS), executions: 10, jobSeconds: 20, waitSeconds: 65, workers: 1, concurrency: 2, version: DEFAULT_N8N_VERSION, json: undefined, keep: false };
	for (const arg of argv) {
		const [key, value] = arg.replace(/^--/, '').split('=');
		if (key === 'scenarios') args.scenarios = value.split(',');
		else if (key === 'executions') args.executions = Number(value);
		else if (key === 'job-seconds') args.jobSeconds = Number(value);
		else if (key === 'wait-seconds') args.waitSeconds = Number(value);
		else if (key === 'workers') args.workers = Number(value);
		else if (key === 'concurrency') args.concurrency = Number(value);
		else if (key === 'n8n') args.version = value;
		else if (key === 'json') args.json = value;
		else if (key === 'keep') args.keep = true;
		else throw new Error(`unknown option ${arg}`);
	}
	for (const name of args.scenarios) if (!SCENARIOS[name]) throw new Error(`no scenario ${name} (have ${Object.keys(SCENARIOS).join(', ')})`);
	return args;
}

/** Every execution of a workflow, as the REST list gives it (status, startedAt, stoppedAt). */
async function listExecutions(stack, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = await stack.request('GET', `/executions?filter=${filter}&limit=100`);
	return list?.results ?? list ?? [];
}

/**
 * Starts `executions` runs of the scenario's workflow at once, waits for all to end, and returns the
 * figures: wall time (first start to last end), each execution's time, the most executions running on
 * the workers at one moment and the worker-slot time they held (from the workers' logs), and the
 * sandbox requests per job by route.
 */
async function measure(stack, sandbox, name, workflowId, { executions, timeoutMs = 20 * 60_000 }) {
	const scenario = SCENARIOS[name];
	sandbox.reset();
	const startedAt = Date.now();
	const ids = [];
	for (let i = 0; i < executions; i++) ids.push(await runtime.startRunOnServer(stack, workflowId));
	let list = [];
	let peakWaiting = 0;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		list = (await listExecutions(stack, workflowId)).filter((e) => ids.includes(String(e.id)));
		peakWaiting = Math.max(peakWaiting, list.filter((e) => e.status === 'waiting').length);
		if (list.length === ids.length && list.every(FINAL)) break;
		if (Date.now() > deadline) throw new Error(`${name}: executions not done after ${timeoutMs / 1000} s: ${list.map((e) => e.status).join(', ')}`);
		await sleep(500);
	}
	const endedAt = Math.max(...list.map((e) => Date.parse(e.stoppedAt)));
	const durations = list.map((e) => (Date.parse(e.stoppedAt) - Date.parse(e.startedAt)) / 1000).sort((a, b) => a - b);
	// Worker-slot time and runs: every start→finish a worker logged for these executions.
	const runs = stack.workers.flatMap((w) => ids.flatMap((id) => (w.executions.get(id) ?? []).map((r) => ({ ...r, worker: w.name }))));
	const slotSeconds = runs.reduce((sum, r) => sum + ((r.finishedAt ?? endedAt) - r.startedAt), 0) / 1000;
	const requests = sandbox.requestsTo(scenario.provider);
	const jobs = [...sandbox.jobs.values()].filter((job) => job.provider === scenario.provider).length;
	const byRoute = {};
	for (const r of requests) byRoute[r.route] = (byRoute[r.route] ?? 0) + 1;
	// A scenario's own check of what its executions produced (e.g. the videos at Write File).
	const check = scenario.check ? await scenario.check({ stack, sandbox, ids, list }) : undefined;
	return {
		scenario: name,
		title: scenario.title,
		executions,
		succeeded: list.filter((e) => e.status === 'success').length,
		wallSeconds: (endedAt - startedAt) / 1000,
		executionSeconds: { min: durations[0], median: durations[Math.floor(durations.length / 2)], max: durations[durations.length - 1] },
		peakRunning: peakRunning({ workers: stack.workers.map((w) => ({ executions: new Map([...w.executions].filter(([id]) => ids.includes(id))) })) }),
		peakWaiting,
		workerRuns: runs.length,
		workerSlotSeconds: slotSeconds,
		jobs,
		submits: byRoute.submit ?? 0,
		requestsPerJob: jobs ? requests.length / jobs : 0,
		requestsByRoute: byRoute,
		...(check ? { check } : {}),
	};
}

function table(results, args) {
	const rows = results.map((r) =>
		[
			r.title,
			`${r.succeeded}/${r.executions}`,
			`${r.wallSeconds.toFixed(1)} s`,
			`${r.executionSeconds.median.toFixed(1)} s (${r.executionSeconds.min.toFixed(1)}–${r.executionSeconds.max.toFixed(1)})`,
			String(r.peakRunning),
			`${r.workerSlotSeconds.toFixed(1)} s`,
			`${r.requestsPerJob.toFixed(1)} (${Object.entries(r.requestsByRoute).map(([k, v]) => `${k} ${v}`).join(', ')})`,
		].join(' | '),
	);
	return [
		`${args.workers} worker(s), --concurrency=${args.concurrency}; ${args.executions} executions of one ${args.jobSeconds} s job each, started at once${args.scenarios.some((s) => /Durable/.test(s)) ? `; Wait ${args.waitSeconds} s` : ''}`,
		'',
		'| scenario | succeeded | wall time | per execution: median (min–max) | peak running | worker-slot time | requests per job |',
		'| --- | --- | --- | --- | --- | --- | --- |',
		...rows.map((row) => `| ${row} |`),
	].join('\n');
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	runtime.assertBuilt();
	const install = ensureN8n(args.version);
	const sandbox = await startSandbox({ jobDurationMs: args.jobSeconds * 1000 });
	const credentials = runtime.credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY });
	const workflows = args.scenarios.map((name) => runtime.withCredentials(SCENARIOS[name].workflow(args), credentials));
	const say = (message) => process.stderr.write(`[bench:queue] ${message}\n`);
	let stack;
	const stop = async () => {
		await stack?.stop();
		await sandbox.close();
	};
	process.once('SIGINT', () => void stop().then(() => process.exit(130)));
	try {
		const t0 = Date.now();
		stack = await startQueueStack({ install, workers: args.workers, workerConcurrency: args.concurrency, credentials, workflows, keep: args.keep, log: say });
		say(`stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${stack.root})`);
		const results = [];
		for (const [index, name] of args.scenarios.entries()) {
			say(`${name}: ${args.executions} executions`);
			const result = await measure(stack, sandbox, name, workflows[index].id, args);
			say(`${name}: ${JSON.stringify(result)}`);
			results.push(result);
		}
		const report = table(results, args);
		process.stdout.write(`${report}\n`);
		if (args.json) fs.writeFileSync(path.resolve(args.json), JSON.stringify({ args, n8n: install.version, results }, null, 2));
		const failed = results.filter((r) => r.succeeded !== r.executions || r.submits !== r.jobs || r.jobs !== r.executions || r.check?.ok === false);
		if (failed.length) throw new Error(`not every execution succeeded with one submit per job: ${failed.map((r) => r.scenario).join(', ')}`);
	} finally {
		await stop();
	}
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`[bench:queue] ${error.stack ?? error.message}\n`);
		process.exit(1);
	});
}

module.exports = { SCENARIOS, measure, table };
