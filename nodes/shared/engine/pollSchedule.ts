/**
 * When to check a job again: geometric backoff. Each gap is a start gap (the user's poll interval, at
 * most 1 s) plus 20% of the time already waited, never below the poll interval and at most 30 s. So
 * a job is seen done on average about 10% of its length late (at worst 20% plus the start gap), and
 * a job of T s costs about 1 + ln(1 + 0.2·T / start) / ln(1.2) status requests (15 for 60 s at a
 * 1 s start) until the 30 s cap, then one per 30 s. No schedule gives both a worst-case 10% delay
 * and 15 requests per minute (every gap would have to stay under a tenth of the time waited):
 * BENCHMARKS.md measures both.
 */
export const POLL_GROWTH = 0.2;
export const POLL_START_MAX_MS = 1_000;
export const POLL_CAP_MS = 30_000;

export function nextPollDelayMs(elapsedMs: number, floorMs: number): number {
	const start = Math.min(floorMs, POLL_START_MAX_MS);
	return Math.max(floorMs, Math.min(POLL_CAP_MS, start + elapsedMs * POLL_GROWTH));
}
