import type { INode, INodeProperties } from 'n8n-workflow';
import { priceFromCatalogue, CREDITS_PER_USD } from '../../nodes/AimlApi/prices';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { A4fV1 as A4f } from '../../nodes/A4F/A4f.node';
import { MAGIC_HOUR_CAPABILITIES } from '../../nodes/MagicHour/capabilities';
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { MAGIC_HOUR_PRICES, magicHourPrice } from '../../nodes/MagicHour/prices';
import { Budget, checkBatch, checkFloor, costOf, NO_PRICE, tidy } from '../../nodes/shared/cost/cost';
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { VideoGenerationV1 as VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';

const node = { name: 'Video', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const thrown = (fn: () => void) => {
	try {
		fn();
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected an error');
};

describe('costOf: one shape', () => {
	const support = { unit: 'credits', reportedField: 'credits_charged' };
	const quote = { amount: 240, unit: 'credits', source: 'price table: x (2026-08-16)' };

	test("the provider's reported charge wins, final only once the job is complete", () => {
		expect(costOf(support, { jobId: 'j', status: 'queued', videos: [], credits: 450 }, quote)).toEqual({ amount: 450, unit: 'credits', estimated: true, source: 'provider: credits_charged' });
		expect(costOf(support, { jobId: 'j', status: 'completed', videos: [], credits: 435 }, quote)).toEqual({ amount: 435, unit: 'credits', estimated: false, source: 'provider: credits_charged' });
	});

	test('the price table when nothing is reported, always as an estimate; nothing known: amount null', () => {
		expect(costOf(support, { jobId: 'j', status: 'completed', videos: [] }, quote)).toEqual({ amount: 240, unit: 'credits', estimated: true, source: quote.source });
		expect(costOf(support, undefined, undefined)).toEqual({ amount: null, unit: 'credits', estimated: true, source: NO_PRICE });
		expect(costOf(undefined, { jobId: 'j', status: 'completed', videos: [], credits: 5 }, undefined)).toEqual({ amount: null, unit: null, estimated: true, source: NO_PRICE });
	});

	test('tidy drops float noise', () => {
		expect(tidy(0.07 * 5 + 0.01)).toBe(0.36);
	});
});

describe('Magic Hour price table', () => {
	test('per second × duration at the resolution; audio adds its own rate where it costs extra', () => {
		expect(magicHourPrice('kling-3.0', '720p', 5, false)?.amount).toBe(240);
		expect(magicHourPrice('kling-3.0', '1080p', 10, true)?.amount).toBe((72 + 24) * 10);
		expect(magicHourPrice('kling-3.0', '4k', 5, true)?.amount).toBe((240 + 48) * 5);
		expect(magicHourPrice('veo3.1', '1080p', 8, true)?.amount).toBe((120 + 24) * 8);
		expect(magicHourPrice('seedance-1.5', '480p', 4, true)?.amount).toBe(30 * 2 * 4);
		expect(magicHourPrice('sora-2', '720p', 12, false)).toEqual({ amount: 1440, unit: 'credits', source: expect.stringMatching(/docs\.magichour\.ai.*2026-08-16/) });
	});

	test('no price where the page gives none: legacy ids, default (plan-dependent), a resolution not priced', () => {
		for (const model of ['default', 'ltx-2', 'seedance', 'kling-2.5', 'kling-1.6']) expect(magicHourPrice(model, '720p', 5, false)).toBeUndefined();
		expect(magicHourPrice('sora-2', '1080p', 4, false)).toBeUndefined();
	});

	test('every model of the capability table is either priced at each of its resolutions or has no row', () => {
		for (const model of MAGIC_HOUR_CAPABILITIES.models) {
			const row = MAGIC_HOUR_PRICES[model.value];
			if (!row) continue;
			for (const resolution of model.fields.resolution?.values ?? []) expect({ model: model.value, resolution, priced: row.perSecond[String(resolution)] !== undefined }).toMatchObject({ priced: true });
		}
		// The models the node offers today that the page prices.
		expect(MAGIC_HOUR_CAPABILITIES.models.map((m) => m.value).filter((id) => MAGIC_HOUR_PRICES[id])).toEqual(expect.arrayContaining(['kling-3.0', 'sora-2', 'veo3.1']));
	});
});

describe('AI/ML API catalogue prices', () => {
	const variants = {
		kind: 'variants',
		currency: 'USD',
		dimensions: ['resolution'],
		variants: [
			{ when: { resolution: '720p' }, price: 0.39, unit: 'second', per: 1 },
			{ when: { resolution: '1080p' }, price: 0.65, unit: 'second', per: 1 },
		],
	};

	test("the docs' example: 5 s at 1080p is $3.25, in credits", () => {
		expect(priceFromCatalogue(variants, { model: 'm', resolution: '1080p', duration: 5 })?.amount).toBe(3.25 * CREDITS_PER_USD);
	});

	test('fixed per-video and per-second rates; `per` divides', () => {
		expect(priceFromCatalogue({ kind: 'fixed', currency: 'USD', units: [{ name: 'video', price: 0.3, per: 1 }] }, { model: 'm' })?.amount).toBe(600000);
		expect(priceFromCatalogue({ kind: 'fixed', currency: 'USD', units: [{ unit: 'second', price: 1, per: 10 }] }, { model: 'm', duration: 5 })?.amount).toBe(1_000_000);
	});

	test('no estimate when it cannot be quoted: variable, a dimension left to the model, per second without a duration, other currency', () => {
		expect(priceFromCatalogue({ kind: 'variable', currency: 'USD' }, { model: 'm' })).toBeUndefined();
		expect(priceFromCatalogue(variants, { model: 'm', duration: 5 })).toBeUndefined();
		expect(priceFromCatalogue(variants, { model: 'm', resolution: '1080p' })).toBeUndefined();
		expect(priceFromCatalogue({ ...variants, currency: 'EUR' }, { model: 'm', resolution: '1080p', duration: 5 })).toBeUndefined();
		expect(priceFromCatalogue({ kind: 'fixed', currency: 'USD', units: [{ name: 'token', measure: 'output', price: 3.25, per: 1000000 }] }, { model: 'm' })).toBeUndefined();
	});

	test('a dimension set under Additional Fields counts', () => {
		expect(priceFromCatalogue(variants, { model: 'm', duration: 2, additionalFields: { resolution: '720p' } })?.amount).toBe(Math.round(0.78 * CREDITS_PER_USD));
	});
});

describe('Budget and checks', () => {
	test('the batch check names the total, the budget, each item and how many fit', () => {
		const error = thrown(() => checkBatch(node, 500, 'credits', [0, 1, 2].map((itemIndex) => ({ itemIndex, amount: 240 })), 'refuse'));
		expect(error.message).toBe('Nothing submitted: the estimate for this run is 720 credits, over the Max Cost per Run of 500 credits');
		expect(error.description).toBe('Per item (credits): item 1: 240, item 2: 240, item 3: 240. The first 2 of 3 item(s) would fit. Raise Max Cost per Run, or send fewer or cheaper items.');
		expect(() => checkBatch(node, 720, 'credits', [0, 1, 2].map((itemIndex) => ({ itemIndex, amount: 240 })), 'refuse')).not.toThrow();
		expect(() => checkBatch(node, 0, 'credits', [{ itemIndex: 0, amount: 1e9 }], 'refuse')).not.toThrow();
	});

	test('unknown estimates: refused under "refuse", counted as 0 up front under "reported"', () => {
		expect(thrown(() => checkBatch(node, 100, 'credits', [{ itemIndex: 0, amount: 50 }, { itemIndex: 1, amount: undefined }], 'refuse')).message).toMatch(/1 item\(s\) have no cost estimate \(item 2\)/);
		expect(() => checkBatch(node, 100, 'credits', [{ itemIndex: 0, amount: 50 }, { itemIndex: 1, amount: undefined }], 'reported')).not.toThrow();
	});

	test('running total: estimates until reported, reported charges replace them, refusals name the figures', () => {
		const budget = new Budget(800, 'credits', 'refuse');
		budget.admit(node, 0, 240);
		budget.admit(node, 1, 240);
		expect(budget.total).toBe(480);
		budget.report(0, 450);
		budget.report(1, 450, true);
		expect(budget.total).toBe(900);
		expect(budget.uncharged).toBe(450);
		expect(thrown(() => budget.admit(node, 2, 240)).message).toBe('Not submitted: item 3 would cost about 240 credits, and this run has spent 900 credits of its Max Cost per Run of 800 credits');
		budget.release(1);
		expect(budget.total).toBe(450);
		expect(thrown(() => budget.admit(node, 3, undefined)).message).toMatch(/item 4 has no cost estimate, and Max Cost per Run is set/);
		const lenient = new Budget(100, 'credits', 'reported');
		lenient.admit(node, 0, undefined);
		lenient.report(0, 120);
		expect(thrown(() => lenient.admit(node, 1, undefined)).message).toMatch(/already spent 120 credits of its Max Cost per Run of 100 credits/);
	});

	test('the floor: balance − not yet charged − estimate must stay at or above it', () => {
		expect(() => checkFloor(node, 0, 100, 'credits', 400, 100, 200, 'GET /b')).not.toThrow();
		expect(thrown(() => checkFloor(node, 0, 100, 'credits', 400, 150, 200, 'GET /b')).message).toBe(
			"Not submitted: the balance is 400 credits, minus 150 credits for jobs of this run not yet charged; this job's estimate of 200 credits would leave 50 credits, below Keep Balance Above (100 credits)",
		);
		expect(thrown(() => checkFloor(node, 0, 100, 'credits', undefined, 0, 1, 'GET /b')).message).toMatch(/balance could not be read \(GET \/b gave none\)/);
	});
});

describe('node descriptions', () => {
	const optionNames = (type: { description: { properties: INodeProperties[] } }) =>
		(type.description.properties.find((p) => p.name === 'options')?.options as INodeProperties[]).map((o) => o.name);
	const operations = (type: { description: { properties: INodeProperties[] } }) =>
		(type.description.properties.find((p) => p.name === 'operation')?.options as Array<{ value: string }>).map((o) => o.value);

	test.each([
		['Magic Hour', new MagicHour(), false],
		['AI/ML API', new AimlApi(), true],
		['Kling', new UseApiKling(), true],
		['A4F', new A4f(), false],
		['Video Generation', new VideoGeneration(), false],
	])('%s: Estimate, Max Cost per Run; Keep Balance Above only with a balance endpoint', (_, type, balance) => {
		expect(operations(type)).toContain('estimate');
		expect(optionNames(type)).toEqual(expect.arrayContaining(['maxCost', 'whenUnknownCost']));
		expect(optionNames(type).includes('keepBalanceAbove')).toBe(balance);
	});

	test("the gateway takes the user's own price", () => {
		expect(optionNames(new VideoGeneration())).toEqual(expect.arrayContaining(['pricePerSecond', 'pricePerVideo', 'priceUnit']));
	});

	test('every input field shows for Estimate as for Generate', () => {
		for (const type of [new MagicHour(), new AimlApi(), new UseApiKling(), new A4f(), new VideoGeneration()])
			for (const property of type.description.properties) {
				const shown = property.displayOptions?.show?.operation as string[] | undefined;
				if (shown?.includes('generate')) expect({ name: property.name, estimate: shown.includes('estimate') }).toEqual({ name: property.name, estimate: true });
			}
	});
});
