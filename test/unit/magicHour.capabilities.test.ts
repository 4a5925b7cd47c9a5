import { MAGIC_HOUR_CAPABILITIES as TABLE } from '../../nodes/MagicHour/capabilities';
import { MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { magicHourProvider } from '../../nodes/MagicHour/provider';
import { checkTableAgreement, readInputWith, visibleProperties } from '../helpers/capabilities';

const description = new MagicHour().description;

test('the capability table, the UI and the validation agree for every model', () => {
	checkTableAgreement(description, TABLE, magicHourProvider, { prompt: 'a fox' });
});

test('the model list offers every model of the table, and the default model first', () => {
	const [model] = visibleProperties(description, { operation: 'generate' }, 'model');
	expect(model.options?.map((o) => (o as { value: string }).value)).toEqual(TABLE.models.map((m) => m.value));
	expect(model.default).toBe('default');
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

test('the seed\'s model matrix, spot-checked', () => {
	const spec = (id: string) => TABLE.models.find((m) => m.value === id)!;
	expect(spec('sora-2').fields.aspectRatio.values).toEqual(['16:9', '9:16']);
	expect(spec('sora-2').fields.resolution.values).toEqual(['720p']);
	expect(spec('kling-1.6').fields.duration.values).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
	expect(spec('ltx-2').fields.duration.values).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30]);
	expect(spec('veo3.1').fields.duration.values).toEqual([4, 6, 8, 16, 24, 32, 40, 48, 56]);
	expect(spec('seedance').fields.duration.values).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

test('a deprecated alias is read as its base model with audio on', () => {
	const input = readInputWith(magicHourProvider, { operation: 'generate', model: 'veo3.1-audio', prompt: 'x', duration: 8, aspectRatio: '16:9', resolution: '720p' });
	expect(input).toMatchObject({ model: 'veo3.1', audio: true });
});
