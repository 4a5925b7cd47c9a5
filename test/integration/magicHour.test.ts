import type { IDataObject } from 'n8n-workflow';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { MAGIC_HOUR_CAPABILITIES } from '../../nodes/MagicHour/capabilities';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { nextPollDelayMs } from '../../nodes/shared/engine/pollSchedule';
import { binaryBytes, credentialTestStatus, runNode } from '../helpers/n8n';
import { expectNoError, useProviderSandbox } from '../helpers/provider';
import { sha256 } from '../helpers/sandbox';

// A key shaped like a real one (the leak test, in conformance.test.ts, uses the same shape).
const API_KEY = 'mhk_live_tEsT5ecReT0123456789';
const JOB_MS = 600;

const provider = useProviderSandbox('magicHour', { apiKey: API_KEY, jobDurationMs: JOB_MS });
const { jobs, submits, polls, downloads } = provider;
const credentialType = new MagicHourApi();
const runDefault = provider.runner(new MagicHour(), credentialType, { model: 'kling-2.5', prompt: 'a red fox in the snow' });

/** Like the shared runner, plus an abort signal for the cancel test. */
function run(parameters: IDataObject, extra: Parameters<typeof runDefault>[1] & { abortSignal?: AbortSignal } = {}) {
	if (!extra.abortSignal) return runDefault(parameters, extra);
	return runNode({
		nodeType: new MagicHour(),
		credentialType,
		credentials: { apiKey: API_KEY, baseUrl: provider.sandbox.urls.magicHour },
		parameters: { operation: 'generate', model: 'kling-2.5', prompt: 'a red fox', ...parameters },
		abortSignal: extra.abortSignal,
	});
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('Magic Hour: capacity (HTTP 429 on submit)', () => {
	test('a 429 lasting past Max Wait ends with the provider\'s words and how long the node waited; no job was made', async () => {
		provider.sandbox.fault({ provider: 'magicHour', route: 'submit', status: 429, retryAfter: 0, times: 20 });
		const result = await run({ options: { maxWait: 4 } });
		expect(result.error?.message).toBe('Magic Hour is rate limiting requests (HTTP 429)');
		expect(result.error?.description).toMatch(/^Try again later or lower Concurrency\. Magic Hour said: "Too Many Requests"/);
		expect(result.error?.description).toMatch(/waited up to Max Wait \(4 s\) for capacity and asked 3 time\(s\); no job was made/);
		expect(result.error?.httpCode).toBe('429');
		// Backoff (1 s, 2 s) even when the provider says Retry-After: 0: 3 asks fit in 4 s.
		expect(submits()).toHaveLength(3);
		expect(jobs()).toHaveLength(0);
	});
});

describe('Magic Hour: a project complete without downloads', () => {
	test('fails with the job id instead of succeeding without a video; Get reports it failed', async () => {
		const result = await run({ prompt: 'a fox [sandbox:nodownloads]' });
		const [job] = jobs();
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe('Magic Hour reported the job complete but gave no video');
		expect(result.error?.description).toContain(`Job ID: ${job.id}.`);
		expect(result.error?.context?.jobId).toBe(job.id);
		expect(downloads()).toHaveLength(0);
		const got = await run({ operation: 'get', jobId: job.id });
		expectNoError(got);
		expect(got.items[0].json).toMatchObject({ jobId: job.id, status: 'failed', error: expect.stringContaining('gave no video') });
		expect(submits()).toHaveLength(1);
	});
});

describe('Magic Hour: generate', () => {
	test('returns the video as binary data with the bytes the provider served', async () => {
		const result = await run({ duration: 10, aspectRatio: '9:16', resolution: '1080p' });
		expectNoError(result);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		const [job] = jobs();
		expect(item.json).toMatchObject({ jobId: job.id, status: 'completed', provider: 'magicHour', model: 'kling-2.5', durationSeconds: 10 });
		expect(item.json.videoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/videos\/.+\.mp4$/);
		expect(typeof item.json.expiresAt).toBe('string');
		// The final figure replaces the submit-time estimate (the sandbox charges 29 fps of 30).
		expect(item.json.credits).toBe(10 * 29 * 3);
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${job.id}.mp4`, fileExtension: 'mp4' });
		expect(sha256(await binaryBytes(item))).toBe(provider.sandbox.expectedVideo(job).sha256);
		expect(item.pairedItem).toEqual({ item: 0 });
		// What reached the API: the contract's field names and values.
		expect(submits()[0].body).toEqual({
			model: 'kling-2.5',
			end_seconds: 10,
			aspect_ratio: '9:16',
			resolution: '1080p',
			style: { prompt: 'a red fox in the snow' },
		});
	});

	test('names the file after the Name parameter, into the chosen binary property', async () => {
		const result = await run({ name: 'Fox teaser', options: { binaryPropertyName: 'video' } });
		expectNoError(result);
		expect(result.items[0].binary?.video?.fileName).toBe('Fox_teaser.mp4');
		expect(submits()[0].body).toMatchObject({ name: 'Fox teaser' });
	});

	test('audio is sent only where the model lets it be switched', async () => {
		expectNoError(await run({ model: 'veo3.1', duration: 8, audio: true }));
		expectNoError(await run({ model: 'ltx-2', duration: 5, audio: true }));
		expect(submits()[0].body).toMatchObject({ model: 'veo3.1', audio: true });
		expect(submits()[1].body).not.toHaveProperty('audio');
	});

	test('current models of the spec: Kling 3.0 at 4k with audio, Seedance 2.5 for 30 s, and a typed-in id', async () => {
		expectNoError(await run({ model: 'kling-3.0', duration: 15, resolution: '4k', audio: true }));
		expectNoError(await run({ model: 'seedance-2.5', duration: 30, aspectRatio: '1:1', resolution: '480p' }));
		expectNoError(await run({ model: 'other', customModel: 'wan-2.2', duration: 15, resolution: '1080p' }));
		expect(submits().map((s) => s.body)).toEqual([
			{ model: 'kling-3.0', end_seconds: 15, aspect_ratio: '16:9', resolution: '4k', audio: true, style: { prompt: 'a red fox in the snow' } },
			{ model: 'seedance-2.5', end_seconds: 30, aspect_ratio: '1:1', resolution: '480p', audio: false, style: { prompt: 'a red fox in the snow' } },
			// A typed id may take no audio at all: the field goes only when switched on.
			{ model: 'wan-2.2', end_seconds: 15, aspect_ratio: '16:9', resolution: '1080p', style: { prompt: 'a red fox in the snow' } },
		]);
	});

	test('the deprecated -audio aliases mean the base model with audio on', async () => {
		expectNoError(await run({ model: 'veo3.1-audio', duration: 4 }));
		expect(submits()[0].body).toMatchObject({ model: 'veo3.1', audio: true });
	});

	test('no sleep follows the final status: the download starts right after the poll that saw it', async () => {
		// Poll every 2 s; the job takes 0.6 s, so the second status check sees it complete.
		const result = await run({ options: { pollInterval: 2 } });
		expectNoError(result);
		const lastPoll = polls().at(-1)!;
		const download = downloads()[0];
		expect(download.at - lastPoll.at).toBeLessThan(1500);
	});

	test('a slow status answer does not push back the checks after it', async () => {
		// Every answer takes 0.8 s; the gaps (1 s and more) run from one check's start to the next.
		provider.sandbox.fault({ provider: 'magicHour', route: 'poll', delayMs: 800, times: 10 });
		const result = await run({ prompt: 'a fox [sandbox:seconds=5]', options: { pollInterval: 1 } });
		expectNoError(result);
		const starts = polls().map((poll) => poll.at);
		expect(starts.length).toBeGreaterThanOrEqual(3);
		const gaps = starts.slice(1).map((at, index) => at - starts[index]);
		const scheduled = starts.slice(0, -1).map((at) => nextPollDelayMs(at - starts[0] + 1000, 1000));
		const lateness = gaps.reduce((sum, gap, index) => sum + gap - scheduled[index], 0) / gaps.length;
		// Counting from the answer instead would make every gap 0.8 s longer.
		expect(lateness).toBeLessThan(400);
	});

	test('a 20 MB video arrives whole', async () => {
		const result = await run({ prompt: 'a long take [sandbox:size=20MB]' });
		expectNoError(result);
		const [job] = jobs();
		const bytes = await binaryBytes(result.items[0]);
		expect(bytes.length).toBe(20_000_000);
		expect(sha256(bytes)).toBe(provider.sandbox.expectedVideo(job).sha256);
		expect(result.items[0].json.fileSize).toBe(20_000_000);
	});
});

describe('Magic Hour: submit and get', () => {
	test('get with an unknown id explains the 404', async () => {
		const result = await run({ operation: 'get', jobId: 'cm-does-not-exist' });
		expect(result.error?.message).toMatch(/no video project with this ID \(HTTP 404\)/);
	});
});

describe('Magic Hour: retries', () => {
	test('an HTTP-date Retry-After is honoured too', async () => {
		provider.sandbox.fault({ provider: 'magicHour', route: 'poll', status: 429, retryAfter: new Date(Date.now() + 2000).toUTCString(), times: 1 });
		const result = await run({});
		expectNoError(result);
		const times = polls().map((r) => r.at);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(500);
	});
});

describe('Magic Hour: failures explain themselves', () => {
	test('out of credits (402) says so, before any job exists', async () => {
		provider.sandbox.fault({ provider: 'magicHour', route: 'submit', status: 402 });
		const result = await run({});
		expect(result.error?.message).toMatch(/out of credits \(HTTP 402\)/);
		expect(result.error?.httpCode).toBe('402');
	});

	test('cancelling ends the wait within a second and sends nothing more', async () => {
		const controller = new AbortController();
		const pending = run({ prompt: 'slow [sandbox:seconds=30]', options: { pollInterval: 5 } }, { abortSignal: controller.signal });
		while (submits().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
		await new Promise((resolve) => setTimeout(resolve, 200));
		const canceledAt = Date.now();
		controller.abort();
		const result = await pending;
		const stoppedAfter = Date.now() - canceledAt;
		const requestsAtStop = provider.sandbox.requests.length;
		expect(stoppedAfter).toBeLessThan(1000);
		expect(result.error?.message).toBe('The execution was canceled while the Magic Hour job was running');
		// The job runs on at Magic Hour: Get can still bring it, so it is offered.
		expect(result.error?.description).toMatch(/with ID cm\S+\. Run this node with the Get operation/);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(provider.sandbox.requests.length).toBe(requestsAtStop);
	});
});

describe('Magic Hour: invalid input is refused before any request', () => {
	const table = MAGIC_HOUR_CAPABILITIES;
	const cases: Array<[string, IDataObject, RegExp]> = [];
	for (const model of table.models) {
		const { duration, aspectRatio, resolution } = model.fields;
		const valid = { model: model.value, duration: duration.default, aspectRatio: aspectRatio.default, resolution: resolution.default };
		const badDuration = [1, 7, 61, 13].find((d) => !duration.values.includes(d))!;
		cases.push([`${model.value}: duration ${badDuration}`, { ...valid, duration: badDuration }, new RegExp(`^Invalid Duration \\(Seconds\\): .* is not available for ${escapeRegExp(model.name)} \\| Allowed: `)]);
		const badRatio = ['1:1', '4:3'].find((r) => !aspectRatio.values.includes(r))!;
		cases.push([`${model.value}: aspect ratio ${badRatio}`, { ...valid, aspectRatio: badRatio }, new RegExp(`^Invalid Aspect Ratio: .* is not available for ${escapeRegExp(model.name)} \\| Allowed: `)]);
		const badResolution = ['480p', '4k'].find((r) => !resolution.values.includes(r))!;
		cases.push([`${model.value}: resolution ${badResolution}`, { ...valid, resolution: badResolution }, new RegExp(`^Invalid Resolution: .* is not available for ${escapeRegExp(model.name)} \\| Allowed: `)]);
	}
	cases.push(['empty prompt', { prompt: '   ' }, /^Prompt is empty/]);
	cases.push(['prompt over 2000 characters', { prompt: 'x'.repeat(2001) }, /longer than 2000/]);
	// Any well-formed id goes to Magic Hour (a model newer than the node); a malformed one is refused here.
	cases.push(['malformed model id', { model: 'Kling 9' }, /^Invalid Model: "Kling 9" is not a Magic Hour model ID \(lower case letters, digits, dots and hyphens, e.g. seedance-2.5\) \| Listed models: default, kling-2.6/]);
	cases.push(['end frame past 8 s on Veo 3.1', { model: 'veo3.1', duration: 16, imageSource: 'url', imageUrl: 'https://x.example/a.png', endImageSource: 'url', endImageUrl: 'https://x.example/b.png' }, /^Invalid Duration \(Seconds\): Veo 3\.1 takes an end frame only for videos of 8 s or less, not 16 s \| Choose a shorter duration, or no end frame\./]);
	cases.push(['concurrency -1', { options: { concurrency: -1 } }, /^Concurrency must be 0 \(automatic\) to 50/]);
	cases.push(['empty job id for get', { operation: 'get', jobId: ' ' }, /^Job ID is empty \| Give the ID/]);

	test.each(cases)('%s', async (_name, parameters, message) => {
		// Expressions bypass the UI's option lists, as a saved or generated workflow can.
		const asExpressions = Object.fromEntries(
			Object.entries(parameters).map(([key, value]) => [key, typeof value === 'object' || key === 'operation' ? value : `={{ ${JSON.stringify(value)} }}`]),
		);
		const result = await run(asExpressions);
		// As n8n shows it: the title (field and model as the editor names them), then what helps.
		expect(`${result.error?.message} | ${result.error?.description}`).toMatch(message);
		expect(result.error?.description).toMatch(/Nothing was sent to the provider, so no credits were used\.$/);
		expect(provider.sandbox.requests).toHaveLength(0);
	});

	test('a deprecated alias is held to its base model\'s rules', async () => {
		const result = await run({ model: 'veo3.1-audio', duration: 5 });
		expect(result.error?.message).toMatch(/^Invalid Duration \(Seconds\): 5 s is not available for Veo 3\.1$/);
		expect(provider.sandbox.requests).toHaveLength(0);
	});
});

describe('Magic Hour: credential test', () => {
	test('tells a good key from a wrong one', async () => {
		expect(await credentialTestStatus(credentialType, { apiKey: API_KEY, baseUrl: provider.sandbox.urls.magicHour })).toBe(200);
		expect(await credentialTestStatus(credentialType, { apiKey: 'mhk_live_wrong', baseUrl: provider.sandbox.urls.magicHour })).toBe(401);
		expect(await credentialTestStatus(credentialType, { apiKey: API_KEY, baseUrl: `${provider.sandbox.urls.magicHour}/` })).toBe(200);
	});
});
