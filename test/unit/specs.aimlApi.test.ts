/**
 * AI/ML API's PixVerse models in the node's tables against AI/ML API's own per-model specs, pinned in
 * specs/aiml-api/ (refresh: node scripts/refresh-specs.js aiml-api <clone of aimlapi/api-docs>). Every
 * disagreement is reported as "<model> <field>: …", naming what to change.
 */
import { AIML_ALL_CAPABILITIES, API_FIELD, NOT_SENT } from '../../nodes/AimlApi/capabilities';
import type { FieldValue, ModelSpec } from '../../nodes/shared/capabilities/table';

type Field = { type?: string; enum?: Array<string | number>; default?: string | number; description?: string };
type Request = { models: string[]; fields: Record<string, Field>; required: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const specs = require('../../scripts/specs/aiml-api.js') as {
	MODELS: Record<string, string>;
	loadPinned(model: string): { info: { 'x-source': Record<string, string> } };
	requestOf(spec: unknown): Request;
};

const list = (values: readonly FieldValue[] | undefined) => (values?.length ? values.join(', ') : 'none');
const sameSet = (a: readonly FieldValue[], b: readonly FieldValue[]) => a.length === b.length && a.every((v) => b.includes(v));

/** Where a described model and its spec disagree, one line each, naming the model and the field. */
function disagreements(model: ModelSpec, spec: Request): string[] {
	const out: string[] = [];
	const id = model.value;
	if (!spec.models.includes(id)) out.push(`${id} model: the spec's model enum is ${list(spec.models)}`);
	// The table's fields, in the API's names: the values offered and the default.
	for (const [param, field] of Object.entries(API_FIELD)) {
		if (['prompt', 'negativePrompt', 'seed'].includes(param)) continue;
		const choice = model.fields[param];
		const theirs = spec.fields[field];
		if (!choice && !theirs) continue;
		if (!choice) {
			out.push(`${id} ${field}: the spec has it (${list(theirs.enum)}), the table does not`);
			continue;
		}
		if (!theirs) {
			out.push(`${id} ${field}: the table offers ${list(choice.values)}, the spec has no such field`);
			continue;
		}
		const ours = choice.values.filter((v) => v !== NOT_SENT);
		if (theirs.enum && !sameSet(ours, theirs.enum)) out.push(`${id} ${field}: table ${list(ours)}; spec ${list(theirs.enum)}`);
		if (theirs.type === 'integer' && ours.some((v) => typeof v !== 'number')) out.push(`${id} ${field}: the spec wants an integer, the table offers ${list(ours)}`);
		if (theirs.default !== undefined && choice.default !== NOT_SENT && String(choice.default) !== String(theirs.default))
			out.push(`${id} ${field} default: table ${choice.default}; spec ${theirs.default}`);
	}
	// What the traits say the model takes beyond the table's fields.
	const takes = (trait: string, field: string) => {
		if (Boolean(model.traits?.[trait]) !== field in spec.fields) out.push(`${id} ${field}: table ${model.traits?.[trait] ? 'sends it' : 'does not send it'}; spec ${field in spec.fields ? 'has it' : 'has no such field'}`);
	};
	takes('negativePrompt', 'negative_prompt');
	takes('seed', 'seed');
	const endField = model.traits?.endImageField;
	if (typeof endField === 'string' && !spec.required.includes(endField)) out.push(`${id} ${endField}: the table sends the end frame there, the spec does not require it`);
	const imageRequired = spec.required.includes('image_url');
	if (imageRequired !== (model.image?.start === 'required')) out.push(`${id} image_url: table ${model.image?.start ?? 'no image'}; spec ${imageRequired ? 'required' : 'not required'}`);
	// "The 1080p quality option does not support 8-second videos."
	const refused = /1080p quality option does not support (\d+)-second/i.exec(spec.fields.duration?.description ?? '')?.[1];
	const longest = model.traits?.longestAt1080p;
	if (refused !== undefined && !(typeof longest === 'number' && longest < Number(refused)))
		out.push(`${id} duration at 1080p: the spec refuses ${refused} s at 1080p, the table allows up to ${longest ?? 'any'} s`);
	return out;
}

const described = Object.keys(specs.MODELS).map((id) => {
	const model = AIML_ALL_CAPABILITIES.models.find((m) => m.value === id);
	if (!model) throw new Error(`specs/aiml-api pins ${id}, the AI/ML API table has no such model`);
	return [id, model, specs.requestOf(specs.loadPinned(id))] as const;
});

test('every PixVerse model of the tables has a pinned spec, with its source', () => {
	const pixverse = AIML_ALL_CAPABILITIES.models.filter((m) => m.value.startsWith('pixverse/')).map((m) => m.value);
	expect(pixverse.sort()).toEqual(Object.keys(specs.MODELS).sort());
	for (const id of pixverse)
		expect(specs.loadPinned(id).info['x-source']).toMatchObject({
			repository: 'https://github.com/aimlapi/api-docs',
			path: expect.stringMatching(/^docs\/api-references\/video-models\/PixVerse\/.+\.json$/),
			commit: expect.stringMatching(/^[0-9a-f]{40}$/),
			fileDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
		});
});

test.each(described)('%s agrees with its pinned spec, field by field', (_id, model, spec) => {
	expect(disagreements(model, spec)).toEqual([]);
	expect(Object.keys(spec.fields)).toEqual(expect.arrayContaining(['model', 'prompt', 'resolution', 'duration']));
});

test('a spec that moved on is reported naming model and field', () => {
	const [, model, spec] = described[0];
	const moved: Request = JSON.parse(JSON.stringify(spec));
	moved.fields.resolution.enum!.push('4k');
	moved.fields.duration.enum = [5, 8, 10];
	delete moved.fields.seed;
	moved.fields.duration.description = 'The 1080p quality option does not support 5-second videos.';
	moved.models = ['pixverse/v6/text-to-video'];
	expect(disagreements(model, moved)).toEqual([
		"pixverse/v5/text-to-video model: the spec's model enum is pixverse/v6/text-to-video",
		'pixverse/v5/text-to-video resolution: table 360p, 540p, 720p, 1080p; spec 360p, 540p, 720p, 1080p, 4k',
		'pixverse/v5/text-to-video duration: table 5, 8; spec 5, 8, 10',
		'pixverse/v5/text-to-video seed: table sends it; spec has no such field',
		'pixverse/v5/text-to-video duration at 1080p: the spec refuses 5 s at 1080p, the table allows up to 5 s',
	]);
});
