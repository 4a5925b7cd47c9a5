/**
 * One failure classifier and one retry policy: every provider hands its words and codes to
 * nodes/shared/failures/classify.ts, and only the transport decides whether and when a request is asked
 * again (from the kind a provider states and the API's documented pause), never a provider.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { Transport } from '../../nodes/shared/transport/transport';
import { isCapacityRefusal, isLastingFailure } from '../../nodes/shared/failures/nodeErrors';
import { useApiKlingProvider, taskSnapshot as klingSnapshot } from '../../nodes/UseApiKling/provider';
import { magicHourProvider } from '../../nodes/MagicHour/provider';
import { taskSnapshot as gatewaySnapshot, videoSnapshot, PROVIDERS } from '../../nodes/VideoGeneration/provider';
import { failureOf as aimlFailure } from '../../nodes/AimlApi/provider';
import type { VideoProvider } from '../../nodes/shared/engine/providerContract';

const node = { id: 'n', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

/** An execution context whose HTTP helper answers from a script, counting the requests. */
function scripted(answers: Array<{ statusCode: number; body: unknown; headers?: Record<string, string> }>) {
	const calls: unknown[] = [];
	const next = async (request: unknown) => {
		calls.push(request);
		const answer = answers[Math.min(calls.length, answers.length) - 1];
		return { headers: {}, ...answer };
	};
	const ctx = {
		getNode: () => node,
		helpers: { httpRequestWithAuthentication: async (_type: string, request: unknown) => await next(request), httpRequest: next },
	} as unknown as IExecuteFunctions;
	return { ctx, calls };
}

async function failure(promise: Promise<unknown>): Promise<Error & { context: { api?: Record<string, unknown> } }> {
	try {
		await promise;
	} catch (error) {
		return error as never;
	}
	throw new Error('expected the request to fail');
}

const transport = (ctx: IExecuteFunctions, provider: VideoProvider<never, never>) => new Transport(ctx, provider as never, 'https://api.example.com', undefined, 'secret-key-1234');

describe('retry policy is the transport’s, from the kind a provider states', () => {
	test('Kling’s 500 with moderation words is asked once: a lasting kind, whatever the status', async () => {
		const { ctx, calls } = scripted([{ statusCode: 500, body: { error: 'The content appears to violate the community guidelines.' } }]);
		const error = await failure(transport(ctx, useApiKlingProvider as never).request({ method: 'GET', path: '/v1/kling/tasks/1', phase: 'poll' }));
		expect(calls).toHaveLength(1);
		expect(error.message).toMatch(/rejected by Kling's content moderation \(HTTP 500\)/);
		expect(error.context.api).toMatchObject({ kind: 'moderation', lasting: true });
		expect(isLastingFailure(error)).toBe(true);
	});

	test('a 500 without such words is a server fault: asked again on a poll, and not lasting', async () => {
		const { ctx, calls } = scripted([
			{ statusCode: 500, body: { error: 'Internal Server Error' } },
			{ statusCode: 200, body: { ok: true } },
		]);
		const answer = await transport(ctx, useApiKlingProvider as never).request({ method: 'GET', path: '/v1/kling/tasks/1', phase: 'poll' });
		expect(answer.body).toEqual({ ok: true });
		expect(calls).toHaveLength(2);
	});

	test('useapi.net’s 596 (account in error state) is not repeated', async () => {
		const { ctx, calls } = scripted([{ statusCode: 596, body: { error: 'Account in error state', code: 596 } }]);
		const error = await failure(transport(ctx, useApiKlingProvider as never).request({ method: 'GET', path: '/v1/kling/tasks/1', phase: 'poll' }));
		expect(calls).toHaveLength(1);
		expect(error.message).toMatch(/needs attention/);
		expect(isLastingFailure(error)).toBe(true);
	});

	test('a 429 on submit waits the API’s documented pause (10 s for useapi.net) when no Retry-After comes, and is a capacity refusal', async () => {
		const { ctx, calls } = scripted([{ statusCode: 429, body: { error: 'busy' } }]);
		const error = await failure(transport(ctx, useApiKlingProvider as never).request({ method: 'POST', path: '/v1/kling/videos/text2video', phase: 'submit' }));
		// A submit's 429 is the engine's slot pool's to wait out: one request here, the pause handed on.
		expect(calls).toHaveLength(1);
		expect(error.message).toMatch(/linked to your useapi\.net token are busy/);
		expect(error.context.api).toMatchObject({ statusCode: 429, retryAfterMs: 10_000, lasting: false });
		expect(isCapacityRefusal(error)).toBe(true);
		expect(isLastingFailure(error)).toBe(false);
	});

	test('a Retry-After header wins over the documented pause', async () => {
		const { ctx } = scripted([{ statusCode: 429, body: { error: 'busy' }, headers: { 'retry-after': '3' } }]);
		const error = await failure(transport(ctx, useApiKlingProvider as never).request({ method: 'POST', path: '/x', phase: 'submit' }));
		expect(error.context.api?.retryAfterMs).toBe(3000);
	});

	test('a 429 that the gateway explains as spent quota is not a capacity refusal (waiting cannot cure it)', async () => {
		const { ctx, calls } = scripted([{ statusCode: 429, body: { error: { code: 'insufficient_user_quota', message: 'quota' } } }]);
		const error = await failure(transport(ctx, PROVIDERS.videoGenerations as never).request({ method: 'POST', path: '/v1/video/generations', phase: 'submit' }));
		expect(calls).toHaveLength(1);
		expect(error.context.api).toMatchObject({ kind: 'credits', lasting: true });
		expect(isCapacityRefusal(error)).toBe(false);
	});

	test('no provider states a retry policy of its own', () => {
		const explained = [500, 429, 596, 402, 404].map((statusCode) =>
			useApiKlingProvider.explainError?.({ statusCode, phase: 'poll', body: { error: 'violates the community guidelines' }, providerMessage: 'x' }),
		);
		for (const answer of explained) {
			expect(answer).not.toHaveProperty('retryable');
			expect(answer).not.toHaveProperty('retryDelayMs');
		}
	});
});

describe('every provider feeds its words and codes to the one classifier', () => {
	const fakeApi = (body: unknown) => ({ request: async () => ({ body }), baseUrl: 'https://api.example.com', node }) as never;

	test('Magic Hour: the error code and message both count', async () => {
		const byCode = await magicHourProvider.status(fakeApi({ id: 'p1', status: 'error', error: { message: 'Rejected', code: 'content_policy' } }), 'p1', undefined);
		expect(byCode.failure).toEqual({ message: 'Rejected (content_policy)', code: 'content_policy', kind: 'moderation' });
		const byWords = await magicHourProvider.status(fakeApi({ id: 'p2', status: 'error', error: { message: 'Not enough credits left', code: 'unknown_error' } }), 'p2', undefined);
		expect(byWords.failure?.kind).toBe('credits');
		const other = await magicHourProvider.status(fakeApi({ id: 'p3', status: 'error', error: { message: 'The render did not finish in time', code: 'processing_timeout' } }), 'p3', undefined);
		expect(other.failure?.kind).toBe('other');
	});

	test('Kling: the task’s error text', () => {
		expect(klingSnapshot({ status_name: 'failed', status_final: true, task: { id: 1 }, error: 'balance is not enough' } as never).failure?.kind).toBe('credits');
		expect(klingSnapshot({ status_name: 'failed', status_final: true, task: { id: 1 } } as never).failure).toEqual({ message: 'the task ended as "failed"', kind: 'other' });
	});

	test('Video Generation: the gateway’s code and reason, in both API styles', () => {
		const api = { baseUrl: 'https://gw.example.com', node };
		expect(gatewaySnapshot({ task_id: 't', status: 'FAILURE', fail_reason: '用户额度不足' }, api).failure?.kind).toBe('credits');
		expect(videoSnapshot({ id: 'v', status: 'failed', error: { code: 'moderation_blocked', message: 'blocked' } }, api).failure).toEqual({
			message: 'blocked (moderation_blocked)',
			code: 'moderation_blocked',
			kind: 'moderation',
		});
	});

	test('AI/ML API: the error name is kept as the code', () => {
		expect(aimlFailure({ name: 'ModerationError', message: 'unsafe content' })).toEqual({ message: 'ModerationError: unsafe content', code: 'ModerationError', kind: 'moderation' });
	});
});
