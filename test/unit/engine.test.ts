import { providerMessage } from '../../nodes/shared/transport/errorBody';
import { nextPollDelayMs, POLL_CAP_MS } from '../../nodes/shared/engine/pollSchedule';
import { cancellableSleep } from '../../nodes/shared/engine/sleep';
import { parseRetryAfter } from '../../nodes/shared/transport/transport';

describe('poll schedule', () => {
	test('the user interval is a floor, the spacing grows with the wait, up to a cap', () => {
		expect(nextPollDelayMs(0, 1000)).toBe(1000);
		expect(nextPollDelayMs(60_000, 1000)).toBeGreaterThan(1000);
		expect(nextPollDelayMs(60_000, 20_000)).toBe(20_000);
		expect(nextPollDelayMs(3_600_000, 1000)).toBe(POLL_CAP_MS);
		expect(nextPollDelayMs(3_600_000, 45_000)).toBe(45_000);
	});
});

describe('Retry-After', () => {
	test('seconds and HTTP dates', () => {
		const now = Date.parse('2026-11-23T12:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('0', now)).toBe(0);
		expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});
});

describe('provider error bodies', () => {
	test.each([
		[{ message: 'Payment required' }, 'Payment required'],
		[{ error: { message: 'bad duration', type: 'invalid_request_error', code: 'invalid_duration' } }, 'bad duration'],
		[{ error: 'The content violates the guidelines (CM_EXT.POther)', message: 'Service busy (CM_EXT.POther)' }, 'The content violates the guidelines (CM_EXT.POther) — Service busy (CM_EXT.POther)'],
		[{ detail: [{ loc: ['body', 'duration'], msg: 'must be 5 or 8', type: 'value_error' }] }, 'must be 5 or 8'],
		[{ message: 'Too Many Requests', path: '/v2/video/generations', requestId: 'r-1', statusCode: 429 }, 'Too Many Requests (request id r-1)'],
		[{ code: 'task_not_exist', message: 'task_not_exist', data: null }, 'task_not_exist'],
		['Bad Gateway', 'Bad Gateway'],
		[{}, undefined],
		[undefined, undefined],
	])('%j', (body, expected) => {
		expect(providerMessage(body)).toBe(expected);
	});
});

describe('cancellable sleep', () => {
	test('ends at once when the signal fires', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const sleeping = cancellableSleep(10_000, controller.signal);
		controller.abort();
		await expect(sleeping).rejects.toBeDefined();
		expect(Date.now() - started).toBeLessThan(1000);
	});

	test('sleeps when nothing cancels it', async () => {
		const started = Date.now();
		await cancellableSleep(50, new AbortController().signal);
		expect(Date.now() - started).toBeGreaterThanOrEqual(45);
	});
});
