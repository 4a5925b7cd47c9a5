import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';
import type { ApiErrorInfo, ExplainedError } from '../engine/providerContract';

/**
 * Every error the package raises is an n8n error from the start; what the engine needs to know
 * about it (a canceled wait, the HTTP facts of a failed request) rides in its `context`.
 */

export type VideoNodeError = NodeApiError | NodeOperationError;

/**
 * Failures that asking again cannot cure, whatever the status code: a moderation verdict (Kling answers
 * it with HTTP 500), an empty account, a refused key or account (useapi.net's 596), a bad request.
 */
const LASTING_KINDS: ReadonlySet<ExplainedError['kind']> = new Set(['moderation', 'credits', 'auth', 'input']);

export const isLastingKind = (kind: ExplainedError['kind']): boolean => LASTING_KINDS.has(kind);

/**
 * An HTTP failure in n8n's shape: the title says what happened (explained.message), the description
 * what helps (explained.hint) and then the provider's own words, once.
 */
export function apiError(node: INode, info: ApiErrorInfo, explained: ExplainedError, retryAfterMs?: number, speaker = 'The provider'): NodeApiError {
	const response: JsonObject = { message: explained.message };
	if (info.statusCode) response.httpCode = String(info.statusCode);
	const words = info.providerMessage?.trim();
	const said = words ? (info.statusCode ? `${speaker} said: "${words}"` : `The error was: "${words}"`) : undefined;
	const description = [explained.hint, said].filter(Boolean).join(' ') || undefined;
	const error = new NodeApiError(node, response, {
		message: explained.message,
		description,
		httpCode: info.statusCode ? String(info.statusCode) : undefined,
	});
	// NodeApiError swaps a message naming a network code (ECONNABORTED, ETIMEDOUT) for n8n's generic text; ours says more.
	error.message = explained.message;
	error.description = description ?? null;
	error.context.api = { phase: info.phase, kind: explained.kind, statusCode: info.statusCode, networkCode: info.networkCode, lasting: isLastingKind(explained.kind), retryAfterMs };
	return error;
}

type ApiFacts = { phase?: string; statusCode?: number; lasting?: boolean };
const apiFactsOf = (error: unknown) => (error as { context?: { api?: ApiFacts } })?.context?.api;

/**
 * A submit the provider refused for capacity (HTTP 429: too many jobs or requests at once), which
 * made no job: the engine waits for a slot and submits again. A 429 that waiting cannot cure (a spent
 * daily quota) is one the provider explains as a lasting kind (credits).
 */
export function isCapacityRefusal(error: unknown): boolean {
	const api = apiFactsOf(error);
	return api?.phase === 'submit' && api.statusCode === 429 && !api.lasting;
}

/**
 * A failed request whose answer will not change by asking again later (the job is gone, the key
 * refused, a lasting kind); 408 and 429 pass with time, 5xx and network faults may.
 */
export function isLastingFailure(error: unknown): boolean {
	const api = apiFactsOf(error);
	if (!api) return false;
	const status = api.statusCode;
	return !!api.lasting || (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429);
}

export function retryAfterOf(error: unknown): number | undefined {
	return (error as { context?: { api?: { retryAfterMs?: number } } })?.context?.api?.retryAfterMs;
}

export function canceledError(node: INode): NodeOperationError {
	const error = new NodeOperationError(node, 'The execution was canceled');
	error.context.canceled = true;
	return error;
}

export function isCanceled(error: unknown): boolean {
	const e = error as { name?: string; code?: string; cause?: unknown; context?: { canceled?: boolean } } | undefined;
	if (!e) return false;
	if (e.context?.canceled || e.name === 'AbortError' || e.name === 'CanceledError' || e.code === 'ERR_CANCELED') return true;
	return e.cause !== undefined && e.cause !== e && isCanceled(e.cause);
}

/** Any thrown value as an n8n error (n8n errors pass through unchanged). */
export function asNodeError(node: INode, error: unknown): VideoNodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}
