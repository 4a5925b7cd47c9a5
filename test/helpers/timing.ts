/**
 * Timing knobs for tests that count what happens, not how long it takes: the shipped waits stay as they
 * are, and a test that measures them (downloads.test.ts's "pauses of 1, 2 and 4 s") runs with the real ones.
 */
import { PAUSES_MS } from '../../nodes/shared/transport/download';

/** The download step's pauses between whole-download attempts, shortened from 1, 2 and 4 s. */
export const SHORT_DOWNLOAD_PAUSES_MS = [20, 40, 80];

/**
 * Wraps a test body: while it runs, the download step (nodes/shared/transport/download.ts) pauses
 * 20, 40 and 80 ms between attempts instead of 1, 2 and 4 s. Attempts, order and errors are unchanged.
 */
export function withShortDownloadPauses(body: () => Promise<void>): () => Promise<void> {
	return async () => {
		const real = [...PAUSES_MS];
		PAUSES_MS.splice(0, PAUSES_MS.length, ...SHORT_DOWNLOAD_PAUSES_MS.slice(0, real.length));
		try {
			await body();
		} finally {
			PAUSES_MS.splice(0, PAUSES_MS.length, ...real);
		}
	};
}
