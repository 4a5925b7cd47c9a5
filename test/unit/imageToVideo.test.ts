/**
 * The image-to-video editor fields follow the capability tables: the Image choice on every job
 * operation, End Frame only for the models that take one (in image mode), AI/ML API's image models in
 * their own Model lists, and text-only fields hidden in image mode. Validation agrees (no request made).
 */
import type { IDataObject, INodeTypeDescription } from 'n8n-workflow';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { AIML_CAPABILITIES, AIML_IMAGE_CAPABILITIES, KLING_TURBO_IMAGE, PIXVERSE_V5, PIXVERSE_V5_IMAGE } from '../../nodes/AimlApi/capabilities';
import { aimlApiProvider } from '../../nodes/AimlApi/provider';
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { MAGIC_HOUR_CAPABILITIES } from '../../nodes/MagicHour/capabilities';
import { A4fV1 as A4f } from '../../nodes/A4F/A4f.node';
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { USEAPI_KLING_CAPABILITIES } from '../../nodes/UseApiKling/capabilities';
import { OTHER_MODEL } from '../../nodes/shared/fields/customModel';
import type { CapabilityTable } from '../../nodes/shared/capabilities/table';
import { readInputWith, visibleProperties } from '../helpers/capabilities';

const shown = (description: INodeTypeDescription, parameters: IDataObject, name: string) => visibleProperties(description, { operation: 'generate', ...parameters }, name);
const values = (description: INodeTypeDescription, parameters: IDataObject, name: string) =>
	shown(description, parameters, name).map((p) => p.options?.map((o) => (o as { value: string }).value));

describe.each([
	['Magic Hour', new MagicHour().description, MAGIC_HOUR_CAPABILITIES],
	['Kling (useapi.net)', new UseApiKling().description, USEAPI_KLING_CAPABILITIES],
] as Array<[string, INodeTypeDescription, CapabilityTable]>)('%s', (_label, description, table) => {
	test('Image (none, binary, url) on Generate and Submit, default none; not on Get', () => {
		for (const operation of ['generate', 'submit']) {
			const [image] = shown(description, { operation }, 'imageSource');
			expect(image.options?.map((o) => (o as { value: string }).value)).toEqual(['none', 'binary', 'url']);
			expect(image.default).toBe('none');
		}
		expect(shown(description, { operation: 'get' }, 'imageSource')).toHaveLength(0);
		expect(shown(description, { imageSource: 'binary' }, 'imageBinaryProperty')[0].default).toBe('data');
		expect(shown(description, { imageSource: 'url' }, 'imageUrl')).toHaveLength(1);
	});

	test.each(table.models.map((m) => [m.value, m] as const))('%s: End Frame in image mode exactly when the table says; Aspect Ratio in text mode only', (model, spec) => {
		expect(shown(description, { model, imageSource: 'binary' }, 'endImageSource')).toHaveLength(spec.image?.end ? 1 : 0);
		expect(shown(description, { model, imageSource: 'none' }, 'endImageSource')).toHaveLength(0);
		expect(shown(description, { model, imageSource: 'url' }, 'aspectRatio')).toHaveLength(0);
		expect(shown(description, { model }, 'aspectRatio')).toHaveLength(1);
	});
});

describe('AI/ML API', () => {
	const description = new AimlApi().description;
	const read = (parameters: IDataObject) => readInputWith(aimlApiProvider, { operation: 'generate', prompt: 'a fox', ...parameters }) as unknown as IDataObject;

	test('the Model list follows the Image choice: text models, image models by URL (and Other), models taking Base64', () => {
		expect(values(description, {}, 'model')).toEqual([[PIXVERSE_V5, OTHER_MODEL]]);
		expect(values(description, { imageSource: 'url' }, 'model')).toEqual([[...AIML_IMAGE_CAPABILITIES.models.map((m) => m.value), OTHER_MODEL]]);
		expect(values(description, { imageSource: 'binary' }, 'model')).toEqual([['klingai/v2.5-turbo/pro/image-to-video', 'alibaba/wan2.5-i2v-preview']]);
		expect(shown(description, { imageSource: 'binary' }, 'model')[0].default).toBe(KLING_TURBO_IMAGE);
		expect(shown(description, { imageSource: 'url' }, 'model')[0].default).toBe(PIXVERSE_V5_IMAGE);
		expect(shown(description, { imageSource: 'binary' }, 'imageBinaryNotice')).toHaveLength(1);
	});

	test.each(AIML_IMAGE_CAPABILITIES.models.map((m) => [m.value, m] as const))('%s: its fields show in image mode only, with the table values', (model, spec) => {
		for (const field of ['aspectRatio', 'resolution', 'duration', 'style']) {
			const choice = spec.fields[field];
			expect({ field, values: values(description, { model, imageSource: 'url' }, field) }).toEqual({ field, values: choice ? [[...choice.values]] : [] });
			expect({ field, text: shown(description, { model, imageSource: 'none' }, field).length }).toEqual({ field, text: 0 });
		}
		expect(shown(description, { model, imageSource: 'url' }, 'endImageSource')).toHaveLength(spec.image?.end ? 1 : 0);
	});

	test('the text models show no image-model field', () => {
		for (const model of AIML_CAPABILITIES.models) for (const field of ['aspectRatio', 'resolution', 'duration', 'style']) expect(shown(description, { model: model.value }, field).length).toBeLessThanOrEqual(1);
	});

	test('validation: an image is required by image models, refused by text models, before any request', () => {
		expect(() => read({ model: PIXVERSE_V5_IMAGE })).toThrow(/^Invalid imageSource: PixVerse V5 Image to Video animates an image/);
		expect(() => read({ model: PIXVERSE_V5, imageSource: 'url', imageUrl: 'https://x.example/a.png' })).toThrow(/^Invalid imageSource: PixVerse V5 does not take an image$/);
		expect(read({ model: PIXVERSE_V5_IMAGE, imageSource: 'url', imageUrl: 'https://x.example/a.png' })).toMatchObject({ image: { source: 'url', url: 'https://x.example/a.png' } });
	});
});

test('A4F has no image fields: its video endpoint documents no image input', () => {
	const { properties } = new A4f().description;
	expect(properties.filter((p) => /image/i.test(p.name))).toEqual([]);
});
