#!/usr/bin/env node
'use strict';
/**
 * Refreshes a provider's pinned spec (specs/<provider>/) from a clone of the provider's own repository:
 *
 *   git clone https://github.com/magichourhq/docs /tmp/magichour-docs
 *   node scripts/refresh-specs.js magic-hour /tmp/magichour-docs
 *
 * (`--out <dir>` writes elsewhere than specs/<provider>/, e.g. to compare before replacing.)
 *
 * The clone may be a working tree or a bare repository (then HEAD's file is read). The pinned copy
 * records the repository, commit and commit date; specs/<provider>/SOURCE.md says the same for people.
 * Then `npx jest test/unit/specs.magicHour.test.ts` names every model and field where the node's
 * capability table no longer matches.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const SPECS = {
	'magic-hour': { module: './specs/magic-hour.js', repository: 'https://github.com/magichourhq/docs' },
};

function git(clone, ...args) {
	return execFileSync('git', ['-C', clone, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The file at HEAD: from the working tree when there is one, else from git (a bare or mirror clone). */
function readSpec(clone, file) {
	const onDisk = path.join(clone, file);
	if (fs.existsSync(onDisk)) return fs.readFileSync(onDisk, 'utf8');
	return git(clone, 'show', `HEAD:${file}`);
}

function main(args) {
	const outAt = args.indexOf('--out');
	const outDir = outAt >= 0 ? path.resolve(args[outAt + 1]) : undefined;
	const [provider, clone] = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;
	const entry = SPECS[provider];
	if (!entry || !clone) {
		console.error(`usage: node scripts/refresh-specs.js <${Object.keys(SPECS).join('|')}> <path-to-clone> [--out <dir>]`);
		process.exit(2);
	}
	const spec = require(entry.module);
	const commit = git(clone, 'rev-parse', 'HEAD');
	const date = git(clone, 'log', '-1', '--format=%cI', 'HEAD');
	const source = { repository: entry.repository, path: spec.SPEC_PATH, commit, date };
	const pinned = spec.pin(JSON.parse(readSpec(clone, spec.SPEC_PATH)), source);
	const target = outDir ? path.join(outDir, path.basename(spec.PINNED)) : spec.PINNED;
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.writeFileSync(target, `${JSON.stringify(pinned, null, '\t')}\n`);
	const models = spec.matrix(pinned);
	fs.writeFileSync(
		path.join(path.dirname(target), 'SOURCE.md'),
		[
			`# ${pinned.info.title}: pinned spec`,
			'',
			`- repository: ${source.repository}`,
			`- file: \`${source.path}\``,
			`- commit: \`${commit}\``,
			`- commit date: ${date}`,
			'',
			'`openapi.json` here holds the operations this package calls, copied whole from that file',
			'(code samples dropped), with the same source in `info.x-source`. Refresh it with',
			`\`node scripts/refresh-specs.js ${provider} <path-to-clone>\` (CONTRIBUTING.md, "Provider specs").`,
			'',
			`Models in the \`model\` enum: ${models.models.join(', ')}.`,
			`Documented (current): ${models.documented.join(', ')}.`,
			'',
		].join('\n'),
	);
	console.log(`${provider}: pinned ${path.relative(process.cwd(), target)} from ${source.repository} ${commit.slice(0, 7)} (${date})`);
	console.log(`models: ${models.models.join(', ')}`);
}

main(process.argv.slice(2));
