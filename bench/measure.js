'use strict';
// The four measurements of `npm run bench`, each on real n8n (bench/n8n.js) against the sandbox that
// runs in the bench process. Each returns plain figures; run.js checks them against the targets.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const n8n = require('./n8n');
const { SUBJECTS, VIDEO_NODE } = require('./workflows');

const MB = 1e6;

const median = (values) => {
	const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	if (!sorted.length) return NaN;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * n8n keeps its start-up garbage for a few seconds after it answers (RSS about 690 MB, then about
 * 420 MB once V8 collects it). Waits for that drop, at most `limitMs`, so later figures do not
 * include it; returns the seconds waited and whether the drop was seen.
 */
async function settle(server, limitMs = 30_000) {
	const started = Date.now();
	let highest = 0;
	for (;;) {
		const rss = n8n.readStatus(server.pid)?.rssKb ?? 0;
		highest = Math.max(highest, rss);
		const waited = Date.now() - started;
		const dropped = waited >= 3000 && rss < highest - 100_000;
		if (dropped) await n8n.sleep(1000); // the drop takes a moment
		if (dropped || waited >= limitMs) return { seconds: waited / 1000, dropped, fromMB: highest / 1000, toMB: (n8n.readStatus(server.pid)?.rssKb ?? 0) / 1000 };
		await n8n.sleep(250);
	}
}

/** The sandbox jobs an execution made (its prompts name the workflow and execution), in item order. */
function jobsOf(sandbox, execution) {
	const tag = ` run ${execution.workflowId ?? execution.workflowData?.id}/${execution.id} item `;
	return [...sandbox.jobs.values()].filter((job) => String(job.prompt).includes(tag)).sort((a, b) => itemOf(a, tag) - itemOf(b, tag));
}
const itemOf = (job, tag) => Number(String(job.prompt).split(tag)[1]);

/** Requests the sandbox logged for one job: status checks and downloads (the submit is one more). */
function requestsOf(sandbox, provider, job) {
	const mine = sandbox.requests.filter((r) => r.provider === provider && (r.url.includes(job.id) || r.url.includes(job.videoId)));
	return { polls: mine.filter((r) => r.route === 'poll').length, downloads: mine.filter((r) => r.route === 'download').length };
}

/** One execution's figures: n8n's execution time of the video node and the requests per job. */
function executionFigures(sandbox, subjectName, execution, items) {
	const run = n8n.nodeRun(execution, VIDEO_NODE);
	const jobs = jobsOf(sandbox, execution);
	if (jobs.length !== items || run.items.length !== items)
		throw new Error(`${subjectName}: execution ${execution.id} made ${jobs.length} jobs and ${run.items.length} items, expected ${items}`);
	const provider = SUBJECTS[subjectName].sandbox;
	const requests = jobs.map((job) => requestsOf(sandbox, provider, job));
	const tag = ` run ${execution.workflowId ?? execution.workflowData?.id}/${execution.id} item `;
	// Submits, refused ones too (a refusal makes no job), found by the execution's tag in the prompt.
	const submits = sandbox.requests.filter((r) => r.provider === provider && r.route === 'submit' && JSON.stringify(r.body ?? '').includes(tag)).length;
	return {
		ms: run.executionTime,
		submits,
		failed: run.items.filter((item) => item.json?.error !== undefined || !item.binary).length,
		peak: peakAtOnce(jobs),
		pollsPerJob: requests.reduce((sum, r) => sum + r.polls, 0) / items,
		requestsPerJob: requests.reduce((sum, r) => sum + 1 + r.polls + r.downloads, 0) / items,
	};
}

/** The most of these jobs that were unfinished at one moment at the provider. */
function peakAtOnce(jobs) {
	const edges = jobs.flatMap((job) => [[job.createdAt, 1], [job.finishedAt, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let peak = 0;
	for (const [, step] of edges) peak = Math.max(peak, (now += step));
	return peak;
}

function summarize(runs) {
	const worst = (key) => Math.max(...runs.map((r) => r[key] ?? 0));
	return {
		runs: runs.map((r) => r.ms),
		ms: median(runs.map((r) => r.ms)),
		pollsPerJob: median(runs.map((r) => r.pollsPerJob)),
		requestsPerJob: median(runs.map((r) => r.requestsPerJob)),
		submits: median(runs.map((r) => r.submits)),
		failed: worst('failed'),
		peak: worst('peak'),
	};
}

/**
 * 1. Batch wall time: each configuration `runs` times in a row, one execution at a time. `cases`:
 * [{ key, subject, workflowId, items, concurrency }].
 */
async function batch(server, sandbox, cases, runs, log) {
	const results = [];
	for (const c of cases) {
		const figures = [];
		// A plan's cap on concurrent jobs, for this case only (the sandbox answers HTTP 429 beyond it).
		if (c.capacity) sandbox.setCapacity(SUBJECTS[c.subject].sandbox, c.capacity);
		try {
			for (let i = 0; i < runs; i++) figures.push(executionFigures(sandbox, c.subject, await server.run(c.workflowId), c.items));
		} finally {
			if (c.capacity) sandbox.setCapacity(SUBJECTS[c.subject].sandbox, undefined);
		}
		const result = { ...c, ...summarize(figures) };
		const detail = c.capacity ? `, provider capacity ${c.capacity}: ${result.submits} submits (${result.submits - c.items} refused), ${result.failed} failed, at most ${result.peak} at once` : '';
		log(`batch ${c.subject} ${c.items} item(s)${c.concurrency ? `, concurrency ${c.concurrency}` : ' at defaults'}${detail}: ${(result.ms / 1000).toFixed(2)} s (runs ${result.runs.map((ms) => (ms / 1000).toFixed(2)).join(', ')}), ${result.requestsPerJob.toFixed(1)} requests per job`);
		results.push(result);
	}
	return results;
}

/**
 * The anchor's batches, started all at once (its runs are sleeps, ten seconds after every status
 * check): resolves with the same figures as `batch`. Runs while the other sections measure.
 */
async function anchorBatches(server, sandbox, cases, runs) {
	const started = [];
	for (const c of cases) for (let i = 0; i < runs; i++) started.push({ c, executionId: await server.trigger(c.workflowId) });
	const executions = await server.waitFor(started.map((s) => s.executionId), { everyMs: 5000 });
	return cases.map((c) => {
		const mine = executions.filter((_, i) => started[i].c === c);
		return { ...c, ...summarize(mine.map((execution) => executionFigures(sandbox, c.subject, execution, c.items))) };
	});
}

/**
 * How much later than the schedule each status check came (ms): the request's round trip and n8n's
 * work around it. The schedule counts from the submit's answer; the job's creation stands in for it.
 */
function checkLateness(sandbox, provider, job, nextPollDelayMs, floorMs) {
	const times = sandbox.requests.filter((r) => r.provider === provider && r.route === 'poll' && r.url.includes(job.id)).map((r) => r.at - job.createdAt);
	return times.map((t, i) => t - (i ? times[i - 1] : 0) - nextPollDelayMs(i ? times[i - 1] : 0, floorMs));
}

/**
 * 2. Detection delay: the jobs at once (triggered 250 ms apart), each in its own execution; the
 * delay is from the moment the sandbox marks the job complete to the end of the node's execution
 * (n8n's run data). `cases`: [{ seconds, workflowId }]; `schedule`: { nextPollDelayMs, floorMs }.
 */
async function detection(server, sandbox, subjectName, cases, runs, schedule, log) {
	const started = [];
	for (let i = 0; i < runs; i++)
		for (const c of cases) {
			started.push({ c, executionId: await server.trigger(c.workflowId) });
			await n8n.sleep(250); // staggered, as separate workflows would start
		}
	const executions = await server.waitFor(started.map((s) => s.executionId), { everyMs: 3000 });
	return cases.map((c) => {
		const figures = executions
			.filter((_, i) => started[i].c === c)
			.map((execution) => {
				const run = n8n.nodeRun(execution, VIDEO_NODE);
				const [job] = jobsOf(sandbox, execution);
				const provider = SUBJECTS[subjectName].sandbox;
				const late = checkLateness(sandbox, provider, job, schedule.nextPollDelayMs, schedule.floorMs);
				return { delayMs: run.endTime - job.finishedAt, polls: requestsOf(sandbox, provider, job).polls, late };
			});
		const result = {
			seconds: c.seconds,
			delays: figures.map((f) => f.delayMs),
			delayMs: median(figures.map((f) => f.delayMs)),
			polls: median(figures.map((f) => f.polls)),
			allPolls: figures.map((f) => f.polls),
			lateMsPerCheck: median(figures.flatMap((f) => f.late)),
		};
		log(
			`detection ${subjectName} job of ${c.seconds} s: delay ${(result.delayMs / 1000).toFixed(2)} s (${result.delays.map((d) => (d / 1000).toFixed(2)).join(', ')}), ${result.polls} status requests, checks ${result.lateMsPerCheck.toFixed(0)} ms late`,
		);
		return result;
	});
}

/**
 * The poll schedule itself (the built nodes/shared/engine/pollSchedule.js), replayed without latency for every
 * job length from 3 s to 10 min: how late a job is seen and how many status requests it costs.
 */
function scheduleTable(nextPollDelayMs, intervalsSeconds) {
	const replay = (lengthMs, floorMs) => {
		let t = 0;
		let polls = 0;
		while (t < lengthMs) {
			t += nextPollDelayMs(t, floorMs);
			polls++;
		}
		return { delayMs: t - lengthMs, polls };
	};
	return intervalsSeconds.map((interval) => {
		// Jobs of 20 s and more, where the target is 10% of the job; below, it is 2 s.
		const relative = [];
		let worstShortMs = 0;
		let withinTarget = 0;
		let lengths = 0;
		for (let length = 3000; length <= 600_000; length *= 1.002) {
			const { delayMs } = replay(length, interval * 1000);
			if (length >= 20_000) relative.push(delayMs / length);
			else worstShortMs = Math.max(worstShortMs, delayMs);
			if (delayMs <= Math.max(0.1 * length, 2000)) withinTarget++;
			lengths++;
		}
		relative.sort((a, b) => a - b);
		return {
			interval,
			withinTarget: withinTarget / lengths,
			medianRelative: median(relative),
			p90Relative: relative[Math.floor(relative.length * 0.9)],
			worstRelative: relative[relative.length - 1],
			worstShortMs,
			polls60: replay(60_000, interval * 1000).polls,
			polls600: replay(600_000, interval * 1000).polls,
		};
	});
}

/**
 * 3. Memory: a fresh n8n per subject, settled; a 4 KB run to warm up, a 4 KB run and a 300 MB run,
 * the RSS of n8n's main process sampled every 50 ms (and its peak mark reset before each run). The
 * video's cost: the 300 MB run's peak (while the node executed) over the higher of the 4 KB run's
 * peak and the RSS when the 300 MB run began, so that neither n8n's own creep between the runs nor
 * its regrowth after a collection between them counts. `cases`: [{ subject, small, large }] with
 * workflow ids.
 */
/**
 * 3. Memory: per case ({ subject, size, bytes, small, large }), `runs` fresh n8n processes, each
 * running a small warm-up, the small video and the large one. Runs go round the cases in turn, so
 * whatever else loads the machine meanwhile falls on every case alike.
 */
async function memory(install, template, sandbox, cases, runs, log) {
	const perCase = cases.map(() => []);
	for (let round = 0; round < runs; round++)
		for (const [index, c] of cases.entries()) {
			const result = await memoryRun(install, template, c, `memory-${c.subject}-${c.size}-${round}`);
			log(
				`memory ${c.subject} ${c.size} (run ${round + 1} of ${runs}): 4 KB run ${result.small.startMB.toFixed(0)} → ${result.small.peakMB.toFixed(0)} MB, large run ${result.large.startMB.toFixed(0)} → ${result.large.peakMB.toFixed(0)} MB: +${result.growthMB.toFixed(1)} MB; download ${result.throughputMBs.toFixed(0)} MB/s`,
			);
			perCase[index].push(result);
		}
	return cases.map((c, index) => {
		const results = perCase[index];
		const growthMB = median(results.map((r) => r.growthMB));
		// The run whose cost is nearest the median speaks for the case in the table.
		const typical = results.reduce((best, r) => (Math.abs(r.growthMB - growthMB) < Math.abs(best.growthMB - growthMB) ? r : best));
		return {
			subject: c.subject,
			size: c.size,
			bytes: c.bytes,
			runs: results.map((r) => r.growthMB),
			growthMB,
			treeGrowthMB: median(results.map((r) => r.treeGrowthMB)),
			throughputMBs: median(results.map((r) => r.throughputMBs)),
			small: typical.small,
			large: typical.large,
			settled: results.map((r) => r.settled),
			startup: results.map((r) => r.startup),
		};
	});
}

/** One fresh n8n: settle, a small warm-up, the small run and the large run. */
async function memoryRun(install, template, c, name) {
	const root = n8n.copyUserFolder(template, name);
	let server;
	try {
		server = await n8n.startServer(install, root, { inspect: true });
		const settled = await settle(server);
		const pids = n8n.processTree(server.pid);
		const measureRun = async (workflowId) => {
			// Each run starts from a collected heap: whether V8 happened to collect in between must not count.
			await server.collectGarbage();
			n8n.resetPeak(server.pid);
			const sampler = n8n.sampleRss(pids, 50);
			// Checked every 2 s: the REST calls that watch an execution make garbage of their own.
			const [execution] = await server.waitFor([await server.trigger(workflowId)], { everyMs: 2000 });
			const samples = sampler.stop();
			const hwmKb = n8n.readStatus(server.pid)?.hwmKb ?? 0;
			const run = n8n.nodeRun(execution, VIDEO_NODE);
			const inWindow = samples.filter(([at]) => at >= run.startTime && at <= run.endTime);
			const before = samples.filter(([at]) => at < run.startTime).at(-1) ?? samples[0];
			const peakMB = Math.max(hwmKb, ...inWindow.map((s) => s[1])) / 1000;
			return {
				ms: run.executionTime,
				bytes: Number(run.items[0]?.binary?.data?.bytes ?? run.items[0]?.json?.fileSize),
				startMB: before[1] / 1000,
				peakMB,
				treeStartMB: before[2] / 1000,
				treePeakMB: Math.max(...inWindow.map((s) => s[2])) / 1000,
			};
		};
		await measureRun(c.small);
		const small = await measureRun(c.small);
		const large = await measureRun(c.large);
		if (large.bytes !== c.bytes) throw new Error(`${c.subject}: the ${c.size} run stored ${large.bytes} bytes, expected ${c.bytes}`);
		return {
			settled,
			startup: server.startup,
			small,
			large,
			growthMB: large.peakMB - Math.max(small.peakMB, large.startMB),
			treeGrowthMB: large.treePeakMB - Math.max(small.treePeakMB, large.treeStartMB),
			throughputMBs: c.bytes / MB / Math.max(0.001, (large.ms - small.ms) / 1000),
		};
	} finally {
		await server?.stop();
		fs.rmSync(root, { recursive: true, force: true });
	}
}

/** What streaming one video costs a bare Node process (bench/stream-floor.js), `runs` times: the median and the runs. */
async function streamFloor(nodeBin, url, runs) {
	const results = [];
	for (let i = 0; i < runs; i++) results.push(await runJson(nodeBin, path.join(__dirname, 'stream-floor.js'), [url]));
	return { node: results[0].node, bytes: results[0].bytes, runs: results.map((r) => r.growthMB), growthMB: median(results.map((r) => r.growthMB)) };
}

/** Runs `node <script> <args>` and parses the last line of its output as JSON. */
function runJson(nodeBin, script, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(nodeBin, [script, ...args], { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'], ...options });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
		child.once('error', reject);
		child.once('close', (code) => {
			if (code !== 0) return reject(new Error(`${path.basename(script)} exited with ${code}:\n${stderr.slice(-3000)}`));
			try {
				resolve(JSON.parse(stdout.trim().split('\n').pop()));
			} catch {
				reject(new Error(`${path.basename(script)} printed no JSON:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
			}
		});
	});
}

/** Download speed of a sandbox URL on its own (curl into /dev/null): shows the CDN is not the bottleneck. */
function curlSpeed(args) {
	return new Promise((resolve) => {
		const child = spawn('curl', ['-s', '-o', '/dev/null', '-w', '%{size_download} %{time_total}', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.once('error', () => resolve(undefined));
		child.once('close', () => {
			const [bytes, seconds] = out.trim().split(' ').map(Number);
			resolve(bytes > 0 && seconds > 0 ? { bytes, seconds, MBs: bytes / MB / seconds } : undefined);
		});
	});
}

module.exports = { median, settle, batch, anchorBatches, detection, scheduleTable, memory, streamFloor, runJson, curlSpeed, MB };
