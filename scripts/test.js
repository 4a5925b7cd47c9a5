#!/usr/bin/env node
'use strict';
/**
 * `npm test`: everything, in order, each step failing the run with its reason.
 *
 *   0. preflight (scripts/preflight.js): Chromium, redis-server and PostgreSQL 17 for the real-n8n
 *      suites, found or installed in the first seconds; when one is missing and cannot be installed, the
 *      run fails here, within its first minute, naming the one command to run
 *   1. build (`npm run build`)
 *   2. n8n's verification scanner on the source and on the packed tarball (scripts/scanner.js)
 *   3. jest: unit and integration tests (the sandbox over real HTTP), 4 workers (`npm run test:fast`)
 *   4. Node 24 and every n8n version of the real-n8n suite, installed or found in the cache
 *      (scripts/n8n.js; a cold install takes minutes and prints progress). A version that cannot be
 *      installed fails the run here, naming the reason: the real-n8n suite never skips by itself.
 *   5. jest: the real-n8n projects (extra arguments go to both jest runs)
 *
 * `N8N_E2E_SKIP=1` is the only way to leave the real-n8n suite out; the last lines then say that it
 * did not run. `N8N_E2E_VERSIONS=2.41.1` narrows the n8n versions.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, N8N_VERSIONS, cacheRoot } = require('./n8n');
const { scan } = require('./scanner');
const preflight = require('./preflight');

const ROOT = path.join(__dirname, '..');
/** jest projects that need real n8n (jest.config.js). */
const E2E_PROJECTS = ['e2e', 'queue', 'editor'];
const startedAt = Date.now();
const steps = [];

function elapsed(since) {
	const s = Math.round((Date.now() - since) / 1000);
	return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

function banner(lines, color) {
	const width = Math.min(100, Math.max(...lines.map((l) => l.length)) + 4);
	const bar = '='.repeat(width);
	process.stdout.write(`\n\x1b[${color}m${bar}\n${lines.map((l) => `  ${l}`).join('\n')}\n${bar}\x1b[0m\n`);
}

function step(name, fn) {
	const since = Date.now();
	process.stdout.write(`\n\x1b[36m[test] ${name}\x1b[0m\n`);
	let ok;
	let reason;
	try {
		ok = fn();
	} catch (error) {
		ok = false;
		reason = error.message;
	}
	steps.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${elapsed(since)})`);
	if (!ok) finish(1, reason ? `${name}: ${reason}` : `${name} failed`);
}

function finish(code, failure) {
	const skipped = e2eSkipped();
	const lines = [...steps, `total ${elapsed(startedAt)}`];
	if (failure) {
		// The first line says what failed; npm's own verdict (e.g. "No matching version found") says why.
		const why = failure.split('\n').find((line) => /^npm error (?!code\b)/.test(line));
		lines.push('', `npm test FAILED: ${failure.split('\n')[0]}`);
		if (why) lines.push(`  ${why}`);
		// The preflight names the one command that fixes it: repeated where the eye lands.
		const fix = failure.split('\n').find((line) => line.startsWith('Run:'));
		if (fix) lines.push(`  ${fix}`);
	}
	if (skipped) {
		lines.push('', `THE END-TO-END SUITE DID NOT RUN: N8N_E2E_SKIP=${process.env.N8N_E2E_SKIP} was set.`);
		lines.push('No test in real n8n ran; unset N8N_E2E_SKIP to run them.');
	}
	if (failure && failure.includes('\n')) process.stdout.write(`\n${failure}\n`);
	banner(lines, code ? '31' : skipped ? '33' : '32');
	process.stdout.write(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
	process.exit(code);
}

function e2eSkipped() {
	return Boolean(process.env.N8N_E2E_SKIP && process.env.N8N_E2E_SKIP !== '0');
}

function versions() {
	const wanted = process.env.N8N_E2E_VERSIONS?.split(',').map((v) => v.trim()).filter(Boolean);
	return wanted?.length ? wanted : N8N_VERSIONS;
}

function npmRun(script) {
	return spawnSync('npm', ['run', script], { cwd: ROOT, stdio: 'inherit' }).status === 0;
}

/** Tests counted over every jest run, for the closing line. */
const counts = { passed: 0, failed: 0, skipped: 0 };

/**
 * Jest workers for the sandbox projects: their files are independent (each starts its own sandbox on
 * free ports) and mostly wait on timers, so 4 share even 2 cores well (`npm run test:fast`). The
 * real-n8n projects run in band: each n8n they start takes a core and ports of its own.
 */
const SANDBOX_WORKERS = '--maxWorkers=4';

function jest(args, workers = '--runInBand') {
	const bin = require.resolve('jest/bin/jest');
	const report = path.join(os.tmpdir(), `ttv-jest-${process.pid}-${Date.now()}.json`);
	const ok = spawnSync(process.execPath, [bin, workers, '--json', `--outputFile=${report}`, ...args, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' }).status === 0;
	try {
		const result = JSON.parse(fs.readFileSync(report, 'utf8'));
		counts.passed += result.numPassedTests;
		counts.failed += result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
		counts.skipped += result.numPendingTests + result.numTodoTests;
		fs.rmSync(report, { force: true });
	} catch {
		/* jest did not get to write it: its own output says why */
	}
	return ok;
}

// Sets EDITOR_CHROMIUM, REDIS_SERVER and POSTGRES_BIN_DIR for the jest runs below to what it found.
step('preflight: programs the real-n8n suites need', () => (preflight.run(process.env), true));
step('build', () => npmRun('build'));
step('n8n verification scanner (source and tarball)', () => scan());
step('jest: unit and integration (sandbox over HTTP)', () => jest(['--selectProjects', 'unit', 'integration'], SANDBOX_WORKERS));
if (!e2eSkipped()) {
	for (const version of versions()) {
		step(`n8n ${version} on Node 24 (cache: ${cacheRoot()})`, () => {
			const install = ensureN8n(version);
			process.stdout.write(`[test] n8n ${version}: ${install.cached ? 'found in the cache' : `installed in ${install.durationSeconds} s`}\n`);
			return true;
		});
	}
	step(`jest: end to end in real n8n ${versions().join(' and ')}`, () => jest(['--selectProjects', ...E2E_PROJECTS]));
}
finish(0);
