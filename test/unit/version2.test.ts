/**
 * Node version 2 (issue 26): the descriptions (order, names, Options, defaults, the model locator)
 * against n8n's conventions and contract/parameters.v2.json, and the version 2 seam that lets every
 * provider read its version 1 parameter names from their version 2 places.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INode, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { A4f } from '../../nodes/A4F/A4f.node';
import { AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { AIML_API_V2, aimlModelTables } from '../../nodes/AimlApi/descriptionV2';
import { MAGIC_HOUR_V2 } from '../../nodes/MagicHour/descriptionV2';
import { USEAPI_KLING_V2 } from '../../nodes/UseApiKling/descriptionV2';
import { aimlApiProvider } from '../../nodes/AimlApi/provider';
import { magicHourProvider } from '../../nodes/MagicHour/provider';
import { useApiKlingProvider } from '../../nodes/UseApiKling/provider';
import { readableFileBase } from '../../nodes/shared/engine/engine';
import { OTHER_MODEL } from '../../nodes/shared/fields/customModel';
import { searchTableModels, version2Context, version2Wording, type Version2Spec } from '../../nodes/shared/fields/version2';
import { aimlApiPropertiesV2 } from '../../nodes/AimlApi/descriptionV2';
import { useApiKlingPropertiesV2 } from '../../nodes/UseApiKling/descriptionV2';
import { AIML_IMAGE_CAPABILITIES } from '../../nodes/AimlApi/capabilities';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { publicNamesOf } = require('../../scripts/public-names.js') as { publicNamesOf: (d: INodeTypeDescription) => unknown };

type Versioned = { description: { defaultVersion?: number; name: string }; nodeVersions: Record<number, INodeType> };
const NODES: Record<string, Versioned> = {
	magicHour: new MagicHour() as unknown as Versioned,
	a4f: new A4f() as unknown as Versioned,
	aimlApi: new AimlApi() as unknown as Versioned,
	useApiKling: new UseApiKling() as unknown as Versioned,
	videoGeneration: new VideoGeneration() as unknown as Versioned,
};
const v2 = (key: string) => NODES[key].nodeVersions[2].description;
const names = (d: INodeTypeDescription) => [...new Set(d.properties.filter((p) => p.type !== 'notice').map((p) => p.name))];
const optionsOf = (d: INodeTypeDescription) => (d.properties.find((p) => p.name === 'options')?.options ?? []) as INodeProperties[];

describe.each(Object.keys(NODES))('%s version 2', (key) => {
	const description = v2(key);

	test('n8n loads version 1 for saved workflows and gives new nodes version 2', () => {
		expect(NODES[key].description.defaultVersion).toBe(2);
		expect(NODES[key].nodeVersions[1].description.version).toBe(1);
		expect(description.version).toBe(2);
		expect(description.name).toBe(key);
	});

	test('Resource "Video", operations with the resource in their names; Model and Prompt first, Options last', () => {
		const order = names(description);
		expect(order.slice(0, 4)).toEqual(['resource', 'operation', 'model', 'prompt']);
		expect(order[order.length - 1]).toBe('options');
		const shared = ['model', 'prompt', 'imageSource', 'duration', 'aspectRatio', 'resolution'].filter((n) => order.includes(n));
		expect(order.filter((n) => shared.includes(n))).toEqual(shared);
		const resource = description.properties.find((p) => p.name === 'resource');
		expect(resource?.options).toEqual([{ name: 'Video', value: 'video' }]);
		const operation = description.properties.find((p) => p.name === 'operation');
		for (const option of operation?.options as Array<{ name: string; value: string; action: string }>) {
			expect(option.name).toMatch(/^(Generate Video|Submit Video Job|Get Video Job|Estimate Cost)$/);
			expect(option.action).toMatch(/^[A-Z][a-z]+ (a|the) /);
		}
	});

	test('Options sorted by display name, in n8n\'s terms, with no visible 0 meaning "not set"', () => {
		const options = optionsOf(description);
		const labels = options.map((o) => o.displayName);
		expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'en')));
		expect(labels).toContain('Put Output in Field');
		expect(labels).not.toContain('Binary Property');
		expect(options.find((o) => o.name === 'concurrency')).toMatchObject({ default: 4, typeOptions: { minValue: 1 } });
		for (const property of description.properties) {
			expect({ name: property.name, displayName: property.displayName }).not.toMatchObject({ displayName: expect.stringMatching(/Binary Property|Image Binary Field|\(JSON\)$|Other Model/) });
			if (property.type === 'number') expect({ name: property.name, default: property.default }).not.toEqual({ name: property.name, default: 0 });
		}
		for (const moved of ['maxJobs', 'seed', 'duration']) {
			const option = options.find((o) => o.name === moved);
			if (option && option.type === 'number') expect({ moved, min: option.typeOptions?.minValue }).toEqual({ moved, min: 1 });
		}
	});

	test('16:9 and 720p wherever a model takes them', () => {
		for (const property of description.properties) {
			if (property.type !== 'options') continue;
			const values = (property.options ?? []).map((o) => (o as { value: unknown }).value);
			if (property.name === 'aspectRatio' && values.includes('16:9')) expect(property.default).toBe('16:9');
			if (property.name === 'resolution' && values.includes('720p')) expect(property.default).toBe('720p');
			if (property.name === 'resolution') expect(property.displayName).toBe('Resolution');
			if (property.name === 'enableAudio' || property.name === 'audio') expect(property.displayName).toBe('Audio');
		}
	});

	test('the public names match contract/parameters.v2.json', () => {
		const contract = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'contract', 'parameters.v2.json'), 'utf8')) as Record<string, unknown>;
		expect(publicNamesOf(description)).toEqual(contract[key]);
	});
});

describe('the model locator (From List / By ID) replaces "Other Model" and Model ID', () => {
	test.each(['magicHour', 'a4f', 'aimlApi'])('%s: a resource locator with From List and By ID, on the table\'s default model', (key) => {
		const model = v2(key).properties.filter((p) => p.name === 'model');
		expect(model).toHaveLength(1);
		expect(model[0].type).toBe('resourceLocator');
		expect(model[0].modes?.map((m) => m.displayName)).toEqual(['From List', 'By ID']);
		expect(names(v2(key))).not.toContain('customModel');
	});

	test('Kling keeps a list (its models are fixed), starting on Kling 2.6, not 1.6', () => {
		const model = v2('useApiKling').properties.find((p) => p.name === 'model');
		expect(model).toMatchObject({ type: 'options', default: 'kling-v2-6' });
	});

	test('From List: the table\'s models, filtered; AI/ML API\'s follows the image input', () => {
		const ctx = { getCurrentNodeParameter: () => 'none' } as unknown as ILoadOptionsFunctions;
		const all = searchTableModels(ctx, MAGIC_HOUR_V2.modelLocator!).results.map((r) => r.value);
		expect(all).toEqual(MAGIC_HOUR_V2.modelLocator!.tables[0].models.map((m) => m.value));
		expect(all).not.toContain(OTHER_MODEL);
		const kling = searchTableModels(ctx, MAGIC_HOUR_V2.modelLocator!, 'kling').results;
		expect(kling.length).toBeGreaterThan(0);
		expect(kling.every((r) => /kling/i.test(`${r.name} ${r.value}`))).toBe(true);
		const binary = { getCurrentNodeParameter: () => 'binary' } as unknown as ILoadOptionsFunctions;
		const imageModels = searchTableModels(binary, AIML_API_V2.modelLocator!, undefined, aimlModelTables).results.map((r) => r.value);
		expect(imageModels).toEqual(AIML_IMAGE_CAPABILITIES.models.filter((m) => m.image?.binary).map((m) => m.value));
	});
});

/** A context as n8n-core's: dotted paths, fallbacks, and a locator's value with extractValue. */
function contextWith(parameters: IDataObject, typeVersion = 2): IExecuteFunctions {
	const node: INode = { id: 'n', name: 'n', type: 't', typeVersion, position: [0, 0], parameters: {} };
	return {
		getNodeParameter: (name: string, _item: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			let value: unknown = parameters;
			for (const part of name.split('.')) value = value && typeof value === 'object' ? (value as IDataObject)[part] : undefined;
			if (value === undefined) return fallback;
			if (options?.extractValue && value && typeof value === 'object' && '__rl' in value) return (value as unknown as { value: unknown }).value;
			return value;
		},
		getNode: () => node,
	} as unknown as IExecuteFunctions;
}
const read = (spec: Version2Spec, parameters: IDataObject) => version2Context(contextWith(parameters), spec);

describe('the version 2 seam: version 1 names read from their version 2 places', () => {
	test('a listed model from the locator is its ID; a typed one is version 1\'s "Other model" with its ID', () => {
		const listed = read(MAGIC_HOUR_V2, { model: { __rl: true, mode: 'list', value: 'kling-2.5' } });
		expect(listed.getNodeParameter('model', 0, '')).toBe('kling-2.5');
		const typed = read(MAGIC_HOUR_V2, { model: { __rl: true, mode: 'id', value: 'veo-9-preview' } });
		expect(typed.getNodeParameter('model', 0, '')).toBe(OTHER_MODEL);
		expect(typed.getNodeParameter('customModel', 0, '')).toBe('veo-9-preview');
	});

	test('Magic Hour: File Name under Options is the input\'s name; a typed model passes the same checks as version 1', () => {
		const input = magicHourProvider.readInput(read(MAGIC_HOUR_V2, { operation: 'generate', model: { __rl: true, mode: 'list', value: 'kling-2.5' }, prompt: 'a fox', options: { name: 'Teaser' } }), 0);
		expect(input).toMatchObject({ model: 'kling-2.5', prompt: 'a fox', name: 'Teaser' });
		expect(() => magicHourProvider.readInput(read(MAGIC_HOUR_V2, { operation: 'generate', model: { __rl: true, mode: 'id', value: 'Not A Model' }, prompt: 'a fox' }), 0)).toThrow(/Model ID/);
	});

	test('AI/ML API: Seed, Negative Prompt and Style under Options reach the input; no seed set, none is sent', () => {
		const parameters = { operation: 'generate', model: { __rl: true, mode: 'list', value: 'pixverse/v5/text-to-video' }, prompt: 'a boat' };
		const input = aimlApiProvider.readInput(read(AIML_API_V2, { ...parameters, options: { seed: 42, negativePrompt: 'blur' } }), 0) as unknown as IDataObject;
		expect(input).toMatchObject({ model: 'pixverse/v5/text-to-video', seed: 42, negativePrompt: 'blur' });
		const unset = aimlApiProvider.readInput(read(AIML_API_V2, parameters), 0) as unknown as IDataObject;
		expect(unset.seed).toBeUndefined();
	});

	test('Kling: Max Jobs, Kling Account Email and CFG Scale under Options reach the input and the context', () => {
		const parameters = { operation: 'generate', model: 'kling-v1-6', prompt: 'a fox', options: { maxJobs: 3, cfgScale: 0.8, email: 'me@example.com' } };
		const ctx = read(USEAPI_KLING_V2, parameters);
		expect(useApiKlingProvider.readInput(ctx, 0)).toMatchObject({ model: 'kling-v1-6', maxJobs: 3, cfgScale: 0.8 });
		expect(useApiKlingProvider.readContext!(ctx, 0)).toMatchObject({ email: 'me@example.com' });
	});
});

test('readable file names: provider, model and the job ID\'s first characters', () => {
	expect(readableFileBase('AI/ML API', 'pixverse/v5/text-to-video', 'cbf71e1e-1234-5678:pixverse/v5/text-to-video')).toBe('ai-ml-api-pixverse-v5-text-to-video-cbf71e1e');
	expect(readableFileBase('Magic Hour', undefined, 'cm9abc')).toBe('magic-hour-video-cm9abc');
});

describe('errors in version 2\'s words', () => {
	test('a parameter moved under Options is named by its place; renamed fields by their new names', () => {
		expect(version2Wording('Invalid parameter seed: Seed must be a whole number', AIML_API_V2, aimlApiPropertiesV2)).toBe('Invalid parameter Options > Seed: Seed must be a whole number');
		expect(version2Wording('Invalid options binaryPropertyName: Binary Property must not be empty', AIML_API_V2, aimlApiPropertiesV2)).toBe('Invalid options binaryPropertyName: Put Output in Field must not be empty');
		expect(version2Wording('kling-v2-6 makes audio in Pro mode only. Set Mode to Pro, or switch Enable Audio off', USEAPI_KLING_V2, useApiKlingPropertiesV2)).toBe('kling-v2-6 makes audio in Pro mode only. Set Mode to Pro, or switch Audio off');
		expect(version2Wording('Invalid parameter duration: 7 s is not available', AIML_API_V2, aimlApiPropertiesV2)).toBe('Invalid parameter duration: 7 s is not available');
	});

	test('a version 2 run\'s error names Options > Max Jobs, a version 1 run\'s stays as it was', () => {
		const parameters = { operation: 'generate', model: 'kling-v2-6', prompt: 'a fox', options: { maxJobs: 99 } };
		let message = '';
		try {
			useApiKlingProvider.readInput(read(USEAPI_KLING_V2, parameters), 0);
		} catch (error) {
			message = version2Wording((error as Error).message, USEAPI_KLING_V2, useApiKlingPropertiesV2);
		}
		expect(message).toMatch(/^Invalid Options > Max Jobs: Max Jobs must be 1 to 50/);
	});
});
