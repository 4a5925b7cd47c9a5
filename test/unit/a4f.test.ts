import { randomBytes } from 'crypto';
import type { INode } from 'n8n-workflow';
import { Readable } from 'stream';
import { A4F_CAPABILITIES as TABLE } from '../../nodes/A4F/capabilities';
import { OTHER_MODEL } from '../../nodes/shared/fields/customModel';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { A4fV1 as A4f } from '../../nodes/A4F/A4f.node';
import { a4fProvider } from '../../nodes/A4F/provider';
import { openBase64Field, type Base64Field, type JsonPath } from '../../nodes/shared/transport/base64Json';
import { checkTableAgreement, readInputWith, visibleProperties } from '../helpers/capabilities';

const description = new A4f().description;

describe('A4F capability table', () => {
	test('the table, the UI and the validation agree for every model', () => {
		checkTableAgreement(description, TABLE, a4fProvider, { prompt: 'a fox' });
	});

	test('the model list: the seed\'s seven models, then Other Model; Kling v2.1 by default', () => {
		const [model] = visibleProperties(description, { operation: 'generate' }, 'model');
		expect(model.options?.map((o) => (o as { value: string }).value)).toEqual([...TABLE.models.map((m) => m.value), OTHER_MODEL]);
		expect(model.default).toBe('provider-2/kling-v2.1');
	});

	test('seed 001\'s model matrix: longest duration and qualities', () => {
		const matrix = Object.fromEntries(TABLE.models.map((m) => [m.value, [Math.max(...(m.fields.duration.values as number[])), m.fields.resolution.values.join(' ')]]));
		expect(matrix).toEqual({
			'provider-2/seedance-lite': [5, '1080p'],
			'provider-2/kling-v2.1': [5, '720p 1080p'],
			'provider-2/sora-2': [4, '720p 1080p'],
			'provider-2/veo-fast': [8, '720p 1080p'],
			'provider-2/seedance-pro': [5, '1080p'],
			'provider-2/sora-2-pro': [5, '720p 1080p'],
			'provider-2/veo': [8, '720p 1080p'],
		});
		for (const m of TABLE.models) expect(m.fields.aspectRatio).toEqual({ values: ['9:16', '16:9', '1:1', '3:4', '4:3'], default: '9:16' });
		expect(TABLE.models.filter((m) => /premium/i.test(m.name)).map((m) => m.value)).toEqual(['provider-2/seedance-pro', 'provider-2/sora-2-pro', 'provider-2/veo']);
	});

	test('Other Model shows the Model ID field and the API\'s general limits', () => {
		const parameters = { operation: 'generate', model: OTHER_MODEL };
		expect(visibleProperties(description, parameters, 'customModel')).toHaveLength(1);
		expect(visibleProperties(description, { operation: 'generate', model: 'provider-2/veo' }, 'customModel')).toHaveLength(0);
		const [duration] = visibleProperties(description, parameters, 'duration');
		expect(duration.options?.map((o) => (o as { value: number }).value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		const [quality] = visibleProperties(description, parameters, 'resolution');
		expect(quality.options?.map((o) => (o as { value: string }).value)).toEqual(['480p', '720p', '1080p']);
		const input = readInputWith(a4fProvider, { ...parameters, customModel: 'provider-6/wan-2.1', prompt: 'x' });
		expect(input).toEqual({ model: 'provider-6/wan-2.1', prompt: 'x', duration: 5, resolution: '720p', aspectRatio: '9:16' });
	});

	test('the options offer a Request Timeout, and no polling', () => {
		const [options] = visibleProperties(description, { operation: 'generate' }, 'options');
		const names = (options.options as Array<{ name: string; default: unknown }>).map((o) => o.name);
		expect(names).toContain('requestTimeout');
		expect(names).not.toContain('pollInterval');
		expect(names).not.toContain('maxWait');
		expect((options.options as Array<{ name: string; default: unknown }>).find((o) => o.name === 'requestTimeout')?.default).toBe(900);
	});
});

const node: INode = { id: 'n', name: 'A4F', type: 'a4f', typeVersion: 1, position: [0, 0], parameters: {} };
const PATH: JsonPath = ['data', 0, 'b64_json'];

/** A body that arrives in pieces of `size` bytes (the last one shorter). */
function bodyOf(text: string | Buffer, size = 65536): Readable & { destroyed: boolean } {
	const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
	const pieces: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
	return Readable.from(pieces, { objectMode: false });
}

async function read(field: Base64Field): Promise<Buffer> {
	if (!field.found) throw new Error('field not found');
	const chunks: Buffer[] = [];
	for await (const chunk of field.stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

const open = (text: string | Buffer, size?: number) => openBase64Field(node, bodyOf(text, size), PATH, { source: 'A4F' });

describe('decoding base64 from a streamed JSON answer', () => {
	const video = randomBytes(1000);
	const answer = (b64: string, extra = '') =>
		`{"created":1735000000,"data":[{"b64_json":"${b64}","url":null,"revised_prompt":"Un renard roux é 🦊 \\"quoted\\""}]${extra}}`;

	test('every split of the body gives the same bytes and the same document', async () => {
		const text = answer(video.toString('base64'));
		for (const size of [1, 2, 3, 5, 7, 64, 1000, 100_000]) {
			const field = await open(text, size);
			expect({ size, equal: (await read(field)).equals(video) }).toEqual({ size, equal: true });
			if (!field.found) throw new Error('not found');
			expect(field.document()).toEqual({ created: 1735000000, data: [{ b64_json: null, url: null, revised_prompt: 'Un renard roux é 🦊 "quoted"' }] });
		}
	});

	test('URL-safe base64 and padding, decoded alike', async () => {
		for (const length of [1000, 1001, 1002]) {
			const bytes = randomBytes(length);
			const b64url = bytes.toString('base64url');
			for (const size of [3, 64]) {
				const field = await open(answer(b64url), size);
				expect({ length, size, equal: (await read(field)).equals(bytes) }).toEqual({ length, size, equal: true });
			}
			const padded = await open(answer(bytes.toString('base64')), 5);
			expect((await read(padded)).equals(bytes)).toBe(true);
		}
	});

	test('decoding over the base64 already read leaves the rest of the answer intact', async () => {
		// The decoder writes the video over the base64 it has read; the JSON after the field must survive.
		const text = answer(video.toString('base64'), ',"after":"kept"');
		const field = await open(Buffer.from(text), 4096);
		expect((await read(field)).equals(video)).toBe(true);
		if (!field.found) throw new Error('not found');
		expect(field.document()).toMatchObject({ after: 'kept' });
	});

	test('JSON escapes inside the base64: \\/, line breaks, \\u sequences', async () => {
		const b64 = video.toString('base64');
		const escaped = b64
			.replace(/(.{76})/g, '$1\\n')
			.replace(/\//g, '\\/')
			.replace(/\+/g, '\\u002B');
		for (const size of [1, 3, 13, 4096]) expect((await read(await open(answer(escaped), size))).equals(video)).toBe(true);
	});

	test('a data URI prefix gives the mime type and is not decoded', async () => {
		for (const size of [1, 4, 9, 4096]) {
			const field = await open(answer(`data:video/webm;base64,${video.toString('base64')}`), size);
			expect(field.found && field.mimeType).toBe('video/webm');
			expect((await read(field)).equals(video)).toBe(true);
		}
	});

	test('the field is found by its path only, wherever the keys stand', async () => {
		const text = `{"note":{"b64_json":"QUJD"},"data":[{"url":null,"x":[1,{"b64_json":"QUJD"}],"b\\"64":"e","b64_json":"${video.toString('base64')}"}],"z":"]}"}`;
		const field = await open(text, 3);
		expect((await read(field)).equals(video)).toBe(true);
		if (!field.found) throw new Error('not found');
		expect(field.document()).toMatchObject({ note: { b64_json: 'QUJD' }, z: ']}' });
	});

	test('b64_json null: the document, with its url', async () => {
		const field = await open('{"created":1,"data":[{"b64_json":null,"url":"https://cdn.example/v.mp4","revised_prompt":null}]}', 5);
		expect(field).toEqual({ found: false, document: { created: 1, data: [{ b64_json: null, url: 'https://cdn.example/v.mp4', revised_prompt: null }] } });
	});

	test('an error body sent with 200: the document', async () => {
		const field = await open('{"error":{"message":"upstream failed","type":"provider_error"}}');
		expect(field).toEqual({ found: false, document: { error: { message: 'upstream failed', type: 'provider_error' } } });
	});

	test.each([
		['a body that ends inside the video', answer(video.toString('base64')).slice(0, 600), /broke off after 0\.0 MB of video/],
		['a body that ends after the video but before the end', answer(video.toString('base64')).slice(0, -3), /broke off after/],
		['a broken last base64 group', answer(`${randomBytes(999).toString('base64')}A`), /not valid base64/],
	])('%s fails while reading', async (_, text, pattern) => {
		await expect(read(await open(text, 100))).rejects.toThrow(pattern);
	});

	test.each([
		['an HTML page', '<html><body>Bad gateway</body></html>', /not JSON: <html>/],
		['a body that ends before the video', '{"created":1,"data":[{"url":nu', /broke off before it was complete/],
		['an empty video', answer(''), /sent an empty video/],
	])('%s fails at once', async (_, text, pattern) => {
		await expect(open(text)).rejects.toThrow(pattern);
	});

	test('a huge document outside the field is refused', async () => {
		const text = `{"padding":"${'x'.repeat(2 * 1024 * 1024)}","data":[{"b64_json":"QUJD"}]}`;
		await expect(open(text)).rejects.toThrow(/larger than 1 MB outside the video data/);
	});

	test('a connection error mid-video fails naming it, and a reader that stops early lets the body go', async () => {
		const failing = new Readable({ read() {} });
		failing.push(Buffer.from(`{"data":[{"b64_json":"${video.toString('base64').slice(0, 400)}`));
		const field = await openBase64Field(node, failing, PATH, { source: 'A4F' });
		setImmediate(() => failing.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
		await expect(read(field)).rejects.toThrow(/The connection to A4F broke off after 0\.0 MB of video: socket hang up/);

		const body = bodyOf(answer(randomBytes(300_000).toString('base64')), 1000);
		const early = await openBase64Field(node, body, PATH, { source: 'A4F' });
		if (!early.found) throw new Error('not found');
		for await (const chunk of early.stream) {
			expect(chunk.length).toBeGreaterThan(0);
			break;
		}
		await new Promise((resolve) => setImmediate(resolve));
		expect(body.destroyed).toBe(true);
	});

	test('memory stays flat: a 64 MB video is decoded in pieces no larger than a chunk of the body', async () => {
		const piece = randomBytes(48 * 1024).toString('base64');
		let sent = 0;
		const total = 1365 * 48 * 1024;
		async function* body() {
			yield Buffer.from('{"data":[{"b64_json":"');
			for (; sent < total; sent += 48 * 1024) yield Buffer.from(piece);
			yield Buffer.from('"}]}');
		}
		const field = await openBase64Field(node, Readable.from(body(), { objectMode: false }), PATH, { source: 'A4F' });
		if (!field.found) throw new Error('not found');
		let bytes = 0;
		let largest = 0;
		for await (const chunk of field.stream) {
			bytes += chunk.length;
			largest = Math.max(largest, chunk.length);
		}
		expect(bytes).toBe(total);
		expect(largest).toBeLessThanOrEqual(48 * 1024);
	});
});
