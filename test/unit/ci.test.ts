/**
 * One CI script, run everywhere: both GitHub workflows run `.ci/run` (and nothing that could make them
 * differ from it), publish only after it, and `.ci/run` itself runs `npm ci` then `npm test`.
 * The workflows are read as text: their steps' `run:` commands, in order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Every step of a workflow, in order: its `uses:` or its `run:` command (block scalars joined). */
function steps(yaml: string): Array<{ uses?: string; run?: string }> {
	const out: Array<{ uses?: string; run?: string }> = [];
	const lines = yaml.split('\n');
	for (let index = 0; index < lines.length; index++) {
		const match = /^(\s*)(?:- )?(run|uses):\s*(.*)$/.exec(lines[index]);
		if (!match) continue;
		const [, , key, value] = match;
		if (key === 'uses') {
			out.push({ uses: value.trim() });
			continue;
		}
		if (value.trim() === '|' || value.trim() === '>') {
			// The block: the lines indented deeper than its key.
			const column = lines[index].indexOf(`${key}:`);
			const body: string[] = [];
			while (index + 1 < lines.length && (lines[index + 1].trim() === '' || lines[index + 1].search(/\S/) > column)) body.push(lines[++index].trim());
			out.push({ run: body.filter(Boolean).join('\n') });
		} else {
			out.push({ run: value.trim() });
		}
	}
	return out;
}

const commands = (file: string) => steps(read(file)).flatMap((step) => (step.run ? [step.run] : []));

describe('one CI script', () => {
	it('the step parser reads single-line and block run steps', () => {
		expect(steps('steps:\n  - uses: a/b@v1\n  - run: x y\n  - name: z\n    run: |\n      one\n      two\n  - run: last\n')).toEqual([
			{ uses: 'a/b@v1' },
			{ run: 'x y' },
			{ run: 'one\ntwo' },
			{ run: 'last' },
		]);
	});

	it('.ci/run is executable and runs npm ci, then npm test (whose preflight installs the programs)', () => {
		const file = path.join(ROOT, '.ci', 'run');
		expect(fs.statSync(file).mode & 0o111).not.toBe(0);
		const lines = read('.ci/run')
			.split('\n')
			.map((line) => line.trim())
			.filter((line) => line && !line.startsWith('#'));
		expect(lines).toEqual(['set -euo pipefail', 'cd "$(dirname "$0")/.."', 'npm ci --no-audit --no-fund', 'npm test']);
		expect(read('scripts/test.js')).toMatch(/step\('preflight[^']*', \(\) => \(preflight\.run\(process\.env\), true\)\);\nstep\('build'/);
	});

	it('ci.yml runs .ci/run and no test command of its own', () => {
		expect(commands('.github/workflows/ci.yml')).toEqual(['.ci/run']);
	});

	it('publish.yml runs the same .ci/run, then npm publish --provenance', () => {
		const runs = commands('.github/workflows/publish.yml');
		expect(runs).toEqual(['.ci/run', 'npm publish --provenance --access public']);
		expect(runs.indexOf('.ci/run')).toBeLessThan(runs.findIndex((run) => run.startsWith('npm publish --provenance')));
	});

	it("both run on GitHub's ubuntu-latest and cache what scripts/n8n.js and scripts/postgres.js pin", () => {
		for (const file of ['.github/workflows/ci.yml', '.github/workflows/publish.yml']) {
			const text = read(file);
			expect(text).toContain('runs-on: ubuntu-latest');
			expect(text).toContain("hashFiles('scripts/n8n.js', 'scripts/postgres.js')");
			expect(steps(text).map((step) => step.uses ?? step.run)).toEqual(expect.arrayContaining(['actions/checkout@v4', 'actions/setup-node@v4', 'actions/cache@v4']));
		}
	});
});
