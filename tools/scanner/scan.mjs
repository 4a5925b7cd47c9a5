#!/usr/bin/env node
/**
 * n8n's verification scanner, run on this package as n8n runs it, minus the steps that need the
 * public registry and GitHub (provenance, download): `analyzePackage` from @n8n/scan-community-package
 * over
 *   1. the source: package.json and {nodes,credentials}/**\/*.{js,ts,json} (its SOURCE_FILE_PATTERNS),
 *   2. the tarball: `npm pack`, unpacked, its .js files and package.json.
 * Same rules, same parser, nothing switched off here. Exit 1 on any error, with ESLint's report.
 *
 * Usage: node tools/scanner/scan.mjs [--source-only] (from anywhere; it finds the package root).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const scannerVersion = require('@n8n/scan-community-package/package.json').version;
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');

function say(message) {
	process.stdout.write(`[scanner] ${message}\n`);
}

/** The npm we start ourselves must not inherit `npm test`'s configuration (see scripts/n8n.js). */
const { cleanNpmEnv } = require(path.join(root, 'scripts', 'n8n.js'));

function packTarball() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ttv-scan-'));
	const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
		cwd: root,
		env: cleanNpmEnv(),
		encoding: 'utf8',
	});
	if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
	const [{ filename, files }] = JSON.parse(packed.stdout);
	const unpacked = path.join(dir, 'package');
	const tar = spawnSync('tar', ['-xzf', path.join(dir, path.basename(filename)), '-C', dir], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
	return { dir, unpacked, fileCount: files.length };
}

function count(details) {
	const match = /(\d+) problems? \((\d+) errors?, (\d+) warnings?\)/.exec(details ?? '');
	return match ? { errors: Number(match[2]), warnings: Number(match[3]) } : { errors: 0, warnings: 0 };
}

async function leg(name, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	const { errors, warnings } = count(result.details);
	if (result.passed) {
		say(`${name}: 0 errors${warnings ? `, ${warnings} warnings` : ''} (${patterns.join(' ')})`);
	} else {
		say(`${name}: FAILED, ${result.message}${errors ? ` (${errors} errors)` : ''}`);
		if (result.details) process.stdout.write(`${result.details}\n`);
	}
	return result.passed;
}

const sourceOnly = process.argv.includes('--source-only');
if (!fs.existsSync(path.join(root, 'dist')) && !sourceOnly) {
	say('dist/ is missing: run `npm run build` first (the tarball leg scans the built package)');
	process.exit(1);
}
say(`@n8n/scan-community-package ${scannerVersion}`);
let passed = await leg('source leg', root, SOURCE_FILE_PATTERNS);
if (!sourceOnly) {
	const tarball = packTarball();
	try {
		say(`tarball: ${tarball.fileCount} files`);
		passed = (await leg('tarball leg', tarball.unpacked, ['**/*.js', 'package.json'])) && passed;
	} finally {
		fs.rmSync(tarball.dir, { recursive: true, force: true });
	}
}
process.exit(passed ? 0 : 1);
