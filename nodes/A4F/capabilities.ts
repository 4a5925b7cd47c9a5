import { type FieldChoice, type FieldSpec, type ModelEntry, aspectRatioField, capabilityTable, durationField, resolutionField } from '../shared/capabilities/table';

/**
 * A4F video models (the model table of https://www.a4f.co/docs/api-reference/video-generation;
 * docs/providers/a4f.md, "The API as this node uses it"): each model's longest duration and
 * its qualities. Any other `provider-N/<model>` id can be typed in, within the API's general limits.
 */

/** An A4F model id that A4F's model table does not list (the older docs' example). */
export const EXAMPLE_MODEL_ID = 'provider-6/wan-2.1';
/** What an A4F model id looks like: `provider-2/kling-v2.1`. */
export const MODEL_ID_PATTERN = /^provider-\d+\/[A-Za-z0-9][\w.:-]*$/;
/** A4F documents no prompt limit: this only stops runaway text. */
export const MAX_PROMPT_LENGTH = 10_000;
/** The API takes 1 to 8 seconds; a model may allow fewer. */
export const MAX_DURATION = 8;
export const RATIOS = ['9:16', '16:9', '1:1', '3:4', '4:3'];

const seconds = (longest: number): FieldChoice => ({
	values: Array.from({ length: longest }, (_, i) => i + 1),
	default: Math.min(longest, 5),
});

function model(value: string, name: string, description: string, longest: number, qualities: string[]): ModelEntry {
	return {
		value,
		name,
		description,
		fields: {
			duration: seconds(longest),
			resolution: { values: qualities, default: qualities.includes('1080p') ? '1080p' : qualities[0] },
			aspectRatio: { values: RATIOS },
		},
	};
}

export const A4F_FIELDS: FieldSpec[] = [
	durationField('Length of the video. Each model has its own longest duration (Veo: 8 s).', 5),
	resolutionField('Output quality. The qualities offered depend on the model; A4F recommends 1080p for most.', '1080p', { displayName: 'Quality' }),
	aspectRatioField('Shape of the video (A4F calls it ratio)', '9:16'),
];

export const A4F_CAPABILITIES = capabilityTable({
	defaultModel: 'provider-2/kling-v2.1',
	fields: A4F_FIELDS,
	models: [
		model('provider-2/kling-v2.1', 'Kling v2.1', 'Kuaishou. Up to 5 s, 720p or 1080p. Recommended for daily use and testing.', 5, ['720p', '1080p']),
		model('provider-2/seedance-lite', 'Seedance Lite', 'Up to 5 s, 1080p. Recommended for daily use and testing.', 5, ['1080p']),
		model('provider-2/sora-2', 'Sora 2', 'OpenAI. Up to 4 s, 720p or 1080p. Balanced.', 4, ['720p', '1080p']),
		model('provider-2/veo-fast', 'Veo Fast', 'Google. Up to 8 s, 720p or 1080p. For longer videos.', 8, ['720p', '1080p']),
		model('provider-2/seedance-pro', 'Seedance Pro (Premium)', 'Up to 5 s, 1080p. Premium: use sparingly.', 5, ['1080p']),
		model('provider-2/sora-2-pro', 'Sora 2 Pro (Premium)', 'OpenAI. Up to 5 s, 720p or 1080p. Premium quality: use only when needed.', 5, ['720p', '1080p']),
		model('provider-2/veo', 'Veo (Premium)', 'Google. Up to 8 s, 720p or 1080p. Premium quality: use only when needed.', 8, ['720p', '1080p']),
	],
	// A model id typed in: the API's own limits (1 to 8 s, 480p to 1080p, every ratio).
	customModel: {
		fields: {
			duration: { values: seconds(MAX_DURATION).values },
			resolution: { values: ['480p', '720p', '1080p'], default: '720p' },
			aspectRatio: { values: RATIOS },
		},
	},
});
