import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';
import { readableOf } from './base64Json';
import { canceledError, isCanceled } from '../failures/nodeErrors';
import { cancellableSleep } from '../engine/sleep';
import type { Transport } from './transport';
import type { ByteStream, VideoRef } from '../engine/providerContract';

/**
 * The last step of a paid job: the video's bytes into n8n's binary storage. What arrives is checked
 * before it is stored (a video's first bytes, the whole declared length, a size cap), a stalled
 * transfer is ended, and a refused link is renewed by asking the provider for the job again (free).
 * The bytes stream from the socket to the store: only the first chunk is looked at, never the whole.
 */

const EXTENSIONS: Record<string, string> = {
	'video/mp4': 'mp4',
	'video/webm': 'webm',
	'video/quicktime': 'mov',
	'video/x-matroska': 'mkv',
	'image/gif': 'gif',
};
/** Whole-download attempts, with these pauses before the 2nd, 3rd and 4th (exported: tests that count attempts shorten them). */
export const PAUSES_MS = [1000, 2000, 4000];
const DOWNLOAD_ATTEMPTS = PAUSES_MS.length + 1;
/** Enough of the start to know a video (an MP4 box header, an EBML or GIF signature). */
const SIGNATURE_BYTES = 12;
/** How much of a non-video answer the error quotes. */
const SAMPLE_BYTES = 200;
/** Types that name something else than a video; an answer with one of them is never stored. */
const GENERIC_TYPES = new Set(['application/octet-stream', 'binary/octet-stream', 'application/mp4', 'application/x-download', 'application/force-download']);
/** Box types that start a QuickTime file written without `ftyp` (old encoders). */
const QUICKTIME_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'pnot']);
const MB = 1024 * 1024;

export const DEFAULT_STALL_TIMEOUT_SECONDS = 30;
export const DEFAULT_DOWNLOAD_TIMEOUT_SECONDS = 900;
export const DEFAULT_MAX_DOWNLOAD_MB = 1024;

export interface DownloadRules {
	/** The job whose video this is: every failure names it. */
	jobId: string;
	/** No byte for this long ends an attempt (and the next one starts). */
	stallMs: number;
	/** The whole download phase (all attempts and pauses) ends by then. */
	timeoutMs: number;
	/** Larger answers fail the item before the store takes more than this. */
	maxBytes: number;
	/**
	 * Asks the provider for the job again (a status check, free) and gives this video's fresh link;
	 * absent where there is no job to ask about (a synchronous API's one request is the job).
	 */
	refresh?: () => Promise<string | undefined>;
	/** How to get the video later, for the error's description ("Run … the Get operation …"); absent without a Get operation. */
	later?: string;
}

export interface StoredVideo {
	binary: IBinaryData;
	/** The link the video came from in the end (a fresh one after a refused link). */
	url?: string;
	/** Requests made for the bytes, refreshed link included. */
	attempts: number;
}

type FaultKind = 'not-video' | 'short' | 'stall' | 'timeout' | 'too-large' | 'refused' | 'http' | 'broken';

/** Why one attempt did not store the video; `final` faults end the download at once. */
class DownloadFault extends Error {
	/** The video host's own words (the HTTP error's description), for the item's error description. */
	said?: string;
	constructor(
		readonly kind: FaultKind,
		message: string,
		readonly final = false,
	) {
		super(message);
	}
}

/**
 * Streams a video into n8n's binary storage, checked on the way; see the module comment. A failure
 * names the job and what came back, and never asks for the job to be made again.
 */
export async function storeVideo(ctx: IExecuteFunctions, api: Transport, video: VideoRef, fileBase: string, rules: DownloadRules): Promise<StoredVideo> {
	const deadline = Date.now() + rules.timeoutMs;
	if (video.data) return { binary: await storeData(ctx, api, video, fileBase, rules, deadline), attempts: 0 };
	if (!video.url) throw new NodeOperationError(ctx.getNode(), `The provider reported the video of job ${rules.jobId} as done but gave no URL for it`);
	let url = video.url;
	let refreshed = false;
	let freshLinkNext = false;
	let requests = 0;
	let last: DownloadFault | undefined;
	// A fresh link gets one request of its own on top of the attempts.
	while (requests < DOWNLOAD_ATTEMPTS + (refreshed ? 1 : 0)) {
		// Pauses between attempts, so a short outage does not fail the item; a fresh link is tried at once.
		if (requests > 0 && !freshLinkNext) {
			const pause = PAUSES_MS[Math.min(requests - 1 - (refreshed ? 1 : 0), PAUSES_MS.length - 1)];
			if (Date.now() + pause >= deadline) break;
			await cancellableSleep(pause, api.cancelSignal);
		}
		freshLinkNext = false;
		requests++;
		try {
			const binary = await fetchOnce(ctx, api, url, video, fileBase, rules, deadline);
			return { binary, url, attempts: requests };
		} catch (error) {
			if (api.cancelSignal?.aborted || (isCanceled(error) && !(error instanceof DownloadFault))) throw canceledError(ctx.getNode());
			// The URL policy refused the address (nodes/shared/transport/urlGuard.ts): nothing was sent, and asking again gives the same answer.
			if ((error as { context?: { urlRefused?: boolean } })?.context?.urlRefused) throw new NodeOperationError(ctx.getNode(), error as NodeOperationError); // the same error, as is
			last = asFault(error);
			if (last.final) break;
			if (last.kind !== 'refused') continue;
			// A refused or expired link from a CDN: the provider gives a fresh one for free, once.
			if (refreshed || !rules.refresh || api.isApiUrl(url)) break;
			refreshed = true;
			url = await freshLink(ctx, rules, last);
			freshLinkNext = true;
		}
	}
	throw failure(ctx, rules, last ?? new DownloadFault('timeout', `the download did not finish within Download Timeout`), requests, refreshed);
}

async function freshLink(ctx: IExecuteFunctions, rules: DownloadRules, refusal: DownloadFault): Promise<string> {
	let fresh: string | undefined;
	try {
		fresh = await rules.refresh?.();
	} catch (error) {
		if (isCanceled(error)) throw canceledError(ctx.getNode());
		throw failure(ctx, rules, Object.assign(new DownloadFault('refused', `${refusal.message}, and asking for a fresh link failed: ${(error as Error).message}`), { said: refusal.said }), 1, true);
	}
	if (!fresh) throw failure(ctx, rules, Object.assign(new DownloadFault('refused', `${refusal.message}, and the job's status gave no fresh link`), { said: refusal.said }), 1, true);
	return fresh;
}

function asFault(error: unknown): DownloadFault {
	if (error instanceof DownloadFault) return error;
	const api = (error as { context?: { api?: { statusCode?: number } } })?.context?.api;
	const message = (error as Error)?.message ?? String(error);
	const status = api?.statusCode;
	const fault =
		status === 401 || status === 403 || status === 404 || status === 410
			? new DownloadFault('refused', message)
			: // Other 4xx (but 408 and 429) will not change on a retry.
				status !== undefined && status < 500 && status !== 408 && status !== 429
				? new DownloadFault('http', message, true)
				: new DownloadFault(status ? 'http' : 'broken', message);
	const said = (error as { description?: unknown })?.description;
	if (typeof said === 'string' && said) fault.said = said;
	return fault;
}

/** The item's error: what went wrong with the download, the job's id and how to fetch the video later. */
function failure(ctx: IExecuteFunctions, rules: DownloadRules, fault: DownloadFault, requests: number, refreshed: boolean): NodeOperationError {
	const tries = requests > 1 ? ` (${requests} requests${refreshed ? ', one after asking for a fresh link' : ''})` : refreshed ? ' (after asking for a fresh link)' : '';
	const message = `Downloading the video of job ${rules.jobId} failed: ${fault.message}${tries}`;
	// What helps goes to the description: the title says what happened.
	const description = [fault.said, rules.later].filter(Boolean).join(' ');
	const error = new NodeOperationError(ctx.getNode(), message, description ? { description } : {});
	// n8n swaps a message naming a network code (ECONNRESET) for its generic text; ours says more.
	error.message = message;
	error.context.download = { kind: fault.kind, requests };
	return error;
}

/** One request for the bytes, checked and stored, under the stall watchdog. */
async function fetchOnce(ctx: IExecuteFunctions, api: Transport, url: string, video: VideoRef, fileBase: string, rules: DownloadRules, deadline: number): Promise<IBinaryData> {
	const watchdog = new Watchdog(rules.stallMs, deadline, api.cancelSignal);
	let source: ByteStream | undefined;
	let reader: ChunkReader | undefined;
	try {
		const download = await api.download(url, watchdog.signal);
		source = download.stream;
		if (download.sizeBytes !== undefined && download.sizeBytes > rules.maxBytes) throw tooLarge(rules, download.sizeBytes);
		reader = new ChunkReader(source, watchdog);
		const head = await reader.peek(SIGNATURE_BYTES);
		const kind = signatureOf(head);
		if (!kind || !videoLikeType(download.mimeType)) throw await notVideo(api, reader, download.mimeType, download.sizeBytes, 'the link answered with');
		const mimeType = mimeTypeOf(kind, video, download.mimeType);
		const stream = readableOf(api.node, source, reader.rest(rules, download.sizeBytes));
		return await ctx.helpers.prepareBinaryData(stream, fileName(fileBase, mimeType), mimeType);
	} catch (error) {
		throw watchdog.fault ?? reader?.fault ?? error;
	} finally {
		watchdog.end();
		source?.destroy();
	}
}

/**
 * Bytes already in hand (a synchronous API's answer, A4F's base64): checked as a download is, but
 * never fetched again, since the one request was the paid job.
 */
async function storeData(ctx: IExecuteFunctions, api: Transport, video: VideoRef, fileBase: string, rules: DownloadRules, deadline: number): Promise<IBinaryData> {
	const data = video.data as NonNullable<VideoRef['data']>;
	const fail = (fault: DownloadFault) => {
		const message = `The video of job ${rules.jobId} cannot be stored: ${fault.message}`;
		const error = new NodeOperationError(ctx.getNode(), message);
		error.message = message; // as in failure(): not n8n's generic text for a network code
		return error;
	};
	if (Buffer.isBuffer(data)) {
		const kind = signatureOf(data);
		if (data.length > rules.maxBytes) throw fail(tooLarge(rules, data.length));
		if (!kind) throw fail(notVideoFault(api, 'the answer holds', video.mimeType, data.length, data.subarray(0, SAMPLE_BYTES)));
		const mimeType = mimeTypeOf(kind, video);
		return await ctx.helpers.prepareBinaryData(data, fileName(fileBase, mimeType), mimeType);
	}
	const watchdog = new Watchdog(rules.stallMs, deadline, api.cancelSignal);
	let reader: ChunkReader | undefined;
	try {
		reader = new ChunkReader(data, watchdog);
		const kind = signatureOf(await reader.peek(SIGNATURE_BYTES));
		if (!kind) throw await notVideo(api, reader, video.mimeType, undefined, 'the answer holds');
		const mimeType = mimeTypeOf(kind, video);
		return await ctx.helpers.prepareBinaryData(readableOf(api.node, data, reader.rest(rules)), fileName(fileBase, mimeType), mimeType);
	} catch (error) {
		const fault = watchdog.fault ?? reader?.fault ?? error;
		if (api.cancelSignal?.aborted) throw canceledError(ctx.getNode());
		throw fault instanceof DownloadFault ? fail(fault) : fault;
	} finally {
		watchdog.end();
		data.destroy();
	}
}

/**
 * Ends an attempt that receives no byte for `stallMs`, or that runs past the download's deadline. It
 * aborts the request, and the reader (which races every read against it) fails the stream that n8n's
 * store is reading: a stalled socket's own stream may never end (n8n 2.41's plain Readable did not).
 * Its waits are n8n's cancellable sleeps, so no timer outlives it.
 */
class Watchdog {
	private readonly attempt = new AbortController();
	private readonly done = new AbortController();
	lastByteAt = Date.now();
	fault?: DownloadFault;
	private readonly onCancel = () => this.attempt.abort();

	constructor(
		private readonly stallMs: number,
		private readonly deadline: number,
		private readonly cancel: AbortSignal | undefined,
	) {
		if (cancel?.aborted) this.attempt.abort();
		cancel?.addEventListener('abort', this.onCancel, { once: true });
		void this.watch();
	}

	get signal(): AbortSignal {
		return this.attempt.signal;
	}

	private async watch(): Promise<void> {
		while (!this.done.signal.aborted && !this.attempt.signal.aborted) {
			const now = Date.now();
			const wakeAt = Math.min(this.lastByteAt + this.stallMs, this.deadline);
			if (now >= wakeAt) {
				const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
				this.fault =
					now >= this.deadline
						? new DownloadFault('timeout', `the download did not finish within Download Timeout`, true)
						: new DownloadFault('stall', `the video host sent nothing for ${seconds(now - this.lastByteAt)} (Download Stall Timeout)`);
				this.attempt.abort();
				return;
			}
			try {
				await cancellableSleep(wakeAt - now, this.done.signal);
			} catch {
				return;
			}
		}
	}

	end() {
		this.done.abort();
		this.cancel?.removeEventListener('abort', this.onCancel);
	}
}

/** Reads a stream chunk by chunk, each read raced against the watchdog, so a stall ends the read. */
class ChunkReader {
	private readonly chunks: AsyncIterator<Buffer | string>;
	private readonly head: Buffer[] = [];
	private headSize = 0;
	private ended = false;
	private listening = false;
	/** Why the stream handed to the store failed, as the store may wrap the error. */
	fault?: DownloadFault;

	constructor(
		source: ByteStream,
		private readonly watchdog: Watchdog,
	) {
		this.chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
	}

	/** The pending read's reject: the one abort listener fails the read in progress, whichever it is. */
	private rejectRead?: (error: unknown) => void;

	private async next(): Promise<Buffer | undefined> {
		const signal = this.watchdog.signal;
		const aborted = () => this.watchdog.fault ?? new DownloadFault('broken', 'the download was aborted');
		if (signal.aborted) throw aborted();
		if (!this.listening) {
			this.listening = true;
			signal.addEventListener('abort', () => this.rejectRead?.(aborted()), { once: true });
		}
		// A fresh promise per read (not a race with one long-lived promise, whose reactions would pile up).
		const result = await new Promise<IteratorResult<Buffer | string>>((resolve, reject) => {
			this.rejectRead = reject;
			this.chunks.next().then(resolve, reject);
		});
		this.rejectRead = undefined;
		if (result.done) {
			this.ended = true;
			return undefined;
		}
		this.watchdog.lastByteAt = Date.now();
		return Buffer.isBuffer(result.value) ? result.value : Buffer.from(result.value);
	}

	/** At least `bytes` of the start (fewer if the stream ends first), kept to be handed on. */
	async peek(bytes: number): Promise<Buffer> {
		while (this.headSize < bytes && !this.ended) {
			const chunk = await this.next();
			if (!chunk) break;
			this.head.push(chunk);
			this.headSize += chunk.length;
		}
		return Buffer.concat(this.head);
	}

	/** What came back, for an error: the start as text and the size read. */
	async sample(): Promise<{ text: Buffer; size: number }> {
		await this.peek(SAMPLE_BYTES);
		return { text: Buffer.concat(this.head).subarray(0, SAMPLE_BYTES), size: this.headSize };
	}

	/** The whole stream from its start, counted: over the cap or short of its declared length, it fails. */
	async *rest(rules: DownloadRules, declared?: number): AsyncGenerator<Buffer> {
		let size = 0;
		const count = (chunk: Buffer) => {
			size += chunk.length;
			if (size > rules.maxBytes) throw (this.fault = tooLarge(rules));
			return chunk;
		};
		for (const chunk of this.head.splice(0)) yield count(chunk);
		for (let chunk = await this.next(); chunk; chunk = await this.next()) yield count(chunk);
		if (declared !== undefined && size < declared)
			throw (this.fault = new DownloadFault('short', `the video host sent ${size} of the ${declared} bytes it announced`));
	}
}

function tooLarge(rules: DownloadRules, size?: number): DownloadFault {
	const cap = `${Math.round((rules.maxBytes / MB) * 10) / 10} MB`;
	const what = size !== undefined ? `the video is ${Math.round((size / MB) * 10) / 10} MB` : `the video is larger than ${cap}`;
	return new DownloadFault('too-large', `${what}, over Max Download Size (${cap}); raise it in the node's Options if the video is expected to be this large`, true);
}

async function notVideo(api: Transport, reader: ChunkReader, type: string | undefined, size: number | undefined, what: string): Promise<DownloadFault> {
	let sample: { text: Buffer; size: number };
	try {
		sample = await reader.sample();
	} catch {
		sample = { text: Buffer.alloc(0), size: 0 };
	}
	return notVideoFault(api, what, type, size ?? sample.size, sample.text, size === undefined);
}

function notVideoFault(api: Transport, what: string, type: string | undefined, size: number, start: Buffer, atLeast = false): DownloadFault {
	// Printable text only: a binary answer or a control character must not reach the message as is.
	const text = api.redact(start.toString('utf8').replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim()) ?? '';
	const facts = [`type ${type || 'none given'}`, `${atLeast ? 'at least ' : ''}${size} bytes`, `starting "${text}"`];
	return new DownloadFault('not-video', `${what} something that is not a video (${facts.join(', ')})`);
}

type Signature = 'isobmff' | 'ebml' | 'gif';

/** What the first bytes say the file is: ISO BMFF (MP4, MOV, 3GP), EBML (WebM, Matroska), GIF; else nothing. */
export function signatureOf(head: Buffer): Signature | undefined {
	if (head.length >= 8 && QUICKTIME_BOXES.has(head.toString('latin1', 4, 8))) return 'isobmff';
	if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'ebml';
	if (head.length >= 6 && /^GIF8[79]a$/.test(head.toString('latin1', 0, 6))) return 'gif';
	return undefined;
}

/** A declared type that may be a video: a video type, GIF, a generic binary type, or none. */
function videoLikeType(type: string | undefined): boolean {
	return !type || type.startsWith('video/') || type === 'image/gif' || GENERIC_TYPES.has(type);
}

/** The stored type: what the bytes are, worded as the response or the provider says when they agree. */
function mimeTypeOf(kind: Signature, video: VideoRef, responseType?: string): string {
	const fits = (type: string | undefined) =>
		!!type &&
		/^[a-z]+\/[a-z0-9.+-]{1,40}$/.test(type) &&
		(kind === 'gif' ? type === 'image/gif' : kind === 'ebml' ? type === 'video/webm' || type === 'video/x-matroska' : type.startsWith('video/') && !/webm|matroska/.test(type));
	for (const candidate of [responseType, video.mimeType?.toLowerCase()]) if (fits(candidate)) return candidate as string;
	const extension = /\.([a-z0-9]+)(?:$|[?#])/i.exec(video.url ?? video.fileName ?? '')?.[1]?.toLowerCase();
	const byExtension = Object.entries(EXTENSIONS).find(([, ext]) => ext === extension)?.[0];
	if (fits(byExtension)) return byExtension as string;
	return kind === 'gif' ? 'image/gif' : kind === 'ebml' ? 'video/webm' : 'video/mp4';
}

/** A safe file name: the extension comes from a checked type, and only letters and digits make it. */
export function fileName(fileBase: string, mimeType: string): string {
	const subtype = mimeType.split('/')[1]?.replace(/^x-/, '') ?? '';
	const extension = EXTENSIONS[mimeType] ?? (/^[a-z0-9]{1,8}$/.test(subtype) ? subtype : 'mp4');
	const base = (fileBase || 'video').replace(/[^\w.-]+/g, '_').replace(/^[_.]+|_+$/g, '').slice(0, 120) || 'video';
	return base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
}
