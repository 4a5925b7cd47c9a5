import type { IDataObject } from 'n8n-workflow';
import { AimlApiApi } from '../../credentials/AimlApiApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { AIML_CAPABILITIES as TABLE, NOT_SENT, PIXVERSE_V5 } from '../../nodes/AimlApi/capabilities';
import { OTHER_MODEL } from '../../nodes/shared/fields/customModel';
import { UI_TABLE } from '../../nodes/AimlApi/description';
import { finished } from '../../nodes/shared/engine/engine';
import { aimlApiBaseUrl, aimlApiProvider, failureOf, snapshotOf, type Generation } from '../../nodes/AimlApi/provider';
import type { FieldValue } from '../../nodes/shared/capabilities/table';
import { readInputWith, thrownBy, visibleProperties } from '../helpers/capabilities';

const description = new AimlApi().description;
const KLING = 'kling-video/v1.6/standard/text-to-video';
const read = (parameters: IDataObject) => readInputWith(aimlApiProvider, { operation: 'generate', prompt: 'a fox', ...parameters }) as unknown as IDataObject;
const shown = (parameters: IDataObject, name: string) => visibleProperties(description, { operation: 'generate', ...parameters }, name);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the capability table, the UI and the validation agree', () => {
	// "Other model" is checked with a typed-in id: its rules are the table's customModel.
	const cases = UI_TABLE.models.map((model) => ({ model, parameters: model.value === OTHER_MODEL ? { model: OTHER_MODEL, customModel: KLING } : { model: model.value } }));

	test('the model list is the table plus "Other model", PixVerse v5 first and by default', () => {
		const [model] = shown({}, 'model');
		expect(model.options?.map((o) => (o as { value: string }).value)).toEqual([PIXVERSE_V5, OTHER_MODEL]);
		expect(model.default).toBe(PIXVERSE_V5);
	});

	test.each(cases)('$model.value: each field shows exactly its values and default, each accepted, others refused', ({ model, parameters }) => {
		// Errors name the model as the Model list does; a typed-in id is its own name.
		const name = parameters.customModel ?? model.name;
		for (const { property: field, valueType } of TABLE.fields) {
			const choice = model.fields[field.name];
			const properties = shown(parameters, field.name);
			if (!choice) {
				expect({ field: field.name, shown: properties.length }).toEqual({ field: field.name, shown: 0 });
				expect(() => read({ ...parameters, [field.name]: 'anime' })).toThrow(new RegExp(`^Invalid ${field.name}: ${escape(name)} does not take a ${field.displayName.toLowerCase()}$`));
				continue;
			}
			expect({ field: field.name, shown: properties.length }).toEqual({ field: field.name, shown: 1 });
			expect(properties[0].options?.map((o) => (o as { value: FieldValue }).value)).toEqual([...choice.values]);
			expect(properties[0].default).toBe(choice.default);
			for (const value of choice.values) {
				// An empty value means "not sent": the input carries nothing for it.
				expect({ field: field.name, value, read: read({ ...parameters, [field.name]: value })[field.name] }).toEqual({
					field: field.name,
					value,
					read: value === NOT_SENT ? undefined : value,
				});
			}
			const outsider = valueType === 'number' ? 7 : 'not-a-value';
			const refused = thrownBy(() => read({ ...parameters, [field.name]: outsider }));
			expect(refused.message).toMatch(new RegExp(`^Invalid ${field.name}: .* is not available for ${escape(name)}$`));
			expect(refused.description).toMatch(/^Allowed: /);
		}
	});

	test.each(cases)('$model.value: the model-specific parameters show where the traits say', ({ model, parameters }) => {
		const traits = model.traits ?? {};
		expect({
			customModel: shown(parameters, 'customModel').length,
			negativePrompt: shown(parameters, 'negativePrompt').length,
			seed: shown(parameters, 'seed').length,
			additionalFields: shown(parameters, 'additionalFields').length,
		}).toEqual({
			customModel: model.value === OTHER_MODEL ? 1 : 0,
			negativePrompt: traits.negativePrompt ? 1 : 0,
			seed: traits.seed ? 1 : 0,
			additionalFields: traits.additionalFields ? 1 : 0,
		});
	});

	test('PixVerse: every resolution with every duration is accepted except 1080p with 8 s, and the notice shows exactly then', () => {
		const { resolution, duration } = TABLE.models[0].fields;
		for (const r of resolution.values)
			for (const d of duration.values) {
				const refused = r === '1080p' && d === 8;
				const parameters = { model: PIXVERSE_V5, resolution: r, duration: d };
				expect({ r, d, notice: shown(parameters, 'longAt1080pNotice').length }).toEqual({ r, d, notice: refused ? 1 : 0 });
				if (refused) expect(() => read(parameters)).toThrow(/^Invalid duration: 8 s is not available at 1080p on PixVerse V5/);
				else expect(read(parameters)).toMatchObject({ resolution: r, duration: d });
			}
		expect(shown({ model: OTHER_MODEL, customModel: KLING, resolution: '1080p', duration: 8 }, 'longAt1080pNotice')).toHaveLength(0);
	});

	test('a typed-in PixVerse id is held to the PixVerse rules', () => {
		expect(() => read({ model: OTHER_MODEL, customModel: PIXVERSE_V5, aspectRatio: '21:9' })).toThrow(/^Invalid aspectRatio: 21:9 is not available for PixVerse V5$/);
		expect(read({ model: OTHER_MODEL, customModel: PIXVERSE_V5 })).toMatchObject({ model: PIXVERSE_V5, aspectRatio: '16:9', resolution: '720p', duration: 5 });
	});

	test('seed 0 and an empty negative prompt are not sent; Additional Fields may come from an expression as an object', () => {
		const input = read({ model: PIXVERSE_V5, seed: 0, negativePrompt: '  ' });
		expect(input).not.toHaveProperty('seed');
		expect(input).not.toHaveProperty('negativePrompt');
		expect(read({ model: OTHER_MODEL, customModel: KLING, additionalFields: { mode: 'pro' } }).additionalFields).toEqual({ mode: 'pro' });
		expect(read({ model: OTHER_MODEL, customModel: KLING, additionalFields: '' }).additionalFields).toEqual({});
	});
});

describe('generation responses', () => {
	const video = { url: 'https://cdn.aimlapi.com/x/output.mp4', content_type: 'video/mp4', file_name: 'output.mp4', file_size: 6274330 };
	test.each([
		['queued', false, 'queued'],
		['generating', false, 'processing'],
		['waiting', false, 'processing'],
		['something-new', false, 'processing'],
		['completed', true, 'completed'],
		['succeeded', true, 'completed'],
		['error', false, 'failed'],
		['failed', false, 'failed'],
		['completed', false, 'failed'],
	])('status %s (with a video: %p) is %s', (status, withVideo, expected) => {
		// As the engine sees it: complete without a video is a failure (nodes/shared/engine/engine.ts `finished`).
		expect(finished(snapshotOf({ id: 'g1', status, video: withVideo ? video : null }, 'g1')).status).toBe(expected);
	});

	test('a completed generation: video, credits, file name and size', () => {
		const generation: Generation = { id: 'g1', status: 'completed', video, error: null, meta: { usage: { credits_used: 120000 } } };
		expect(snapshotOf(generation, 'g1')).toEqual({
			jobId: 'g1',
			status: 'completed',
			videos: [{ url: video.url, mimeType: 'video/mp4', fileName: 'output.mp4', sizeBytes: 6274330 }],
			credits: 120000,
			failure: undefined,
			details: { fileName: 'output.mp4', fileSize: 6274330 },
		});
	});

	test('failure reasons read plainly in both documented shapes', () => {
		expect(failureOf({ name: 'GenerationError', message: 'timed out' })).toMatchObject({ message: 'GenerationError: timed out', kind: 'other' });
		expect(failureOf({ detail: [{ loc: ['body', 'prompt'], msg: 'too long', type: 'value_error' }, { msg: 'bad seed' }] }).message).toBe('prompt: too long; bad seed');
		expect(failureOf({ name: 'Error', message: 'Prompt flagged by moderation' })).toMatchObject({ message: 'Prompt flagged by moderation', kind: 'moderation' });
		expect(failureOf('plain text').message).toBe('plain text');
		expect(failureOf(null).message).toBe('AI/ML API gave no reason');
	});
});

describe('errors, credential, node', () => {
	test('403 is out of credits; 404 while polling is an unknown generation', () => {
		const said = 'You\'ve run out of credits. (request id r-1)';
		expect(aimlApiProvider.explainError!({ statusCode: 403, providerMessage: said, phase: 'submit' })).toEqual({
			kind: 'credits',
			message: 'Your AI/ML API account is out of credits (HTTP 403)',
			hint: 'Top up at https://aimlapi.com/app/billing/, then run again.',
		});
		expect(aimlApiProvider.explainError!({ statusCode: 404, phase: 'poll' })?.message).toBe('AI/ML API has no video generation with this ID (HTTP 404)');
		expect(aimlApiProvider.explainError!({ statusCode: 500, phase: 'poll' })).toBeUndefined();
	});

	test('the base URL is the API root, however it was pasted', () => {
		for (const url of ['https://api.aimlapi.com', 'https://api.aimlapi.com/', 'https://api.aimlapi.com/v1', ' https://api.aimlapi.com/v2/ '])
			expect(aimlApiBaseUrl(url)).toBe('https://api.aimlapi.com');
		expect(aimlApiBaseUrl('http://127.0.0.1:5680/aimlapi')).toBe('http://127.0.0.1:5680/aimlapi');
	});

	test('the public names contract/public-names.v1.json fixes', () => {
		const credential = new AimlApiApi();
		expect(credential.name).toBe('aimlApiApi');
		expect(credential.properties.map((p) => [p.name, p.default, p.typeOptions?.password ?? false])).toEqual([
			['apiKey', '', true],
			['baseUrl', 'https://api.aimlapi.com', false],
			['baseUrlUserInfoNotice', '', false],
			['baseUrlHttpNotice', '', false],
		]);
		expect(description).toMatchObject({ name: 'aimlApi', displayName: 'AI/ML API', usableAsTool: true, credentials: [{ name: 'aimlApiApi', required: true }] });
		const [operation] = shown({}, 'operation');
		expect(operation.options?.map((o) => (o as { value: string }).value)).toEqual(['generate', 'submit', 'get', 'estimate']);
		for (const name of ['prompt', 'model', 'duration', 'aspectRatio', 'resolution', 'negativePrompt', 'style', 'seed', 'jobId', 'options'])
			expect(description.properties.some((p) => p.name === name)).toBe(true);
	});
});
