/**
 * The AI/ML API node against AI/ML API's own per-model specs (specs/aiml-api/, pinned from
 * aimlapi/api-docs), each served by Stoplight Prism's validating mock, strict: a field the model's spec
 * does not name is refused. AI/ML API publishes one file per model, for one route, so each described
 * PixVerse model gets its own mock. Only the submit is covered: the files describe no status request.
 */
import type { IBinaryData, IDataObject } from 'n8n-workflow';
import { AimlApiApi } from '../../credentials/AimlApiApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { inlineBinary, pngImage } from '../helpers/image';
import { cleanupBinaryData, runNode } from '../helpers/n8n';
import { startOpenApiMock, type MockedRequest, type OpenApiMock } from '../helpers/openapiMock';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const specs = require('../../scripts/specs/aiml-api.js') as { MODELS: Record<string, string>; fileOf(model: string): string };

const API_KEY = 'aiml_openapiMock_4f7c0d2e9b8a';
const mocks = new Map<string, OpenApiMock>();

beforeAll(async () => {
	await Promise.all(Object.keys(specs.MODELS).map(async (model) => mocks.set(model, await startOpenApiMock(specs.fileOf(model), { strict: true }))));
}, 90_000);
afterAll(async () => {
	await Promise.all([...mocks.values()].map((mock) => mock.close()));
	cleanupBinaryData();
});

/** Runs Submit against the mock of `model`'s spec; the run made one request, valid, and returned the job. */
async function submitted(model: string, parameters: IDataObject, binary?: Record<string, IBinaryData>): Promise<IDataObject> {
	const mock = mocks.get(model)!;
	const before = mock.requests.length;
	const result = await runNode({
		nodeType: new AimlApi(),
		credentialType: new AimlApiApi(),
		credentials: { apiKey: API_KEY, baseUrl: mock.url },
		parameters: { operation: 'submit', model, prompt: 'a paper boat on a stormy sea', ...parameters },
		...(binary ? { inputItems: [{ json: {}, binary }] } : {}),
	});
	const requests: MockedRequest[] = mock.requests.slice(before);
	expect(requests.map((r) => ({ path: r.path, status: r.status, violations: r.violations }))).toEqual([{ path: '/v2/video/generations', status: 200, violations: [] }]);
	expect(result.error).toBeUndefined();
	expect(result.items[0].json).toMatchObject({ jobId: '60ac7c34-3224-4b14-8e7d-0aa0db708325' });
	return requests[0].body as IDataObject;
}

test('the mock validates: a value outside a model\'s enum, and a field its spec does not name, are refused', async () => {
	const mock = mocks.get('pixverse/v5/text-to-video')!;
	const post = (body: IDataObject) => fetch(`${mock.url}/v2/video/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	expect((await post({ model: 'pixverse/v5/text-to-video', prompt: 'x', duration: 10 })).status).toBe(422);
	expect(mock.requests.at(-1)?.violations[0]).toMatchObject({ location: ['request', 'body', 'duration'], code: 'enum' });
	expect((await post({ model: 'pixverse/v5/text-to-video', prompt: 'x', image_url: 'https://x.example/a.png' })).status).toBe(422);
	expect(mock.requests.at(-1)?.violations[0]).toMatchObject({ code: 'additionalProperties' });
});

describe('PixVerse V5 text to video', () => {
	test('every field the node fills, at 1080p and 5 s', async () => {
		const body = await submitted('pixverse/v5/text-to-video', { aspectRatio: '9:16', resolution: '1080p', duration: 5, style: 'anime', negativePrompt: 'blur', seed: 42 });
		expect(body).toEqual({ model: 'pixverse/v5/text-to-video', prompt: 'a paper boat on a stormy sea', aspect_ratio: '9:16', resolution: '1080p', duration: 5, style: 'anime', negative_prompt: 'blur', seed: 42 });
	});

	test('8 s at 720p, in every aspect ratio', async () => {
		for (const aspectRatio of ['16:9', '4:3', '1:1', '3:4', '9:16']) {
			const body = await submitted('pixverse/v5/text-to-video', { aspectRatio, resolution: '720p', duration: 8 });
			expect(body).toMatchObject({ aspect_ratio: aspectRatio, resolution: '720p', duration: 8 });
		}
	});
});

describe('PixVerse V5 image to video and transition, by URL (and a binary last frame)', () => {
	test('image to video: image_url, no aspect ratio', async () => {
		const body = await submitted('pixverse/v5/image-to-video', { imageSource: 'url', imageUrl: 'https://x.example/boat.png', resolution: '540p', duration: 8, style: 'clay' });
		expect(body).toEqual({ model: 'pixverse/v5/image-to-video', prompt: 'a paper boat on a stormy sea', image_url: 'https://x.example/boat.png', resolution: '540p', duration: 8, style: 'clay' });
	});

	test('transition: first frame by URL, last frame by URL, then from a binary field (a data URI)', async () => {
		const first = { imageSource: 'url', imageUrl: 'https://x.example/first.png', resolution: '720p', duration: 5 };
		const byUrl = await submitted('pixverse/v5/transition', { ...first, endImageSource: 'url', endImageUrl: 'https://x.example/last.png' });
		expect(byUrl).toMatchObject({ image_url: 'https://x.example/first.png', tail_image_url: 'https://x.example/last.png' });
		const fromBinary = await submitted('pixverse/v5/transition', { ...first, endImageSource: 'binary', endImageBinaryProperty: 'last' }, { last: inlineBinary(pngImage(64, 64, 3)) });
		expect(String(fromBinary.tail_image_url)).toMatch(/^data:image\/png;base64,/);
	});
});
