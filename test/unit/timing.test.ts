import { PAUSES_MS } from '../../nodes/shared/transport/download';
import { SHORT_DOWNLOAD_PAUSES_MS, withShortDownloadPauses } from '../helpers/timing';

describe('timing knobs of the tests (test/helpers/timing.ts)', () => {
	test('the shipped download pauses are 1, 2 and 4 s', () => {
		expect(PAUSES_MS).toEqual([1000, 2000, 4000]);
	});

	test('withShortDownloadPauses shortens them for its body only, and restores them even when the body fails', async () => {
		let inside: number[] = [];
		await withShortDownloadPauses(async () => {
			inside = [...PAUSES_MS];
		})();
		expect(inside).toEqual(SHORT_DOWNLOAD_PAUSES_MS);
		expect(PAUSES_MS).toEqual([1000, 2000, 4000]);
		await expect(
			withShortDownloadPauses(async () => {
				throw new Error('the body failed');
			})(),
		).rejects.toThrow('the body failed');
		expect(PAUSES_MS).toEqual([1000, 2000, 4000]);
	});
});
