import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';
import { apiError, canceledError, isCanceled, isLastingKind } from '../failures/nodeErrors';
import { providerMessage } from './errorBody';
import { cancellableSleep } from '../engine/sleep';
import { guardProviderUrl } from './urlGuard';
import type { ApiErrorInfo, ByteStream, ExplainedError, RequestPhase, VideoProvider } from '../engine/providerContract';

/** The only module that speaks HTTP: n8n's helpers, the credential on the API's own origin only, retries by phase. */

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Appended to the credential's base URL. */
	path: string;
	phase: RequestPhase;
	body?: IDataObject;
	qs?: IDataObject;
	/** The response body as a stream, for bodies too large to parse whole (A4F's base64 video). */
	stream?: boolean;
	timeoutMs?: number;
	/** Part of uploading an input image (no job yet): its errors say so. */
	upload?: boolean;
	/**
	 * A JSON body too large to hold whole (an image inlined as base64: base64Json.ts jsonWithBase64Field),
	 * sent as a stream instead of `body`; opened anew for each attempt the phase allows.
	 */
	openBody?: () => Promise<UploadBody>;
}

/** A file sent as the raw request body (not multipart): a provider's image upload. */
export interface UploadRequest {
	method: 'PUT' | 'POST';
	/** A path under the API root, sent with the credential... */
	path?: string;
	/** ...or an absolute address elsewhere (a presigned upload URL), sent without it. */
	url?: string;
	qs?: IDataObject;
	contentType?: string;
	/** Opens the bytes, once per attempt: a stream can be sent only once. */
	open: () => Promise<UploadBody>;
}

export interface UploadBody {
	data: ByteStream | Buffer;
	/** Sent as Content-Length when known (presigned storage URLs refuse chunked bodies). */
	size?: number;
}

export interface ApiResponse<T = unknown> {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: T;
}

export interface DownloadedVideo {
	stream: ByteStream;
	mimeType?: string;
	sizeBytes?: number;
}

const RETRY_LIMIT = 6;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 60_000;
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;
const ERROR_BODY_LIMIT = 64 * 1024;
/** The longest Retry-After honoured where no Max Wait bounds the wait (Get, uploads, a Get's download). */
export const RETRY_AFTER_CAP_MS = 60_000;

export class Transport {
	private readonly origin: string;
	/** Requests made, by phase: reported in the closing figures and checked by tests. */
	readonly counts: Record<RequestPhase, number> = { submit: 0, poll: 0, download: 0, once: 0 };
	/** Retries stop waiting past this time (epoch ms); the wait loop sets it from maxWait. */
	deadline = Number.POSITIVE_INFINITY;
	/** Timeout of API requests (not downloads) unless a request sets its own: the Request Timeout option. */
	requestTimeoutMs?: number;
	/** Options → Allow Private Network URLs: provider-given addresses on a local network are fetched (nodes/shared/transport/urlGuard.ts). */
	allowPrivateUrls = false;

	constructor(
		/** An execution, or the editor loading a list (a gateway's models) through the same rules. */
		private readonly ctx: IExecuteFunctions | ILoadOptionsFunctions,
		private readonly provider: Pick<VideoProvider, 'credentialType' | 'displayName' | 'explainError' | 'rateLimitPauseMs'>,
		readonly baseUrl: string,
		private readonly signal: AbortSignal | undefined,
		private readonly secret: string,
	) {
		this.origin = new URL(baseUrl).origin;
	}

	/** The node, for the errors a provider raises about an answer it cannot use. */
	get node(): INode {
		return this.ctx.getNode();
	}

	async request<T = unknown>(req: ApiRequest): Promise<ApiResponse<T>> {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: this.baseUrl + req.path,
			qs: req.qs,
			body: req.body,
			json: !req.stream,
			headers: { accept: 'application/json' },
			timeout: req.timeoutMs ?? this.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
			encoding: req.stream ? 'stream' : undefined,
		};
		if (!req.openBody) return (await this.send(options, req.phase, true, undefined, req.upload)) as ApiResponse<T>;
		const body = this.openedBody(req.openBody, 'application/json');
		try {
			return (await this.send(options, req.phase, true, body.attempt, req.upload)) as ApiResponse<T>;
		} finally {
			body.close();
		}
	}

	/** A streamed body, opened anew for each attempt (a stream can be sent only once) and closed after the last. */
	private openedBody(open: () => Promise<UploadBody>, contentType: string | undefined) {
		let opened: UploadBody | undefined;
		const close = () => {
			if (opened && !Buffer.isBuffer(opened.data)) opened.data.destroy();
		};
		const attempt = async (): Promise<Partial<IHttpRequestOptions>> => {
			close();
			opened = await open();
			const headers: IDataObject = { accept: 'application/json' };
			if (contentType) headers['content-type'] = contentType;
			if (opened.size !== undefined) headers['content-length'] = String(opened.size);
			return { body: opened.data as IHttpRequestOptions['body'], headers };
		};
		return { attempt, close };
	}

	/**
	 * Uploads a file as the raw body. Uploads are free and make no job, so they are retried as status
	 * checks are; the body is opened anew for each attempt and closed after the last.
	 */
	async upload<T = unknown>(req: UploadRequest): Promise<ApiResponse<T>> {
		if (req.url !== undefined) this.guardUrl(req.url);
		const options: IHttpRequestOptions = {
			method: req.method,
			url: req.url ?? this.baseUrl + (req.path ?? ''),
			qs: req.qs,
			json: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
		};
		const body = this.openedBody(req.open, req.contentType);
		try {
			return (await this.send(options, 'poll', req.url === undefined, body.attempt, true)) as ApiResponse<T>;
		} finally {
			body.close();
		}
	}

	/** The item's cancel signal: the download's own watchdog (nodes/shared/transport/download.ts) tells a cancel from a stall by it. */
	get cancelSignal(): AbortSignal | undefined {
		return this.signal;
	}

	/** Whether `url` is on the API's own origin (a gateway's /content route) rather than a CDN. */
	isApiUrl(url: string): boolean {
		return new URL(url, this.baseUrl).origin === this.origin;
	}

	/**
	 * Opens a video's stream: one request, never retried here. The whole-download attempts in
	 * nodes/shared/transport/download.ts retry with pauses, so the two retry loops do not multiply. The credential
	 * goes only to the API's own origin (a gateway's /content route); a CDN gets a bare request, as
	 * the providers' own SDKs do. `signal` is the attempt's own (its stall watchdog aborts it).
	 */
	async download(url: string, signal?: AbortSignal): Promise<DownloadedVideo> {
		this.guardUrl(url);
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: new URL(url, this.baseUrl).toString(),
			encoding: 'stream',
			timeout: DOWNLOAD_TIMEOUT_MS,
		};
		if (signal) options.abortSignal = signal;
		const response = await this.send(options, 'download', this.isApiUrl(url), undefined, undefined, 1);
		const contentLength = Number(header(response.headers, 'content-length'));
		return {
			stream: response.body as ByteStream,
			mimeType: header(response.headers, 'content-type')?.split(';')[0].trim().toLowerCase(),
			sizeBytes: Number.isFinite(contentLength) && contentLength > 0 ? contentLength : undefined,
		};
	}

	/** A provider-given address (video, CDN, presigned upload) is checked before anything is sent to it. */
	private guardUrl(url: string) {
		guardProviderUrl(this.ctx.getNode(), url, { baseUrl: this.baseUrl, allowPrivate: this.allowPrivateUrls }, this.provider.displayName);
	}

	/**
	 * `prepare`: what each attempt sets anew (an upload's body); `upload`: the request uploads an input
	 * image; `attempts`: at most this many requests (a download's are counted by its own loop).
	 */
	private async send(
		options: IHttpRequestOptions,
		phase: RequestPhase,
		authenticated: boolean,
		prepare?: () => Promise<Partial<IHttpRequestOptions>>,
		upload?: boolean,
		attempts = RETRY_LIMIT,
	): Promise<ApiResponse> {
		let request: IHttpRequestOptions = {
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: options.abortSignal ?? this.signal,
			// A redirect to another host must not carry the key along.
			sendCredentialsOnCrossOriginRedirect: false,
		};
		for (let attempt = 1; ; attempt++) {
			if (this.signal?.aborted) throw canceledError(this.ctx.getNode());
			this.counts[phase]++;
			if (prepare) request = { ...request, ...(await prepare()) };
			let info: ApiErrorInfo;
			let retryAfterMs: number | undefined;
			try {
				const response = (authenticated
					? await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.provider.credentialType, request)
					: await this.ctx.helpers.httpRequest(request)) as IN8nHttpFullResponse;
				if (response.statusCode < 400) return response as ApiResponse;
				const body = await readErrorBody(response.body);
				info = { statusCode: response.statusCode, body, providerMessage: this.redact(providerMessage(body)), phase };
				retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'));
				// `86400` must not hold an item for a day where no deadline applies.
				if (retryAfterMs !== undefined && !Number.isFinite(this.deadline)) retryAfterMs = Math.min(retryAfterMs, RETRY_AFTER_CAP_MS);
			} catch (error) {
				if (this.signal?.aborted || isCanceled(error)) throw canceledError(this.ctx.getNode());
				info = { networkCode: networkCode(error), providerMessage: this.redact(String(error?.message ?? error)), phase };
			}
			if (upload) info.upload = true;
			const explained = this.explain(info);
			// The retry policy is the transport's: the phase, the kind of failure, and the API's documented pause after a 429.
			const retry = isRetryable(info) && !isLastingKind(explained.kind) && attempt < attempts;
			const pauseMs = info.statusCode === 429 ? this.provider.rateLimitPauseMs : undefined;
			const delayMs = retryAfterMs ?? Math.max(pauseMs ?? 0, Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
			if (!retry || Date.now() + delayMs > this.deadline)
				throw apiError(this.ctx.getNode(), info, explained, retryAfterMs ?? pauseMs, phase === 'download' ? 'The video host' : this.provider.displayName);
			await cancellableSleep(delayMs, this.signal);
		}
	}

	private explain(info: ApiErrorInfo): ExplainedError {
		// A video link's answer is not the API's: its 402 or 403 says nothing about plans or credits.
		if (info.phase === 'download') return explainDownload(info);
		const shared = explainByStatus(info, this.provider.displayName);
		const specific = this.provider.explainError?.(info);
		// A provider's own title comes with its own hint (or none): the shared hint may not fit it.
		const explained = specific?.message ? { ...shared, ...specific, hint: specific.hint } : { ...shared, ...specific };
		// An image upload comes before the paid submit: the message says no job was made.
		return info.upload ? { ...explained, message: `Uploading the image failed, so no job was submitted: ${explained.message}` } : explained;
	}

	/**
	 * Belt and braces: a provider echoing the key back must not put it in an error or the output. Every
	 * provider text passes here (error bodies, failure reasons of answers that succeeded), with the
	 * key's URL-encoded forms too.
	 */
	redact(text: string): string;
	redact(text: string | undefined): string | undefined;
	redact(text: string | undefined): string | undefined {
		return redactSecret(text, this.secret);
	}
}

/**
 * 429 is safe to repeat; on a submit it means the provider is at capacity, which the engine's slot
 * pool answers (wait for one of the batch's jobs to end) better than a timer. 5xx and network faults
 * only where repeating cannot create a second job.
 */
function isRetryable(info: ApiErrorInfo): boolean {
	if (info.phase === 'once') return false;
	if (info.statusCode === 429) return info.phase !== 'submit';
	if (info.phase === 'submit') return info.networkCode === 'ECONNREFUSED';
	return info.networkCode !== undefined || (info.statusCode !== undefined && info.statusCode >= 500);
}

/** The shared words for an HTTP error: what happened (the title) and what helps; the provider's own text is added once, by apiError. */
function explainByStatus(info: ApiErrorInfo, provider: string): ExplainedError {
	const status = info.statusCode;
	if (status === undefined)
		return { kind: 'network', message: `Could not reach ${provider} (${info.networkCode ?? 'network error'})`, hint: 'Check the network and the credential\'s Base URL, then run the node again.' };
	if (status === 401) return { kind: 'auth', message: `${provider} rejected the API key (HTTP 401)`, hint: "Check the credential's API key." };
	if (status === 402) return { kind: 'credits', message: `Your ${provider} account is out of credits (HTTP 402)`, hint: `Add credits to your ${provider} account, then run the node again.` };
	if (status === 403) return { kind: 'auth', message: `${provider} refused access (HTTP 403)`, hint: "Check that the credential's key and plan allow this model and request." };
	if (status === 404) return { kind: 'not-found', message: `${provider} found nothing there (HTTP 404)` };
	if (status === 408) return { kind: 'server', message: `${provider} timed out (HTTP 408)`, hint: 'Run the node again.' };
	if (status === 429) return { kind: 'rate-limit', message: `${provider} is rate limiting requests (HTTP 429)`, hint: 'Try again later or lower Concurrency.' };
	if (status >= 500) return { kind: 'server', message: `${provider} had a server error (HTTP ${status})`, hint: 'Run the node again later.' };
	return { kind: 'input', message: `${provider} refused the request (HTTP ${status})`, hint: 'Change the input the provider names below.' };
}

/** Words for a video link's answer: about the link and the host that serves it, never about the account. */
function explainDownload(info: ApiErrorInfo): ExplainedError {
	const status = info.statusCode;
	if (status === undefined) return { kind: 'network', message: `The video host could not be reached (${info.networkCode ?? 'network error'})` };
	if (status === 401 || status === 403) return { kind: 'auth', message: `The video link was refused (HTTP ${status})` };
	if (status === 404 || status === 410) return { kind: 'not-found', message: `The video link has expired or is gone (HTTP ${status})` };
	if (status === 429) return { kind: 'rate-limit', message: `The video host is rate limiting downloads (HTTP 429)` };
	if (status >= 500) return { kind: 'server', message: `The video host had a server error (HTTP ${status})` };
	return { kind: 'other', message: `The video host refused the download (HTTP ${status})` };
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function networkCode(error: unknown): string | undefined {
	for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
		if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
	}
	return /socket hang up/i.test(String((error as Error)?.message)) ? 'ECONNRESET' : undefined;
}

/** Error bodies are small JSON or text; a streamed one is read up to a limit. */
async function readErrorBody(body: unknown): Promise<unknown> {
	if (!body || typeof (body as ByteStream).pipe !== 'function') return body;
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body as ByteStream) {
		chunks.push(Buffer.from(chunk));
		size += chunk.length;
		if (size > ERROR_BODY_LIMIT) break;
	}
	(body as ByteStream).destroy();
	const text = Buffer.concat(chunks).toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

const MIN_REDACTED_SECRET_LENGTH = 6;

/** `text` with every form of `secret` an echo may take (as is, URL-encoded, form-encoded) replaced by `***`. */
export function redactSecret(text: string | undefined, secret: string): string | undefined {
	// The node's own words pass here too: a key of a few characters (no real key is) would mangle them.
	if (!text || secret.length < MIN_REDACTED_SECRET_LENGTH) return text;
	const forms = new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), encodeURI(secret)]);
	let out = text;
	for (const form of [...forms].sort((a, b) => b.length - a.length)) {
		out = out.replace(new RegExp(form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), form.includes('%') ? 'gi' : 'g'), '***');
	}
	return out;
}
