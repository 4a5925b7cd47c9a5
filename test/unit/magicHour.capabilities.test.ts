import { MAGIC_HOUR_CAPABILITIES as TABLE } from '../../nodes/MagicHour/capabilities';
import { UI_TABLE } from '../../nodes/MagicHour/description';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { magicHourProvider } from '../../nodes/MagicHour/provider';
import { checkTableAgreement, readInputWith, visibleProperties } from '../helpers/capabilities';

const description = new MagicHour().description;

test('the capability table, the UI and the validation agree for every model', () => {
	checkTableAgreement(description, TABLE, magicHourProvider, { prompt: 'a fox' });
});

test('the model list offers every model of the table, the default model first, then "Other model"', () => {
	const [model] = visibleProperties(description, { operation: 'generate' }, 'model');
	const values = model.options?.map((o) => (o as { value: string }).value);
	expect(values).toEqual([...TABLE.models.map((m) => m.value), 'other']);
	expect(values?.[0]).toBe('default');
	expect(model.default).toBe('default');
	expect((model.options?.at(-1) as { name: string }).name).toBe('Other Model (Type Its ID)');
});

test('current models come first and legacy ones after, each marked "(Legacy)" in its name', () => {
	const legacyFrom = TABLE.models.findIndex((m) => m.traits?.legacy);
	expect(TABLE.models.filter((m) => !m.traits?.legacy)).toHaveLength(13);
	expect(TABLE.models.slice(legacyFrom).every((m) => m.traits?.legacy)).toBe(true);
	for (const model of TABLE.models) expect({ model: model.value, marked: model.name.endsWith('(Legacy)') }).toEqual({ model: model.value, marked: !!model.traits?.legacy });
	expect(TABLE.models.filter((m) => m.traits?.legacy).map((m) => m.value)).toEqual(['kling-1.6', 'kling-2.5', 'ltx-2', 'seedance']);
});

test('the typed model ID: shown for "Other model" only, sent as typed, with any value some model takes', () => {
	expect(visibleProperties(description, { operation: 'generate', model: 'other' }, 'customModel')).toHaveLength(1);
	expect(visibleProperties(description, { operation: 'generate', model: 'kling-3.0' }, 'customModel')).toHaveLength(0);
	const input = readInputWith(magicHourProvider, { operation: 'generate', model: 'other', customModel: ' seedance-3.0 ', prompt: 'x', duration: 30, resolution: '4k', aspectRatio: '1:1', audio: true });
	expect(input).toMatchObject({ model: 'seedance-3.0', duration: 30, resolution: '4k', aspectRatio: '1:1', audio: true });
	const other = UI_TABLE.models.find((m) => m.value === 'other')!;
	expect(other.fields.resolution.values).toEqual(['480p', '720p', '1080p', '4k']);
	expect(other.fields.duration.values).toEqual(expect.arrayContaining([1, 30, 56, 60]));
	expect(() => readInputWith(magicHourProvider, { operation: 'generate', model: 'other', customModel: '  ', prompt: 'x' })).toThrow(/Model ID is empty: type the ID of a video model, e.g. seedance-2.5/);
	expect(() => readInputWith(magicHourProvider, { operation: 'generate', model: 'other', customModel: 'Kling 4', prompt: 'x' })).toThrow(/must not contain spaces/);
	expect(() => readInputWith(magicHourProvider, { operation: 'generate', model: 'other', customModel: 'Kling-4.0', prompt: 'x' })).toThrow(/"Kling-4.0" is not a Magic Hour model ID/);
	// Values no Magic Hour model takes are refused even for a typed id.
	expect(() => readInputWith(magicHourProvider, { operation: 'generate', model: 'other', customModel: 'kling-4.0', prompt: 'x', duration: 61 })).toThrow(/duration: 61 s is not available for kling-4.0/);
});

test('Veo 3.1 takes an end frame only up to 8 s, and says so before any request', () => {
	const base = { operation: 'generate', prompt: 'x', imageSource: 'url', imageUrl: 'https://example.com/a.png', endImageSource: 'url', endImageUrl: 'https://example.com/b.png', resolution: '720p' };
	expect(readInputWith(magicHourProvider, { ...base, model: 'veo3.1-lite', duration: 8 })).toMatchObject({ model: 'veo3.1-lite', endImage: { source: 'url' } });
	expect(() => readInputWith(magicHourProvider, { ...base, model: 'veo3.1', duration: 16 })).toThrow(/^Invalid duration: Veo 3\.1 takes an end frame only for videos of 8 s or less, not 16 s$/);
	expect(() => readInputWith(magicHourProvider, { ...base, model: 'wan-2.2', duration: 5 })).toThrow(/^Invalid endImageSource: Wan 2\.2 takes no end frame$/);
	expect(() => readInputWith(magicHourProvider, { ...base, model: 'seedance-2.5', duration: 5, resolution: '480p' })).not.toThrow();
});

test('the audio toggle shows only where audio can be switched, the notice where it is always on', () => {
	const shown = (model: string, name: string) => visibleProperties(description, { operation: 'generate', model }, name).length;
	for (const spec of TABLE.models) {
		const mode = spec.traits?.audio;
		expect({ model: spec.value, toggle: shown(spec.value, 'audio'), notice: shown(spec.value, 'audioAlwaysNotice') }).toEqual({
			model: spec.value,
			toggle: mode === 'toggle' ? 1 : 0,
			notice: mode === 'always' ? 1 : 0,
		});
	}
});

test('legacy models keep the lists of the last spec that documented them; default offers what Kling 3.0 and LTX-2.3 both allow', () => {
	const spec = (id: string) => TABLE.models.find((m) => m.value === id)!;
	expect(spec('kling-1.6').fields.duration.values).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
	expect(spec('ltx-2').fields.duration.values).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30]);
	expect(spec('seedance').fields.duration.values).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
	expect(spec('default').fields.duration.values).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 15]);
	expect(spec('default').fields.resolution.values).toEqual(['720p', '1080p']);
	expect(spec('default').image?.endResolutions).toEqual(['720p', '1080p']);
});

test('a deprecated alias is read as its base model with audio on', () => {
	const input = readInputWith(magicHourProvider, { operation: 'generate', model: 'veo3.1-audio', prompt: 'x', duration: 8, aspectRatio: '16:9', resolution: '720p' });
	expect(input).toMatchObject({ model: 'veo3.1', audio: true });
});
