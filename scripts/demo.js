#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: headless. Runs the example workflow examples/magic-hour-text-to-video.json in real
 * n8n (2.x by default) with this package loaded, against the sandbox, or against the real Magic Hour
 * API when MAGIC_HOUR_API_KEY is set (that spends credits). The example ends with the video as the
 * node's binary output; the demo adds the storage step a user would add on a stock n8n: Read/Write
 * Files writing into `~/.n8n-files` (the only folder n8n 2.x allows by default; HOME is the demo's
 * throwaway folder), then copies the video to ./output/ and prints where it went.
 *
 * Options: --prompt "<text>", --n8n=<version>, --no-build.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, DEFAULT_N8N_VERSION, NODE_VERSION } = require('./n8n');
const runtime = require('./n8n-runtime');
const { provider } = require('./providers');

const EXAMPLE = 'magic-hour-text-to-video.json';
/** The provider the example runs (its real-key variable and name come from the registry). */
const PROVIDER = provider('magicHour');
const KEY_ENV = PROVIDER.credential.keyEnv;

function parseArgs(argv) {
	const args = { version: DEFAULT_N8N_VERSION, build: true, prompt: undefined };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg.startsWith('--n8n=')) args.version = arg.slice(6);
		else if (arg === '--no-build') args.build = false;
		else if (arg === '--prompt') args.prompt = argv[++i];
		else if (arg.startsWith('--prompt=')) args.prompt = arg.slice(9);
		else throw new Error(`unknown option ${arg} (use --prompt "<text>", --n8n=<version>, --no-build)`);
	}
	return args;
}

function say(message) {
	process.stdout.write(`\x1b[36m[demo]\x1b[0m ${message}\n`);
}

function formatBytes(bytes) {
	return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.build) {
		say('building the package (npm run build)');
		if (spawnSync('npm', ['run', 'build'], { cwd: runtime.ROOT, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
	}
	runtime.assertBuilt();
	const install = ensureN8n(args.version);

	const example = runtime.exampleWorkflows().find((e) => e.file === EXAMPLE);
	if (!example) throw new Error(`examples/${EXAMPLE} is missing`);
	const workflow = example.workflow;
	const promptNode = workflow.nodes.find((node) => node.name === 'Prompt');
	const promptField = promptNode?.parameters?.assignments?.assignments?.find((a) => a.name === 'prompt');
	if (args.prompt !== undefined) {
		if (!promptField) throw new Error(`examples/${EXAMPLE} has no "Prompt" node whose prompt --prompt could replace`);
		promptField.value = args.prompt;
	}

	const real = Boolean(process.env[KEY_ENV]);
	let sandbox;
	if (!real) {
		const { startSandbox } = require(path.join(runtime.ROOT, 'sandbox'));
		sandbox = await startSandbox({ jobDurationMs: 4000 });
	}
	const { SANDBOX_API_KEY } = require(path.join(runtime.ROOT, 'sandbox'));
	const credentials = runtime.credentialsFor({ urls: sandbox?.urls, apiKey: SANDBOX_API_KEY, real });
	const target = real ? `the real ${PROVIDER.label} API (${KEY_ENV} is set: this spends credits)` : `the local sandbox (set ${KEY_ENV} for real videos)`;

	// A throwaway n8n user folder that is also n8n's HOME, so `~/.n8n-files` is inside it.
	const userFolder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-demo-')));
	fs.mkdirSync(path.join(userFolder, runtime.N8N_FILES));
	const outputDir = path.join(runtime.ROOT, 'output');
	fs.mkdirSync(outputDir, { recursive: true });
	// The storage step, after the node that holds the video (the example's last node).
	const resultNode = workflow.nodes.find((node) => node.type.startsWith('n8n-nodes-text-to-video.'));
	const saveNode = {
		id: 'demo-save',
		name: 'Save video',
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [resultNode.position[0] + 240, resultNode.position[1]],
		// Relative to n8n's working directory, which is its HOME here (as in n8n's Docker image).
		parameters: { operation: 'write', fileName: `=${runtime.N8N_FILES}/magic-hour-{{ $json.fileName }}`, dataPropertyName: 'data', options: {} },
	};
	workflow.nodes.push(saveNode);
	workflow.connections[resultNode.name] = { main: [[{ node: saveNode.name, type: 'main', index: 0 }]] };
	try {
		runtime.installPackageInto(userFolder);
		const env = runtime.n8nEnv({ install, userFolder, brokerPort: await runtime.freePort() });
		say(`n8n ${args.version} on Node ${NODE_VERSION}; video from ${target}`);
		say(`prompt: "${promptField?.value ?? '(from the workflow)'}"`);
		await runtime.importIntoN8n(install, 'credentials', credentials, { env, cwd: userFolder });
		await runtime.importIntoN8n(install, 'workflow', [runtime.withCredentials(workflow, credentials)], { env, cwd: userFolder });

		say(`running workflow "${workflow.name}"`);
		const startedAt = Date.now();
		// Progress: n8n prints nothing per node at the log level whose output can be parsed, so show the
		// clock and, with the sandbox, the job's state as the API reports it.
		const ticker = setInterval(() => {
			const job = sandbox && [...sandbox.jobs.values()].at(-1);
			const state = sandbox ? (job ? `job ${job.id} is ${sandbox.jobState(job)}` : 'n8n is starting') : `waiting for ${PROVIDER.label}`;
			say(`${String(Math.round((Date.now() - startedAt) / 1000)).padStart(4)} s  ${state}`);
		}, 2000);
		let result;
		try {
			result = await runtime.runN8n(install, ['execute', `--id=${workflow.id}`, '--rawOutput'], { env, cwd: userFolder, timeoutMs: 30 * 60 * 1000 });
		} finally {
			clearInterval(ticker);
		}
		const run = runtime.parseRunOutput(result.stdout);
		if (!run || run.status !== 'success') {
			const error = run?.data?.resultData?.error;
			throw new Error(
				error
					? `the workflow failed: ${error.message}${error.description ? `\n${error.description}` : ''}`
					: `n8n exited ${result.code ?? result.signal} without a run:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
			);
		}
		const items = run.data.resultData.runData[saveNode.name]?.[0]?.data?.main?.[0] ?? [];
		say(`done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
		for (const item of items) {
			const file = path.join(outputDir, path.basename(item.json.fileName));
			fs.copyFileSync(path.resolve(userFolder, item.json.fileName), file);
			const facts = [`job ${item.json.jobId}`, item.json.model && `model ${item.json.model}`, item.json.credits !== undefined && `${item.json.credits} credits`]
				.filter(Boolean)
				.join(', ');
			process.stdout.write(`\n  Video written to ${file}\n  ${formatBytes(fs.statSync(file).size)}, ${facts}\n\n`);
		}
	} finally {
		await sandbox?.close();
		if (!process.env.N8N_DEMO_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`\x1b[31m[demo] ${error.message}\x1b[0m\n`);
	process.exit(1);
});
