/**
 * The Magic Hour capability table against Magic Hour's own OpenAPI file, pinned in specs/magic-hour/
 * (refresh: node scripts/refresh-specs.js magic-hour <clone of magichourhq/docs>). Every disagreement is
 * reported as "<model> <field>: table …; spec …", so a refreshed spec names what to change.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_STANDS_FOR, MAGIC_HOUR_CAPABILITIES as TABLE, MAX_PROMPT_LENGTH } from '../../nodes/MagicHour/capabilities';
import type { CapabilityTable, FieldValue } from '../../nodes/shared/capabilities/table';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const specs = require('../../scripts/specs/magic-hour.js') as {
	PINNED: string;
	loadPinned(file?: string): Spec;
	matrix(spec: Spec): Matrix;
};
type Spec = { info: { 'x-source': { repository: string; path: string; commit: string; date: string; fileCommit?: string; fileDate?: string } }; paths: Record<string, unknown> };
type Matrix = {
	models: string[];
	imageModels: string[];
	documented: string[];
	defaultModel: { paid?: string; free?: string };
	resolutionEnum: string[];
	imageResolutionEnum: string[];
	aspectRatioEnum: string[];
	imageHasAspectRatio: boolean;
	durations: Record<string, number[]>;
	imageDurations: Record<string, number[]>;
	aspectRatios: Record<string, string[]>;
	resolutions: Record<string, string[]>;
	imageResolutions: Record<string, string[]>;
	audio: Record<string, string>;
	endFrame: Record<string, { resolutions: string[]; maxSeconds?: number } | null>;
	promptMaxLength: number;
};

const list = (values: readonly FieldValue[] | undefined) => (values?.length ? values.join(', ') : 'none');
const sameSet = (a: readonly FieldValue[] = [], b: readonly FieldValue[] = []) => a.length === b.length && a.every((v) => b.includes(v));
const sameList = (a: readonly FieldValue[] = [], b: readonly FieldValue[] = []) => a.length === b.length && a.every((v, i) => v === b[i]);
const both = <T>(a: readonly T[] = [], b: readonly T[] = []) => a.filter((v) => b.includes(v));

/** Where the table and the spec disagree, one line each, naming the model and the field. */
function disagreements(table: CapabilityTable, spec: Matrix): string[] {
	const out: string[] = [];
	const differ = (model: string, field: string, ours: readonly FieldValue[] | undefined, theirs: readonly FieldValue[] | undefined, ordered = false) => {
		if (!(ordered ? sameList : sameSet)(ours, theirs)) out.push(`${model} ${field}: table ${list(ours)}; spec ${list(theirs)}`);
	};
	const ids = table.models.flatMap((m) => [m.value, ...(m.aliases ?? [])]);
	for (const id of spec.models) if (!ids.includes(id)) out.push(`${id} model: in the spec's model enum, not in the table`);
	for (const id of ids) if (!spec.models.includes(id)) out.push(`${id} model: in the table, not in the spec's model enum`);
	for (const id of spec.imageModels) if (!spec.models.includes(id)) out.push(`${id} model: image to video takes it, text to video does not (the table has one list for both)`);

	for (const model of table.models) {
		const documented = spec.documented.includes(model.value);
		if (documented && model.traits?.legacy) out.push(`${model.value} legacy: the spec documents it, the table marks it legacy`);
		if (!documented && !model.traits?.legacy && spec.models.includes(model.value)) out.push(`${model.value} legacy: the spec no longer documents it, the table does not mark it legacy`);
	}
	for (const id of spec.documented) if (!table.models.some((m) => m.value === id)) out.push(`${id} model: documented by the spec, not in the table`);

	const offered = (field: string) => [...new Set(table.models.flatMap((m) => m.fields[field]?.values ?? []))];
	for (const value of spec.resolutionEnum) if (!offered('resolution').includes(value)) out.push(`resolution enum: the spec has ${value}, no model of the table offers it`);
	for (const value of offered('resolution')) if (!spec.resolutionEnum.includes(String(value))) out.push(`resolution enum: the table offers ${value}, the spec's enum has no such value`);
	differ('image to video', 'resolution enum', spec.imageResolutionEnum, spec.resolutionEnum);
	for (const value of spec.aspectRatioEnum) if (!offered('aspectRatio').includes(value)) out.push(`aspect_ratio enum: the spec has ${value}, no model of the table offers it`);
	for (const value of offered('aspectRatio')) if (!spec.aspectRatioEnum.includes(String(value))) out.push(`aspect_ratio enum: the table offers ${value}, the spec's enum has no such value`);
	if (spec.imageHasAspectRatio) out.push('image to video aspect_ratio: the spec now has the field, the node sends none');
	if (spec.promptMaxLength !== MAX_PROMPT_LENGTH) out.push(`prompt maxLength: table ${MAX_PROMPT_LENGTH}; spec ${spec.promptMaxLength}`);

	// What the spec lists per model, and `default` as the models it stands for on paid and free plans.
	const paid = spec.defaultModel.paid ?? '?';
	const free = spec.defaultModel.free ?? '?';
	if (paid !== DEFAULT_STANDS_FOR.paid || free !== DEFAULT_STANDS_FOR.free)
		out.push(`default model: table stands for ${DEFAULT_STANDS_FOR.paid} (paid), ${DEFAULT_STANDS_FOR.free} (free); spec ${paid} (paid), ${free} (free)`);
	const facts = (id: string) => {
		const end = spec.endFrame[id];
		return {
			durations: spec.durations[id],
			aspectRatios: spec.aspectRatios[id],
			resolutions: spec.resolutions[id],
			audio: spec.audio[id],
			end: end === undefined ? undefined : end ? end.resolutions : [],
			endMax: end?.maxSeconds,
		};
	};
	const described = new Set([...Object.keys(spec.durations), ...Object.keys(spec.resolutions), ...Object.keys(spec.audio), ...Object.keys(spec.endFrame)]);
	for (const id of described) if (!table.models.some((m) => m.value === id)) out.push(`${id} model: the spec lists its values, the table has no such model`);
	for (const model of table.models) {
		const id = model.value;
		let theirs;
		if (id === 'default') {
			const [p, f] = [facts(paid), facts(free)];
			theirs = {
				durations: both(p.durations, f.durations),
				aspectRatios: both(p.aspectRatios, f.aspectRatios),
				resolutions: both(p.resolutions, f.resolutions),
				audio: p.audio === f.audio ? p.audio : 'none',
				end: both(p.end, f.end),
				endMax: p.endMax ?? f.endMax,
			};
		} else if (described.has(id)) theirs = facts(id);
		else continue;
		differ(id, 'end_seconds (duration)', model.fields.duration?.values, theirs.durations, true);
		differ(id, 'image to video end_seconds', spec.imageDurations[id] ?? theirs.durations, theirs.durations, true);
		differ(id, 'aspect_ratio', model.fields.aspectRatio?.values, theirs.aspectRatios);
		differ(id, 'resolution', model.fields.resolution?.values, theirs.resolutions);
		differ(id, 'image to video resolution', spec.imageResolutions[id] ?? theirs.resolutions, theirs.resolutions);
		const audio = model.traits?.audio === 'toggle' ? 'toggle' : 'none';
		if (audio !== theirs.audio) out.push(`${id} audio: table ${model.traits?.audio}; spec ${theirs.audio}`);
		differ(id, 'end_image_file_path (end frame)', model.image?.end ? (model.image.endResolutions ?? []) : [], theirs.end ?? []);
		if (model.traits?.endFrameMaxSeconds !== theirs.endMax)
			out.push(`${id} end_image_file_path longest duration: table ${model.traits?.endFrameMaxSeconds ?? 'none'}; spec ${theirs.endMax ?? 'none'}`);
	}
	return out;
}

const pinned = specs.loadPinned();
const matrix = specs.matrix(pinned);

test('the pinned spec names its source: repository, file, commit and date', () => {
	expect(pinned.info['x-source']).toEqual({
		repository: 'https://github.com/magichourhq/docs',
		path: 'api-reference/openapi.json',
		commit: expect.stringMatching(/^[0-9a-f]{40}$/),
		date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
		// The commit and date of the file's own last change.
		fileCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
		fileDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
	});
	// The paths the node, its uploads and its status checks call.
	expect(Object.keys(pinned.paths).sort()).toEqual(['/v1/files/upload-urls', '/v1/image-to-video', '/v1/text-to-video', '/v1/video-projects/{id}']);
});

test('the capability table agrees with the pinned spec, model by model and field by field', () => {
	expect(disagreements(TABLE, matrix)).toEqual([]);
	// The parse read something: an empty matrix would agree with nothing and prove nothing.
	expect(matrix.documented).toHaveLength(13);
	expect(Object.keys(matrix.durations)).toHaveLength(12);
	expect(matrix.resolutionEnum).toContain('4k');
});

test('a spec that moved on is reported naming model and field', () => {
	const moved: Matrix = JSON.parse(JSON.stringify(matrix));
	moved.models.push('kling-4.0');
	moved.documented.push('kling-4.0');
	moved.resolutions['seedance-2.5'].push('1080p');
	moved.durations['kling-2.6'] = [5];
	moved.audio['wan-2.2'] = 'toggle';
	moved.endFrame['sora-2'] = { resolutions: ['720p'] };
	moved.resolutionEnum.push('8k');
	moved.documented.splice(moved.documented.indexOf('minimax-h3'), 1);
	moved.defaultModel.free = 'seedance-2.0-mini';
	expect(disagreements(TABLE, moved)).toEqual(
		expect.arrayContaining([
			"kling-4.0 model: in the spec's model enum, not in the table",
			'kling-4.0 model: documented by the spec, not in the table',
			'seedance-2.5 resolution: table 480p, 720p; spec 480p, 720p, 1080p',
			'kling-2.6 end_seconds (duration): table 5, 10; spec 5',
			'wan-2.2 audio: table none; spec toggle',
			'sora-2 end_image_file_path (end frame): table none; spec 720p',
			'resolution enum: the spec has 8k, no model of the table offers it',
			'minimax-h3 legacy: the spec no longer documents it, the table does not mark it legacy',
			'default model: table stands for kling-3.0 (paid), ltx-2.3 (free); spec kling-3.0 (paid), seedance-2.0-mini (free)',
		]),
	);
	// And a model dropped from the enum altogether.
	const dropped: Matrix = JSON.parse(JSON.stringify(matrix));
	dropped.models = dropped.models.filter((id) => id !== 'kling-1.6');
	dropped.imageModels = dropped.imageModels.filter((id) => id !== 'kling-1.6');
	expect(disagreements(TABLE, dropped)).toEqual(["kling-1.6 model: in the table, not in the spec's model enum"]);
});

test('refresh-specs.js pins the spec of a clone, with its commit and date', () => {
	const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'mh-docs-'));
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mh-pinned-'));
	try {
		// A clone whose openapi.json is the pinned one, plus a code sample the pin must drop.
		const full = JSON.parse(JSON.stringify(pinned));
		full.paths['/v1/text-to-video'].post['x-codeSamples'] = [{ lang: 'curl', source: 'curl …' }];
		full.paths['/v1/unused'] = { get: { responses: {} } };
		fs.mkdirSync(path.join(clone, 'api-reference'));
		fs.writeFileSync(path.join(clone, 'api-reference', 'openapi.json'), JSON.stringify(full));
		const git = (...args: string[]) => execFileSync('git', ['-C', clone, ...args], { encoding: 'utf8' }).trim();
		git('init', '-q');
		git('add', '.');
		git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'spec');
		const printed = execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'refresh-specs.js'), 'magic-hour', clone, '--out', out], { encoding: 'utf8' });
		const head = git('rev-parse', 'HEAD');
		expect(printed).toContain(`magichourhq/docs ${head.slice(0, 7)}`);
		const refreshed = specs.loadPinned(path.join(out, 'openapi.json'));
		expect(refreshed.info['x-source']).toMatchObject({ commit: head, fileCommit: head, repository: 'https://github.com/magichourhq/docs' });
		expect(refreshed.paths).toEqual(pinned.paths);
		expect(fs.readFileSync(path.join(out, 'SOURCE.md'), 'utf8')).toContain(head);
	} finally {
		fs.rmSync(clone, { recursive: true, force: true });
		fs.rmSync(out, { recursive: true, force: true });
	}
});
