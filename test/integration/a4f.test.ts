import type { IDataObject } from 'n8n-workflow';
import { A4FApi } from '../../credentials/A4FApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { A4fV1 as A4f } from '../../nodes/A4F/A4f.node';
import { A4F_CAPABILITIES } from '../../nodes/A4F/capabilities';
import { binaryBytes, credentialTestStatus, runNode, type RunNodeResult } from '../helpers/n8n';
import { expectNoError, useProviderSandbox } from '../helpers/provider';
import { sha256, type SandboxJob } from '../helpers/sandbox';

// A key shaped like a real one (the leak test, in conformance.test.ts, uses the same shape).
const API_KEY = 'ddc-a4f-tEsT5ecReT0123456789';
const JOB_MS = 400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The shared sandbox lifecycle (started once, reset before each test, closed with the binary store).
const a4f = useProviderSandbox('a4f', { apiKey: API_KEY, jobDurationMs: JOB_MS });

const node = new A4f();
const credentialType = new A4FApi();

function run(
	parameters: IDataObject,
	extra: { items?: IDataObject[]; baseUrl?: string; abortSignal?: AbortSignal } = {},
) {
	return runNode({
		nodeType: node,
		credentialType,
		credentials: { apiKey: API_KEY, baseUrl: extra.baseUrl ?? a4f.sandbox.urls.a4f },
		parameters: { operation: 'generate', prompt: 'a red fox in the snow', ...parameters },
		items: extra.items,
		abortSignal: extra.abortSignal,
	});
}

const { jobs, submits } = a4f;
const jobOf = (prompt: string) => jobs().find((j) => (j as SandboxJob & { prompt: string }).prompt === prompt) as SandboxJob;

async function expectVideoOf(item: RunNodeResult['items'][number], job: SandboxJob) {
	expect(sha256(await binaryBytes(item))).toBe(a4f.sandbox.expectedVideo(job).sha256);
}

describe('A4F: generate', () => {
	test('one request; the base64 video arrives as binary with the served bytes, a generated job id and the revised prompt', async () => {
		const result = await run({ model: 'provider-2/veo-fast', duration: 8, resolution: '720p', aspectRatio: '16:9' });
		expectNoError(result);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		const [job] = jobs();
		expect(item.json).toMatchObject({
			status: 'completed',
			provider: 'a4f',
			model: 'provider-2/veo-fast',
			durationSeconds: 8,
			quality: '720p',
			revisedPrompt: 'a red fox in the snow, cinematic lighting, smooth camera motion',
			mimeType: 'video/mp4',
		});
		expect(item.json.jobId).toMatch(UUID);
		expect(item.json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(item.json.fileSize).toBe(a4f.sandbox.expectedVideo(job).size);
		expect(item.json.videoUrl).toBeUndefined();
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${item.json.jobId}.mp4`, fileExtension: 'mp4' });
		await expectVideoOf(item, job);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(a4f.sandbox.requests).toHaveLength(1);
		expect(submits()[0].authorization).toBe(`Bearer ${API_KEY}`);
		expect(submits()[0].body).toEqual({ model: 'provider-2/veo-fast', prompt: 'a red fox in the snow', quality: '720p', duration: 8, ratio: '16:9' });
	});

	test('the defaults: Kling v2.1, 5 s, 1080p, 9:16', async () => {
		const result = await run({});
		expectNoError(result);
		expect(submits()[0].body).toEqual({ model: 'provider-2/kling-v2.1', prompt: 'a red fox in the snow', quality: '1080p', duration: 5, ratio: '9:16' });
		expect(result.items[0].json.model).toBe('provider-2/kling-v2.1');
	});

	test('a typed-in model id is sent as typed, within the API limits', async () => {
		const result = await run({ model: 'other', customModel: ' provider-6/wan-2.1 ', duration: 3, resolution: '480p', aspectRatio: '4:3' });
		expectNoError(result);
		expect(submits()[0].body).toMatchObject({ model: 'provider-6/wan-2.1', quality: '480p', duration: 3, ratio: '4:3' });
		expect(result.items[0].json.model).toBe('provider-6/wan-2.1');
		await expectVideoOf(result.items[0], jobs()[0]);
	});

	test('a base URL with a trailing slash reaches the same route', async () => {
		expectNoError(await run({}, { baseUrl: `${a4f.sandbox.urls.a4f}/` }));
		expect(submits()[0].url).toBe('/a4f/v1/video/generations');
	});

	test('parallel items: requests overlap, outputs keep the input order, each item its own job id and video', async () => {
		// The first item takes longest, so it finishes last.
		const prompts = ['first [sandbox:seconds=0.8]', 'second [sandbox:seconds=0.3]', 'third [sandbox:seconds=0.5]'];
		const result = await run({ prompt: '={{ $json.text }}' }, { items: prompts.map((text) => ({ text })) });
		expectNoError(result);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items.map((i) => String(i.json.revisedPrompt).split(',')[0])).toEqual(['first', 'second', 'third']);
		expect(new Set(result.items.map((i) => i.json.jobId)).size).toBe(3);
		for (const [index, prompt] of prompts.entries()) await expectVideoOf(result.items[index], jobOf(prompt));
		// All three were sent before the slowest one was answered (Concurrency 4).
		const slowest = jobOf(prompts[0]);
		expect(submits()).toHaveLength(3);
		for (const request of submits()) expect(request.at).toBeLessThan(slowest.finishedAt);
	});

	test('Concurrency 1 sends one request at a time', async () => {
		const prompts = ['a', 'b', 'c'];
		const result = await run({ prompt: '={{ $json.text }}', options: { concurrency: 1 } }, { items: prompts.map((text) => ({ text })) });
		expectNoError(result);
		const answered = prompts.map((p) => jobOf(p).finishedAt);
		const sent = submits().map((r) => r.at);
		expect(sent[1]).toBeGreaterThanOrEqual(answered[0]);
		expect(sent[2]).toBeGreaterThanOrEqual(answered[1]);
	});

	test('Download off still stores a base64 video: A4F keeps no copy to fetch later', async () => {
		const result = await run({ options: { download: false } });
		expectNoError(result);
		await expectVideoOf(result.items[0], jobs()[0]);
	});

	test('a big video (50 MB) is decoded as it arrives and stored whole', async () => {
		const result = await run({ prompt: 'big [sandbox:size=50MB]' });
		expectNoError(result);
		const [job] = jobs();
		expect(result.items[0].json.fileSize).toBe(50_000_000);
		await expectVideoOf(result.items[0], job);
	});
});

describe('A4F: answer variants', () => {
	test('url instead of b64_json: the video is downloaded from the CDN without the key', async () => {
		const result = await run({ prompt: 'fox [sandbox:answer=url]' });
		expectNoError(result);
		const [job] = jobs();
		expect(result.items[0].json.videoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/videos\/.+\.mp4$/);
		expect(result.items[0].json.revisedPrompt).toBe('fox, cinematic lighting, smooth camera motion');
		await expectVideoOf(result.items[0], job);
		const downloads = a4f.sandbox.requestsTo('a4f', 'download');
		expect(downloads).toHaveLength(1);
		expect(downloads[0].authorization).toBeUndefined();
		expect(submits()).toHaveLength(1);
	});

	test('a url on the API itself (/v1/videos/serve/) is fetched with the key', async () => {
		const result = await run({ prompt: 'fox [sandbox:answer=serve]' });
		expectNoError(result);
		expect(result.items[0].json.videoUrl).toContain('/a4f/v1/videos/serve/');
		await expectVideoOf(result.items[0], jobs()[0]);
		expect(a4f.sandbox.requestsTo('a4f', 'download').map((r) => r.authorization)).toEqual([`Bearer ${API_KEY}`]);
	});

	test.each(['wrapped', 'datauri'])('%s base64 decodes to the same bytes', async (variant) => {
		const result = await run({ prompt: `fox [sandbox:answer=${variant}] [sandbox:size=300KB]` });
		expectNoError(result);
		expect(result.items[0].binary?.data.mimeType).toBe('video/mp4');
		await expectVideoOf(result.items[0], jobs()[0]);
	});
});

describe('A4F: invalid input is refused before any request', () => {
	const refused = async (parameters: IDataObject, pattern: RegExp) => {
		const result = await run(parameters);
		// As n8n shows it: the title (field and model as the editor names them), then what helps.
		expect(`${result.error?.message} | ${result.error?.description}`).toMatch(pattern);
		expect(a4f.sandbox.requests).toHaveLength(0);
		return result;
	};

	test.each(A4F_CAPABILITIES.models.map((m) => [m.value, m.fields.duration.values.length, m.name]))('%s: %d s + 1 is refused', async (model, longest, name) => {
		const result = await refused(
			{ model, duration: Number(longest) + 1 },
			new RegExp(`^Invalid Duration \\(Seconds\\): ${Number(longest) + 1} s is not available for ${String(name).replace(/[./()]/g, '\\$&')} \\| Allowed: 1 s`),
		);
		expect(result.error?.description).toMatch(/no credits/);
	});

	test.each(A4F_CAPABILITIES.models.filter((m) => !m.fields.resolution.values.includes('720p')).map((m) => m.value))(
		'%s: 720p is refused, naming 1080p',
		async (model) => {
			await refused({ model, resolution: '720p' }, /^Invalid Quality: 720p is not available for .* \| Allowed: 1080p\. /);
		},
	);

	test.each([
		[{ model: 'provider-2/kling-v2.1', resolution: '480p' }, /^Invalid Quality: 480p is not available for Kling v2\.1 \| Allowed: 720p, 1080p/],
		[{ model: 'provider-2/kling-v2.1', aspectRatio: '21:9' }, /^Invalid Aspect Ratio: 21:9 is not available .* \| Allowed: 9:16, 16:9, 1:1, 3:4, 4:3/],
		[{ model: 'provider-2/kling-v2.1', duration: 0 }, /^Invalid Duration \(Seconds\): 0 s is not available/],
		[{ model: 'provider-2/kling-v2.1', duration: 2.5 }, /^Invalid Duration \(Seconds\): 2\.5 s is not available/],
		[{ model: 'other', customModel: 'provider-6/wan-2.1', duration: 9 }, /^Invalid Duration \(Seconds\): 9 s is not available for provider-6\/wan-2\.1 \| Allowed: 1 s, .*8 s/],
		[{ model: 'other', customModel: 'provider-6/wan-2.1', resolution: '4k' }, /^Invalid Quality: 4k is not available/],
		[{ model: 'other', customModel: 'provider-2/sora-2', duration: 5 }, /^Invalid Duration \(Seconds\): 5 s is not available for Sora 2 \| Allowed: 1 s, 2 s, 3 s, 4 s/],
		[{ model: 'other', customModel: '' }, /Model ID is empty/],
		[{ model: 'other', customModel: 'kling v2' }, /Model ID must not contain spaces/],
		[{ model: 'other', customModel: 'kling-v2.1' }, /^Invalid Model: "kling-v2.1" is not an A4F model ID \| A4F IDs look like provider-N\/name/],
		[{ model: '={{ "sora-2" }}' }, /"sora-2" is not an A4F model ID/],
		[{ prompt: '   ' }, /Prompt is empty/],
		[{ options: { requestTimeout: 0 } }, /Request Timeout must be at least 1 second/],
	])('%j', async (parameters, pattern) => {
		await refused(parameters as IDataObject, pattern);
	});
});

describe('A4F: errors', () => {
	test.each([
		[403, /^Your A4F plan does not include this model \(HTTP 403\) \| .*Pro or Ultra plan.* A4F said: "The requested model is not available on your current subscription plan \(Pro or Ultra required\)\."/],
		[408, /^A4F timed out before the video was made \(HTTP 408\) \| .*faster model/],
		[502, /A4F's video provider could not make the video \(HTTP 502\)/],
	])('%d is explained and not retried', async (status, pattern) => {
		a4f.sandbox.fault({ provider: 'a4f', route: 'submit', status });
		const result = await run({});
		expect(`${result.error?.message} | ${result.error?.description}`).toMatch(pattern);
		expect(result.error?.httpCode).toBe(String(status));
		expect(submits()).toHaveLength(1);
	});

	test('400 from the API shows its message', async () => {
		// A model id the API does not know passes the node's format check and meets the API's own.
		const result = await run({ model: 'other', customModel: 'provider-9/unknown' });
		expect(result.error?.message).toBe('A4F refused the request (HTTP 400)');
		expect(result.error?.description).toMatch(/A4F said: "Model 'provider-9\/unknown' does not exist/);
		expect(submits()).toHaveLength(1);
	});

	test('an answer that breaks off mid-video fails with the job id, after one request', async () => {
		const result = await run({ prompt: 'fox [sandbox:answer=truncate] [sandbox:size=2MB]' });
		expect(result.error?.message).toMatch(/broke off/);
		expect(result.error?.description).toMatch(/Job ID: [0-9a-f-]{36}\.$/);
		expect(submits()).toHaveLength(1);
	});

	test('no answer within the Request Timeout: a clear message, no second request', async () => {
		const result = await run({ prompt: 'slow [sandbox:seconds=4]', options: { requestTimeout: 1 } });
		expect(result.error?.message).toMatch(/^A4F sent no answer within the Request Timeout/);
		expect(result.error?.description).toMatch(/raise Request Timeout/);
		expect(submits()).toHaveLength(1);
	});

	test('canceling the execution while A4F renders ends the wait at once, naming the job', async () => {
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(), 300);
		const result = await run({ prompt: 'slow [sandbox:seconds=10]' }, { abortSignal: controller.signal });
		expect(result.error?.message).toBe('The execution was canceled while the A4F job was running');
		expect(result.error?.description).toMatch(/Job ID: [0-9a-f-]{36}\.$/);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(submits()).toHaveLength(1);
	});

	test('canceling while the video arrives stops reading it', async () => {
		const controller = new AbortController();
		const started = Date.now();
		// 2 GB would take far longer than the test: the cancel must cut it short.
		const running = run({ prompt: 'huge [sandbox:size=2GB]' }, { abortSignal: controller.signal });
		setTimeout(() => controller.abort(), JOB_MS + 700);
		const result = await running;
		expect(result.error?.message).toMatch(/cancel/i);
		expect(Date.now() - started).toBeLessThan(15_000);
	});
});

describe('A4F: credential', () => {
	test('the credential test answers 200 for the key and 401 for another', async () => {
		expect(await credentialTestStatus(credentialType, { apiKey: API_KEY, baseUrl: `${a4f.sandbox.urls.a4f}/` })).toBe(200);
		expect(await credentialTestStatus(credentialType, { apiKey: 'nope', baseUrl: a4f.sandbox.urls.a4f })).toBe(401);
		expect(a4f.sandbox.requestsTo('a4f', 'usage')).toHaveLength(2);
	});
});
