#!/usr/bin/env node
'use strict';
// 4. Overhead: CPU time per job of the node's own work, i.e. what runs in the n8n process for a job
// (our engine and provider code, and the n8n-core helpers it calls: HTTP requests and the binary
// store). The node runs in n8n-core's real ExecuteContext (test/helpers/n8n.ts) in this process; the
// sandbox runs in a child process so that its CPU is not counted. Warm-up runs come first.
//
//   node bench/overhead.js [runs] [itemsPerRun]     prints one JSON line
const { fork } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const JOB_SECONDS = 1;

async function sandboxChild() {
	const { startSandbox } = require(path.join(ROOT, 'sandbox'));
	const sandbox = await startSandbox({});
	process.on('message', (message) => {
		if (message === 'reset') sandbox.reset();
		if (message === 'count') process.send({ requests: sandbox.requests.length, jobs: sandbox.jobs.size });
		if (message === 'close') sandbox.close().then(() => process.exit(0));
	});
	process.send({ urls: sandbox.urls, apiKey: sandbox.apiKey });
}

function startSandboxChild() {
	const child = fork(__filename, ['--sandbox'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const next = () => new Promise((resolve) => child.once('message', resolve));
	return {
		ready: next(),
		async ask(message) {
			const answer = next();
			child.send(message);
			return await answer;
		},
		reset: () => child.send('reset'),
		close: () => child.send('close'),
	};
}

async function main(runs, itemsPerRun) {
	require('./ts').registerTypeScript();
	const { runNode, cleanupBinaryData } = require(path.join(ROOT, 'test/helpers/n8n.ts'));
	const sandbox = startSandboxChild();
	const { urls, apiKey } = await sandbox.ready;
	const options = { pollInterval: 0.1, concurrency: itemsPerRun };
	const prompt = `a red fox in the snow [sandbox:seconds=${JOB_SECONDS}]`;
	const subjects = [
		{
			name: 'magicHour',
			node: require(path.join(ROOT, 'nodes/MagicHour/MagicHour.node.ts')).MagicHour,
			credential: require(path.join(ROOT, 'credentials/MagicHourApi.credentials.ts')).MagicHourApi,
			baseUrl: urls.magicHour,
			parameters: { operation: 'generate', prompt, options },
		},
		{
			name: 'videoGeneration',
			node: require(path.join(ROOT, 'nodes/VideoGeneration/VideoGeneration.node.ts')).VideoGeneration,
			credential: require(path.join(ROOT, 'credentials/VideoGenerationApi.credentials.ts')).VideoGenerationApi,
			baseUrl: urls.videoGeneration,
			parameters: { operation: 'generate', apiStyle: 'videos', model: { __rl: true, mode: 'id', value: 'sora-2' }, duration: 4, prompt, options },
		},
	];
	const results = [];
	try {
		for (const subject of subjects) {
			const runOnce = async () => {
				const result = await runNode({
					nodeType: new subject.node(),
					credentialType: new subject.credential(),
					credentials: { apiKey, baseUrl: subject.baseUrl },
					parameters: subject.parameters,
					items: Array.from({ length: itemsPerRun }, (_, i) => ({ i })),
				});
				if (result.error) throw result.error;
				if (result.items.length !== itemsPerRun) throw new Error(`${subject.name}: ${result.items.length} items, expected ${itemsPerRun}`);
			};
			for (let i = 0; i < 2; i++) await runOnce();
			sandbox.reset();
			const cpuBefore = process.cpuUsage();
			const started = Date.now();
			for (let i = 0; i < runs; i++) await runOnce();
			const cpu = process.cpuUsage(cpuBefore);
			const wallMs = Date.now() - started;
			const { requests, jobs } = await sandbox.ask('count');
			const cpuMs = (cpu.user + cpu.system) / 1000;
			results.push({ name: subject.name, jobs, requests, cpuMs, wallMs, cpuMsPerJob: cpuMs / jobs, cpuMsPerRequest: cpuMs / requests, requestsPerJob: requests / jobs });
		}
	} finally {
		sandbox.close();
		cleanupBinaryData();
	}
	process.stdout.write(`${JSON.stringify({ node: process.version, jobSeconds: JOB_SECONDS, pollInterval: options.pollInterval, itemsPerRun, runs, subjects: results })}\n`);
}

if (process.argv[2] === '--sandbox') sandboxChild();
else
	main(Number(process.argv[2] ?? 10), Number(process.argv[3] ?? 10)).then(
		() => process.exit(0),
		(error) => {
			console.error(error?.stack ?? error);
			process.exit(1);
		},
	);
