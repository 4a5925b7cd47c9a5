'use strict';
/**
 * A local npm registry (verdaccio 6, pinned in ./package.json and ./package-lock.json) for the
 * end-to-end test that installs this package into real n8n the way a user does
 * (test/e2e/registryInstall.e2e.test.ts).
 *
 * - ensureVerdaccio(): installs verdaccio into tools/registry/node_modules with `npm ci --ignore-scripts`
 *   when it is missing or stale (the marker `.installed.json` records a hash of package.json and
 *   package-lock.json; it is written only after the install is checked), otherwise does nothing.
 * - startVerdaccio(): a verdaccio on 127.0.0.1 (a free port) with storage in a folder of the caller's,
 *   NO uplinks (a package that is not published to it is a 404, never fetched from elsewhere), and
 *   publishing allowed for the named packages only. Runs on Node 24 (verdaccio 6 needs Node >= 22).
 * - addUser(), publish(): a throwaway user (verdaccio's `npm adduser` endpoint gives a token) and
 *   `npm publish <tarball>` with that token in a temporary .npmrc.
 *
 * Plain CommonJS, no dependencies: runs on the machine's Node 20 (it only starts verdaccio on Node 24).
 */
const { spawn, spawnSync } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const setup = require('../../scripts/n8n.js');
const runtime = require('../../scripts/n8n-runtime.js');

const REGISTRY_DIR = __dirname;
const MARKER = path.join(REGISTRY_DIR, '.installed.json');
const VERDACCIO_PACKAGE = path.join(REGISTRY_DIR, 'node_modules', 'verdaccio', 'package.json');
const VERDACCIO_BIN = path.join(REGISTRY_DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio');

function log(message) {
	process.stderr.write(`[registry] ${message}\n`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The verdaccio version package.json pins (an exact version). */
function pinnedVersion() {
	const manifest = JSON.parse(fs.readFileSync(path.join(REGISTRY_DIR, 'package.json'), 'utf8'));
	const version = manifest.dependencies?.verdaccio;
	if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) throw new Error(`tools/registry/package.json must pin verdaccio to an exact version, not ${version}`);
	return version;
}

/** What the install must match: package.json and package-lock.json as they are now. */
function lockHash() {
	const hash = createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		const full = path.join(REGISTRY_DIR, file);
		if (!fs.existsSync(full)) throw new Error(`${full} is missing: tools/registry is committed with its package-lock.json`);
		hash.update(fs.readFileSync(full));
	}
	return hash.digest('hex');
}

/** Why the installed verdaccio cannot be used as it is, or undefined when it can. */
function installProblem() {
	let marker;
	try {
		marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
	} catch {
		return fs.existsSync(path.join(REGISTRY_DIR, 'node_modules')) ? 'an earlier install did not finish' : 'not installed yet';
	}
	if (marker.lockHash !== lockHash()) return 'package.json or package-lock.json changed since it was installed';
	try {
		const installed = JSON.parse(fs.readFileSync(VERDACCIO_PACKAGE, 'utf8')).version;
		if (installed !== pinnedVersion()) return `node_modules holds verdaccio ${installed}, not ${pinnedVersion()}`;
	} catch {
		return 'node_modules/verdaccio is missing';
	}
	return fs.existsSync(VERDACCIO_BIN) ? undefined : `${VERDACCIO_BIN} is missing`;
}

/** One installer at a time (jest workers, parallel runs): scripts/n8n.js's lock, `.install.lock` here. */
function withLock(fn) {
	return setup.withLock(path.join(REGISTRY_DIR, '.install'), fn);
}

/**
 * verdaccio, installed from the committed lockfile (or found installed). Returns
 * { bin, version, nodeBin, installed } where `installed` says whether this call installed it.
 * Throws with npm's output when the install fails.
 */
function ensureVerdaccio() {
	const node = setup.ensureNode24();
	const result = (installed) => ({ bin: VERDACCIO_BIN, version: pinnedVersion(), nodeBin: node.nodeBin, installed });
	if (!installProblem()) return result(false);
	return withLock(() => {
		const why = installProblem();
		if (!why) return result(false);
		const startedAt = Date.now();
		log(`installing verdaccio ${pinnedVersion()} into ${path.join(REGISTRY_DIR, 'node_modules')} (${why}): npm ci --ignore-scripts`);
		fs.rmSync(MARKER, { force: true });
		// cleanNpmEnv: nothing of an outer `npm test` run (its ignore-scripts, prefix, ...) leaks in. Node 24
		// first on PATH so npm checks verdaccio's engines against the Node it runs on. --ignore-scripts:
		// verdaccio needs no install script, and none runs.
		const env = {
			...setup.cleanNpmEnv(),
			PATH: `${path.dirname(node.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
			npm_config_update_notifier: 'false',
		};
		const npm = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: REGISTRY_DIR,
			env,
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		});
		if (npm.error) throw new Error(`npm ci in ${REGISTRY_DIR} could not run: ${npm.error.message}`);
		if (npm.status !== 0) {
			throw new Error(`npm ci in ${REGISTRY_DIR} exited with ${npm.status ?? npm.signal}:\n${`${npm.stdout}\n${npm.stderr}`.slice(-4000)}`);
		}
		const version = spawnSync(node.nodeBin, [VERDACCIO_BIN, '--version'], { encoding: 'utf8', env: { PATH: env.PATH, HOME: process.env.HOME ?? '' } });
		if (version.status !== 0 || !version.stdout.includes(pinnedVersion())) {
			throw new Error(`verdaccio --version printed "${(version.stdout + version.stderr).trim()}", expected ${pinnedVersion()}`);
		}
		fs.writeFileSync(MARKER, JSON.stringify({ verdaccio: pinnedVersion(), lockHash: lockHash(), installedAt: new Date().toISOString() }, null, 2));
		log(`verdaccio ${pinnedVersion()} installed in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`);
		return result(true);
	});
}

/** verdaccio's config: YAML written as JSON (valid YAML), so nothing needs quoting by hand. */
function verdaccioConfig({ dir, port, publishable }) {
	const packages = {};
	for (const name of publishable) packages[name] = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };
	// Everything else: readable but not publishable, and with no `proxy` key, so never fetched from an
	// uplink (there are none): any package not published here is a 404.
	packages['**'] = { access: '$all', publish: 'nobody-may-publish', unpublish: 'nobody-may-publish' };
	return {
		storage: path.join(dir, 'storage'),
		auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 10 } },
		uplinks: {},
		packages,
		web: { enable: false },
		listen: `127.0.0.1:${port}`,
		// One line per HTTP request (level http), as JSON: the test reads which packages were asked for.
		log: { type: 'stdout', format: 'json', level: 'http' },
		publish: { allow_offline: true },
	};
}

/**
 * Starts verdaccio in `dir` (its config, storage and user file go there), on 127.0.0.1 and a free port.
 * `publishable`: the package names that may be published. Resolves once it answers /-/ping with
 * { url, port, pid, output(), requests(), stop() }; `requests()` lists the HTTP requests it logged,
 * each { method, url, status, bytesOut } (verdaccio 6.10 logs each request twice, the first time
 * early, with status 200 and 0 bytes out whatever the answer: look at the entries with bytes). Rejects with its output when it exits or does not answer in time.
 */
async function startVerdaccio({ dir, publishable, readyTimeoutMs = 60_000 }) {
	const { bin, nodeBin } = ensureVerdaccio();
	fs.mkdirSync(dir, { recursive: true });
	const port = await runtime.freePort();
	const configFile = path.join(dir, 'config.yaml');
	fs.writeFileSync(configFile, JSON.stringify(verdaccioConfig({ dir, port, publishable }), null, 2));
	const url = `http://127.0.0.1:${port}`;
	// A small environment of its own: no proxy settings, no npm_config_* of the caller.
	const env = { PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`, HOME: dir, NODE_ENV: 'production' };
	const child = spawn(nodeBin, [bin, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
		cwd: dir,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	const collect = (chunk) => (output = (output + chunk).slice(-2_000_000));
	child.stdout.setEncoding('utf8').on('data', collect);
	child.stderr.setEncoding('utf8').on('data', collect);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	let spawnError;
	child.once('error', (error) => (spawnError = error));
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		runtime.killGroup(child, 'SIGTERM');
		const timer = setTimeout(() => runtime.killGroup(child, 'SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	};
	const requests = () =>
		output
			.split('\n')
			.filter((line) => line.startsWith('{'))
			.map((line) => {
				try {
					return JSON.parse(line);
				} catch {
					return undefined;
				}
			})
			.filter((entry) => entry?.request?.method && entry?.request?.url)
			.map((entry) => ({ method: entry.request.method, url: entry.request.url, status: entry.status, bytesOut: entry.bytes?.out ?? 0 }));
	const deadline = Date.now() + readyTimeoutMs;
	for (;;) {
		if (spawnError) throw new Error(`verdaccio could not be started with ${nodeBin}: ${spawnError.message}`);
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`verdaccio exited (${child.exitCode ?? child.signalCode}) before it answered:\n${output.slice(-4000)}`);
		}
		try {
			const response = await fetch(`${url}/-/ping`);
			if (response.ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`verdaccio did not answer ${url}/-/ping within ${readyTimeoutMs / 1000} s:\n${output.slice(-4000)}`);
		}
		await sleep(200);
	}
	return { url, port, pid: child.pid, output: () => output, requests, stop };
}

/** Creates a throwaway user (what `npm adduser` does) and returns its token. */
async function addUser(url, name = `e2e-${randomBytes(4).toString('hex')}`) {
	const password = randomBytes(12).toString('hex');
	const response = await fetch(`${url}/-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [], date: new Date().toISOString() }),
	});
	const body = await response.json().catch(() => ({}));
	if (!response.ok || typeof body.token !== 'string') throw new Error(`verdaccio refused the user ${name}: HTTP ${response.status} ${JSON.stringify(body)}`);
	return body.token;
}

/**
 * `npm publish <tarball>` to `url` as the user of `token`, from `workDir` with a .npmrc of its own
 * there (no user or project npmrc involved). Throws with npm's output when it fails.
 */
function publish({ tarball, url, token, workDir }) {
	fs.mkdirSync(workDir, { recursive: true });
	const npmrc = path.join(workDir, '.npmrc');
	const host = new URL(url).host;
	fs.writeFileSync(npmrc, `registry=${url}/\n//${host}/:_authToken=${token}\n`, { mode: 0o600 });
	const result = spawnSync('npm', ['publish', tarball, `--registry=${url}/`, `--userconfig=${npmrc}`, '--loglevel=warn'], {
		cwd: workDir,
		env: { ...setup.cleanNpmEnv(), npm_config_update_notifier: 'false', npm_config_cache: path.join(workDir, 'npm-cache') },
		encoding: 'utf8',
	});
	if (result.error) throw new Error(`npm publish could not run: ${result.error.message}`);
	if (result.status !== 0) throw new Error(`npm publish ${tarball} to ${url} exited with ${result.status ?? result.signal}:\n${`${result.stdout}\n${result.stderr}`.slice(-4000)}`);
	return `${result.stdout}${result.stderr}`;
}

module.exports = { REGISTRY_DIR, ensureVerdaccio, installProblem, startVerdaccio, addUser, publish };
