import type { BalanceSupport, PriceQuote } from '../shared/cost/cost';
import type { Transport } from '../shared/transport/transport';

/**
 * AI/ML API prices come from its live model catalogue, `GET /v1/models?id=…&include=pricing`: free,
 * without a key, in USD (docs.aimlapi.com "Complete Model List", api-docs commit c881092 of
 * 2026-08-19). The node keeps no copy of them: they change with the catalogue, and a copy would go
 * stale. A job's charge comes back in credits (`meta.usage.credits_used`) at $1 = 2,000,000 credits
 * (docs.aimlapi.com FAQ "How can I track my funds?"), so estimates are converted to credits too.
 * docs/providers/aiml-api.md, "What it costs".
 */

export const CREDITS_PER_USD = 2_000_000;
export const AIML_PRICE_SOURCE = 'AI/ML API model catalogue (GET /v1/models?include=pricing, read at run time; $1 = 2,000,000 credits)';

interface Rate {
	price?: number;
	per?: number;
	unit?: string;
	name?: string;
	measure?: string;
}

interface Pricing {
	kind?: string;
	currency?: string;
	units?: Rate[];
	dimensions?: string[];
	variants?: Array<Rate & { when?: Record<string, unknown> }>;
}

/** What an estimate reads of an item: its model and the fields a price can depend on. */
export interface PricedInput {
	model: string;
	duration?: number;
	resolution?: string;
	aspectRatio?: string;
	additionalFields?: Record<string, unknown>;
}

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The value an item gives a pricing dimension: its own field, or the same field under Additional Fields. */
function valueOf(input: PricedInput, dimension: string): unknown {
	const own = (input as unknown as Record<string, unknown>)[camel(dimension)];
	return own !== undefined ? own : input.additionalFields?.[dimension];
}

/** USD for one generation at one rate: per second of video, or per video; any other unit cannot be quoted. */
function usdOf(rate: Rate, seconds: number | undefined): number | undefined {
	if (typeof rate.price !== 'number' || !(rate.price >= 0)) return undefined;
	const per = typeof rate.per === 'number' && rate.per > 0 ? rate.per : 1;
	const unit = String(rate.unit ?? rate.name ?? '').toLowerCase();
	if (unit === 'second') return seconds === undefined ? undefined : (rate.price / per) * seconds;
	if (unit === 'video' || unit === 'generation' || unit === 'request') return rate.price / per;
	return undefined;
}

/** The price of one item from a catalogue entry's `pricing`, in credits; undefined when it cannot be quoted. */
export function priceFromCatalogue(pricing: Pricing | undefined, input: PricedInput): PriceQuote | undefined {
	if (!pricing || String(pricing.currency ?? 'USD').toUpperCase() !== 'USD') return undefined;
	const seconds = typeof input.duration === 'number' ? input.duration : undefined;
	let usd: number | undefined;
	if (pricing.kind === 'fixed' && pricing.units?.length === 1) usd = usdOf(pricing.units[0], seconds);
	if (pricing.kind === 'variants') {
		// Every dimension must be set by the item: a field left to the model's default has no known price.
		const match = pricing.variants?.find((variant) =>
			(pricing.dimensions ?? Object.keys(variant.when ?? {})).every((dimension) => {
				const value = valueOf(input, dimension);
				return value !== undefined && value !== '' && String(variant.when?.[dimension]) === String(value);
			}),
		);
		if (match) usd = usdOf(match, seconds);
	}
	if (usd === undefined) return undefined;
	return { amount: Math.round(usd * CREDITS_PER_USD), unit: 'credits', source: AIML_PRICE_SOURCE };
}

/** One catalogue lookup per model and run (the transport is the run's). */
const lookups = new WeakMap<Transport, Map<string, Promise<Pricing | undefined>>>();

/** The catalogue's price for an item; a failed or empty lookup is no estimate, never a guess. */
export async function aimlApiPrice(api: Transport, input: PricedInput): Promise<PriceQuote | undefined> {
	let cache = lookups.get(api);
	if (!cache) lookups.set(api, (cache = new Map()));
	let pricing = cache.get(input.model);
	if (!pricing) {
		pricing = api
			.request<{ data?: Array<{ id?: string; aliases?: string[]; pricing?: Pricing }> }>({ method: 'GET', path: '/v1/models', qs: { id: input.model, include: 'pricing' }, phase: 'poll' })
			.then(({ body }) => body?.data?.find((m) => m.id === input.model || m.aliases?.includes(input.model))?.pricing)
			.catch(() => undefined);
		cache.set(input.model, pricing);
	}
	return priceFromCatalogue(await pricing, input);
}

/** `GET https://billing.aimlapi.com/v1/billing/balance`: free, the key's balance in credits. */
export const aimlApiBalance: BalanceSupport<unknown> = {
	endpoint: 'GET https://billing.aimlapi.com/v1/billing/balance',
	// The billing host is its own; a proxy or the sandbox serves the same path under the API root.
	root: (apiRoot) => (apiRoot === 'https://api.aimlapi.com' ? 'https://billing.aimlapi.com' : apiRoot),
	async read(api) {
		const { body } = await api.request<{ balance?: number }>({ method: 'GET', path: '/v1/billing/balance', phase: 'poll' });
		return typeof body?.balance === 'number' ? body.balance : undefined;
	},
};
