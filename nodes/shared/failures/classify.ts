import type { JobFailure } from '../engine/providerContract';

/**
 * The one failure classifier. Providers feed it their own words and codes (a status text, an error code
 * such as Magic Hour's `content_policy` or a gateway's `insufficient_user_quota`); it tells a refused
 * prompt and an empty account from other failures, so that every node explains them the same way.
 * Gateways answer in English and Chinese, so both are listed.
 */
const MODERATION = /moderat|content.?polic|safety|nsfw|inappropriate|sensitive|violat|community guidelines|prohibited|敏感|违规|审核/i;
const CREDITS = /credit|balance|quota|额度|余额/i;

export function isModeration(...words: Array<string | undefined>): boolean {
	return MODERATION.test(words.filter(Boolean).join(' '));
}

export function failureKind(...words: Array<string | undefined>): NonNullable<JobFailure['kind']> {
	const text = words.filter(Boolean).join(' ');
	return MODERATION.test(text) ? 'moderation' : CREDITS.test(text) ? 'credits' : 'other';
}

/** A failed job's reason as the engine reports it; `code` is kept when the provider gave one. */
export function jobFailure(message: string, code?: string): JobFailure {
	const kind = failureKind(code, message);
	return code ? { message, code, kind } : { message, kind };
}
