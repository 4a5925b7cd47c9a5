#!/usr/bin/env node
'use strict';
/**
 * `npm start`: build, start the sandbox, start real n8n (2.x by default) with this package loaded as
 * an installed community package, import a credential per node (pointing at the sandbox, or at the
 * real API when its key variable is set, e.g. MAGIC_HOUR_API_KEY) and the example workflows, set up
 * the owner account, and print the editor URL. Ctrl-C stops everything.
 *
 * Options: --n8n=<version> (default: newest pinned), --port=<n> (default 5678, or N8N_PORT),
 * --fresh (forget workflows and executions of earlier runs), --no-build.
 * --queue: n8n in queue mode instead (scripts/queue.js): Redis, Postgres, a main and 2 workers
 * (--workers=<n>, --concurrency=<n> per worker), in a temporary folder that Ctrl-C removes. Needs
 * n8n 2.x, the machine's redis-server and PostgreSQL 17 from npm (scripts/postgres.js).
 * The sandbox listens on SANDBOX_PORT (default 5680) and SANDBOX_PORT + 1 (its CDN); SANDBOX_CAPACITY=<n>
 * makes every provider refuse (HTTP 429) a submit beyond n unfinished jobs, as a plan's cap does.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, cacheRoot, DEFAULT_N8N_VERSION, NODE_VERSION } = require('./n8n');
const runtime = require('./n8n-runtime');
const { PROVIDERS } = require('./providers');

/** What main() started, so that a failure can stop it. */
const running = { n8n: undefined, sandbox: undefined, queue: undefined };

function parseArgs(argv) {
	const args = { version: DEFAULT_N8N_VERSION, port: Number(process.env.N8N_PORT || 5678), fresh: false, build: true, queue: false, workers: 2, concurrency: undefined };
	for (const arg of argv) {
		if (arg.startsWith('--n8n=')) args.version = arg.slice(6);
		else if (arg.startsWith('--port=')) args.port = Number(arg.slice(7));
		else if (arg === '--fresh') args.fresh = true;
		else if (arg === '--no-build') args.build = false;
		else if (arg === '--queue') args.queue = true;
		else if (arg.startsWith('--workers=')) args.workers = Number(arg.slice(10));
		else if (arg.startsWith('--concurrency=')) args.concurrency = Number(arg.slice(14));
		else throw new Error(`unknown option ${arg} (use --n8n=<version>, --port=<n>, --fresh, --no-build, --queue [--workers=<n>] [--concurrency=<n>])`);
	}
	return args;
}

function say(message) {
	process.stdout.write(`\x1b[36m[start]\x1b[0m ${message}\n`);
}

function build() {
	say('building the package (npm run build)');
	const result = spawnSync('npm', ['run', 'build'], { cwd: runtime.ROOT, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('npm run build failed');
	runtime.assertBuilt();
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.build) build();
	else runtime.assertBuilt();
	const install = ensureN8n(args.version);

	const { startSandbox, SANDBOX_API_KEY } = require(path.join(runtime.ROOT, 'sandbox'));
	const sandboxPort = Number(process.env.SANDBOX_PORT || 5680);
	const sandbox = (running.sandbox = await startSandbox({ apiPort: sandboxPort, cdnPort: sandboxPort + 1, jobDurationMs: Number(process.env.SANDBOX_JOB_SECONDS || 5) * 1000, capacity: process.env.SANDBOX_CAPACITY ? Number(process.env.SANDBOX_CAPACITY) : undefined }));
	say(`sandbox on ${Object.values(sandbox.urls).map((u) => new URL(u).origin).filter((o, i, all) => all.indexOf(o) === i).join(' and ')}`);
	if (args.queue) return await startQueueMode(args, install, sandbox, SANDBOX_API_KEY);

	// A user folder that survives restarts (workflows you build stay), one per n8n version.
	const userFolder = path.join(cacheRoot(), `start-n8n-${args.version}`);
	if (args.fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	runtime.installPackageInto(userFolder);

	const baseUrl = `http://localhost:${args.port}`;
	// n8n's defaults (scripts/n8n-runtime.js n8nEnv), with your own HOME as `npx n8n` has it: on n8n 2.x
	// Read/Write Files may use ~/.n8n-files only. The examples write nothing to disk.
	const env = runtime.n8nEnv({
		install,
		userFolder,
		home: os.homedir(),
		brokerPort: await runtime.freePort(),
		// Conveniences for the editor on http://localhost (no TLS): URLs n8n prints and links, and a
		// session cookie the browser keeps over plain HTTP. They change no node's behaviour.
		extra: {
			N8N_HOST: 'localhost',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
			N8N_SECURE_COOKIE: 'false',
		},
	});
	const credentials = runtime.credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY, real: true });
	const examples = runtime.exampleWorkflows();
	say(`importing ${credentials.length} credential(s) and ${examples.length} example workflow(s) into n8n ${args.version}`);
	await runtime.importIntoN8n(install, 'credentials', credentials, { env, cwd: runtime.ROOT });
	const workflows = examples.map((e) => runtime.withCredentials(e.workflow, credentials));
	if (workflows.length) await runtime.importIntoN8n(install, 'workflow', workflows, { env, cwd: runtime.ROOT });

	say(`starting n8n ${args.version} on Node ${NODE_VERSION}`);
	let stopping = false;
	const stop = async (code) => {
		if (stopping) {
			if (running.n8n) runtime.killGroup(running.n8n.child, 'SIGKILL');
			process.exit(code);
		}
		stopping = true;
		say('stopping n8n and the sandbox (Ctrl-C again to force)');
		await running.n8n?.stop();
		await sandbox.close();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	const server = (running.n8n = await runtime.startN8nServer(install, { env, cwd: runtime.ROOT, port: args.port, stdio: 'inherit' }));
	server.child.once('exit', (code, signal) => {
		if (stopping) return;
		say(`n8n exited (${code ?? signal})`);
		void sandbox.close().then(() => process.exit(code || 1));
	});
	const owner = await runtime.setupOwner(server.baseUrl, server.settings);
	const OWNER = runtime.OWNER;
	const line = '─'.repeat(72);
	process.stdout.write(
		[
			'',
			line,
			`  n8n ${args.version} is ready:  ${baseUrl}/`,
			owner === 'created' || owner === 'existing'
				? `  Sign in as ${OWNER.email} / ${OWNER.password}${owner === 'existing' ? ' (unless you changed it)' : ''}`
				: '',
			`  Nodes: ${PROVIDERS.map((p) => p.label).join(', ')} (search "video" in the nodes panel)`,
			`  Credentials: ${credentials.map((c) => c.name).join(', ')}`,
			`  Example workflows: ${examples.map((e) => e.workflow.name).join(' · ')}`,
			`  Videos: in the output panel of each example's last node (View / Download); nothing is written to disk`,
			`  Read/Write Files on n8n 2.x: only inside ${path.join(os.homedir(), '.n8n-files')} (create it first)`,
			`  Sandbox API key: ${SANDBOX_API_KEY}   (prompts can say [sandbox:fail], [sandbox:seconds=20], [sandbox:size=300MB])`,
			'  Ctrl-C stops n8n and the sandbox.',
			line,
			'',
		]
			.filter(Boolean)
			.join('\n') + '\n',
	);
}

/**
 * `npm start -- --queue`: the same sandbox, credentials and examples, in n8n's queue mode (scripts/queue.js):
 * Redis, Postgres, a main process and workers, every execution (editor runs too) on a worker. Everything
 * lives in a temporary folder; Ctrl-C stops every process and removes it.
 */
async function startQueueMode(args, install, sandbox, apiKey) {
	if (!args.version.startsWith('2.')) throw new Error(`--queue runs n8n 2.x (got --n8n=${args.version})`);
	const { startQueueStack } = require('./queue');
	const baseUrl = `http://localhost:${args.port}`;
	const credentials = runtime.credentialsFor({ urls: sandbox.urls, apiKey, real: true });
	const examples = runtime.exampleWorkflows();
	const tag = { main: '\x1b[35m[main]\x1b[0m' };
	const stack = (running.queue = await startQueueStack({
		install,
		workers: args.workers,
		workerConcurrency: args.concurrency,
		port: args.port,
		credentials,
		workflows: examples.map((e) => runtime.withCredentials(e.workflow, credentials)),
		env: { N8N_HOST: 'localhost', N8N_PROTOCOL: 'http', N8N_EDITOR_BASE_URL: `${baseUrl}/`, N8N_SECURE_COOKIE: 'false' },
		log: say,
		onLine: (name, line) => line.trim() && process.stdout.write(`${tag[name] ?? `\x1b[33m[${name}]\x1b[0m`} ${line}\n`),
	}));
	let stopping = false;
	const stop = async (code) => {
		if (stopping) process.exit(code);
		stopping = true;
		say('stopping n8n main and workers, Redis, Postgres and the sandbox (Ctrl-C again to leave now)');
		await stack.stop();
		await sandbox.close();
		say(`stopped; ${stack.root} removed`);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	for (const [name, exited] of [['main', stack.main.exited], ...stack.workers.map((w) => [w.name, w.exited])]) {
		void exited.then(({ code, signal }) => {
			if (stopping) return;
			say(`n8n ${name} exited (${code ?? signal}): stopping everything`);
			void stop(code || 1);
		});
	}
	const line = '─'.repeat(72);
	const { OWNER } = runtime;
	process.stdout.write(
		[
			'',
			line,
			`  n8n ${args.version} in queue mode is ready:  ${baseUrl}/`,
			`  Sign in as ${OWNER.email} / ${OWNER.password}`,
			`  main       pid ${stack.main.pid}, port ${stack.main.port} (editor, REST API, webhooks: ${baseUrl}/webhook/<path>)`,
			...stack.workers.map((w) => `  ${w.name.padEnd(10)} pid ${w.pid}, concurrency ${w.concurrency}, health ${w.healthUrl}/readiness`),
			`  Redis      127.0.0.1:${stack.redis.port} (nothing saved to disk)`,
			`  Postgres   ${stack.postgres.version}, 127.0.0.1:${stack.postgres.port}, database ${stack.postgres.database}, user ${stack.postgres.user} (runs as ${stack.postgres.runAs})`,
			`  Data       ${stack.root} (main/, worker-N/, redis/, postgres/data): removed on Ctrl-C`,
			`  Every execution runs on a worker (editor runs too); binary data in Postgres (n8n's queue-mode default)`,
			`  Credentials: ${credentials.map((c) => c.name).join(', ')}`,
			`  Example workflows: ${examples.length}; each video is in the output panel of the example's last node (binary data in Postgres)`,
			`  Sandbox API key: ${apiKey}   (prompts can say [sandbox:seconds=20], [sandbox:fail])`,
			'  Ctrl-C stops every process above and the sandbox.',
			line,
			'',
		].join('\n') + '\n',
	);
}

main().catch(async (error) => {
	process.stderr.write(`\x1b[31m[start] ${error.message}\x1b[0m\n`);
	await running.queue?.stop();
	await running.n8n?.stop();
	await running.sandbox?.close();
	process.exit(1);
});
