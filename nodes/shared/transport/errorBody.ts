/**
 * The provider's own words from an error body, whatever its shape: `{message}` (Magic Hour, AI/ML
 * API), `{error:{message}}` (A4F, OpenAI-style gateways), `{error:"…"}` (useapi.net),
 * `{detail:[{msg}]}` (validation lists), `{code,message}` (new-api), or plain text.
 */
export function providerMessage(body: unknown): string | undefined {
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') return body.slice(0, 500);
	if (Array.isArray(body)) return body.map((entry) => providerMessage(entry)).filter(Boolean).join('; ') || undefined;
	if (typeof body !== 'object') return String(body);
	const record = body as Record<string, unknown>;
	const nested = record.error;
	const parts = [
		typeof nested === 'string' ? nested : nested && typeof nested === 'object' ? providerMessage(nested) : undefined,
		typeof record.message === 'string' ? record.message : undefined,
		typeof record.msg === 'string' ? record.msg : undefined,
		record.detail !== undefined ? providerMessage(record.detail) : undefined,
		typeof record.fail_reason === 'string' ? record.fail_reason : undefined,
	].filter((part): part is string => !!part && part.trim() !== '');
	const unique = [...new Set(parts)];
	const message = unique.length ? unique.join(' — ') : undefined;
	const requestId = typeof record.requestId === 'string' ? record.requestId : undefined;
	return message && requestId ? `${message} (request id ${requestId})` : message;
}
