#!/usr/bin/env node
'use strict';
// Peak memory of the A4F node while it receives a video as base64 inside JSON: the node path as
// n8n runs it (runNode: n8n-core's ExecuteContext, real HTTP, filesystem binary data) against the
// sandbox, which streams the answer. Each size runs in a fresh process, so each peak is its own; the
// sandbox runs in this parent process and is not counted.
//
//   node bench/a4f-memory.js               1 MB (baseline), 100 MB, 300 MB
//   node bench/a4f-memory.js 50MB 1GB      other sizes
//   node bench/a4f-memory.js --naive 100MB also the whole-body way (read, JSON.parse, Buffer.from) for comparison
//
// Prints one line per run and a JSON summary (peak RSS, its growth over the process's RSS before the
// run, the time, and whether the stored bytes match).
const { spawn } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const MB = 1e6;

function parseSize(text) {
	const match = /^([\d.]+)\s*(kb|mb|gb)$/i.exec(text);
	if (!match) throw new Error(`size like 100MB expected, not ${text}`);
	return Math.round(Number(match[1]) * { kb: 1e3, mb: 1e6, gb: 1e9 }[match[2].toLowerCase()]);
}

/** Samples RSS while `work` runs; returns the peak seen, the kernel's high-water mark and the time. */
async function measure(work) {
	if (global.gc) global.gc();
	const before = process.memoryUsage().rss;
	let peak = before;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 5);
	const started = Date.now();
	const result = await work();
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage().rss);
	return { ...result, beforeMB: before / MB, peakMB: peak / MB, maxRssMB: (process.resourceUsage().maxRSS * 1024) / MB, seconds: (Date.now() - started) / 1000 };
}

async function child(mode, size, baseUrl) {
	require('./ts').registerTypeScript();
	const { createHash } = require('node:crypto');
	const { Container } = require('@n8n/di');
	const { BinaryDataService } = require('n8n-core');
	const { runNode, initBinaryData, cleanupBinaryData } = require(path.join(ROOT, 'test/helpers/n8n.ts'));
	const { A4f: A4F } = require(path.join(ROOT, 'nodes/A4F/A4f.node.ts'));
	const { A4FApi } = require(path.join(ROOT, 'credentials/A4FApi.credentials.ts'));
	await initBinaryData();
	const prompt = `memory bench [sandbox:size=${size}B]`;
	const result = await measure(async () => {
		if (mode === 'naive') {
			const response = await fetch(`${baseUrl}/video/generations`, {
				method: 'POST',
				headers: { authorization: 'Bearer sandbox-key', 'content-type': 'application/json' },
				body: JSON.stringify({ model: 'provider-2/kling-v2.1', prompt, quality: '1080p', duration: 5, ratio: '9:16' }),
			});
			const bytes = Buffer.from(JSON.parse(await response.text()).data[0].b64_json, 'base64');
			return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
		}
		const run = await runNode({
			nodeType: new A4F(),
			credentialType: new A4FApi(),
			credentials: { apiKey: 'sandbox-key', baseUrl },
			parameters: { operation: 'generate', prompt },
		});
		if (run.error) throw run.error;
		const binary = run.items[0].binary.data;
		// The stored file is hashed as a stream, so checking it adds little to the peak.
		const hash = createHash('sha256');
		for await (const chunk of await Container.get(BinaryDataService).getAsStream(binary.id)) hash.update(chunk);
		return { bytes: run.items[0].json.fileSize, sha256: hash.digest('hex') };
	});
	cleanupBinaryData();
	process.stdout.write(JSON.stringify(result));
}

function runChild(args) {
	return new Promise((resolve, reject) => {
		const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		proc.stdout.on('data', (chunk) => (stdout += chunk));
		proc.stderr.on('data', (chunk) => (stderr += chunk));
		proc.on('error', reject);
		proc.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}

async function parent(args) {
	const naive = args.includes('--naive');
	const sizes = args.filter((a) => !a.startsWith('--')).map(parseSize);
	if (!sizes.length) sizes.push(1 * MB, 100 * MB, 300 * MB);
	const { startSandbox } = require(path.join(ROOT, 'sandbox'));
	const sandbox = await startSandbox({ jobDurationMs: 200 });
	const { videoSha256, videoSize } = require(path.join(ROOT, 'sandbox/video'));
	const runs = [];
	try {
		for (const size of sizes) {
			for (const mode of naive ? ['node', 'naive'] : ['node']) {
				// The sandbox seeds a video by its job; the hash is checked below against the job it made.
				sandbox.reset();
				// Asynchronously: the sandbox answers from this process's event loop.
				const out = await runChild(['--expose-gc', __filename, '--child', mode, String(size), sandbox.urls.a4f]);
				if (out.status !== 0) throw new Error(`${mode} ${size / MB} MB failed:\n${out.stderr}`);
				const figures = JSON.parse(out.stdout.trim().split('\n').pop());
				const [job] = [...sandbox.jobs.values()];
				const run = {
					mode,
					videoMB: size / MB,
					bytesStored: figures.bytes,
					matches: figures.sha256 === videoSha256(job.videoId, job.videoBytes) && figures.bytes === videoSize(job.videoBytes),
					rssBeforeMB: Math.round(figures.beforeMB),
					peakRssMB: Math.round(Math.max(figures.peakMB, figures.maxRssMB)),
					growthMB: Math.round(Math.max(figures.peakMB, figures.maxRssMB) - figures.beforeMB),
					seconds: Number(figures.seconds.toFixed(2)),
				};
				runs.push(run);
				console.log(
					`${mode.padEnd(5)} ${String(run.videoMB).padStart(5)} MB video: peak RSS ${run.peakRssMB} MB (${run.growthMB >= 0 ? '+' : ''}${run.growthMB} MB over ${run.rssBeforeMB} MB before), ${run.seconds} s, bytes ${run.matches ? 'match' : 'DIFFER'}`,
				);
			}
		}
	} finally {
		await sandbox.close();
	}
	console.log(JSON.stringify({ benchmark: 'a4f-memory', node: process.version, runs }, null, 1));
	if (runs.some((r) => !r.matches)) process.exitCode = 1;
}

const argv = process.argv.slice(2);
if (argv[0] === '--child')
	child(argv[1], Number(argv[2]), argv[3]).catch((error) => {
		console.error(error?.stack ?? error);
		process.exit(1);
	});
else
	parent(argv).catch((error) => {
		console.error(error?.stack ?? error);
		process.exit(1);
	});
