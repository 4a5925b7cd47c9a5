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
	'magic-hour': './specs/magic-hour.js',
	'aiml-api': './specs/aiml-api.js',
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
	const spec = require(entry);
	const commit = git(clone, 'rev-parse', 'HEAD');
	const date = git(clone, 'log', '-1', '--format=%cI', 'HEAD');
	const outputs = spec.FILES.map(({ from, to }) => {
		// When the file itself last changed, besides the commit it was read at.
		const changed = git(clone, 'log', '-1', '--format=%H %cI', 'HEAD', '--', from).split(' ');
		const source = { repository: spec.REPOSITORY, path: from, commit, date, ...(changed[0] ? { fileCommit: changed[0], fileDate: changed[1] } : {}) };
		const pinned = spec.pin(JSON.parse(readSpec(clone, from)), source);
		const target = outDir ? path.join(outDir, path.basename(to)) : to;
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, `${JSON.stringify(pinned, null, '\t')}\n`);
		return { from, target, title: pinned.info?.title };
	});
	const dir = path.dirname(outputs[0].target);
	fs.writeFileSync(
		path.join(dir, 'SOURCE.md'),
		[
			`# ${provider}: pinned spec`,
			'',
			`- repository: ${spec.REPOSITORY}`,
			`- commit: \`${commit}\``,
			`- commit date: ${date}`,
			`- files: ${outputs.map((o) => `\`${o.from}\` → \`${path.basename(o.target)}\``).join(', ')}`,
			'',
			'Each pinned file holds what this package uses of its source, with the same source (and the commit',
			'and date of the file\'s last change) in `info.x-source`. Refresh with',
			`\`node scripts/refresh-specs.js ${provider} <path-to-clone>\` (CONTRIBUTING.md, "Provider specs").`,
			'',
			...(outDir ? [] : spec.summary()),
			'',
		].join('\n'),
	);
	for (const output of outputs) console.log(`${provider}: pinned ${path.relative(process.cwd(), output.target)} from ${spec.REPOSITORY} ${commit.slice(0, 7)} (${date})`);
}

main(process.argv.slice(2));
