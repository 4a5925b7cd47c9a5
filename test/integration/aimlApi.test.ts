import type { IDataObject } from 'n8n-workflow';
import { AimlApiApi } from '../../credentials/AimlApiApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { PIXVERSE_V5 } from '../../nodes/AimlApi/capabilities';
import { credentialTestStatus } from '../helpers/n8n';
import { expectNoError, useProviderSandbox } from '../helpers/provider';

// A key shaped like a real one (the leak test, in conformance.test.ts, uses the same shape).
const API_KEY = 'aiml_tEsT5ecReT_4f7c0d2e9b8a';
const KLING = 'kling-video/v1.6/standard/text-to-video';

const api = useProviderSandbox('aimlApi', { apiKey: API_KEY, jobDurationMs: 500 });
const { jobs, submits, polls, expectVideoOf } = api;
const credentialType = new AimlApiApi();
const run = api.runner(new AimlApi(), credentialType, { prompt: 'a paper boat on a stormy sea' });

describe('AI/ML API: generate', () => {
	test('PixVerse v5 with every field: the request, the output and the bytes', async () => {
		const result = await run({ aspectRatio: '9:16', resolution: '540p', duration: 8, style: '3d_animation', negativePrompt: '  blur, text ', seed: 42 });
		expectNoError(result);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		const [job] = jobs();
		expect(job.id).toMatch(/^[0-9a-f-]{36}:pixverse\/v5\/text-to-video$/);
		expect(item.json).toMatchObject({ jobId: job.id, status: 'completed', provider: 'aimlApi', model: PIXVERSE_V5, credits: 120000 });
		expect(item.json.videoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/videos\/.+\.mp4$/);
		expect(item.json).toMatchObject({ mimeType: 'video/mp4', fileSize: api.sandbox.expectedVideo(job).size, fileName: item.binary?.data.fileName });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileExtension: 'mp4' });
		expect(item.binary?.data.fileName).toMatch(/^[\w.-]+\.mp4$/);
		expect(item.pairedItem).toEqual({ item: 0 });
		await expectVideoOf(result);
		expect(submits()[0].body).toEqual({
			model: PIXVERSE_V5,
			prompt: 'a paper boat on a stormy sea',
			aspect_ratio: '9:16',
			resolution: '540p',
			duration: 8,
			style: '3d_animation',
			negative_prompt: 'blur, text',
			seed: 42,
		});
		expect(submits()[0].url).toBe('/aimlapi/v2/video/generations');
		expect(polls()[0].url).toBe(`/aimlapi/v2/video/generations?generation_id=${encodeURIComponent(job.id)}`);
	});

	test('left as they are, the fields send the model defaults and no style, seed or negative prompt', async () => {
		expectNoError(await run({}));
		expect(submits()[0].body).toEqual({ model: PIXVERSE_V5, prompt: 'a paper boat on a stormy sea', aspect_ratio: '16:9', resolution: '720p', duration: 5 });
	});

	test('every documented variant: 201, waiting, succeeded, a short id', async () => {
		const result = await run({ prompt: 'x [sandbox:http=201] [sandbox:pending=waiting] [sandbox:final=succeeded] [sandbox:id=short]', options: { maxWait: 20 } });
		expectNoError(result);
		expect(result.items[0].json).toMatchObject({ status: 'completed' });
		expect(result.items[0].json.jobId).toMatch(/^[\w-]{21}$/);
		await expectVideoOf(result);
		expect(submits()).toHaveLength(1);
	});

	test('older usage figures (tokens_used) are reported as such, not as credits', async () => {
		const result = await run({ prompt: 'x [sandbox:usage=tokens]' });
		expectNoError(result);
		expect(result.items[0].json.credits).toBeUndefined();
		expect(result.items[0].json.tokensUsed).toBe(120000);
	});

	test('another model by its ID: the common fields plus Additional Fields', async () => {
		const result = await run({ model: 'other', customModel: ` ${KLING} `, aspectRatio: '9:16', additionalFields: '{"duration": "10", "cfg_scale": 0.5}' });
		expectNoError(result);
		expect(result.items[0].json).toMatchObject({ status: 'completed', model: KLING });
		expect(submits()[0].body).toEqual({ model: KLING, prompt: 'a paper boat on a stormy sea', aspect_ratio: '9:16', duration: '10', cfg_scale: 0.5 });
		await expectVideoOf(result);
	});

	test('a model ID given by an expression is used as it is', async () => {
		const result = await run({ model: '={{ "google/veo-3.1-t2v" }}' }, { baseUrl: `${api.sandbox.urls.aimlApi}/v1/` });
		expectNoError(result);
		expect(submits()[0].body).toEqual({ model: 'google/veo-3.1-t2v', prompt: 'a paper boat on a stormy sea' });
	});
});

describe('AI/ML API: items in parallel', () => {
	test('items finishing out of order come back in input order, each with its own video', async () => {
		const items = [{ p: 'one [sandbox:seconds=0.8]' }, { p: 'two [sandbox:seconds=0.3]' }, { p: 'three [sandbox:seconds=0.5]' }];
		const result = await run({ prompt: '={{ $json.p }}' }, { items });
		expectNoError(result);
		expect(result.items).toHaveLength(3);
		for (const [i, item] of result.items.entries()) {
			expect(item.pairedItem).toEqual({ item: i });
			expect(api.sandbox.findJob('aimlApi', item.json.jobId as string)?.request).toMatchObject({ prompt: items[i].p });
			await expectVideoOf(result, i);
		}
		expect(submits()).toHaveLength(3);
		// Figures for the closing note.
		console.info(`AI/ML API, 3 items: ${polls().length / 3} status requests per job, ${api.sandbox.requests.length / 3} requests per job in all`);
	});
});

describe('AI/ML API: submit and get', () => {
	test('get with an unknown id explains the 404 with the request id', async () => {
		const result = await run({ operation: 'get', jobId: 'no-such-generation' });
		expect(result.error?.message).toBe('AI/ML API has no video generation with this ID (HTTP 404)');
		expect(result.error?.description).toMatch(/^Check the Job ID: .* AI\/ML API said: "Generation no-such-generation not found \(request id [0-9a-f-]{36}\)"$/);
	});
});

describe('AI/ML API: failures explain themselves', () => {
	test('a failed generation ({detail: [...]}, status "failed") reads as plainly', async () => {
		const result = await run({ prompt: 'doomed [sandbox:fail] [sandbox:error=detail] [sandbox:final=failed]', options: { maxWait: 20 } });
		const [job] = jobs();
		expect(result.error?.message).toBe('AI/ML API could not make the video');
		expect(result.error?.description).toBe(
			`Run the node again to try once more. If it fails again, change the input: the prompt, the image, or the model and its settings. AI/ML API said: "prompt: The video generation failed on the provider side" Job ID: ${job.id}.`,
		);
	});

	test('403 is explained as out of credits, with the API\'s words and request id, before any job exists', async () => {
		api.sandbox.fault({ provider: 'aimlApi', route: 'submit', status: 403 });
		const result = await run({});
		expect(result.error?.message).toBe('Your AI/ML API account is out of credits (HTTP 403)');
		expect(result.error?.description).toMatch(/^Top up at https:\/\/aimlapi\.com\/app\/billing\/, then run again\. AI\/ML API said: "You've run out of credits\..* \(request id [0-9a-f-]{36}\)"$/);
		expect(result.error?.httpCode).toBe('403');
		expect(submits()).toHaveLength(1);
	});

	test('a 400 from the API shows its message and points at the model and its fields', async () => {
		const result = await run({ model: 'other', customModel: 'bad!model' });
		expect(result.error?.message).toBe('AI/ML API refused the request (HTTP 400)');
		expect(result.error?.description).toMatch(/^Check the model ID .* AI\/ML API said: "Body validation error! model: Invalid model "bad!model" \(request id .*\)"$/);
	});
});

describe('AI/ML API: invalid input is refused before any request', () => {
	const other = { model: 'other', customModel: KLING };
	const cases: Array<[string, IDataObject, RegExp]> = [
		['1080p with 8 s', { resolution: '1080p', duration: 8 }, /^Invalid Duration \(Seconds\): 8 s is not available at 1080p on PixVerse V5: choose 5 s, or 720p or lower for 8 s \| Nothing was sent/],
		['an aspect ratio PixVerse lacks', { aspectRatio: '21:9' }, /^Invalid Aspect Ratio: 21:9 is not available for PixVerse V5 \| Allowed: 16:9, 4:3, 1:1, 3:4, 9:16\. /],
		['a resolution PixVerse lacks', { resolution: '480p' }, /^Invalid Resolution: 480p is not available for PixVerse V5 \| Allowed: 360p, 540p, 720p, 1080p\. /],
		['a duration PixVerse lacks', { duration: 10 }, /^Invalid Duration \(Seconds\): 10 s is not available for PixVerse V5 \| Allowed: 5 s, 8 s\. /],
		['an unknown style', { style: 'watercolor' }, /^Invalid Style: watercolor is not available for PixVerse V5 \| Allowed: None, Anime, 3D Animation, Clay, Comic, Cyberpunk\. /],
		['a negative seed', { seed: -1 }, /^Seed must be 0 to 2147483647 \| /],
		['a fractional seed', { seed: 1.5 }, /^Seed must be a whole number \| /],
		['an empty prompt', { prompt: '   ' }, /^Prompt is empty/],
		['a prompt longer than PixVerse takes', { prompt: 'x'.repeat(2049) }, /^Prompt is longer than the 2048 characters PixVerse V5 takes \| /],
		['Other model without an ID', { model: 'other', customModel: ' ' }, /^Model ID is empty/],
		['a model ID with spaces', { model: 'other', customModel: 'kling video' }, /^Model ID must not contain spaces \| /],
		['Additional Fields that are not JSON', { ...other, additionalFields: '{"duration": 10,}' }, /^Additional Fields is not valid JSON \(/],
		['Additional Fields that are a list', { ...other, additionalFields: '[1, 2]' }, /^Additional Fields must be a JSON object/],
		['Additional Fields repeating the prompt', { ...other, additionalFields: '{"prompt": "x"}' }, /^Invalid Additional Fields \(JSON\): "prompt" comes from the Prompt field/],
		['Additional Fields repeating a field set above', { ...other, aspectRatio: '16:9', additionalFields: '{"aspect_ratio": "1:1"}' }, /^Invalid Additional Fields \(JSON\): "aspect_ratio" is set twice, by Aspect Ratio and in Additional Fields/],
		['a duration not listed for other models', { ...other, duration: 7 }, /^Invalid Duration \(Seconds\): 7 s is not available for kling-video\/v1\.6\/standard\/text-to-video \| Allowed: Model's Default, 4 s, 5 s/],
		['a style for another model (by expression)', { model: `={{ "${KLING}" }}`, style: 'anime' }, /^Invalid Style: kling-video\/v1\.6\/standard\/text-to-video does not take a style \| /],
		['an empty job id for get', { operation: 'get', jobId: ' ' }, /^Job ID is empty \| Give the ID/],
	];

	test.each(cases)('%s', async (_name, parameters, message) => {
		// Expressions bypass the UI's option lists, as a saved or generated workflow can.
		const asExpressions = Object.fromEntries(
			Object.entries(parameters).map(([key, value]) => [key, ['operation', 'model', 'customModel', 'additionalFields'].includes(key) ? value : `={{ ${JSON.stringify(value)} }}`]),
		);
		const result = await run(asExpressions);
		// As n8n shows it: the title (field and model as the editor names them), then what helps.
		expect(`${result.error?.message} | ${result.error?.description}`).toMatch(message);
		expect(result.error?.description).toMatch(/Nothing was sent to the provider, so no credits were used\.$/);
		expect(api.sandbox.requests).toHaveLength(0);
	});
});

describe('AI/ML API: credential and base URL', () => {
	test('the credential test tells a good key from a wrong one', async () => {
		expect(await credentialTestStatus(credentialType, { apiKey: API_KEY, baseUrl: api.sandbox.urls.aimlApi })).toBe(200);
		expect(await credentialTestStatus(credentialType, { apiKey: 'wrong', baseUrl: api.sandbox.urls.aimlApi })).toBe(401);
		// A base URL copied with /v1 (the OpenAI-compatible root) or a trailing slash means the same API.
		expect(await credentialTestStatus(credentialType, { apiKey: API_KEY, baseUrl: `${api.sandbox.urls.aimlApi}/v1/` })).toBe(200);
		expect(api.sandbox.requestsTo('aimlApi', 'account').map((r) => r.url)).toEqual(Array(3).fill('/aimlapi/v2/billing'));
	});

	test('the sandbox also serves the legacy PixVerse route, and answers 201 when asked', async () => {
		const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
		const legacy = `${api.sandbox.urls.aimlApi}/v2/generate/video/pixverse/generation`;
		const created = await fetch(legacy, { method: 'POST', headers, body: JSON.stringify({ model: PIXVERSE_V5, prompt: 'x', duration: '5' }) });
		expect(created.status).toBe(200);
		const created201 = await fetch(legacy, { method: 'POST', headers, body: JSON.stringify({ model: PIXVERSE_V5, prompt: 'x [sandbox:http=201]' }) });
		expect(created201.status).toBe(201);
		const { id } = (await created.json()) as { id: string };
		const polled = await fetch(`${legacy}?generation_id=${encodeURIComponent(id)}`, { headers });
		expect(((await polled.json()) as { id: string }).id).toBe(id);
		const refused = await fetch(legacy, { method: 'POST', headers, body: JSON.stringify({ model: PIXVERSE_V5, prompt: 'x', duration: 8, resolution: '1080p' }) });
		expect(refused.status).toBe(400);
	});
});
