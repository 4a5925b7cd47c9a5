import { NodeOperationError, type INode } from 'n8n-workflow';
import { canceledError, isCanceled } from '../failures/nodeErrors';
import type { ByteStream } from '../engine/providerContract';

/**
 * Reads a JSON response that carries a file as one base64 string (A4F's `data[0].b64_json`) and
 * decodes that string while it arrives, so memory stays flat whatever the file's size. The rest of
 * the document is kept (up to a limit) and parsed once the stream has ended.
 */

export type JsonPath = ReadonlyArray<string | number>;

export type Base64Field =
	| {
			found: true;
			/** The decoded bytes, as a Node Readable that n8n's binary store takes. Read it once. */
			stream: ByteStream;
			/** From a `data:<type>;base64,` prefix, when the string has one. */
			mimeType?: string;
			/** The whole document, the field's value replaced by null: call it once `stream` has ended. */
			document: () => unknown;
	  }
	| { found: false; document: unknown };

export interface Base64FieldOptions {
	/** Who answered, for error messages ("A4F"). */
	source: string;
	/** Largest size of everything outside the field. */
	maxDocumentBytes?: number;
}

const MAX_DOCUMENT_BYTES = 1024 * 1024;
/** Each byte's base64 value (standard and URL-safe alphabets); 255 for bytes that carry no data. */
const SEXTET = new Uint8Array(256).fill(255);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach((char, value) => (SEXTET[char.charCodeAt(0)] = value));
SEXTET['-'.charCodeAt(0)] = 62;
SEXTET['_'.charCodeAt(0)] = 63;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DATA_URI = /^data:([^;,]*)(?:;[^;,]*)*;base64,/i;
/** Longest prefix looked at for a data URI before decoding starts. */
const DATA_URI_PEEK = 256;
const MB = 1024 * 1024;

/**
 * Reads `body` up to the start of the string at `path`: then it returns that string's decoded bytes
 * as a stream (the rest of the body is read as the stream is). If the document ends first (the field
 * is absent or null), it returns the parsed document. Nothing but the field may be large.
 */
export async function openBase64Field(node: INode, body: ByteStream, path: JsonPath, options: Base64FieldOptions): Promise<Base64Field> {
	const scanner = new Base64JsonScanner(node, path, options);
	const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
	/** Reads the next chunk into the scanner; false at the end of the body. */
	const pull = async () => {
		let chunk: IteratorResult<Buffer | string>;
		try {
			chunk = await chunks.next();
		} catch (error) {
			throw scanner.brokeOff(error);
		}
		if (!chunk.done) scanner.feed(chunk.value);
		return !chunk.done;
	};
	let settled = false;
	try {
		while (!scanner.fieldStarted || scanner.peeking) {
			if (!(await pull())) {
				settled = true;
				return { found: false, document: scanner.finish() };
			}
		}
		settled = true;
	} finally {
		if (!settled) body.destroy();
	}
	async function* bytes(): AsyncGenerator<Buffer> {
		let ended = false;
		try {
			yield* scanner.drain();
			while (await pull()) yield* scanner.drain();
			scanner.finish();
			ended = true;
		} finally {
			// Stopped early (a broken answer, a failed write, a canceled run): let go of the connection.
			if (!ended) body.destroy();
		}
	}
	return {
		found: true,
		stream: readableOf(node, body, bytes()),
		mimeType: scanner.mimeType,
		document: () => scanner.document(),
	};
}

interface Frame {
	isObject: boolean;
	/** The current key (objects) or index (arrays). */
	at: string | number;
	expectKey: boolean;
}

type StringKind = 'key' | 'value' | 'field';

/** A JSON tokenizer just deep enough to know where it is; it copies all but the field, which it decodes. */
class Base64JsonScanner {
	fieldStarted = false;
	mimeType?: string;
	private readonly maxDocument: number;
	private readonly stack: Frame[] = [];
	private readonly skeleton: string[] = [];
	private skeletonSize = 0;
	private stringKind?: StringKind;
	private keyText = '';
	/** Inside a string: a backslash was the last character, or the hex digits of \u so far. */
	private escape?: string;
	private peeked?: string;
	/** Base64 values read but not yet decoded (fewer than four) and how many. */
	private group = 0;
	private sextets = 0;
	private decodedBytes = 0;
	private readonly out: Buffer[] = [];
	private parsed?: unknown;

	constructor(
		private readonly node: INode,
		private readonly path: JsonPath,
		private readonly options: Base64FieldOptions,
	) {
		this.maxDocument = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
	}

	/**
	 * The field is decoded from the bytes themselves, into the chunk's own memory, so a video of any
	 * size makes no strings and no second copy. The rest is read as latin1 text (one char per byte);
	 * the kept document is turned back to UTF-8 at the end.
	 */
	feed(chunk: Buffer | string) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
		let i = 0;
		while (i < bytes.length) {
			if (this.inTheField) {
				i = this.inField(bytes, i);
				continue;
			}
			const text = bytes.toString('latin1', i);
			let j = 0;
			while (j < text.length && !this.inTheField) j = this.stringKind ? this.inString(text, j) : this.outside(text, j);
			i += j;
		}
	}

	*drain(): Generator<Buffer> {
		while (this.out.length) yield this.out.shift() as Buffer;
	}

	/** The end of the body: the document must be whole. Returns it parsed. */
	finish(): unknown {
		if (this.stringKind || this.stack.length)
			throw this.fail(
				this.fieldStarted
					? `The answer from ${this.options.source} broke off after ${(this.decodedBytes / MB).toFixed(1)} MB of video`
					: `The answer from ${this.options.source} broke off before it was complete`,
			);
		return this.document();
	}

	document(): unknown {
		if (this.parsed !== undefined) return this.parsed;
		const text = Buffer.from(this.skeleton.join(''), 'latin1').toString('utf8');
		try {
			this.parsed = JSON.parse(text);
		} catch {
			throw this.fail(`${this.options.source} answered with something that is not JSON: ${text.slice(0, 200)}`);
		}
		return this.parsed;
	}

	brokeOff(error: unknown): NodeOperationError {
		if (isCanceled(error)) return canceledError(this.node);
		const got = this.fieldStarted ? ` after ${(this.decodedBytes / MB).toFixed(1)} MB of video` : '';
		return this.fail(`The connection to ${this.options.source} broke off${got}: ${(error as Error)?.message ?? String(error)}`);
	}

	private fail(message: string) {
		return new NodeOperationError(this.node, message, {
			description: `${this.options.source} sent the video inside its answer; it has to arrive whole. Run the node again to make a new one.`,
		});
	}

	private keep(text: string) {
		this.skeletonSize += text.length;
		if (this.skeletonSize > this.maxDocument)
			throw this.fail(`The answer from ${this.options.source} is larger than ${this.maxDocument / MB} MB outside the video data`);
		this.skeleton.push(text);
	}

	private currentPathIs(path: JsonPath): boolean {
		if (this.stack.length !== path.length) return false;
		return this.stack.every((frame, index) => frame.at === path[index]);
	}

	/** Structure between strings; returns where it stopped. */
	private outside(text: string, start: number): number {
		let i = start;
		for (; i < text.length; i++) {
			const char = text[i];
			const top = this.stack[this.stack.length - 1];
			if (char === '"') {
				if (top?.isObject && top.expectKey) {
					this.stringKind = 'key';
					this.keyText = '';
				} else if (!this.fieldStarted && this.currentPathIs(this.path)) {
					this.keep(text.slice(start, i) + 'null');
					this.stringKind = 'field';
					this.fieldStarted = true;
					this.peeked = '';
					return i + 1;
				} else this.stringKind = 'value';
				this.keep(text.slice(start, i + 1));
				return i + 1;
			}
			if (char === '{' || char === '[') this.stack.push({ isObject: char === '{', at: char === '{' ? '' : 0, expectKey: char === '{' });
			else if (char === '}' || char === ']') this.stack.pop();
			else if (char === ',' && top) {
				if (top.isObject) top.expectKey = true;
				else top.at = (top.at as number) + 1;
			}
		}
		this.keep(text.slice(start, i));
		return i;
	}

	private inString(text: string, start: number): number {
		let i = start;
		for (; i < text.length; i++) {
			const char = text[i];
			// The character after a backslash never ends the string (\u's hex digits cannot either).
			if (this.escape !== undefined) this.escape = undefined;
			else if (char === '\\') this.escape = '';
			else if (char === '"') break;
		}
		const closed = i < text.length;
		const piece = text.slice(start, closed ? i + 1 : i);
		this.keep(piece);
		if (this.stringKind === 'key') this.keyText += closed ? piece.slice(0, -1) : piece;
		if (!closed) return i;
		if (this.stringKind === 'key') {
			const top = this.stack[this.stack.length - 1];
			top.at = jsonString(this.keyText);
			top.expectKey = false;
		}
		this.stringKind = undefined;
		return i + 1;
	}

	/** The field's bytes: base64, maybe with JSON escapes (`\/`, `\n`) and a data URI prefix. */
	private inField(bytes: Buffer, start: number): number {
		let i = start;
		while (i < bytes.length) {
			if (this.escape !== undefined) {
				i = this.inEscape(String.fromCharCode(bytes[i]), i);
				continue;
			}
			const quote = bytes.indexOf(QUOTE, i);
			const backslash = bytes.indexOf(BACKSLASH, i);
			const stop = backslash >= 0 && (quote < 0 || backslash < quote) ? backslash : quote;
			const end = stop < 0 ? bytes.length : stop;
			if (this.peeked !== undefined) this.take(bytes.toString('latin1', i, end));
			else this.decode(bytes, i, end);
			if (stop < 0) return bytes.length;
			if (stop === backslash) {
				this.escape = '';
				i = stop + 1;
				continue;
			}
			this.endField();
			return stop + 1;
		}
		return i;
	}

	private inEscape(char: string, i: number): number {
		const sequence = (this.escape as string) + char;
		if (sequence[0] !== 'u') {
			this.escape = undefined;
			// `\/` is a slash; \n, \r, \t (line-wrapped base64) and anything else carry no data.
			if (sequence === '/') this.take('/');
			return i + 1;
		}
		if (sequence.length < 5) {
			this.escape = sequence;
			return i + 1;
		}
		this.escape = undefined;
		const code = parseInt(sequence.slice(1), 16);
		if (code < 256 && SEXTET[code] !== 255) this.take(String.fromCharCode(code));
		return i + 1;
	}

	/** A few characters (a data URI peek, an escape): decoded like the bytes. */
	private take(chars: string) {
		if (this.peeked !== undefined) {
			// Before decoding, look whether the string starts with a data URI.
			this.peeked += chars;
			const match = DATA_URI.exec(this.peeked);
			const maybeUri = 'data:'.startsWith(this.peeked.slice(0, 5).toLowerCase());
			if (maybeUri && !match && this.peeked.length < DATA_URI_PEEK) return;
			chars = match ? this.peeked.slice(match[0].length) : this.peeked;
			if (match?.[1]) this.mimeType = match[1].toLowerCase();
			this.peeked = undefined;
		}
		const bytes = Buffer.from(chars, 'latin1');
		this.decode(bytes, 0, bytes.length);
	}

	/**
	 * Decodes base64 bytes[from, to) in place: every four values become three bytes written over the
	 * ones already read, and the decoded part is sent on as a view of the same memory.
	 */
	private decode(bytes: Buffer, from: number, to: number) {
		let read = from;
		if (this.sextets) {
			// A group begun in an earlier piece is finished into its own buffer: written in place, it
			// could cover bytes not yet read.
			while (read < to && this.sextets < 4) {
				const value = SEXTET[bytes[read++]];
				if (value === 255) continue;
				this.group = (this.group << 6) | value;
				this.sextets++;
			}
			if (this.sextets < 4) return;
			this.send(Buffer.from([this.group >> 16, (this.group >> 8) & 255, this.group & 255]));
			this.group = 0;
			this.sextets = 0;
		}
		const start = read;
		let write = read;
		let group = 0;
		let sextets = 0;
		while (read < to) {
			if (sextets === 0) {
				// Whole groups of four data bytes, the usual case, twice as fast as byte by byte.
				for (; read + 4 <= to; read += 4) {
					const a = SEXTET[bytes[read]];
					const b = SEXTET[bytes[read + 1]];
					const c = SEXTET[bytes[read + 2]];
					const d = SEXTET[bytes[read + 3]];
					if ((a | b | c | d) === 255) break;
					bytes[write++] = (a << 2) | (b >> 4);
					bytes[write++] = ((b & 15) << 4) | (c >> 2);
					bytes[write++] = ((c & 3) << 6) | d;
				}
				if (read >= to) break;
			}
			const value = SEXTET[bytes[read++]];
			if (value === 255) continue;
			group = (group << 6) | value;
			if (++sextets === 4) {
				bytes[write++] = group >> 16;
				bytes[write++] = (group >> 8) & 255;
				bytes[write++] = group & 255;
				group = 0;
				sextets = 0;
			}
		}
		this.group = group;
		this.sextets = sextets;
		if (write > start) this.send(bytes.subarray(start, write));
	}

	private endField() {
		if (this.peeked !== undefined) {
			const rest = this.peeked;
			this.peeked = undefined;
			if (rest) this.take(rest);
		}
		this.stringKind = undefined;
		const { group, sextets } = this;
		this.group = 0;
		this.sextets = 0;
		if (sextets === 1) throw this.fail(`The video data from ${this.options.source} is not valid base64 (it ends in a broken group)`);
		if (sextets === 2) this.send(Buffer.from([group >> 4]));
		if (sextets === 3) this.send(Buffer.from([group >> 10, (group >> 2) & 255]));
		if (!this.decodedBytes) throw this.fail(`${this.options.source} sent an empty video`);
	}

	private send(bytes: Buffer) {
		this.decodedBytes += bytes.length;
		this.out.push(bytes);
	}

	private get inTheField() {
		return this.stringKind === 'field';
	}

	/** Whether the field's start is still being looked at for a data URI prefix. */
	get peeking() {
		return this.peeked !== undefined;
	}
}

/** A JSON string's raw text (latin1 bytes, escapes and all) as the string it means. */
function jsonString(raw: string): string {
	const text = Buffer.from(raw, 'latin1').toString('utf8');
	try {
		return JSON.parse(`"${text}"`) as string;
	} catch {
		return text;
	}
}

/**
 * A Node Readable of `chunks`, n8n's binary store takes nothing else in every mode. Shipped code may
 * not import 'stream', so the class comes from the response body itself, which is a Readable.
 */
export function readableOf(node: INode, body: ByteStream, chunks: AsyncIterable<Buffer>): ByteStream {
	for (let proto = Object.getPrototypeOf(body); proto; proto = Object.getPrototypeOf(proto)) {
		const ctor = proto.constructor as { name?: string; from?: (source: AsyncIterable<Buffer>, options: object) => ByteStream };
		if (ctor?.name === 'Readable' && typeof ctor.from === 'function') return ctor.from(chunks, { objectMode: false });
	}
	throw new NodeOperationError(node, 'The response body is not a Node.js stream, so the video cannot be streamed');
}

/** A file to inline in a JSON request body: its MIME type, and its bytes opened once per attempt. */
export interface InlineFile {
	mimeType?: string;
	open: () => Promise<{ data: ByteStream | Buffer; size?: number }>;
}

/**
 * The other direction: a JSON request body whose `field` holds `file` as a `data:<type>;base64,` URI
 * (a gateway's inline image), encoded while it is sent, so memory does not grow with the file. Bytes
 * already in memory (n8n's default binary mode keeps them in the item) are encoded at once. The size is
 * known, and sent as Content-Length, when the store gives the file's.
 */
export async function jsonWithBase64Field(node: INode, document: Record<string, unknown>, field: string, file: InlineFile): Promise<{ data: ByteStream | Buffer; size?: number }> {
	const mark = `\u0000${field}\u0000`;
	const text = JSON.stringify({ ...document, [field]: mark });
	const quoted = JSON.stringify(mark);
	const at = text.indexOf(quoted);
	// The opening quote and the data URI prefix, then the base64, then the closing quote and the rest.
	const head = Buffer.from(text.slice(0, at) + JSON.stringify(`data:${file.mimeType ?? 'application/octet-stream'};base64,`).slice(0, -1), 'utf8');
	const tail = Buffer.from(`"${text.slice(at + quoted.length)}`, 'utf8');
	const opened = await file.open();
	if (Buffer.isBuffer(opened.data)) {
		const data = Buffer.concat([head, Buffer.from(opened.data.toString('base64'), 'latin1'), tail]);
		return { data, size: data.length };
	}
	const source = opened.data;
	async function* encoded(): AsyncIterable<Buffer> {
		yield head;
		// base64 works in groups of 3 bytes: a chunk's leftover waits for the next one.
		let rest = Buffer.alloc(0);
		for await (const chunk of source) {
			const bytes = rest.length ? Buffer.concat([rest, Buffer.from(chunk)]) : Buffer.from(chunk);
			const whole = bytes.length - (bytes.length % 3);
			if (whole) yield Buffer.from(bytes.subarray(0, whole).toString('base64'), 'latin1');
			rest = bytes.subarray(whole);
		}
		if (rest.length) yield Buffer.from(rest.toString('base64'), 'latin1');
		yield tail;
	}
	const size = opened.size !== undefined ? head.length + 4 * Math.ceil(opened.size / 3) + tail.length : undefined;
	return { data: readableOf(node, source, encoded()), size };
}
