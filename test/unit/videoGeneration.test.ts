import { NodeHelpers, type IDataObject, type INode, type INodeProperties } from 'n8n-workflow';
import { VideoGenerationApi } from '../../credentials/VideoGenerationApi.credentials';
import { ADDITIONAL_FIELDS, GATEWAY_FIELDS } from '../../nodes/VideoGeneration/capabilities';
import { gatewayRoot, PROVIDERS, requestBody, taskSnapshot, videoSnapshot } from '../../nodes/VideoGeneration/provider';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { VideoGenerationV1 as VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { finished } from '../../nodes/shared/engine/engine';
import { readInputWith, visibleProperties } from '../helpers/capabilities';

const description = new VideoGeneration().description;
const BASE = 'https://gateway.example.com';
const fakeNode = { name: 'Video Generation API' } as INode;
/** What the answer readers get of the transport. */
const API = { baseUrl: BASE, node: fakeNode };
const base = { model: 'kling-v2-5-turbo', prompt: 'a fox', imageSource: 'none' };

describe('the field table drives the UI and the validation', () => {
	test('every field of the table is a property, with its bounds and default', () => {
		const [collection] = visibleProperties(description, { operation: 'generate' }, 'additionalFields');
		const options = collection.options as INodeProperties[];
		expect(options.map((o) => o.name)).toEqual(ADDITIONAL_FIELDS.map((f) => f.property.name));
		for (const { property: field, kind } of GATEWAY_FIELDS) {
			const property = field.name === 'duration' ? visibleProperties(description, { operation: 'generate' }, 'duration')[0] : options.find((o) => o.name === field.name)!;
			expect({ name: field.name, default: property.default }).toEqual({ name: field.name, default: field.default });
			// The bounds the UI shows are the ones validation holds.
			if (kind === 'integer') {
				const { minValue: min, maxValue: max } = field.typeOptions ?? {};
				expect([typeof min, typeof max]).toEqual(['number', 'number']);
				expect(property.typeOptions).toMatchObject({ minValue: min, maxValue: max, numberPrecision: 0 });
				const over = { ...base, ...(field.name === 'duration' ? { duration: max! + 1 } : { additionalFields: { [field.name]: max! + 1 } }) };
				expect(() => readInputWith(PROVIDERS.videoGenerations, over)).toThrow(new RegExp(`^${field.name === 'duration' ? 'Duration \\(Seconds\\)' : '.*'} .* from ${min} to ${max}`));
			}
		}
	});

	test('Number of Videos is offered in the Task API only; validation agrees', () => {
		const nShown = (apiStyle: string) =>
			(visibleProperties(description, { operation: 'generate', apiStyle }, 'additionalFields')[0].options as INodeProperties[]).filter((o) =>
				o.name === 'n' ? NodeHelpers.displayParameter({ apiStyle } as never, o, fakeNode, description, { apiStyle } as never) : false,
			).length;
		expect(nShown('videoGenerations')).toBe(1);
		expect(nShown('videos')).toBe(0);
		expect(() => readInputWith(PROVIDERS.videos, { ...base, additionalFields: { n: 2 } })).toThrow(/^Number of Videos is not part of the Videos API/);
		expect(readInputWith(PROVIDERS.videoGenerations, { ...base, additionalFields: { n: 2 } }).n).toBe(2);
	});

	test('the model is a list from the gateway, or a typed ID; the prompt and fields show for jobs only', () => {
		const [model] = visibleProperties(description, { operation: 'generate' }, 'model');
		expect(model.type).toBe('resourceLocator');
		expect(model.modes?.map((m) => [m.name, m.typeOptions?.searchListMethod])).toEqual([
			['list', 'searchModels'],
			['id', undefined],
		]);
		expect(typeof new VideoGeneration().methods.listSearch.searchModels).toBe('function');
		for (const name of ['model', 'prompt', 'duration', 'imageSource', 'additionalFields'])
			expect({ name, shown: visibleProperties(description, { operation: 'get' }, name).length }).toEqual({ name, shown: 0 });
		expect(visibleProperties(description, { operation: 'get' }, 'apiStyle')).toHaveLength(1);
	});

	test('fields left empty are not sent; duration 0 means the model\'s default', () => {
		const input = readInputWith(PROVIDERS.videoGenerations, { ...base, duration: 0, additionalFields: { user: '  ', metadata: '{}' } });
		expect(requestBody('videoGenerations', input, undefined)).toEqual({ model: 'kling-v2-5-turbo', prompt: 'a fox' });
		const typed = readInputWith(PROVIDERS.videos, { ...base, duration: '8', additionalFields: { width: '1280', height: 720, seed: 0 } });
		expect(requestBody('videos', typed, 'https://example.com/a.png')).toEqual({
			model: 'kling-v2-5-turbo',
			prompt: 'a fox',
			seconds: '8',
			size: '1280x720',
			seed: 0,
			input_reference: 'https://example.com/a.png',
		});
	});

	test('the credential: Base URL required, no default; a trailing /v1 or slash means the same root', () => {
		const credential = new VideoGenerationApi();
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl')!;
		expect(baseUrl).toMatchObject({ required: true, default: '' });
		expect(credential.properties.find((p) => p.name === 'apiKey')?.typeOptions?.password).toBe(true);
		for (const url of [BASE, `${BASE}/`, `${BASE}/v1`, ` ${BASE}/v1/ `]) expect(gatewayRoot(fakeNode, url)).toBe(BASE);
		expect(gatewayRoot(fakeNode, `${BASE}/api/v1`)).toBe(`${BASE}/api`);
		expect(() => gatewayRoot(fakeNode, '')).toThrow(/is not an http\(s\) URL/);
	});
});

describe('task answers in every shape', () => {
	test('the documented flat shape: error {code: 0} on success is no failure', () => {
		const snapshot = taskSnapshot(
			{ task_id: 'abcd1234efgh', status: 'completed', url: 'https://cdn.example.com/v.mp4', format: 'mp4', metadata: { duration: 5, fps: 30, width: 1280, height: 720, seed: 20231234 }, error: { code: 0, message: 'string' } },
			API,
		);
		expect(snapshot).toMatchObject({ jobId: 'abcd1234efgh', status: 'completed', videos: [{ url: 'https://cdn.example.com/v.mp4' }], details: { durationSeconds: 5, fps: 30, format: 'mp4' } });
		expect(snapshot.failure).toBeUndefined();
	});

	test('new-api\'s envelope: capital statuses, "30%", fail_reason, the public task_id over the row id', () => {
		const running = taskSnapshot({ code: 'success', message: '', data: { id: 42, task_id: 'task_x', status: 'IN_PROGRESS', progress: '30%', result_url: '' } }, API);
		expect(running).toMatchObject({ jobId: 'task_x', status: 'processing', progress: 30, videos: [] });
		for (const [word, status] of [['NOT_START', 'queued'], ['SUBMITTED', 'queued'], ['QUEUED', 'queued'], ['UNKNOWN', 'queued'], ['SUCCESS', 'completed'], ['FAILURE', 'failed']] as const)
			expect(taskSnapshot({ code: 'success', data: { task_id: 't', status: word, result_url: 'https://cdn/v.mp4' } }, API).status).toBe(status);
		const failed = taskSnapshot({ code: 'success', data: { task_id: 't', status: 'FAILURE', fail_reason: '内容违规: sensitive words' } }, API);
		expect(failed.failure).toMatchObject({ kind: 'moderation', message: '内容违规: sensitive words' });
		const broke = taskSnapshot({ code: 'success', data: { task_id: 't', status: 'FAILURE', fail_reason: '用户额度不足' } }, API);
		expect(broke.failure?.kind).toBe('credits');
	});

	test('older relays answer a submit with the id as data; an error envelope says what went wrong', () => {
		expect(taskSnapshot({ code: 'success', message: '', data: 'task_old' }, API)).toMatchObject({ jobId: 'task_old', status: 'queued' });
		expect(() => taskSnapshot({ code: 'task_not_exist', message: 'task_not_exist', data: null }, API)).toThrow(/"task_not_exist"/);
	});

	test('done without a video URL is reported as it is; the engine makes it a failure, not an empty success', () => {
		const snapshot = taskSnapshot({ task_id: 't', status: 'succeeded', url: '' }, API);
		expect(snapshot).toMatchObject({ status: 'completed', videos: [] });
		expect(finished(snapshot)).toMatchObject({ jobId: 't', status: 'failed', failure: { message: 'the provider reported the job complete but gave no video' } });
	});

	test('a relative URL (a gateway proxy route) is resolved against the gateway root; lists keep their order', () => {
		const snapshot = taskSnapshot({ task_id: 't', status: 'completed', url: '/v1/videos/t/content', urls: ['/v1/videos/t/content', 'https://cdn/2.mp4'] }, API);
		expect(snapshot.videos.map((v) => v.url)).toEqual([`${BASE}/v1/videos/t/content`, 'https://cdn/2.mp4']);
	});

	test('the OpenAI video object: content URL on the gateway, seconds, size, expiry, error code', () => {
		const done = videoSnapshot({ id: 'video_1', object: 'video', status: 'completed', progress: 100, seconds: '8', size: '1280x720', expires_at: 1760086400, error: null }, API);
		expect(done).toMatchObject({ jobId: 'video_1', status: 'completed', videos: [{ url: `${BASE}/v1/videos/video_1/content` }], details: { durationSeconds: 8, size: '1280x720', expiresAt: '2025-10-10T08:53:20.000Z' } });
		const failed = videoSnapshot({ id: 'video_2', status: 'failed', error: { code: 'moderation_blocked', message: 'Your request was blocked by our moderation system.' } }, API);
		expect(failed.failure).toEqual({ message: 'Your request was blocked by our moderation system. (moderation_blocked)', code: 'moderation_blocked', kind: 'moderation' });
		expect(videoSnapshot({ id: 'v', status: 'cancelled' }, API).status).toBe('canceled');
	});
});

describe('errors a gateway answers', () => {
	const explain = (info: IDataObject) => PROVIDERS.videos.explainError!({ phase: 'submit', ...info } as never);

	test('quota, in either error body shape', () => {
		expect(explain({ statusCode: 403, body: { code: 'insufficient_user_quota', message: '预扣费额度失败', data: null }, providerMessage: '预扣费额度失败' })).toMatchObject({ kind: 'credits' });
		expect(explain({ statusCode: 403, body: { error: { code: 'insufficient_user_quota', message: 'x' } }, providerMessage: 'x' })).toMatchObject({ kind: 'credits' });
		expect(explain({ statusCode: 403, body: { error: { message: 'forbidden' } }, providerMessage: 'forbidden' })).toBeUndefined();
	});

	test('a 404 on submit points at the API style and the Base URL', () => {
		expect(explain({ statusCode: 404 })).toMatchObject({ message: 'The gateway does not serve POST /v1/videos (HTTP 404)', hint: expect.stringMatching(/^Try the other API Style/) });
		expect(PROVIDERS.videoGenerations.explainError!({ phase: 'submit', statusCode: 404 })?.message).toMatch(/POST \/v1\/video\/generations/);
	});
});
