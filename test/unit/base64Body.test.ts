/**
 * jsonWithBase64Field (nodes/shared/transport/base64Json.ts): a JSON request body with one field holding
 * a file as a data URI, encoded while it is sent. The result must be the JSON a whole-file encoding
 * gives, with the announced size, and memory must not grow with the file.
 */
import { Readable } from 'stream';
import { randomBytes } from 'crypto';
import type { INode } from 'n8n-workflow';
import { jsonWithBase64Field } from '../../nodes/shared/transport/base64Json';

const node = { name: 'Test' } as INode;

async function collect(data: Readable | Buffer): Promise<Buffer> {
	if (Buffer.isBuffer(data)) return data;
	const chunks: Buffer[] = [];
	for await (const chunk of data) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

/** `bytes` as a stream of chunks of uneven sizes (1, 2, 5, 7 ... bytes and larger), as a disk read may give them. */
function unevenStream(bytes: Buffer): Readable {
	const sizes = [1, 2, 5, 7, 4096, 3, 65_537];
	return Readable.from(
		(function* () {
			for (let at = 0, i = 0; at < bytes.length; i++) {
				const size = sizes[i % sizes.length];
				yield bytes.subarray(at, at + size);
				at += size;
			}
		})(),
	);
}

describe('jsonWithBase64Field', () => {
	const document = { model: 'm', prompt: 'a "quoted" fox\n', image: '', seed: 7 };

	test.each([0, 1, 2, 3, 100_000, 100_001, 100_002])('a %i-byte stream gives the JSON of the whole encoding, with its size', async (length) => {
		const bytes = randomBytes(length);
		const body = await jsonWithBase64Field(node, document, 'image', { mimeType: 'image/png', open: async () => ({ data: unevenStream(bytes), size: length }) });
		expect(Buffer.isBuffer(body.data)).toBe(false);
		const text = await collect(body.data as Readable);
		expect(body.size).toBe(text.length);
		// The field stays where the document has it; everything else is as JSON.stringify writes it.
		expect(text.toString('utf8')).toBe(JSON.stringify({ ...document, image: `data:image/png;base64,${bytes.toString('base64')}` }));
	});

	test('bytes already in memory (n8n’s default binary mode) give the same body at once', async () => {
		const bytes = randomBytes(1001);
		const body = await jsonWithBase64Field(node, document, 'input_reference', { mimeType: 'image/webp', open: async () => ({ data: bytes }) });
		expect(JSON.parse((body.data as Buffer).toString('utf8'))).toEqual({ ...document, input_reference: `data:image/webp;base64,${bytes.toString('base64')}` });
		expect(body.size).toBe((body.data as Buffer).length);
	});

	test('a 64 MB image is sent with memory flat: the body reads the image only as fast as it is sent', async () => {
		const SIZE = 64 * 1024 * 1024;
		const CHUNK = 64 * 1024;
		let read = 0;
		// The image is made as it is read (like a file on disk): no copy of it exists in memory.
		const source = Readable.from(
			(function* () {
				const block = randomBytes(CHUNK);
				for (; read < SIZE; read += CHUNK) yield Buffer.from(block);
			})(),
		);
		const body = await jsonWithBase64Field(node, { image: '' }, 'image', { mimeType: 'image/png', open: async () => ({ data: source, size: SIZE }) });
		let sent = 0;
		let ahead = 0;
		let largest = 0;
		for await (const chunk of body.data as Readable) {
			sent += (chunk as Buffer).length;
			largest = Math.max(largest, (chunk as Buffer).length);
			// What was read of the image but not yet sent is all the memory the body holds.
			ahead = Math.max(ahead, read - (sent * 3) / 4);
		}
		expect(sent).toBe(body.size);
		expect(sent).toBeGreaterThan((SIZE * 4) / 3);
		console.info(`jsonWithBase64Field: 64 MB image, ${(sent / 1024 / 1024).toFixed(0)} MB sent; at most ${(ahead / 1024).toFixed(0)} KB read ahead, largest chunk ${(largest / 1024).toFixed(0)} KB`);
		// Reading whole would hold all 64 MB before the first byte goes out; streams buffer a few chunks.
		expect(ahead).toBeLessThan(2 * 1024 * 1024);
		expect(largest).toBeLessThan(1024 * 1024);
	}, 60_000);
});
