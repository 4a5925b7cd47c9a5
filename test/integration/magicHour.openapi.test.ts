/**
 * The Magic Hour node against Magic Hour's own OpenAPI file (specs/magic-hour/openapi.json, pinned from
 * magichourhq/docs), served by Stoplight Prism, which validates every request against it; strict:
 * a body field the spec does not name is refused too. Every request the node makes here must pass:
 * text to video for every model (and alias, and a typed id), 5 s, 4k and audio where a model takes
 * them, image to video by URL with end frames, and Get. Nothing here was written from our own table.
 */
import type { IDataObject } from 'n8n-workflow';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { MAGIC_HOUR_CAPABILITIES as TABLE } from '../../nodes/MagicHour/capabilities';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { cleanupBinaryData, runNode } from '../helpers/n8n';
import { startOpenApiMock, type MockedRequest, type OpenApiMock } from '../helpers/openapiMock';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PINNED } = require('../../scripts/specs/magic-hour.js') as { PINNED: string };

const API_KEY = 'mhk_live_openapiMock0123456789';
let mock: OpenApiMock;

beforeAll(async () => {
	mock = await startOpenApiMock(PINNED, { strict: true });
}, 60_000);
afterAll(async () => {
	await mock?.close();
	cleanupBinaryData();
});

/** Runs the node once and returns what reached the mock, with Prism's verdict. */
async function run(parameters: IDataObject): Promise<{ requests: MockedRequest[]; error?: Error; json?: IDataObject }> {
	const before = mock.requests.length;
	const result = await runNode({
		nodeType: new MagicHour(),
		credentialType: new MagicHourApi(),
		credentials: { apiKey: API_KEY, baseUrl: mock.url },
		parameters: { operation: 'submit', prompt: 'a red fox running through fresh snow', ...parameters },
	});
	return { requests: mock.requests.slice(before), error: result.error, json: result.items[0]?.json };
}

/** The run made exactly one request, the spec took it, and the node returned the job. */
async function submitted(parameters: IDataObject, path: string) {
	const { requests, error, json } = await run(parameters);
	expect(requests.map((r) => ({ path: r.path, status: r.status, violations: r.violations }))).toEqual([{ path, status: 200, violations: [] }]);
	expect(error).toBeUndefined();
	expect(json).toMatchObject({ jobId: 'cuid-example' });
	expect(requests[0].authorization).toBe(`Bearer ${API_KEY}`);
	return requests[0].body as IDataObject;
}

const currentModels = TABLE.models.filter((m) => !m.traits?.legacy);
const withDefaults = (model: (typeof TABLE.models)[number]) => ({
	model: model.value,
	duration: model.fields.duration.default,
	aspectRatio: model.fields.aspectRatio.default,
	resolution: model.fields.resolution.default,
});

describe('the mock validates: requests the spec refuses are refused', () => {
	test('a model id outside the spec\'s enum (typed in, so the node lets it through) is refused by the spec, naming the field', async () => {
		const { requests, error } = await run({ model: 'other', customModel: 'kling-9.9', duration: 5 });
		expect(requests).toHaveLength(1);
		expect(requests[0].status).toBe(422);
		expect(requests[0].violations.map((v) => v.location.join('.'))).toEqual(['request.body.model']);
		expect(error?.message).toMatch(/Magic Hour could not create the video \(HTTP 422\)/);
	});

	test('a body field the spec does not name is refused (strict mode)', async () => {
		const response = await fetch(`${mock.url}/v1/text-to-video`, {
			method: 'POST',
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'kling-3.0', end_seconds: 5, style: { prompt: 'x' }, orientation: 'landscape' }),
		});
		expect(response.status).toBe(422);
		expect(mock.requests.at(-1)?.violations[0]).toMatchObject({ location: ['request', 'body'], code: 'additionalProperties' });
	});

	test('a request without the API key is refused', async () => {
		const response = await fetch(`${mock.url}/v1/video-projects/cuid-example`);
		expect(response.status).toBe(401);
	});
});

describe('text to video: every model of the table, at its defaults', () => {
	test.each(TABLE.models.map((m) => [m.value, m] as const))('%s', async (_id, model) => {
		const body = await submitted(withDefaults(model), '/v1/text-to-video');
		expect(body).toMatchObject({ model: model.value, end_seconds: model.fields.duration.default, aspect_ratio: model.fields.aspectRatio.default, resolution: model.fields.resolution.default });
	});

	test.each(TABLE.models.flatMap((m) => (m.aliases ?? []).map((alias) => [alias, m] as const)))('deprecated alias %s', async (alias, model) => {
		const body = await submitted({ ...withDefaults(model), model: alias }, '/v1/text-to-video');
		expect(body.model).toBe(model.value);
		if (model.traits?.audio === 'toggle') expect(body.audio).toBe(true);
		else expect(body).not.toHaveProperty('audio');
	});

	test('a typed model id from the spec, with values the spec allows', async () => {
		const body = await submitted({ model: 'other', customModel: 'seedance-2.5', duration: 30, aspectRatio: '9:16', resolution: '720p', audio: true }, '/v1/text-to-video');
		expect(body).toEqual({ model: 'seedance-2.5', end_seconds: 30, aspect_ratio: '9:16', resolution: '720p', audio: true, style: { prompt: 'a red fox running through fresh snow' } });
	});
});

describe('5 s, the largest resolution and audio, on the models that take them', () => {
	const cases = currentModels.map((m) => [m.value, m] as const);
	test.each(cases)('%s', async (_id, model) => {
		const { duration, resolution } = model.fields;
		const largest = resolution.values.at(-1)!;
		const toggle = model.traits?.audio === 'toggle';
		const seconds = duration.values.includes(5) ? 5 : duration.default;
		const body = await submitted({ ...withDefaults(model), duration: seconds, resolution: largest, audio: true, name: 'Fox teaser' }, '/v1/text-to-video');
		expect(body).toEqual({
			name: 'Fox teaser',
			model: model.value,
			end_seconds: seconds,
			aspect_ratio: model.fields.aspectRatio.default,
			resolution: largest,
			...(toggle ? { audio: true } : {}),
			style: { prompt: 'a red fox running through fresh snow' },
		});
	});

	test('4k on every model that offers it (Kling 3.0), audio off sent as false', async () => {
		const fourK = TABLE.models.filter((m) => m.fields.resolution.values.includes('4k'));
		expect(fourK.map((m) => m.value)).toEqual(['kling-3.0']);
		for (const model of fourK) {
			const body = await submitted({ ...withDefaults(model), resolution: '4k', audio: false }, '/v1/text-to-video');
			expect(body).toMatchObject({ model: model.value, resolution: '4k', audio: false });
		}
	});
});

describe('image to video by URL', () => {
	const image = { imageSource: 'url', imageUrl: 'https://example.com/images/fox.png' };
	test.each(TABLE.models.map((m) => [m.value, m] as const))('%s, start frame (and end frame where the model takes one)', async (_id, model) => {
		const { aspectRatio: _ratio, ...fields } = withDefaults(model);
		const body = await submitted({ ...fields, ...image }, '/v1/image-to-video');
		expect(body).not.toHaveProperty('aspect_ratio');
		expect(body.assets).toEqual({ image_file_path: image.imageUrl });
		if (!model.image?.end) return;
		const resolution = model.image.endResolutions?.find((r) => model.fields.resolution.values.includes(r)) ?? fields.resolution;
		const longest = model.traits?.endFrameMaxSeconds ?? Infinity;
		const duration = model.fields.duration.values.find((d) => Number(d) <= longest && Number(d) >= 4) ?? fields.duration;
		const withEnd = await submitted({ ...fields, ...image, resolution, duration, endImageSource: 'url', endImageUrl: 'https://example.com/images/fox-end.jpg' }, '/v1/image-to-video');
		expect(withEnd.assets).toEqual({ image_file_path: image.imageUrl, end_image_file_path: 'https://example.com/images/fox-end.jpg' });
	});
});

describe('Get', () => {
	test('GET /v1/video-projects/{id} is valid and read', async () => {
		const { requests, error, json } = await run({ operation: 'get', jobId: 'cuid-example', options: { download: false } });
		expect(error).toBeUndefined();
		expect(requests.map((r) => ({ method: r.method, path: r.path, status: r.status, violations: r.violations }))).toEqual([
			{ method: 'GET', path: '/v1/video-projects/cuid-example', status: 200, violations: [] },
		]);
		expect(json).toMatchObject({ jobId: 'cuid-example', provider: 'magicHour', credits: 450 });
	});
});
