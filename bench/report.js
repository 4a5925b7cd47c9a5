'use strict';
// BENCHMARKS.md from the figures of one `npm run bench` run.
const fs = require('node:fs');
const { SUBJECTS } = require('./workflows');
const { median } = require('./measure');

const s = (ms, digits = 2) => `${(ms / 1000).toFixed(digits)} s`;
const pct = (ratio) => `${(ratio * 100).toFixed(0)}%`;
const mb = (value) => `${value.toFixed(0)} MB`;
const signed = (value) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} MB`;
const label = (subject) => SUBJECTS[subject].label;
const table = (head, rows) => [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function summary(results) {
	const rows = results.checks.map((c) => [c.ok ? 'met' : '**missed**', c.figure, `${c.value.toFixed(c.unit === 'requests' ? 0 : 2)} ${c.unit}`, `≤ ${c.target} ${c.unit}`]);
	const notes = [];
	const { memory: plan } = results.plan;
	const floor = results.floor?.[plan.large];
	if (floor)
		notes.push(
			`Memory targets: issue 8 asks for ≤ 32 MB, but streaming the same ${sizeText(plan.large)} video costs a bare Node process ${signed(floor.growthMB)} (measured in this run), which no node can go below. So the ${sizeText(plan.large)} target is the larger of 32 MB and that floor plus 10 MB, the run-to-run noise of n8n's RSS. The ${sizeText(plan.larger.size)} target is the node's own ${sizeText(plan.large)} figure plus ${results.targets.memoryGrowthShare * 100}% of the extra size: the cost must not grow with the video. See section 3.`,
		);
	return [table(['', 'figure', 'measured', 'target'], rows), ...notes].join('\n\n');
}

function batchSection(results) {
	const { plan } = results;
	const anchorOf = (items) => results.anchor?.find((a) => a.items === items);
	const cell = (row) => (row ? `${s(row.ms)} (${row.requestsPerJob.toFixed(1)} req/job)` : 'not run');
	const rows = [];
	for (const items of plan.batch.items) {
		const ours = plan.batch.ours.map((subject) => results.batch.find((b) => b.subject === subject && b.items === items && b.concurrency === items));
		const anchor = anchorOf(items);
		rows.push([`${items}`, ...ours.map(cell), cell(anchor), ...ours.map((o) => (o && anchor ? (o.ms / anchor.ms).toFixed(3) : '–'))]);
	}
	const items = plan.batch.defaultConcurrencyItems;
	const defaults = plan.batch.ours.map((subject) => results.batch.find((b) => b.subject === subject && b.items === items && b.concurrency === undefined && !b.capacity));
	rows.push([`${items}, default settings (automatic Concurrency)`, ...defaults.map(cell), cell(anchorOf(items)), ...defaults.map((o) => (o && anchorOf(items) ? (o.ms / anchorOf(items).ms).toFixed(3) : '–'))]);
	const cap = plan.batch.capacity;
	const capped = cap ? plan.batch.ours.map((subject) => results.batch.find((b) => b.subject === subject && b.capacity === cap.capacity)) : [];
	const capCell = (row) => (row ? `${s(row.ms)}: ${row.submits} submits (${row.submits - row.items} refused), ${row.failed} failed, ≤ ${row.peak} at once` : 'not run');
	if (cap) rows.push([`${cap.items}, default settings, provider runs ${cap.capacity} at once`, ...capped.map(capCell), cell(anchorOf(cap.items)), ...capped.map((o) => (o && anchorOf(cap.items) ? (o.ms / anchorOf(cap.items).ms).toFixed(3) : '–'))]);
	const head = ['items', ...plan.batch.ours.map(label), label('anchor'), ...plan.batch.ours.map((o) => `${label(o).split(' (')[0]} / OpenAI node`)];
	return `## 1. Batch wall time

Jobs of ${plan.batch.jobSeconds} s in the sandbox. Figure: the node's execution time in n8n's run data
(\`executionTime\`), median of ${results.batch[0]?.runs.length ?? '?'} runs (runs listed below), and the requests each job cost
(submit, status checks, download). Ours at default settings except Concurrency, set to the number of items,
then twice at full default settings (automatic Concurrency): five items, and ${plan.batch.capacity?.items ?? 20} items against a
sandbox that runs only ${plan.batch.capacity?.capacity ?? 5} jobs at once and refuses more with HTTP 429, as a plan's cap does
(target: every item, in at most 4 job lengths plus 2 s, never more jobs at once than the cap). The anchor is n8n's own OpenAI
node (\`@n8n/n8n-nodes-langchain.openAi\` v2.3, resource Video, operation Generate, model \`sora-2\`) with
its credential's Base URL on the same sandbox gateway (\`…/videogeneration/v1\`, the \`/v1/videos\` routes
our Video Generation API node uses in its Videos API style); it has no concurrency setting.

${table(head, rows)}

Runs: ${[...results.batch, ...(results.anchor ?? [])].map((r) => `${label(r.subject).split(' (')[0]} ${r.items}${r.concurrency ? '' : r.subject === 'anchor' ? '' : r.capacity ? ` (defaults, capacity ${r.capacity})` : ' (defaults)'}: ${r.runs.map((ms) => s(ms, 1)).join(', ')}`).join('; ')}.

The anchor runs its items one by one and, for each, checks the status, sleeps 10 s, checks again and
sleeps 10 s more after the check that saw the job done (\`pollUntilAvailable(…, 10)\` in n8n 2.41.1), so a 3 s
job costs it 20 s. Ours run the items at once and check on the backoff schedule below.`;
}

function detectionSection(results) {
	const { plan } = results;
	const subject = label(plan.detection.subject);
	const rows = results.detection.map((d) => [
		`${d.seconds} s`,
		`${s(d.delayMs)} (${d.delays.map((v) => s(v)).join(', ')})`,
		pct(d.delayMs / 1000 / d.seconds),
		plan.detection.delayTargets.includes(d.seconds) ? `≤ ${s(Math.max(0.1 * d.seconds, 2) * 1000, 1)}` : 'none (requests: ≤ 15)',
		`${d.polls}${d.allPolls.some((p) => p !== d.polls) ? ` (${d.allPolls.join(', ')})` : ''}`,
	]);
	const defaultsOf = (interval) => Object.entries(results.defaultPollInterval).filter(([, v]) => v === interval).map(([k]) => label(k).split(' (')[0]);
	const scheduleRows = results.schedule.map((r) => [
		`${r.interval} s (${defaultsOf(r.interval).join(', ')})`,
		pct(r.withinTarget),
		pct(r.medianRelative),
		pct(r.p90Relative),
		pct(r.worstRelative),
		s(r.worstShortMs, 1),
		`${r.polls60}`,
		`${r.polls600}`,
	]);
	const unlucky = results.detection.find((d) => d.delayMs > Math.max(0.1 * d.seconds, 2) * 1000);
	const at = results.schedule.find((r) => r.interval === results.defaultPollInterval[plan.detection.subject]) ?? results.schedule[0];
	return `## 2. Detection delay and status requests

Subject: ${subject} at default settings (Poll Interval ${results.defaultPollInterval[plan.detection.subject]} s), one job per execution, ${results.detection[0].delays.length} executions per
length, all at once. Delay: from the moment the sandbox marks the job complete (\`job.finishedAt\`) to the
end of the node's execution (n8n's run data), so it includes the download of the 4 KB video. Status
requests: the sandbox's log for the job.

${table(['job', 'delay, median (runs)', 'of the job', 'target', 'status requests'], rows)}

Each status check came a median of ${median(results.detection.map((d) => d.lateMsPerCheck)).toFixed(0)} ms after the schedule's time (n8n's work around the
request). Gaps run from one check's start to the next, so a slow answer does not push back the checks
after it (\`test/integration/magicHour.test.ts\` holds every answer back 0.8 s to prove it).

The schedule (\`nodes/shared/engine/pollSchedule.ts\`) is a geometric backoff: each gap is a start gap (the Poll
Interval, at most 1 s) plus 20% of the time already waited, never below the Poll Interval and at most 30 s.
Replayed without network latency for every job length from 3 s to 10 min (a job's delay depends on
where its end falls between two checks, so one length is one sample):

${table(['Poll Interval', 'lengths within max(10%, 2 s)', 'median delay, jobs ≥ 20 s', '90th percentile', 'worst', 'worst, jobs < 20 s', 'requests, 60 s job', 'requests, 10 min job'], scheduleRows)}

Why not a worst case of 10%: a job that ends just after a check at time t is seen at the next check,
so a worst-case delay of max(10%, 2 s) needs every gap to be at most max(0.1·t, 2 s): gaps of 2 s up to
20 s (10 checks), then gaps growing by 10% from 20 s to 60 s (ln 3 / ln 1.1 ≈ 11.5 checks), at least
21 status requests for a 60 s job instead of 15. The same argument holds for any schedule, monotone or
not. So the schedule aims at the typical job instead: with gaps of a fifth of the time waited, a job's
end falls on average half a gap, about 10% of the job, before the check that sees it (less once the 30 s
cap holds the gaps), and a 60 s job costs ${results.schedule.map((r) => `${r.polls60} status requests at a ${r.interval} s Poll Interval`).join(', ')}. The price is
the worst case: ${pct(at.worstRelative)} for a job that ends just after a check, and ${pct(1 - at.withinTarget)} of job lengths miss max(10%, 2 s).${unlucky ? ` The
${unlucky.seconds} s job above is such a case: its end fell just after a check.` : ''} Which lengths land
near the best or the worst case is chance, not tuning: the constants are round numbers taken from the
two targets, not from the measured lengths.`;
}

const sizeText = (text) => text.replace(/^([\d.]+)\s*([KMG]B)$/i, '$1 $2');

function memorySection(results) {
	const { memory: plan } = results.plan;
	const rows = results.memory.map((m) => [
		label(m.subject),
		sizeText(m.size),
		`${mb(m.small.startMB)} → ${mb(m.small.peakMB)}`,
		`${mb(m.large.startMB)} → ${mb(m.large.peakMB)}`,
		`**${signed(m.growthMB)}** (${m.runs.map(signed).join(', ')})`,
		m.targetMB === undefined ? '–' : `≤ ${m.targetMB} MB`,
		signed(m.treeGrowthMB),
		`${m.throughputMBs.toFixed(0)} MB/s`,
	]);
	const floorRows = Object.entries(results.floor).map(([size, f]) => [sizeText(size), `**${signed(f.growthMB)}** (${f.runs.map(signed).join(', ')})`]);
	const cdn = results.cdn ?? {};
	const at = (subject, size = plan.large) => results.memory.find((m) => m.subject === subject && m.size === size)?.growthMB;
	const streaming = results.memory.filter((m) => m.subject !== 'anchor' && m.subject !== 'a4f' && m.size === plan.large).map((m) => m.growthMB);
	const settled = results.memory.flatMap((m) => m.settled).filter((x) => x.dropped);
	const either = (value) => (value === undefined ? 'not measured' : signed(value));
	const larger = plan.larger.subjects.filter((subject) => at(subject, plan.larger.size) !== undefined);
	const runs = results.memory[0]?.runs.length ?? 0;
	return `## 3. Memory

One ${sizeText(plan.large)} video against the same workflow with a ${sizeText(plan.small)} video, per node, in real n8n with
\`N8N_DEFAULT_BINARY_DATA_MODE=filesystem\`${larger.length ? `; and a ${sizeText(plan.larger.size)} video for ${larger.map(label).join(' and ')}, the two ways a video reaches our nodes (a URL, base64 inside the JSON answer), to see whether the cost grows with the video` : ''}.
Each run is a fresh \`n8n start\` on a copy of the same user folder, left alone until V8 has collected
n8n's start-up garbage (${settled.length ? `RSS falls from about ${mb(median(settled.map((x) => x.fromMB)))} to about ${mb(median(settled.map((x) => x.toMB)))} some ${median(settled.map((x) => x.seconds)).toFixed(0)} s after n8n answers` : 'no such drop was seen; waited 30 s'}),
then a 4 KB warm-up, the 4 KB run and the large run (jobs of ${plan.jobSeconds} s); ${runs} runs per row, taken in turns
across the rows, and the median is the figure. Before each run the bench has V8 collect all garbage
(n8n runs with \`--inspect\`; \`bench/gc.js\` sends \`HeapProfiler.collectGarbage\`), so every run starts
from the same collected heap: otherwise whether V8 happened to collect between two runs moves the figure
by some 40 MB. The RSS of n8n's main process (\`/proc/<pid>/status\`) is sampled every 50 ms and its peak
mark (VmHWM) reset before each run; a run's peak is the highest RSS while the node executed (n8n's run
data), or VmHWM if higher. The video's cost: the large run's peak over the higher of the 4 KB run's peak
and the RSS when the large run began. "With task runner": the same over n8n's process tree (the
task-runner child takes no part). One large run per process: a second one would reuse the memory the
first left behind and look cheaper than it is. The before → peak columns are from the run nearest the
median.

${table(['node', 'video', '4 KB run: RSS before → peak', 'large run: before → peak', "the video's cost, median (runs)", 'target', 'with task runner', 'download'], rows)}

**The floor, and why the target is not 32 MB.** A new Node ${Object.values(results.floor)[0]?.node ?? '?'} process (n8n's Node) doing nothing but
\`pipeline(response, fs.createWriteStream(file))\` on the same video (\`bench/stream-floor.js\`) grows by:

${table(['video', 'bare Node, median (runs)'], floorRows)}

V8 frees the 64 KB buffers a socket reads in batches, when garbage collection runs (it waits for some
tens of MB of them), not as each is written; any code that streams through Node's HTTP client, n8n's
helpers included, pays that. Issue 8's 32 MB lies below it, so the bench holds each node to the larger
of 32 MB and the ${sizeText(plan.large)} floor measured in the same run plus 10 MB, the run-to-run noise of n8n's RSS. A node
that held the video would miss that by hundreds of MB. In n8n's larger process the batches grow
somewhat with a longer download, so the ${sizeText(plan.larger.size)} rows are held to their own node's ${sizeText(plan.large)} figure plus
${results.targets.memoryGrowthShare * 100}% of the extra ${((plan.larger.bytes - plan.largeBytes) / 1e6).toFixed(0)} MB: a node that kept even that share of the video in memory would miss it.

Our nodes that stream the video from a URL cost ${streaming.length ? `${signed(median(streaming))} for ${sizeText(plan.large)} (median of the nodes; ${signed(Math.min(...streaming))} to ${signed(Math.max(...streaming))})` : '–'}, n8n's own OpenAI node
${either(at('anchor'))}. A4F, which decodes the video out of base64 in a JSON answer a third larger than the
video as it arrives, ${either(at('a4f'))} (\`node bench/a4f-memory.js --naive 300MB\` compares that with reading the
answer whole, which takes several times the video's size).${larger.length ? ` At ${sizeText(plan.larger.size)}: ${larger.map((subject) => `${label(subject)} ${either(at(subject, plan.larger.size))}`).join(', ')}, against ${larger.map((subject) => either(at(subject))).join(' and ')} at ${sizeText(plan.large)}: a step of tens of MB while V8's collections space out in a longer download, not a share of the video (\`node bench/run.js --no-write --only=memory --memory=a4f --larger=a4f --larger-size=3GB\` shows it level off).` : ''}

The CDN is not the bottleneck: alone (curl into /dev/null) the sandbox serves the ${sizeText(plan.large)} video at
${cdn.video ? `${cdn.video.MBs.toFixed(0)} MB/s` : '? MB/s'} and A4F's base64 answer for it at ${cdn.a4f ? `${cdn.a4f.MBs.toFixed(0)} MB/s` : '? MB/s'}, several times what n8n takes in
(the download column: the video's size over the extra execution time of the large run).`;
}

function overheadSection(results) {
	const o = results.overhead;
	const startupCpu = median(results.startup.map((x) => x.startupCpu));
	const ready = median(results.startup.map((x) => x.readyMs));
	const perJob = 2 + (results.schedule.find((r) => r.interval === results.defaultPollInterval.magicHour)?.polls60 ?? NaN);
	const rows = o.subjects.map((x) => [label(x.name), `${x.cpuMsPerJob.toFixed(1)} ms`, x.requestsPerJob.toFixed(1), `${x.cpuMsPerRequest.toFixed(2)} ms`, `${Math.round((startupCpu * 1000) / x.cpuMsPerJob)}`]);
	return `## 4. Overhead

CPU time (user + system) of the node's work per job: the node runs in n8n-core's real
\`ExecuteContext\` in one process (\`bench/overhead.js\`, on Node ${o.node}), the sandbox in a child process so
that its CPU is not counted; ${o.runs} runs of ${o.itemsPerRun} items after two warm-up runs, jobs of ${o.jobSeconds} s polled from
${o.pollInterval} s, so each job costs a submit, several status checks and a 4 KB download. The figure includes what
our code calls in n8n-core (its HTTP helper and the binary store), so it is an upper bound for our code.

${table(['node', 'CPU per job', 'requests per job', 'CPU per request', 'jobs per n8n start-up'], rows)}

n8n's own start-up: ${startupCpu.toFixed(1)} s of CPU (main process and task runner, median of ${results.startup.length} starts) and
${s(ready, 1)} until its REST API answers. One start-up costs as much CPU as the last column's number of jobs;
a 60 s job at Magic Hour's defaults costs ${perJob} requests (submit, status checks, download), i.e. about ${(o.subjects[0].cpuMsPerRequest * perJob).toFixed(0)} ms of CPU.`;
}

function writeReport(file, results) {
	const m = results.machine;
	const parts = [
		`# Benchmarks

Produced by \`${results.command}\` (\`bench/run.js\`) on ${m.date.slice(0, 10)}, commit ${m.commit}; the run took
${(results.seconds / 60).toFixed(1)} min. The command rewrites this file and exits 1, naming the figure and its target, when a
target is missed. Everything runs in real n8n ${m.n8n} (\`n8n start\`, on Node ${m.n8nNode}, installed by
\`scripts/n8n.js\`) with this package installed as a community package, against the sandbox
(\`sandbox/index.js\`), which runs in the bench process (Node ${m.benchNode}).

Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGB.toFixed(0)} GB memory, ${m.os}.

${summary(results)}`,
	];
	if (results.batch) parts.push(batchSection(results));
	if (results.detection) parts.push(detectionSection(results));
	if (results.memory) parts.push(memorySection(results));
	if (results.overhead && results.startup) parts.push(overheadSection(results));
	// Sections written by other benchmarks (bench/queue.js: "## Queue mode") are kept as they are.
	const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	const kept = previous.indexOf(QUEUE_HEADING);
	if (kept >= 0) parts.push(previous.slice(kept).trimEnd());
	fs.writeFileSync(file, `${parts.join('\n\n')}\n`);
}

const QUEUE_HEADING = '## Queue mode';

module.exports = { writeReport };
