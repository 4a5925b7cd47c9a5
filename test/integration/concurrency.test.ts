/**
 * Automatic concurrency (the default) against a provider that caps concurrent jobs: the sandbox
 * refuses a submit beyond its capacity with HTTP 429 and the provider's own error body, as a plan does.
 */
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { runNode } from '../helpers/n8n';
import { expectNoError, useProviderSandbox } from '../helpers/provider';

const API_KEY = 'mhk_live_capacity';
const JOB_MS = 800;
const api = useProviderSandbox('magicHour', { apiKey: API_KEY, jobDurationMs: JOB_MS });
const run = api.runner(new MagicHour(), new MagicHourApi(), { model: 'kling-2.5', prompt: '={{ $json.p }}' });
const items = (count: number) => Array.from({ length: count }, (_, i) => ({ p: `item ${i + 1}` }));

describe('automatic concurrency', () => {
	test('6 items at defaults against a capacity of 2: 6 videos, never more than 2 jobs at once, none failed', async () => {
		api.sandbox.setCapacity('magicHour', 2);
		const startedAt = Date.now();
		const result = await run({}, { items: items(6) });
		const seconds = (Date.now() - startedAt) / 1000;
		expectNoError(result);
		expect(result.items).toHaveLength(6);
		for (const index of [0, 1, 2, 3, 4, 5]) await api.expectVideoOf(result, index);
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		expect(api.sandbox.peakRunning('magicHour')).toBe(2);
		expect(api.jobs()).toHaveLength(6);
		// Every refusal made no job. A waiting item asks again when one of ours ends or when the
		// provider's Retry-After says (its jobs may end before we poll them): a few asks per wave.
		const refused = api.submits().length - 6;
		expect(refused).toBeGreaterThanOrEqual(4);
		expect(refused).toBeLessThanOrEqual(12);
		// Three waves of one job's length, not a timer's back-off.
		expect(seconds).toBeLessThan((3 * JOB_MS) / 1000 + 3);
	});

	test('without a cap, every item starts at once: 6 jobs running together', async () => {
		const result = await run({}, { items: items(6) });
		expectNoError(result);
		expect(api.sandbox.peakRunning('magicHour')).toBe(6);
		expect(api.submits()).toHaveLength(6);
	});

	test('a number is a fixed upper bound', async () => {
		const result = await run({ options: { concurrency: 2 } }, { items: items(5) });
		expectNoError(result);
		expect(api.sandbox.peakRunning('magicHour')).toBeLessThanOrEqual(2);
		expect(api.submits()).toHaveLength(5);
	});

	test('cancel while items wait for a slot ends the run within 1 s, with no further submits', async () => {
		api.sandbox.setCapacity('magicHour', 1);
		const controller = new AbortController();
		const running = runNode({
			nodeType: new MagicHour(),
			credentialType: new MagicHourApi(),
			credentials: { apiKey: API_KEY, baseUrl: api.sandbox.urls.magicHour },
			parameters: { operation: 'generate', model: 'kling-2.5', prompt: '={{ $json.p }}', options: { pollInterval: 0.1 } },
			items: items(4).map((item) => ({ ...item, p: `${item.p} [sandbox:seconds=30]` })),
			abortSignal: controller.signal,
		});
		// Wait until one job runs and the others were refused and now wait for its slot.
		for (let i = 0; i < 100 && !(api.jobs().length === 1 && api.submits().length >= 4); i++) await new Promise((r) => setTimeout(r, 50));
		expect(api.jobs()).toHaveLength(1);
		const submitsBefore = api.submits().length;
		const canceledAt = Date.now();
		controller.abort();
		const result = await running;
		expect(Date.now() - canceledAt).toBeLessThan(1000);
		expect(result.error?.message).toMatch(/cancel/i);
		await new Promise((r) => setTimeout(r, 1500));
		expect(api.submits()).toHaveLength(submitsBefore);
		expect(api.jobs()).toHaveLength(1);
	});
});
