import type { IDataObject } from 'n8n-workflow';
import { VideoGenerationApi } from '../../credentials/VideoGenerationApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { VideoGenerationV1 as VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { binaryBytes, credentialTestStatus, runListSearch } from '../helpers/n8n';
import { expectNoError, useProviderSandbox, type RunExtra } from '../helpers/provider';
import { sha256 } from '../helpers/sandbox';

// A key shaped like a real gateway token (the leak test, in conformance.test.ts, uses the same shape).
const API_KEY = 'sk-gwTeSt5ecReT0123456789abcdef';
const JOB_MS = 500;
const PROVIDER = 'videoGeneration';
const PROMPT = 'a red fox in the snow';
const STYLES = [
	['videoGenerations', 'Task API'],
	['videos', 'Videos API'],
] as const;
type Style = (typeof STYLES)[number][0];

const gw = useProviderSandbox(PROVIDER, { apiKey: API_KEY, jobDurationMs: JOB_MS });
const node = new VideoGeneration();
const credentialType = new VideoGenerationApi();
const modelId = (value: string) => ({ __rl: true, mode: 'id', value });
/** The sandbox gateway's root, or one of its dialects (documented, realtime, nomodels). */
const gateway = (dialect?: string) => (dialect ? `${gw.sandbox.urls.videoGeneration}/${dialect}` : gw.sandbox.urls.videoGeneration);

function run(style: Style, parameters: IDataObject, extra: RunExtra & { dialect?: string } = {}) {
	const runner = gw.runner(node, credentialType, { apiStyle: style, model: modelId('kling-v2-5-turbo'), prompt: PROMPT });
	return runner(parameters, { ...extra, baseUrl: extra.baseUrl ?? gateway(extra.dialect) });
}

const { jobs, submits, polls, downloads } = gw;

describe.each(STYLES)('Video Generation API, %s style (%s)', (style) => {
	const submitPath = style === 'videos' ? '/v1/videos' : '/v1/video/generations';

	test('generate returns the video with the bytes the gateway served', async () => {
		const result = await run(style, {});
		expectNoError(result);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		const [job] = jobs();
		expect(item.json).toMatchObject({ jobId: job.id, status: 'completed', provider: PROVIDER, model: 'kling-v2-5-turbo' });
		expect(item.json.jobId).toMatch(/^task_[A-Za-z0-9]{32}$/);
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${job.id}.mp4`, fileExtension: 'mp4' });
		await gw.expectVideoOf(result);
		expect(item.pairedItem).toEqual({ item: 0 });
		// Only what the user set: nothing but the model and the prompt.
		expect(submits()[0].body).toEqual({ model: 'kling-v2-5-turbo', prompt: PROMPT });
		expect(submits()[0].url).toBe(`/videogeneration${submitPath}`);
		expect(polls().every((r) => r.url === `/videogeneration${submitPath}/${job.id}`)).toBe(true);
		// Requests per job, for the closing note: one submit, a few polls, one download.
		console.info(`${style}: job of ${JOB_MS} ms, poll 0.1 s: ${submits().length} submit, ${polls().length} polls, ${downloads().length} download`);
	});

	test('every field the user sets is sent, in the style\'s own names', async () => {
		const result = await run(style, {
			duration: 8,
			additionalFields: { width: 1280, height: 720, fps: 30, seed: 42, user: 'user-1234', metadata: '{"negative_prompt": "blurry", "quality_level": "high"}' },
			options: { download: false },
		});
		expectNoError(result);
		const common = { model: 'kling-v2-5-turbo', prompt: PROMPT, fps: 30, seed: 42, user: 'user-1234', metadata: { negative_prompt: 'blurry', quality_level: 'high' } };
		expect(submits()[0].body).toEqual(style === 'videos' ? { ...common, seconds: '8', size: '1280x720' } : { ...common, duration: 8, width: 1280, height: 720 });
	});

	test('Number of Videos belongs to the Task API: the Videos API never sends n', async () => {
		const result = await run(style, { additionalFields: { n: 2 }, options: { download: false } });
		expectNoError(result);
		if (style === 'videos') expect(submits()[0].body).not.toHaveProperty('n');
		else expect(submits()[0].body).toMatchObject({ n: 2 });
	});

	test('an image from an input binary field goes as a base64 data URI; one from a URL as given', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
		const inputItems = [{ json: {}, binary: { photo: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'photo.png' } } }];
		expectNoError(await run(style, { imageSource: 'binary', imageBinaryProperty: 'photo', options: { download: false } }, { inputItems }));
		expectNoError(await run(style, { imageSource: 'url', imageUrl: 'https://example.com/cat.jpg', options: { download: false } }));
		const field = style === 'videos' ? 'input_reference' : 'image';
		expect((submits()[0].body as IDataObject)[field]).toBe(`data:image/png;base64,${png.toString('base64')}`);
		expect((submits()[1].body as IDataObject)[field]).toBe('https://example.com/cat.jpg');
	});

	test('403 insufficient_user_quota is explained as out of quota (credits)', async () => {
		gw.sandbox.fault({ provider: PROVIDER, route: 'submit', status: 403 });
		const result = await run(style, {});
		expect(result.error?.message).toMatch(/out of quota, that is out of credits \(HTTP 403 insufficient_user_quota\)$/);
		expect(result.error?.description).toMatch(/^Top up the balance.* said: "用户额度不足/);
		expect(result.error?.message).not.toMatch(/Top up|用户额度不足/);
		expect(result.error?.httpCode).toBe('403');
		expect(submits()).toHaveLength(1);
	});

	test('get with an unknown id explains the gateway\'s answer', async () => {
		const result = await run(style, { operation: 'get', jobId: 'task_doesnotexist' });
		expect(result.error?.message).toMatch(
			style === 'videos' ? /The gateway has no video with this ID \(HTTP 404\)/ : /The gateway has no job with this ID \(HTTP 400 task_not_exist\)/,
		);
	});
});

describe('Video Generation API: where the credential goes', () => {
	test('Videos API: /content, on the gateway\'s own origin, gets the credential', async () => {
		const result = await run('videos', {});
		expectNoError(result);
		const [job] = jobs();
		expect(downloads()).toHaveLength(1);
		expect(downloads()[0].url).toBe(`/videogeneration/v1/videos/${job.id}/content`);
		expect(downloads()[0].authorization).toBe(`Bearer ${API_KEY}`);
		expect(result.items[0].json.videoUrl).toBe(`${gw.sandbox.urls.videoGeneration}/v1/videos/${job.id}/content`);
		expect(result.items[0].json).toMatchObject({ durationSeconds: 4, size: '720x1280' });
		expect(typeof result.items[0].json.expiresAt).toBe('string');
	});

	test('a Base URL ending in /v1 or / means the same gateway root', async () => {
		expectNoError(await run('videoGenerations', {}, { baseUrl: `${gw.sandbox.urls.videoGeneration}/v1` }));
		expectNoError(await run('videos', {}, { baseUrl: `${gw.sandbox.urls.videoGeneration}/v1/` }));
		expect(submits().map((r) => r.url)).toEqual(['/videogeneration/v1/video/generations', '/videogeneration/v1/videos']);
	});
});

describe('Video Generation API: the Task API\'s response shapes', () => {
	test.each([
		['new-api envelope (code, data.status in capitals, result_url)', undefined],
		['documented flat shape (task_id, status, url)', 'documented'],
		['real-time envelope (data.status succeeded, data.url)', 'realtime'],
	])('%s', async (_name, dialect) => {
		const result = await run('videoGenerations', {}, { dialect });
		expectNoError(result);
		const [job] = jobs();
		expect(result.items[0].json).toMatchObject({ jobId: job.id, status: 'completed' });
		await gw.expectVideoOf(result);
		const failed = await run('videoGenerations', { prompt: 'doomed [sandbox:fail]' }, { dialect });
		expect(failed.error?.message).toBe('Video Generation API could not make the video');
		expect(failed.error?.description).toMatch(/Video Generation API said: "upstream task failed/);
	});

	test('the envelope\'s progress "NN%" becomes a number', async () => {
		const submitted = await run('videoGenerations', { operation: 'submit', prompt: `slow [sandbox:seconds=3]` });
		const { jobId } = submitted.items[0].json as { jobId: string };
		await new Promise((resolve) => setTimeout(resolve, 1200));
		const result = await run('videoGenerations', { operation: 'get', jobId });
		expectNoError(result);
		expect(result.items[0].json.status).toBe('processing');
		expect(result.items[0].json.progress).toEqual(expect.any(Number));
		expect(result.items[0].json.progress).toBeGreaterThan(0);
		expect(result.items[0].json.progress).toBeLessThan(100);
	});

	test('the documented shape\'s metadata comes out as duration, size, fps and seed', async () => {
		const result = await run('videoGenerations', { duration: 5, additionalFields: { fps: 24, seed: 7 } }, { dialect: 'documented' });
		expectNoError(result);
		expect(result.items[0].json).toMatchObject({ durationSeconds: 5, width: 1280, height: 720, fps: 24, seed: 7, format: 'mp4' });
	});

	test('n = 2 gives one item per video, both paired to the input item, each with its own bytes', async () => {
		const items = [{ idea: 'first' }, { idea: 'second' }];
		const result = await run('videoGenerations', { prompt: '={{ $json.idea }}', additionalFields: { n: 2 } }, { items });
		expectNoError(result);
		expect(result.items).toHaveLength(4);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
		expect(result.items.map((i) => i.json.videoIndex)).toEqual([0, 1, 0, 1]);
		for (const [index, item] of result.items.entries()) {
			const job = gw.sandbox.findJob(PROVIDER, item.json.jobId as string)!;
			expect(job.request).toMatchObject({ prompt: index < 2 ? 'first' : 'second', n: 2 });
			expect(sha256(await binaryBytes(item))).toBe(gw.sandbox.expectedVideo(job, index % 2).sha256);
			expect(item.binary?.data.fileName).toBe(`${job.id}-${(index % 2) + 1}.mp4`);
		}
		expect(downloads()).toHaveLength(4);
	});
});

describe('Video Generation API: invalid input is refused before any request', () => {
	const cases: Array<[string, Style, IDataObject, RegExp]> = [
		['empty model', 'videoGenerations', { model: modelId('  ') }, /^Model is empty/],
		['empty prompt', 'videos', { prompt: '   ' }, /^Prompt is empty/],
		['duration 5.5', 'videoGenerations', { duration: '={{ 5.5 }}' }, /^Duration \(Seconds\) must be a whole number from 0 to 600/],
		['duration -1', 'videos', { duration: '={{ -1 }}' }, /^Duration \(Seconds\) must be a whole number from 0 to 600/],
		['width 10', 'videoGenerations', { additionalFields: { width: 10 } }, /^Width must be a whole number from 64 to 8192/],
		['fps as text', 'videoGenerations', { additionalFields: { fps: '={{ "fast" }}' } }, /^Frame Rate \(FPS\) must be a whole number/],
		['width without height in the Videos API', 'videos', { additionalFields: { width: 1280 } }, /^Invalid Height: The Videos API sends Width and Height together as size/],
		['metadata not JSON', 'videoGenerations', { additionalFields: { metadata: '{bad' } }, /^Metadata \(JSON\) is not valid JSON/],
		['metadata an array', 'videos', { additionalFields: { metadata: '[1, 2]' } }, /^Metadata \(JSON\) must be a JSON object/],
		['image URL not http', 'videoGenerations', { imageSource: 'url', imageUrl: 'ftp://example.com/a.png' }, /^Invalid Image URL: "ftp:\/\/example.com\/a.png" is not an image URL/],
		['image binary field missing', 'videos', { imageSource: 'binary', imageBinaryProperty: 'photo' }, /^Invalid Image Binary Field: the input item has no binary field "photo" \(it has no binary data\)/],
		['unknown API style', 'nope' as Style, {}, /Invalid parameter apiStyle: "nope". Allowed: videoGenerations, videos/],
		['empty job id for get', 'videos', { operation: 'get', jobId: ' ' }, /^Job ID is empty/],
	];

	test.each(cases)('%s', async (_name, style, parameters, message) => {
		const result = await run(style, parameters);
		expect(result.error?.message).toMatch(message);
		expect(gw.sandbox.requests).toHaveLength(0);
	});

	test('a binary field that holds no image is refused, naming it', async () => {
		const inputItems = [{ json: {}, binary: { data: { data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain' } } }];
		const result = await run('videoGenerations', { imageSource: 'binary' }, { inputItems });
		expect(result.error?.message).toMatch(/^Invalid Image Binary Field: binary field "data" holds text\/plain, not an image/);
		expect(gw.sandbox.requests).toHaveLength(0);
	});

	test('a Base URL that is no URL is refused, saying what to give', async () => {
		const result = await run('videoGenerations', {}, { baseUrl: 'gateway.example.com' });
		expect(result.error?.message).toBe('The credential\'s Base URL "gateway.example.com" is not an http(s) URL');
		expect(result.error?.description).toMatch(/gateway's root/);
		expect(gw.sandbox.requests).toHaveLength(0);
	});
});

describe('Video Generation API: model list and credential test', () => {
	const search = (dialect?: string, filter?: string, apiKey = API_KEY) =>
		runListSearch({ nodeType: node, credentialType, credentials: { apiKey, baseUrl: gateway(dialect) }, parameters: {}, method: 'searchModels', filter });

	test('the Model list comes from GET /v1/models, filtered by what is typed', async () => {
		const all = await search();
		expect(all.results.map((r) => r.value)).toEqual(expect.arrayContaining(['kling-v2-5-turbo', 'sora-2', 'veo_3_1']));
		const kling = await search(undefined, 'KLING');
		expect(kling.results.map((r) => r.value)).toEqual(['kling-v2-1-master', 'kling-v2-5-turbo']);
		expect(gw.sandbox.requestsTo(PROVIDER, 'models').every((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);
	});

	test('a gateway without /v1/models gets a clear message, once', async () => {
		await expect(search('nomodels')).rejects.toThrow(/serves no model list .* choose ID and type the model's ID/);
		expect(gw.sandbox.requestsTo(PROVIDER, 'models')).toHaveLength(1);
	});

	test('the credential test tells a good key, a wrong key and a gateway without /v1/models apart', async () => {
		expect(await credentialTestStatus(credentialType, { apiKey: API_KEY, baseUrl: gateway() })).toBe(200);
		expect(await credentialTestStatus(credentialType, { apiKey: API_KEY, baseUrl: `${gateway()}/v1/` })).toBe(200);
		expect(await credentialTestStatus(credentialType, { apiKey: 'sk-wrong', baseUrl: gateway() })).toBe(401);
		expect(await credentialTestStatus(credentialType, { apiKey: API_KEY, baseUrl: gateway('nomodels') })).toBe(404);
		const rules = new Map(credentialType.test.rules?.map((rule) => [rule.properties.value, rule.properties.message]));
		expect(rules.get(401)).toMatch(/rejected the API key/);
		expect(rules.get(404)).toMatch(/serves no model list/);
	});
});
