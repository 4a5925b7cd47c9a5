import { cancellableSleep } from './sleep';

/**
 * How many items of a batch run at once (an item holds its slot from submit to download).
 *
 * Fixed (the user's Concurrency): at most that many. Automatic (the default): as many as there are
 * items, up to AUTO_LIMIT. Either way, when the provider refuses a submit for capacity (HTTP 429:
 * a plan's concurrent-job cap, useapi.net's busy accounts), the limit drops to the jobs it did accept
 * and the refused item waits for one of the batch's own jobs to finish (or, when none of ours runs,
 * for the provider's Retry-After), then goes first. After `limit` submits in a row without a refusal
 * the limit grows by one, since the provider's capacity can grow back (another workflow's job ended).
 */

/**
 * The automatic upper bound. Providers cap concurrent jobs per account (useapi.net's maxJobs 1 to 50;
 * plans at the others are lower); 20 covers a batch of typical size in one wave, and the refusals
 * beyond a smaller cap cost one request each. n8n holds every running item's state in memory, and
 * 20 parallel downloads stream fine (memory does not grow with the video's size).
 */
export const AUTO_LIMIT = 20;
/** Waiting for capacity with none of our own jobs running: 1, 2, 4 ... 30 s, or the provider's longer Retry-After. */
const IDLE_BACKOFF_BASE_MS = 1000;
const IDLE_BACKOFF_CAP_MS = 30_000;

interface Waiter {
	resolve: () => void;
}

export class SlotPool {
	private limitNow: number;
	/** Slots held: items submitting, waiting for their job, or downloading. */
	private busy = 0;
	/** Of those, items whose job the provider accepted: what it can run for us. */
	private withJob = 0;
	private streak = 0;
	private readonly waiters: Waiter[] = [];
	/** Largest number of items that ran at once: reported by tests and the benchmark. */
	peak = 0;
	refusals = 0;

	constructor(
		/** The upper bound: the user's number, or AUTO_LIMIT. */
		private readonly max: number,
		items: number,
	) {
		this.limitNow = Math.max(1, Math.min(max, items));
	}

	get limit(): number {
		return this.limitNow;
	}

	get running(): number {
		return this.busy;
	}

	/**
	 * Waits for a slot: true once it holds one, false when `deadline` came first; throws when `signal`
	 * fires. `first` puts the item ahead of those not yet started (a refused one). `probeAt`: the
	 * provider's Retry-After said capacity frees then; our own jobs may have ended at the provider
	 * before we polled them, so the item then takes a slot beyond the limit and asks (a refusal costs
	 * one request and makes no job).
	 */
	async acquire(signal: AbortSignal, deadline: number, first = false, probeAt = Number.POSITIVE_INFINITY): Promise<boolean> {
		if (signal.aborted) throw signal.reason ?? new Error('canceled');
		if (this.busy < this.limitNow && (first || !this.waiters.length)) {
			this.take();
			return true;
		}
		const done = new AbortController();
		let got = false;
		const granted = new Promise<void>((resolve) => {
			const waiter = {
				resolve: () => {
					got = true;
					resolve();
				},
			};
			if (first) this.waiters.unshift(waiter);
			else this.waiters.push(waiter);
			const leave = () => {
				const at = this.waiters.indexOf(waiter);
				if (at >= 0) this.waiters.splice(at, 1);
			};
			done.signal.addEventListener('abort', leave, { once: true });
		});
		// Max Wait and cancel end the wait; the sleep is stopped as soon as the slot comes.
		const stop = AbortSignal.any([signal, done.signal]);
		const timeout = Number.isFinite(deadline)
			? cancellableSleep(Math.max(1, deadline - Date.now()), stop).then(
					() => 'timeout' as const,
					() => 'stopped' as const,
				)
			: new Promise<'stopped'>((resolve) => stop.addEventListener('abort', () => resolve('stopped'), { once: true }));
		const racers: Array<Promise<'granted' | 'timeout' | 'stopped' | 'probe'>> = [granted.then(() => 'granted' as const), timeout];
		if (probeAt < deadline)
			racers.push(
				cancellableSleep(Math.max(1, probeAt - Date.now()), stop).then(
					() => 'probe' as const,
					() => 'stopped' as const,
				),
			);
		const outcome = await Promise.race(racers);
		done.abort();
		if (outcome === 'granted' || got) return true;
		if (outcome === 'probe') {
			this.take();
			return true;
		}
		if (signal.aborted) throw signal.reason ?? new Error('canceled');
		return false;
	}

	/** An item gives its slot back; `hadJob`: its job had been accepted (see `accepted`). */
	release(hadJob: boolean): void {
		this.busy = Math.max(0, this.busy - 1);
		if (hadJob) this.withJob = Math.max(0, this.withJob - 1);
		this.pump();
	}

	/** A submit went through (the item now has a job): after `limit` in a row, one more may run. */
	accepted(): void {
		this.withJob++;
		if (++this.streak < this.limitNow || this.limitNow >= this.max) return;
		this.streak = 0;
		this.limitNow++;
		this.pump();
	}

	/**
	 * A submit was refused for capacity; the caller has released its slot. The limit becomes what the
	 * provider accepted (our jobs running now). Returns how long to wait before asking for a slot
	 * again: nothing while one of ours runs (its end frees a slot), else the provider's own pause.
	 */
	refused(attempt: number, retryAfterMs: number | undefined): number {
		this.refusals++;
		this.streak = 0;
		this.limitNow = Math.max(1, this.withJob);
		if (this.withJob > 0) return 0;
		// Backoff is the floor: a provider answering Retry-After: 0 again and again is not asked in a tight loop.
		return Math.max(retryAfterMs ?? 0, Math.min(IDLE_BACKOFF_CAP_MS, IDLE_BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1)));
	}

	private take(): void {
		this.busy++;
		this.peak = Math.max(this.peak, this.busy);
	}

	private pump(): void {
		while (this.busy < this.limitNow && this.waiters.length) {
			this.take();
			(this.waiters.shift() as Waiter).resolve();
		}
	}
}

/**
 * One item's place in the pool: holds at most one slot, and makes the item's paid request through
 * the capacity rules (a refusal made no job: give the slot back, wait for one, ask again first in line).
 */
export class ItemSlot {
	private holding = false;
	private hasJob = false;

	constructor(
		private readonly pool: SlotPool,
		private readonly signal: AbortSignal,
	) {}

	/** Waits for a slot in item order (no deadline: the items before it take their time). */
	async take(): Promise<void> {
		this.holding = await this.pool.acquire(this.signal, Number.POSITIVE_INFINITY);
	}

	/** Gives the slot back (the item is done, or failed). */
	give(): void {
		if (!this.holding) return;
		this.holding = false;
		this.pool.release(this.hasJob);
	}

	/**
	 * Runs `request` (a submit); while `isRefusal` says the provider refused it for capacity, waits for
	 * a slot (one of ours ending, or the provider's Retry-After) and asks again, until `deadline`.
	 * Resolves with the result, or with the last refusal and how often it was asked when time ran out.
	 */
	async submit<T>(
		request: () => Promise<T>,
		deadline: number,
		refusal: { is: (error: unknown) => boolean; retryAfterMs: (error: unknown) => number | undefined },
	): Promise<{ ok: true; value: T } | { ok: false; error: unknown; attempts: number }> {
		for (let attempt = 1; ; attempt++) {
			// A slot can be handed over in the same tick the batch stops: no paid request after that.
			if (this.signal.aborted) throw this.signal.reason ?? new Error('canceled');
			const outcome = await request().then(
				(value) => ({ ok: true as const, value }),
				(error: unknown) => ({ ok: false as const, error, attempts: attempt }),
			);
			if (outcome.ok) {
				this.pool.accepted();
				this.hasJob = true;
				return outcome;
			}
			if (!refusal.is(outcome.error)) return outcome;
			this.give();
			const retryAfterMs = refusal.retryAfterMs(outcome.error);
			const pause = this.pool.refused(attempt, retryAfterMs);
			await cancellableSleep(Math.min(pause, deadline - Date.now()), this.signal);
			// While our own jobs run, the slot one of them frees comes first, or the provider's Retry-After.
			const probeAt = pause === 0 && retryAfterMs !== undefined ? Date.now() + retryAfterMs : undefined;
			this.holding = Date.now() < deadline && (await this.pool.acquire(this.signal, deadline, true, probeAt));
			if (!this.holding) return outcome;
		}
	}
}
