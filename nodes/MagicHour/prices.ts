import type { PriceQuote } from '../shared/cost/cost';

/**
 * Magic Hour credits per second of output, by model id and resolution, and what audio adds
 * (docs.magichour.ai "Models and Credit Costs", api-reference/models.mdx of github.com/magichourhq/docs,
 * commit d01b875 of 2026-08-16; docs/providers/magic-hour.md, "What it costs"). Keyed by model id so a
 * model added to the capability table gets a price by adding a row here; a model without a row (the
 * legacy ids, and `default`, which depends on the plan) has no estimate.
 */

export const MAGIC_HOUR_PRICE_SOURCE = 'price table: docs.magichour.ai/api-reference/models (2026-08-16)';

interface ModelPrice {
	/** Credits per second at each resolution the page prices. */
	perSecond: Readonly<Record<string, number>>;
	/** Credits per second audio adds, by resolution; 'double' is 2× the base rate; none: included or not offered. */
	audio?: Readonly<Record<string, number>> | 'double';
}

export const MAGIC_HOUR_PRICES: Readonly<Record<string, ModelPrice>> = {
	'ltx-2.3': { perSecond: { '480p': 24, '720p': 48, '1080p': 72 } },
	'wan-2.2': { perSecond: { '480p': 24, '720p': 48, '1080p': 72 } },
	'kling-2.6': { perSecond: { '720p': 36, '1080p': 72 } },
	'kling-3.0': { perSecond: { '720p': 48, '1080p': 72, '4k': 240 }, audio: { '720p': 24, '1080p': 24, '4k': 48 } },
	'veo3.1-lite': { perSecond: { '720p': 48, '1080p': 72 }, audio: { '720p': 24, '1080p': 24 } },
	'veo3.1': { perSecond: { '720p': 96, '1080p': 120 }, audio: { '720p': 24, '1080p': 24 } },
	'seedance-1.5': { perSecond: { '480p': 30, '720p': 60, '1080p': 90 }, audio: 'double' },
	'seedance-2.0-mini': { perSecond: { '480p': 96, '720p': 192 } },
	'seedance-2.0': { perSecond: { '480p': 144, '720p': 288 } },
	'seedance-2.5': { perSecond: { '480p': 288, '720p': 576 } },
	'sora-2': { perSecond: { '720p': 120 } },
};

/** Credits for `seconds` of `model` at `resolution`, with audio where it costs extra; undefined when not priced. */
export function magicHourPrice(model: string, resolution: string, seconds: number, audio: boolean): PriceQuote | undefined {
	const price = MAGIC_HOUR_PRICES[model];
	const base = price?.perSecond[resolution];
	if (base === undefined) return undefined;
	const extra = !audio || !price.audio ? 0 : price.audio === 'double' ? base : price.audio[resolution];
	if (extra === undefined) return undefined;
	return { amount: (base + extra) * seconds, unit: 'credits', source: MAGIC_HOUR_PRICE_SOURCE };
}
