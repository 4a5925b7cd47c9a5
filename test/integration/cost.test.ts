import { A4FApi } from '../../credentials/A4FApi.credentials';
import { AimlApiApi } from '../../credentials/AimlApiApi.credentials';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
import { VideoGenerationApi } from '../../credentials/VideoGenerationApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { A4fV1 as A4f } from '../../nodes/A4F/A4f.node';
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { AIML_PRICE_SOURCE } from '../../nodes/AimlApi/prices';
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { MAGIC_HOUR_PRICE_SOURCE } from '../../nodes/MagicHour/prices';
import { NO_PRICE } from '../../nodes/shared/cost/cost';
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { VideoGenerationV1 as VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { USER_PRICE_SOURCE } from '../../nodes/VideoGeneration/prices';
import { expectNoError, useProviderSandbox } from '../helpers/provider';

/**
 * Cost over the sandbox (docs/cost.md): `cost` on every item of every node, Estimate without a paid
 * request, Max Cost per Run before the first submit and as a running total, Keep Balance Above.
 */

const JOB_MS = 300;
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ p: `clip ${i + 1}` }));

describe('Magic Hour', () => {
	const mh = useProviderSandbox('magicHour', { apiKey: 'mhk_live_costTest0123456789', jobDurationMs: JOB_MS });
	const run = mh.runner(new MagicHour(), new MagicHourApi(), { model: 'kling-3.0', prompt: '={{ $json.p ?? "a red fox" }}', duration: 5, resolution: '720p' });
	const paid = () => mh.sandbox.requests.filter((r) => r.provider === 'magicHour' && r.route !== 'poll');

	test('Estimate: per item from the price table, the same validation, and no request at all', async () => {
		const result = await run({ operation: 'estimate', audio: true }, { items: items(2) });
		expectNoError(result);
		expect(result.items.map((i) => i.json)).toEqual([0, 1].map(() => ({ provider: 'magicHour', model: 'kling-3.0', cost: { amount: (48 + 24) * 5, unit: 'credits', estimated: true, source: MAGIC_HOUR_PRICE_SOURCE } })));
		expect(mh.sandbox.requests).toHaveLength(0);
		expect(mh.jobs()).toHaveLength(0);
		// A duration the model does not take fails as Generate would, before anything.
		const bad = await run({ operation: 'estimate', duration: 99 });
		expect(bad.error?.message).toMatch(/duration/i);
		expect(mh.sandbox.requests).toHaveLength(0);
	});

	test('Estimate of a model without a public price says so: amount null, never a number', async () => {
		const result = await run({ operation: 'estimate', model: 'kling-2.5' });
		expectNoError(result);
		expect(result.items[0].json.cost).toEqual({ amount: null, unit: 'credits', estimated: true, source: NO_PRICE });
	});

	test('a budget below the batch estimate: nothing submitted, and the error names the figures', async () => {
		const result = await run({ options: { maxCost: 500 } }, { items: items(3) });
		expect(result.error?.message).toBe('Nothing submitted: the estimate for this run is 720 credits, over the Max Cost per Run of 500 credits');
		expect(result.error?.description).toContain('item 1: 240, item 2: 240, item 3: 240');
		expect(result.error?.description).toContain('The first 2 of 3 item(s) would fit');
		expect(mh.submits()).toHaveLength(0);
		expect(mh.jobs()).toHaveLength(0);
	});

	test('an item without an estimate is refused under a budget unless the reported charge may count', async () => {
		const refused = await run({ model: 'kling-2.5', options: { maxCost: 5000 } });
		expect(refused.error?.message).toMatch(/Nothing submitted: 1 item\(s\) have no cost estimate/);
		expect(mh.submits()).toHaveLength(0);
		const counted = await run({ model: 'kling-2.5', options: { maxCost: 5000, whenUnknownCost: 'reported' } });
		expectNoError(counted);
		expect(counted.items[0].json.cost).toMatchObject({ amount: counted.items[0].json.credits, unit: 'credits', estimated: false, source: 'provider: credits_charged' });
		expect(mh.submits()).toHaveLength(1);
	});

	test("running total with Continue On Fail: charges above the estimate stop the item that would pass the budget", async () => {
		// Each item is estimated at 240 credits; the sandbox charges 450 at submit. 3 × 240 = 720 fits 800;
		// once complete each counts at its final charge (435), so after two items the total is 870 and item 3 is not submitted.
		const result = await run({ options: { maxCost: 800, concurrency: 1 } }, { items: items(3), continueOnFail: true });
		expectNoError(result);
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.cost).toEqual({ amount: result.items[0].json.credits, unit: 'credits', estimated: false, source: 'provider: credits_charged' });
		expect(result.items[1].json.status).toBe('completed');
		expect(result.items[2].json.error).toMatch(/^Not submitted: item 3 would cost about 240 credits, and this run has spent 870 credits of its Max Cost per Run of 800 credits/);
		expect(result.items[2].json.jobId).toBeUndefined();
		expect(mh.submits()).toHaveLength(2);
	});

	test('Submit: cost is the charge reported at submit, still an estimate; `credits` stays as it was', async () => {
		const result = await run({ operation: 'submit' });
		expectNoError(result);
		expect(result.items[0].json).toMatchObject({ status: 'queued', credits: 450, cost: { amount: 450, unit: 'credits', estimated: true, source: 'provider: credits_charged' } });
		expect(paid()).toHaveLength(1);
	});
});

describe('AI/ML API', () => {
	const api = useProviderSandbox('aimlApi', { apiKey: 'aiml_costTest_4f7c0d2e9b8a', jobDurationMs: JOB_MS });
	const run = api.runner(new AimlApi(), new AimlApiApi(), { prompt: '={{ $json.p ?? "a red fox" }}', resolution: '720p', duration: 5 });
	const routes = () => api.sandbox.requests.map((r) => r.route);

	test('Estimate: from the free model catalogue, in credits; no paid request', async () => {
		const result = await run({ operation: 'estimate' }, { items: items(3) });
		expectNoError(result);
		expect(result.items.map((i) => i.json.cost)).toEqual([0, 1, 2].map(() => ({ amount: 120000, unit: 'credits', estimated: true, source: AIML_PRICE_SOURCE })));
		// One catalogue lookup for the model, nothing else.
		expect(routes()).toEqual(['catalogue']);
		expect(api.jobs()).toHaveLength(0);
	});

	test('cost on each item is the reported credits_used once complete; a refused budget submits nothing', async () => {
		const done = await run({}, { items: items(2) });
		expectNoError(done);
		for (const item of done.items) expect(item.json.cost).toEqual({ amount: 120000, unit: 'credits', estimated: false, source: 'provider: meta.usage.credits_used' });
		// Without a limit, the price lookup is not even made: the API reports the charge.
		expect(routes()).not.toContain('catalogue');
		api.sandbox.reset();
		const refused = await run({ options: { maxCost: 200000 } }, { items: items(2) });
		expect(refused.error?.message).toBe('Nothing submitted: the estimate for this run is 240000 credits, over the Max Cost per Run of 200000 credits');
		expect(api.submits()).toHaveLength(0);
	});

	test('Keep Balance Above: reads the balance before each submit and refuses the job that would go below the floor', async () => {
		(api.sandbox as unknown as { setBalance(p: string, n: number): void }).setBalance('aimlApi', 300000);
		const result = await run({ options: { keepBalanceAbove: 100000, concurrency: 1 } }, { items: items(2), continueOnFail: true });
		expectNoError(result);
		expect(result.items[0].json.status).toBe('completed');
		expect(result.items[1].json.error).toBe(
			'Not submitted: the balance is 180000 credits; this job\'s estimate of 120000 credits would leave 60000 credits, below Keep Balance Above (100000 credits) (item 2)',
		);
		expect(api.submits()).toHaveLength(1);
		expect(routes().filter((r) => r === 'balance')).toHaveLength(2);
	});

	test('within one run, jobs submitted but not yet final are counted against the floor', async () => {
		(api.sandbox as unknown as { setBalance(p: string, n: number): void }).setBalance('aimlApi', 1_000_000);
		// Concurrency 3: all three are checked before any finishes. A job's charge is taken off the sandbox
		// balance at submit, and the node also counts it until it is final: the floor errs on the safe side.
		const result = await run({ options: { keepBalanceAbove: 600000, concurrency: 3 } }, { items: items(3), continueOnFail: true });
		expectNoError(result);
		const errors = result.items.filter((i) => i.json.error);
		expect(result.items[0].json.status).toBe('completed');
		expect(errors.length).toBeGreaterThanOrEqual(1);
		expect(String(errors[0].json.error)).toMatch(/minus (120000|240000) credits for jobs of this run not yet charged/);
		expect(api.submits().length).toBe(3 - errors.length);
	});
});

describe('Kling (useapi.net)', () => {
	const kling = useProviderSandbox('useApiKling', { apiKey: 'user:4242-c0sTt3sTt0k3n', jobDurationMs: JOB_MS });
	const run = kling.runner(new UseApiKling(), new UseApiApi(), { model: 'kling-v2-5', prompt: 'a red fox' });

	test('no public price: cost is unknown on each item, and Estimate says so without a request', async () => {
		const done = await run({});
		expectNoError(done);
		expect(done.items[0].json.cost).toEqual({ amount: null, unit: 'Kling credits', estimated: true, source: NO_PRICE });
		kling.sandbox.reset();
		const estimate = await run({ operation: 'estimate' });
		expect(estimate.items[0].json.cost).toEqual({ amount: null, unit: 'Kling credits', estimated: true, source: NO_PRICE });
		expect(kling.sandbox.requests).toHaveLength(0);
	});

	test('Keep Balance Above reads the Kling account balance; below the floor nothing is submitted', async () => {
		(kling.sandbox as unknown as { setBalance(p: string, n: number): void }).setBalance('useApiKling', 50);
		const result = await run({ email: 'kling@example.com', options: { keepBalanceAbove: 100, whenUnknownCost: 'reported' } });
		expect(result.error?.message).toBe("Not submitted: the balance is 50 Kling credits; this job's estimate of unknown would leave 50 Kling credits, below Keep Balance Above (100 Kling credits)");
		expect(kling.submits()).toHaveLength(0);
		const missing = await run({ options: { keepBalanceAbove: 100, whenUnknownCost: 'reported' } });
		expect(missing.error?.message).toMatch(/Keep Balance Above needs the Kling Account Email/);
		const refused = await run({ email: 'kling@example.com', options: { keepBalanceAbove: 10 } });
		expect(refused.error?.message).toMatch(/has no cost estimate, and Keep Balance Above is set/);
		expect(kling.submits()).toHaveLength(0);
	});
});

describe('A4F', () => {
	const a4f = useProviderSandbox('a4f', { apiKey: 'ddc-a4f-costTest0123456789', jobDurationMs: JOB_MS });
	const run = a4f.runner(new A4f(), new A4FApi(), { prompt: 'a red fox' });

	test('no public per-video price and none reported: cost says unknown; Estimate makes no request', async () => {
		const done = await run({});
		expectNoError(done);
		expect(done.items[0].json.cost).toEqual({ amount: null, unit: null, estimated: true, source: NO_PRICE });
		a4f.sandbox.reset();
		const estimate = await run({ operation: 'estimate' });
		expectNoError(estimate);
		expect(estimate.items[0].json).toMatchObject({ provider: 'a4f', cost: { amount: null, estimated: true } });
		expect(a4f.sandbox.requests).toHaveLength(0);
	});
});

describe('Video Generation API', () => {
	const gw = useProviderSandbox('videoGeneration', { apiKey: 'sk-costTest0123456789abcdef', jobDurationMs: JOB_MS });
	const run = gw.runner(new VideoGeneration(), new VideoGenerationApi(), { apiStyle: 'videoGenerations', model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' }, prompt: '={{ $json.p ?? "a red fox" }}', duration: 5 });
	const price = { pricePerSecond: 0.07, pricePerVideo: 0.01, priceUnit: 'USD' };

	test("Estimate and cost from the user's own price; a budget below it submits nothing", async () => {
		const estimate = await run({ operation: 'estimate', options: price }, { items: items(2) });
		expectNoError(estimate);
		expect(estimate.items.map((i) => i.json.cost)).toEqual([0, 1].map(() => ({ amount: 0.36, unit: 'USD', estimated: true, source: USER_PRICE_SOURCE })));
		expect(gw.sandbox.requests).toHaveLength(0);
		const refused = await run({ options: { ...price, maxCost: 0.5 } }, { items: items(2) });
		expect(refused.error?.message).toBe('Nothing submitted: the estimate for this run is 0.72 USD, over the Max Cost per Run of 0.5 USD');
		expect(gw.submits()).toHaveLength(0);
		const done = await run({ options: { ...price, maxCost: 1 } }, { items: items(2) });
		expectNoError(done);
		for (const item of done.items) expect(item.json.cost).toEqual({ amount: 0.36, unit: 'USD', estimated: true, source: USER_PRICE_SOURCE });
		expect(gw.submits()).toHaveLength(2);
	});

	test('without a price the cost is unknown, in the one shape', async () => {
		const done = await run({});
		expectNoError(done);
		expect(done.items[0].json.cost).toEqual({ amount: null, unit: null, estimated: true, source: NO_PRICE });
	});
});
