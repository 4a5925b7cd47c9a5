import { AUTO_LIMIT, ItemSlot, SlotPool } from '../../nodes/shared/engine/pool';

const never = Number.POSITIVE_INFINITY;
const signal = () => new AbortController().signal;

describe('slot pool (Concurrency)', () => {
	test('starts as many as there are items, up to the bound', () => {
		expect(new SlotPool(AUTO_LIMIT, 6).limit).toBe(6);
		expect(new SlotPool(AUTO_LIMIT, 100).limit).toBe(AUTO_LIMIT);
		expect(new SlotPool(3, 100).limit).toBe(3);
	});

	test('a refusal lowers the limit to the jobs the provider accepted; the waiter gets the next freed slot first', async () => {
		const pool = new SlotPool(AUTO_LIMIT, 4);
		for (let i = 0; i < 4; i++) expect(await pool.acquire(signal(), never)).toBe(true);
		pool.accepted();
		pool.accepted();
		// The third was refused: it gives its slot back; ours running: 2, so no pause.
		pool.release(false);
		expect(pool.refused(1, 3000)).toBe(0);
		expect(pool.limit).toBe(2);
		let third = false;
		const waiting = pool.acquire(signal(), never, true).then((ok) => (third = ok));
		await Promise.resolve();
		expect(third).toBe(false);
		pool.release(false); // the fourth, refused too, leaves: still 2 with jobs, at the limit
		pool.refused(1, undefined);
		await Promise.resolve();
		expect(third).toBe(false);
		pool.release(true); // one of ours ended
		await waiting;
		expect(third).toBe(true);
		expect(pool.running).toBe(2);
	});

	test('with none of ours running, a refusal pauses for Retry-After or the backoff, whichever is longer', () => {
		const pool = new SlotPool(AUTO_LIMIT, 1);
		expect(pool.refused(1, 0)).toBe(1000);
		expect(pool.refused(2, undefined)).toBe(2000);
		expect(pool.refused(3, 10_000)).toBe(10_000);
		expect(pool.refused(9, undefined)).toBe(30_000);
	});

	test('after `limit` accepted submits in a row the limit grows by one, up to the bound', async () => {
		const pool = new SlotPool(4, 10);
		await pool.acquire(signal(), never);
		pool.release(false);
		pool.refused(1, undefined);
		expect(pool.limit).toBe(1);
		pool.accepted();
		expect(pool.limit).toBe(2);
		pool.accepted();
		pool.accepted();
		expect(pool.limit).toBe(3);
		for (let i = 0; i < 20; i++) pool.accepted();
		expect(pool.limit).toBe(4);
	});

	test('Max Wait: false when the deadline comes first; the provider\'s Retry-After takes a slot beyond the limit', async () => {
		const pool = new SlotPool(1, 3);
		await pool.acquire(signal(), never);
		const startedAt = Date.now();
		expect(await pool.acquire(signal(), Date.now() + 100, true)).toBe(false);
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(90);
		expect(pool.running).toBe(1);
		expect(await pool.acquire(signal(), Date.now() + 5000, true, Date.now() + 50)).toBe(true);
		expect(pool.running).toBe(2);
	});

	test('cancel ends a wait at once', async () => {
		const pool = new SlotPool(1, 2);
		await pool.acquire(signal(), never);
		const controller = new AbortController();
		const waiting = pool.acquire(controller.signal, never);
		const startedAt = Date.now();
		controller.abort();
		await expect(waiting).rejects.toBeDefined();
		expect(Date.now() - startedAt).toBeLessThan(200);
		// The canceled waiter is gone: the freed slot is not handed to it.
		pool.release(true);
		expect(pool.running).toBe(0);
	});

	test('a slot handed over after the batch stopped makes no paid request, even from a provider that never looks at the signal', async () => {
		const pool = new SlotPool(1, 2);
		const batch = new AbortController();
		const first = new ItemSlot(pool, batch.signal);
		const second = new ItemSlot(pool, batch.signal);
		await first.take();
		const waiting = second.take();
		// The failing item stops the batch and frees its slot in the same tick.
		batch.abort();
		first.give();
		await waiting.catch(() => undefined);
		let requests = 0;
		const refusal = { is: () => false, retryAfterMs: () => undefined };
		await expect(second.submit(async () => ++requests, never, refusal)).rejects.toBeDefined();
		expect(requests).toBe(0);
	});
});

