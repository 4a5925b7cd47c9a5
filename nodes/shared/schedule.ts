/**
 * When to check a job again. The user's poll interval is the floor; past it the gap grows with the
 * time already waited, so a short job is seen finished quickly while a long one costs few requests.
 */
export const POLL_GROWTH = 0.2;
export const POLL_CAP_MS = 30_000;

export function nextPollDelayMs(elapsedMs: number, floorMs: number): number {
	return Math.max(floorMs, Math.min(POLL_CAP_MS, elapsedMs * POLL_GROWTH));
}
