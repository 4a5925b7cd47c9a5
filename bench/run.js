#!/usr/bin/env node
'use strict';
// `npm run bench`: speed, request cost, memory and CPU of our nodes inside real n8n 2.x, side by side
// with n8n's own OpenAI node (resource Video), all against the sandbox started in this process.
// Writes BENCHMARKS.md and exits 1, naming the figure and its target, when a target is missed.
//
//   npm run bench                        everything (about 12 minutes on 2 cores)
// For development: parts, fewer runs, other lengths or nodes, and --no-write to keep BENCHMARKS.md:
//   node bench/run.js --no-write --only=batch,detection,memory,overhead --runs=1 --items=1,5
//     --lengths=3,30 --memory=magicHour,a4f --larger=a4f --larger-size=3GB   (--larger= runs no larger case)
// Every run saves its figures to RESULTS_FILE; --report=<file> writes BENCHMARKS.md from such a file.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ensureN8n, DEFAULT_N8N_VERSION, NODE_VERSION } = require('../scripts/n8n');
const runtime = require('../scripts/n8n-runtime');
const { startSandbox } = require('../sandbox');
const { parseSize } = require('../sandbox/directives');
const n8n = require('./n8n');
const measure = require('./measure');
const { batchWorkflow, singleWorkflow, credentials, SUBJECTS, ANCHOR_KEY } = require('./workflows');
const { PROVIDERS, provider, nodeDistPath } = require('../scripts/providers');
const { writeReport } = require('./report');

const ROOT = path.join(__dirname, '..');
const RESULTS_FILE = path.join(os.tmpdir(), 'n8n-nodes-text-to-video-bench.json');
const COMMAND = 'npm run bench';

/** What is measured, and the targets (issue 8). */
const PLAN = {
	batch: {
		jobSeconds: 3,
		items: [1, 5, 20],
		ours: ['videoGeneration', 'magicHour'],
		runs: 3,
		defaultConcurrencyItems: 5,
		/** Issue 15: this many items at defaults against a provider that runs `capacity` jobs at once. */
		capacity: { items: 20, capacity: 5 },
	},
	/** Delay targets for `delayTargets` lengths, the request target for the 60 s job (issue 8). */
	detection: { subject: 'magicHour', lengths: [3, 30, 60, 120], delayTargets: [3, 30, 120], runs: 3 },
	memory: {
		// Every node of the registry, the gateway's other API style, and n8n's own node.
		subjects: [...PROVIDERS.map((p) => p.key), 'videoGenerationTask', 'anchor'],
		runs: 3,
		jobSeconds: 2,
		small: '4KB',
		large: '300MB',
		largeBytes: 300_000_000,
		/** Does the cost grow with the video? The two ways a video arrives (a URL, base64 in JSON) at 1 GB. */
		larger: { subjects: ['magicHour', 'a4f'], size: '1GB', bytes: 1_000_000_000 },
	},
	overhead: { runs: 10, itemsPerRun: 10 },
	/** The schedule is replayed at these nodes' default Poll Interval. */
	scheduleAt: ['magicHour', 'videoGeneration'],
};

const TARGETS = {
	batchMs: { items: 5, ms: 4500 },
	/** Capacity row: every item, in at most 4 job lengths plus 2 s (20 items, 5 at once: 4 waves). */
	capacityMs: (jobSeconds) => (4 * jobSeconds + 2) * 1000,
	delay: (seconds) => Math.max(0.1 * seconds, 2) * 1000,
	polls60: 15,
	/**
	 * Issue 8 asks for 32 MB over the small run. Streaming 300 MB costs a bare Node process more than
	 * that (V8 frees a socket's read buffers in batches): so the target is the larger of 32 MB and that
	 * floor, measured in the same run for the same size, plus the run-to-run noise of n8n's RSS.
	 */
	memoryMB: (floorMB) => Math.max(32, floorMB + 10),
	/**
	 * The larger video may cost at most this share of its extra size more than the 300 MB one: a node
	 * that kept even that much of the video in memory would miss it.
	 */
	memoryGrowthShare: 0.05,
};

function parseArgs(argv) {
	const args = { only: ['batch', 'detection', 'memory', 'overhead'], runs: undefined, write: true, report: undefined };
	for (const arg of argv) {
		const [name, value] = arg.split('=');
		if (name === '--only') args.only = value.split(',');
		else if (name === '--runs') args.runs = Number(value);
		else if (name === '--items') PLAN.batch.items = value.split(',').map(Number);
		else if (name === '--lengths') PLAN.detection.lengths = value.split(',').map(Number);
		else if (name === '--memory') PLAN.memory.subjects = value.split(',');
		else if (name === '--larger') PLAN.memory.larger.subjects = value ? value.split(',') : [];
		else if (name === '--larger-size') Object.assign(PLAN.memory.larger, { size: value, bytes: parseSize(value) });
		else if (name === '--report') args.report = value;
		else if (arg === '--no-write') args.write = false;
		else throw new Error(`unknown option ${arg} (see the top of bench/run.js)`);
	}
	return args;
}

const startedAt = Date.now();
function log(message) {
	process.stdout.write(`[bench ${String(Math.round((Date.now() - startedAt) / 1000)).padStart(4)} s] ${message}\n`);
}

function machine(install) {
	const cpus = os.cpus();
	let commit = 'unknown';
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
		if (execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim()) commit += ' with uncommitted changes';
	} catch {
		/* not a git checkout */
	}
	return {
		date: new Date().toISOString(),
		nproc: os.availableParallelism?.() ?? cpus.length,
		cpu: cpus[0]?.model ?? 'unknown',
		memoryGB: os.totalmem() / 1e9,
		os: `${os.type()} ${os.release()}`,
		benchNode: process.version,
		n8nNode: `v${NODE_VERSION}`,
		n8n: install.version,
		commit,
	};
}

/** A node's default Poll Interval (seconds), read from the built node's Options (the node found through the registry). */
function defaultPollInterval(subject) {
	const NodeClass = Object.values(require(path.join(ROOT, nodeDistPath(provider(subject))))).find((value) => typeof value === 'function');
	const options = new NodeClass().description.properties.find((p) => p.name === 'options');
	return options.options.find((o) => o.name === 'pollInterval').default;
}

/** Every workflow of the plan, and what each section needs to find them. */
function buildWorkflows() {
	const workflows = [];
	const add = (workflow) => (workflows.push(workflow), workflow.id);
	const { batch, detection, memory } = PLAN;
	// Short workflow ids; a subject without one uses its key.
	const SHORT = { videoGeneration: 'vg', videoGenerationTask: 'vt', magicHour: 'mh', a4f: 'af', aimlApi: 'ai', useApiKling: 'uk', anchor: 'oa' };
	const short = (subject) => SHORT[subject] ?? subject;
	const batchCases = [];
	for (const subject of batch.ours) {
		for (const items of batch.items)
			batchCases.push({ subject, items, concurrency: items, workflowId: add(batchWorkflow(`b${short(subject)}${items}c`, subject, items, { seconds: batch.jobSeconds, options: { concurrency: items } })) });
		const items = batch.defaultConcurrencyItems;
		batchCases.push({ subject, items, concurrency: undefined, workflowId: add(batchWorkflow(`b${short(subject)}${items}d`, subject, items, { seconds: batch.jobSeconds })) });
		const { items: many, capacity } = batch.capacity;
		batchCases.push({ subject, items: many, concurrency: undefined, capacity, workflowId: add(batchWorkflow(`b${short(subject)}${many}k${capacity}`, subject, many, { seconds: batch.jobSeconds })) });
	}
	const anchorCases = batch.items.map((items) => ({ subject: 'anchor', items, workflowId: add(batchWorkflow(`b${short('anchor')}${items}`, 'anchor', items, { seconds: batch.jobSeconds })) }));
	const detectionCases = detection.lengths.map((seconds) => ({ seconds, workflowId: add(singleWorkflow(`d${short(detection.subject)}${seconds}`, detection.subject, { seconds })) }));
	const memoryCase = (subject, size, bytes, suffix) => ({
		subject,
		size,
		bytes,
		small: add(singleWorkflow(`m${short(subject)}s${suffix}`, subject, { seconds: memory.jobSeconds, size: memory.small })),
		large: add(singleWorkflow(`m${short(subject)}l${suffix}`, subject, { seconds: memory.jobSeconds, size })),
	});
	const memoryCases = [
		...memory.subjects.map((subject) => memoryCase(subject, memory.large, memory.largeBytes, '')),
		...memory.larger.subjects.map((subject) => memoryCase(subject, memory.larger.size, memory.larger.bytes, 'x')),
	];
	return { workflows, batchCases, anchorCases, detectionCases, memoryCases };
}

const round1 = (value) => Math.round(value * 10) / 10;

/** The targets checked against the figures: [{ figure, value, target, unit, ok }]. */
function checkTargets(results) {
	const { plan } = results;
	const checks = [];
	const check = (figure, value, target, unit) => checks.push({ figure, value, target, unit, ok: Number.isFinite(value) && value <= target });
	for (const row of results.batch ?? []) {
		if (row.items === TARGETS.batchMs.items && !row.capacity && (row.concurrency === row.items || row.concurrency === undefined))
			check(`${SUBJECTS[row.subject].label}: ${row.items} items × ${plan.batch.jobSeconds} s jobs, ${row.concurrency ? `Concurrency ${row.concurrency}` : 'default settings'}, node execution time`, row.ms / 1000, TARGETS.batchMs.ms / 1000, 's');
		if (row.capacity) {
			const what = `${SUBJECTS[row.subject].label}: ${row.items} items × ${plan.batch.jobSeconds} s jobs at defaults, provider capacity ${row.capacity}`;
			check(`${what}, node execution time`, row.ms / 1000, TARGETS.capacityMs(plan.batch.jobSeconds) / 1000, 's');
			check(`${what}, failed items`, row.failed, 0, 'items');
			check(`${what}, most jobs at once at the provider`, row.peak, row.capacity, 'jobs');
		}
	}
	for (const row of results.detection ?? []) {
		if (plan.detection.delayTargets.includes(row.seconds))
			check(`Detection delay, ${row.seconds} s job (${SUBJECTS[plan.detection.subject].label}, defaults)`, row.delayMs / 1000, TARGETS.delay(row.seconds) / 1000, 's');
		if (row.seconds === 60) check(`Status requests, 60 s job (${SUBJECTS[plan.detection.subject].label}, defaults)`, row.polls, TARGETS.polls60, 'requests');
	}
	for (const floor of Object.values(results.floor ?? {})) floor.targetMB = round1(TARGETS.memoryMB(floor.growthMB));
	const sizeText = (size) => size.replace(/([KMG]B)$/, ' $1');
	for (const row of results.memory ?? []) {
		if (row.subject === 'anchor') continue;
		if (row.size === plan.memory.large) {
			row.targetMB = results.floor[row.size].targetMB;
			check(`Memory, ${sizeText(row.size)} video over 4 KB video: ${SUBJECTS[row.subject].label}`, row.growthMB, row.targetMB, 'MB');
			continue;
		}
		const base = results.memory.find((m) => m.subject === row.subject && m.size === plan.memory.large);
		if (!base) continue;
		row.targetMB = round1(base.growthMB + (TARGETS.memoryGrowthShare * (row.bytes - base.bytes)) / 1e6);
		check(`Memory, ${sizeText(row.size)} video over 4 KB video: ${SUBJECTS[row.subject].label} (its ${sizeText(base.size)} figure + ${TARGETS.memoryGrowthShare * 100}% of the extra size)`, row.growthMB, row.targetMB, 'MB');
	}
	return checks;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.report) return finish(JSON.parse(fs.readFileSync(args.report, 'utf8')), args);
	const runs = (n) => args.runs ?? n;
	runtime.assertBuilt();
	const install = ensureN8n(DEFAULT_N8N_VERSION);
	const results = { plan: PLAN, machine: machine(install), command: COMMAND };
	log(`n8n ${install.version} on Node ${results.machine.n8nNode}; ${results.machine.nproc} CPUs, ${results.machine.memoryGB.toFixed(0)} GB`);

	const sandbox = await startSandbox({ jobDurationMs: PLAN.batch.jobSeconds * 1000, extraKeys: [ANCHOR_KEY] });
	const plan = buildWorkflows();
	const cleanup = [];
	try {
		log(`preparing an n8n user folder: the package, ${plan.workflows.length} workflows and the credentials`);
		const template = await n8n.prepareUserFolder(install, { credentials: credentials(sandbox), workflows: plan.workflows });
		cleanup.push(template);
		const schedule = require(path.join(ROOT, 'dist/nodes/shared/engine/pollSchedule.js'));
		results.defaultPollInterval = Object.fromEntries(PLAN.scheduleAt.map((subject) => [subject, defaultPollInterval(subject)]));
		results.schedule = measure.scheduleTable(schedule.nextPollDelayMs, [...new Set(Object.values(results.defaultPollInterval))].sort((a, b) => a - b));

		let anchorDone = Promise.resolve();
		if (args.only.includes('batch') || args.only.includes('detection')) {
			const root = n8n.copyUserFolder(template, 'main');
			cleanup.push(root);
			const server = await n8n.startServer(install, root);
			results.startup = [server.startup];
			log(`n8n answered after ${(server.startup.readyMs / 1000).toFixed(1)} s, ${server.startup.startupCpu.toFixed(1)} s of CPU`);
			const settled = await measure.settle(server);
			log(`settled after ${settled.seconds.toFixed(1)} s more (${settled.dropped ? 'start-up garbage collected' : 'no drop seen'})`);
			// The anchor sleeps 10 s after every status check: its batches run in the background meanwhile.
			const anchor = args.only.includes('batch') ? measure.anchorBatches(server, sandbox, plan.anchorCases, runs(PLAN.batch.runs)) : Promise.resolve(undefined);
			await n8n.sleep(5000); // the anchor's executions have started and sleep 10 s: they no longer load n8n
			// Settled into a result at once, so a failure waits for its turn instead of ending the process.
			const anchorResult = anchor.then((rows) => ({ rows }), (error) => ({ error }));
			if (args.only.includes('detection'))
				results.detection = await measure.detection(server, sandbox, PLAN.detection.subject, plan.detectionCases, runs(PLAN.detection.runs), { nextPollDelayMs: schedule.nextPollDelayMs, floorMs: results.defaultPollInterval[PLAN.detection.subject] * 1000 }, log);
			if (args.only.includes('batch')) results.batch = await measure.batch(server, sandbox, plan.batchCases, runs(PLAN.batch.runs), log);
			// This n8n stops once the anchor is done too; the memory section meanwhile uses its own.
			anchorDone = anchorResult
				.finally(() => server.stop())
				.then(({ rows, error }) => {
					if (error) throw error;
					results.anchor = rows;
					for (const row of rows ?? []) log(`batch anchor ${row.items} item(s): ${(row.ms / 1000).toFixed(1)} s (runs ${row.runs.map((ms) => (ms / 1000).toFixed(1)).join(', ')})`);
				});
			if (!args.only.includes('memory')) await anchorDone;
		}

		if (args.only.includes('memory')) {
			const job = sandbox.createJob('magicHour', { prompt: `floor [sandbox:size=${PLAN.memory.large}]`, durationMs: 0, request: {} });
			results.cdn = {
				video: await measure.curlSpeed([sandbox.videoUrl(job)]),
				a4f: await measure.curlSpeed(['-H', `authorization: Bearer ${sandbox.apiKey}`, '-H', 'content-type: application/json', '-d', JSON.stringify({ model: 'provider-2/kling-v2.1', prompt: `floor [sandbox:seconds=0][sandbox:size=${PLAN.memory.large}]`, quality: '720p', duration: 5 }), `${sandbox.urls.a4f}/video/generations`]),
			};
			results.floor = {};
			for (const size of new Set(plan.memoryCases.map((c) => c.size))) {
				const video = sandbox.createJob('magicHour', { prompt: `floor [sandbox:size=${size}]`, durationMs: 0, request: {} });
				const floor = (results.floor[size] = await measure.streamFloor(install.nodeBin, sandbox.videoUrl(video), runs(PLAN.memory.runs)));
				log(`a bare Node ${floor.node} pipeline(response, file) of the ${size} video: +${floor.growthMB.toFixed(1)} MB RSS (runs ${floor.runs.map((x) => x.toFixed(1)).join(', ')})`);
			}
			results.memory = await measure.memory(install, template, sandbox, plan.memoryCases, runs(PLAN.memory.runs), log);
			results.startup = [...(results.startup ?? []), ...results.memory.flatMap((m) => m.startup)];
			await anchorDone;
		}

		if (args.only.includes('overhead')) {
			results.overhead = await measure.runJson(install.nodeBin, path.join(__dirname, 'overhead.js'), [String(runs(PLAN.overhead.runs)), String(PLAN.overhead.itemsPerRun)]);
			for (const s of results.overhead.subjects) log(`overhead ${s.name}: ${s.cpuMsPerJob.toFixed(1)} ms CPU per job (${s.requestsPerJob.toFixed(1)} requests), ${s.cpuMsPerRequest.toFixed(2)} ms per request`);
		}
	} finally {
		await n8n.stopAll();
		await sandbox.close();
		for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
	}

	results.seconds = (Date.now() - startedAt) / 1000;
	fs.writeFileSync(RESULTS_FILE, JSON.stringify(results));
	log(`figures saved to ${RESULTS_FILE}`);
	finish(results, args);
}

/** Checks the targets, writes BENCHMARKS.md and sets the exit code. */
function finish(results, args) {
	// The targets as they stand now: a saved run can be judged again after a target changed.
	results.targets = { ...TARGETS, delay: 'max(10% of the job, 2 s)', memoryMB: 'max(32 MB, bare Node + 10 MB)' };
	results.checks = checkTargets(results);
	if (args.write) {
		writeReport(path.join(ROOT, 'BENCHMARKS.md'), results);
		log('wrote BENCHMARKS.md');
	}
	const missed = results.checks.filter((c) => !c.ok);
	for (const c of results.checks) log(`${c.ok ? 'ok    ' : 'MISSED'} ${c.figure}: ${c.value.toFixed(c.unit === 'requests' ? 0 : 2)} ${c.unit} (target ≤ ${c.target} ${c.unit})`);
	log(`done in ${(results.seconds / 60).toFixed(1)} min; ${missed.length ? `${missed.length} target(s) missed` : 'all targets met'}`);
	process.exitCode = missed.length ? 1 : 0;
}

// n8n runs in its own process group, which Ctrl-C does not reach: stop it before leaving.
for (const signal of ['SIGINT', 'SIGTERM'])
	process.once(signal, () => {
		log(`${signal}: stopping n8n`);
		n8n.stopAll().finally(() => process.exit(130));
	});

main().catch(async (error) => {
	console.error(error?.stack ?? error);
	await n8n.stopAll();
	process.exit(2);
});
