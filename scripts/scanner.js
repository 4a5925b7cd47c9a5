#!/usr/bin/env node
'use strict';
/**
 * n8n's verification scanner (@n8n/scan-community-package), as `npm run lint` and `npm test` run it.
 *
 * The scanner lives in tools/scanner with its own package.json and lock file, because it needs an
 * `overrides` field (typescript 5.9: the 7.0 it pins cannot be loaded by its TypeScript parser) and
 * the scanner's own `no-overrides-field` rule forbids that field in the package's package.json.
 * It is installed here on first use (`npm ci`), and again whenever its lock file changes.
 *
 * Usage: node scripts/scanner.js [--source-only]
 */
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { cleanNpmEnv } = require('./n8n');

const TOOLS = path.join(__dirname, '..', 'tools', 'scanner');
const MARKER = path.join(TOOLS, 'node_modules', '.installed-lock-sha256');

function ensureScanner() {
	const lock = fs.readFileSync(path.join(TOOLS, 'package-lock.json'));
	const hash = crypto.createHash('sha256').update(lock).digest('hex');
	if (fs.existsSync(MARKER) && fs.readFileSync(MARKER, 'utf8') === hash) return;
	process.stderr.write('[scanner] installing @n8n/scan-community-package into tools/scanner (npm ci, about 30 s)\n');
	// --ignore-scripts: nothing there needs a build step; cleanNpmEnv: no config leaks in from `npm test`.
	const result = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: TOOLS,
		env: cleanNpmEnv(),
		stdio: ['ignore', process.stderr, process.stderr],
	});
	if (result.status !== 0) throw new Error(`npm ci in tools/scanner failed (exit ${result.status ?? result.signal})`);
	fs.writeFileSync(MARKER, hash);
}

function scan(args = []) {
	ensureScanner();
	const result = spawnSync(process.execPath, [path.join(TOOLS, 'scan.mjs'), ...args], { stdio: 'inherit' });
	return result.status === 0;
}

module.exports = { ensureScanner, scan };

if (require.main === module) {
	try {
		process.exit(scan(process.argv.slice(2)) ? 0 : 1);
	} catch (error) {
		process.stderr.write(`[scanner] ${error.message}\n`);
		process.exit(1);
	}
}
