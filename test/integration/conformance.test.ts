/**
 * The engine's behaviour, as every provider shows it through the sandbox: one profile per provider
 * (and per API style), the same cases for each. A provider's own file keeps only what is its own:
 * its request fields, its answer variants, its words for an error the engine does not word.
 */
import type { ICredentialType, IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import { A4FApi } from '../../credentials/A4FApi.credentials';
import { AimlApiApi } from '../../credentials/AimlApiApi.credentials';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
import { VideoGenerationApi } from '../../credentials/VideoGenerationApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { A4fV1 as A4f } from '../../nodes/A4F/A4f.node';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { PIXVERSE_V5 } from '../../nodes/AimlApi/capabilities';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { VideoGenerationV1 as VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { binaryBytes } from '../helpers/n8n';
import { expectContinueOnFail, expectNoError, useProviderSandbox, visibleText } from '../helpers/provider';
import { sha256, type Sandbox, type SandboxJob } from '../helpers/sandbox';

interface Profile {
	/** The describe title. */
	name: string;
	/** The provider's key in the sandbox (`useProviderSandbox`). */
	provider: string;
	/** How the node names the provider in its messages. */
	label: string;
	node: INodeType;
	credential: ICredentialType;
	/** Shaped like a real key, so a leak anywhere is found; `secret` is the part searched for. */
	apiKey: string;
	secret: string;
	jobMs: number;
	/** Parameters under every run's own. */
	defaults: IDataObject;
	jobId: RegExp;
	/** One request that answers with the video (no Submit, no Get, no polls), instead of start and status. */
	synchronous?: boolean;
	/** Continue On Fail: whether the failed item says `status: 'failed'` (A4F's does not). */
	failedItemStatus?: boolean;
	/** A prompt suffix that makes the provider answer with a URL to download rather than the bytes. */
	viaUrl?: string;
	/** Whether the video comes from a CDN, another origin (false: the API's own route, which takes the key). */
	cdn: boolean;
	/** More parameter sets that reach the video another way (for the CDN and leak cases). */
	variants?: IDataObject[];
	/** Three items whose third is invalid. */
	invalidThird: { parameters: IDataObject; items: IDataObject[]; message: RegExp };
	/** The provider's words: a 503 on submit, a wrong key, a key echoed back in a 400. */
	serverError: RegExp;
	unauthorized: RegExp;
	echoed: RegExp;
	/** The error of a job that failed ([sandbox:fail]), given its job id. */
	failed: (jobId: string) => string | RegExp;
	/** A prompt moderation refuses (default `[sandbox:moderation]`), and how the node says so. */
	moderated: { prompt?: string; message: RegExp };
	/** Get of a failed job: what its item says besides jobId and status. */
	failedGet?: IDataObject;
	/** Download off: what the item says besides the URL. */
	downloadOff?: (sandbox: Sandbox, job: SandboxJob) => IDataObject;
	submitThenGet?: { parameters?: IDataObject; submitted?: IDataObject; done?: IDataObject };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const videoGeneration = (style: 'videoGenerations' | 'videos', title: string): Profile => ({
	name: `Video Generation API, ${title}`,
	provider: 'videoGeneration',
	label: 'Video Generation API',
	node: new VideoGeneration(),
	credential: new VideoGenerationApi(),
	apiKey: 'sk-gwTeSt5ecReT0123456789abcdef',
	secret: 'TeSt5ecReT',
	jobMs: 500,
	defaults: { apiStyle: style, model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' }, prompt: 'a red fox in the snow' },
	jobId: /^task_[A-Za-z0-9]{32}$/,
	// The Videos API serves the video at /v1/videos/{id}/content on the gateway itself (the key goes along).
	cdn: style === 'videoGenerations',
	invalidThird: { parameters: { duration: '={{ $json.d }}' }, items: [{ d: 5 }, { d: 10 }, { d: 7.5 }], message: /duration: Duration \(Seconds\) must be a whole number/ },
	serverError: /Video Generation API had a server error \(HTTP 503\)/,
	unauthorized: /rejected the API key \(HTTP 401\): 无效的令牌/,
	echoed: /\(HTTP 400\).*Bad token \*\*\*/,
	failed: (jobId) => new RegExp(`^Video Generation API could not make the video: upstream task failed: the render did not finish in time.* \\(job ${jobId}\\)$`),
	moderated: { message: /^Video Generation API rejected the prompt at content moderation: .*\(job task_/ },
	failedGet: { error: expect.stringMatching(/upstream task failed/) },
	submitThenGet: { done: { progress: 100 } },
});

const PROFILES: Profile[] = [
	{
		name: 'Magic Hour',
		provider: 'magicHour',
		label: 'Magic Hour',
		node: new MagicHour(),
		credential: new MagicHourApi(),
		apiKey: 'mhk_live_tEsT5ecReT0123456789',
		secret: 'tEsT5ecReT',
		jobMs: 600,
		defaults: { model: 'kling-2.5', prompt: 'a red fox in the snow' },
		jobId: /^cm[a-z0-9]+$/,
		cdn: true,
		invalidThird: { parameters: { duration: '={{ $json.d }}' }, items: [{ d: 5 }, { d: 10 }, { d: 7 }], message: /duration: 7 s is not available for kling-2.5/ },
		serverError: /Magic Hour had a server error \(HTTP 503\)/,
		unauthorized: /rejected the API key \(HTTP 401\)/,
		echoed: /refused the request \(HTTP 400\): Bad token \*\*\*/,
		failed: (jobId) => `Magic Hour could not make the video: The render did not finish in time (processing_timeout) (job ${jobId})`,
		moderated: { message: /^Magic Hour rejected the prompt at content moderation: .*content_policy_violation.*\(job cm/ },
		failedGet: { error: expect.stringMatching(/processing_timeout/) },
		submitThenGet: { parameters: { duration: 5 }, submitted: { credits: 5 * 30 * 3 } },
	},
	{
		name: 'A4F',
		provider: 'a4f',
		label: 'A4F',
		node: new A4f(),
		credential: new A4FApi(),
		apiKey: 'ddc-a4f-tEsT5ecReT0123456789',
		secret: 'tEsT5ecReT',
		jobMs: 400,
		defaults: { prompt: 'a red fox in the snow' },
		// A4F's answer has no id: the node makes one.
		jobId: UUID,
		synchronous: true,
		failedItemStatus: false,
		viaUrl: ' [sandbox:answer=url]',
		cdn: true,
		invalidThird: {
			parameters: { prompt: '={{ $json.text }}', duration: '={{ $json.seconds }}' },
			items: [
				{ text: 'a', seconds: 5 },
				{ text: 'b', seconds: 4 },
				{ text: 'c', seconds: 7 },
			],
			message: /duration: 7 s is not available/,
		},
		serverError: /A4F's video provider could not make the video \(HTTP 503\)/,
		unauthorized: /A4F rejected the API key \(HTTP 401\)/,
		echoed: /refused the request \(HTTP 400\): Bad token \*\*\*/,
		// 500 provider_error: the render failed, the one request is not asked again.
		failed: (jobId) => new RegExp(`^A4F's video provider could not make the video \\(HTTP 500\\): The upstream video generation service failed.* \\(job ${jobId}\\)$`),
		moderated: { message: /^A4F rejected the prompt at content moderation \(HTTP 400\): Your prompt was flagged/ },
		downloadOff: () => ({ videoUrl: expect.stringMatching(/\.mp4$/) }),
	},
	{
		name: 'AI/ML API',
		provider: 'aimlApi',
		label: 'AI/ML API',
		node: new AimlApi(),
		credential: new AimlApiApi(),
		apiKey: 'aiml_tEsT5ecReT_4f7c0d2e9b8a',
		secret: 'tEsT5ecReT',
		jobMs: 500,
		defaults: { prompt: 'a paper boat on a stormy sea' },
		jobId: /^[0-9a-f-]{36}:pixverse\/v5\/text-to-video$/,
		cdn: true,
		invalidThird: { parameters: { resolution: '={{ $json.r }}', duration: 8 }, items: [{ r: '720p' }, { r: '540p' }, { r: '1080p' }], message: /duration: 8 s is not available at 1080p/ },
		serverError: /^AI\/ML API had a server error \(HTTP 503\): Service unavailable \(request id [0-9a-f-]{36}\)$/,
		unauthorized: /^AI\/ML API rejected the API key \(HTTP 401\): This request requires a valid API key/,
		echoed: /refused the request \(HTTP 400\): Bad token \*\*\*/,
		failed: (jobId) => `AI/ML API could not make the video: GenerationError: The video generation failed on the provider side (job ${jobId})`,
		moderated: { message: /^AI\/ML API rejected the prompt at content moderation: ContentModerationError: .*sensitive.* \(job [0-9a-f-]{36}:pixverse/ },
		failedGet: { error: 'GenerationError: The video generation failed on the provider side' },
		// The API gives the file's name and size with its URL.
		downloadOff: (sandbox, job) => ({ fileName: 'output.mp4', fileSize: sandbox.expectedVideo(job).size }),
		submitThenGet: { submitted: { model: PIXVERSE_V5, credits: 120000 }, done: { credits: 120000 } },
	},
	{
		name: 'Kling (useapi.net)',
		provider: 'useApiKling',
		label: 'Kling (useapi.net)',
		node: new UseApiKling(),
		credential: new UseApiApi(),
		// user:<n>-<secret>, as useapi.net's tokens are.
		apiKey: 'user:4242-kL1nGs3cReTt0k3n',
		secret: 'kL1nGs3cReTt0k3n',
		jobMs: 600,
		defaults: { model: 'kling-v2-5', prompt: 'a red fox in the snow' },
		jobId: /^\d+$/,
		cdn: true,
		// Without Watermark fetches the clean master through /assets/download first.
		variants: [{ options: { noWatermark: true } }],
		invalidThird: { parameters: { duration: '={{ $json.d }}' }, items: [{ d: 5 }, { d: 10 }, { d: 7 }], message: /duration: 7 s is not available for kling-v2-5/ },
		serverError: /Kling \(useapi\.net\) had a server error \(HTTP 503\)/,
		unauthorized: /rejected the API token \(HTTP 401\)/,
		echoed: /refused the request \(HTTP 400\): Bad token \*\*\*/,
		failed: (jobId) => `Kling (useapi.net) could not make the video: Generation failed: internal error (task 50) — Task failed (job ${jobId})`,
		// Plain [sandbox:moderation] is Kling's refusal at submit (HTTP 500), in Kling's own file; this is a task failed at moderation.
		moderated: { prompt: 'forbidden [sandbox:moderation=task]', message: /^Kling \(useapi\.net\) rejected the prompt at content moderation: .*community guidelines/ },
		failedGet: { taskStatus: 'failed', error: expect.stringMatching(/Generation failed: internal error/) },
		submitThenGet: { submitted: { model: 'kling-v2-5', taskStatus: 'submitted' } },
	},
	videoGeneration('videoGenerations', 'Task API'),
	videoGeneration('videos', 'Videos API'),
];

describe.each(PROFILES.map((profile) => [profile.name, profile] as const))('conformance: %s', (_name, profile) => {
	const { provider, label, synchronous } = profile;
	const box = useProviderSandbox(provider, { apiKey: profile.apiKey, jobDurationMs: profile.jobMs });
	const { jobs, submits, polls, downloads } = box;
	const run = box.runner(profile.node, profile.credential, profile.defaults);
	/** Cases of start and status (Submit, Get, polls, Max Wait): not registered for a synchronous API. */
	const asyncOnly = (name: string, fn: () => Promise<void>) => {
		if (!synchronous) test(name, fn);
	};
	/** The default prompt, made to answer with a URL where the provider would answer with the bytes. */
	const viaUrl = { prompt: `${profile.defaults.prompt}${profile.viaUrl ?? ''}` };

	/** The sandbox's job behind an output item: by its job id, or (an id the node made) by its prompt. */
	const jobOf = (item: INodeExecutionData, prompt?: string) =>
		synchronous ? jobs().find((job) => (job as SandboxJob & { prompt?: string }).prompt === (prompt ?? profile.defaults.prompt)) : box.sandbox.findJob(provider, String(item.json.jobId));

	const failedMessage = (jobId: string) => {
		const message = profile.failed(jobId);
		return typeof message === 'string' ? new RegExp(`^${escape(message)}$`) : message;
	};

	async function expectVideo(item: INodeExecutionData, prompt?: string) {
		const job = jobOf(item, prompt);
		expect(job).toBeDefined();
		expect(sha256(await binaryBytes(item))).toBe(box.sandbox.expectedVideo(job!).sha256);
	}

	test('generate returns the video as binary data with the bytes the provider served', async () => {
		const result = await run({});
		expectNoError(result);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.json).toMatchObject({ status: 'completed', provider, jobId: expect.stringMatching(profile.jobId) });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: expect.stringMatching(/^[\w.-]+\.mp4$/), fileExtension: 'mp4' });
		await expectVideo(item);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(jobs()).toHaveLength(1);
		expect(submits()).toHaveLength(1);
		if (synchronous) expect(box.sandbox.requests).toHaveLength(1);
	});

	test('6 items with concurrency 3 run in two waves and keep their order, each with its own video', async () => {
		const items = Array.from({ length: 6 }, (_, i) => ({ idea: `scene ${i}` }));
		const started = Date.now();
		const result = await run({ prompt: '={{ $json.idea }}', options: { concurrency: 3 } }, { items });
		const wallMs = Date.now() - started;
		expectNoError(result);
		expect(result.items).toHaveLength(6);
		// Output order is input order, whatever finished first.
		for (const [i, item] of result.items.entries()) {
			expect(item.pairedItem).toEqual({ item: i });
			expect((jobOf(item, `scene ${i}`) as SandboxJob & { prompt?: string })?.prompt).toBe(`scene ${i}`);
			await expectVideo(item, `scene ${i}`);
		}
		// Three jobs at once; the fourth only once one of the first three has ended.
		const created = [...jobs()].sort((a, b) => a.createdAt - b.createdAt);
		const firstEnd = Math.min(...created.slice(0, 3).map((job) => job.finishedAt));
		expect(created[2].createdAt).toBeLessThan(firstEnd);
		expect(created[3].createdAt).toBeGreaterThanOrEqual(firstEnd);
		if (!synchronous) {
			// The slot is free once the item is done, its video downloaded.
			const submitTimes = submits().map((r) => r.at);
			const firstDownload = Math.min(...downloads().map((r) => r.at));
			expect(submitTimes.slice(0, 3).every((t) => t < firstDownload)).toBe(true);
			expect(submitTimes[3]).toBeGreaterThanOrEqual(firstDownload);
		}
		// Figures for the closing note.
		const perJob = synchronous ? 'one request per job' : `${(polls().length / 6).toFixed(1)} status requests per job`;
		console.info(`${profile.name}: 6 items, concurrency 3, jobs of ${profile.jobMs} ms: ${wallMs} ms wall, ${perJob}`);
	});

	test('Download off returns the URL and no binary, and downloads nothing', async () => {
		const result = await run({ ...viaUrl, options: { download: false } });
		expectNoError(result);
		expect(result.items[0].binary).toBeUndefined();
		expect(result.items[0].json.videoUrl).toContain('/videos/');
		expect(result.items[0].json).toMatchObject(profile.downloadOff?.(box.sandbox, jobs()[0]) ?? {});
		expect(downloads()).toHaveLength(0);
	});

	test('a bad third item stops the batch before anything is paid for', async () => {
		const { parameters, items, message } = profile.invalidThird;
		const result = await run(parameters, { items });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.context?.itemIndex).toBe(2);
		expect(box.sandbox.requests).toHaveLength(0);
	});

	test('429 on submit made no job: asked again with backoff (1 s, 2 s, even at Retry-After: 0), one job, its video', async () => {
		box.sandbox.fault({ provider, route: 'submit', status: 429, retryAfter: 0, times: 2 });
		const result = await run({});
		expectNoError(result);
		const asked = submits().map((r) => r.at);
		expect(asked).toHaveLength(3);
		expect(asked[1] - asked[0]).toBeGreaterThanOrEqual(950);
		expect(asked[2] - asked[1]).toBeGreaterThanOrEqual(1950);
		expect(jobs()).toHaveLength(1);
		await expectVideo(result.items[0]);
	});

	test('503 on submit is not retried: it may have made a paid job', async () => {
		box.sandbox.fault({ provider, route: 'submit', status: 503, times: 1 });
		const result = await run({});
		expect(submits()).toHaveLength(1);
		expect(polls()).toHaveLength(0);
		expect(result.error?.message).toMatch(profile.serverError);
		expect(result.error?.context?.itemIndex).toBe(0);
		// No job is known: the start request failed. A synchronous API's one request is the job, named by the id the node made.
		if (synchronous) expect(result.error?.context?.jobId).toMatch(profile.jobId);
		else expect(result.error?.context?.jobId).toBeUndefined();
	});

	asyncOnly('503, a dropped connection and 429 with Retry-After during polls are waited out: one submit, the video', async () => {
		// One status check meets them all in turn: backoff 1 s, backoff 2 s, then Retry-After (1 s) twice.
		box.sandbox.fault({ provider, route: 'poll', status: 503, times: 1 });
		box.sandbox.fault({ provider, route: 'poll', reset: true, times: 1 });
		box.sandbox.fault({ provider, route: 'poll', status: 429, retryAfter: 1, times: 2 });
		const result = await run({});
		expectNoError(result);
		expect(result.items[0].json.status).toBe('completed');
		const times = polls().map((r) => r.at);
		expect(times.length).toBeGreaterThanOrEqual(5);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(900);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(1900);
		// The checks after each 429 came no sooner than Retry-After said.
		expect(times[3] - times[2]).toBeGreaterThanOrEqual(950);
		expect(times[4] - times[3]).toBeGreaterThanOrEqual(950);
		expect(submits()).toHaveLength(1);
		await expectVideo(result.items[0]);
	});

	test('a download that fails with 502 is retried', async () => {
		box.sandbox.fault({ provider, route: 'download', status: 502, times: 1 });
		const result = await run(viaUrl);
		expectNoError(result);
		expect(downloads()).toHaveLength(2);
		expect(submits()).toHaveLength(1);
		await expectVideo(result.items[0], viaUrl.prompt);
	});

	test('a failed job gives the reason and the job id, after one request', async () => {
		const result = await run({ prompt: 'doomed [sandbox:fail]' });
		expect(result.items).toHaveLength(0);
		const jobId = String(synchronous ? result.error?.context?.jobId : jobs()[0].id);
		expect(jobId).toMatch(profile.jobId);
		expect(result.error?.message).toMatch(failedMessage(jobId));
		expect(result.error?.context?.jobId).toBe(jobId);
		if (!synchronous) expect(result.error?.description).toContain('Get operation and this Job ID');
		expect(submits()).toHaveLength(1);
	});

	test('a moderated prompt says so in plain words, with the job id', async () => {
		const result = await run({ prompt: profile.moderated.prompt ?? 'forbidden [sandbox:moderation]' });
		expect(result.error?.message).toMatch(profile.moderated.message);
		if (!synchronous) {
			const [job] = jobs();
			expect(result.error?.message).toContain(`(job ${job.id})`);
			expect(result.error?.context?.jobId).toBe(job.id);
			expect(result.error?.description).toContain('Get operation and this Job ID');
		}
	});

	test('Continue On Fail: the failing item carries its job id, the others arrive with their videos, each paired', async () => {
		const result = await expectContinueOnFail(run, profile.jobId, {}, { failedStatus: profile.failedItemStatus });
		await expectVideo(result.items[0], 'one');
		await expectVideo(result.items[2], 'three');
		expect(result.items[1].binary).toBeUndefined();
		// The item's error is the message the run would have stopped with.
		expect(String(result.items[1].json.error)).toMatch(failedMessage(String(result.items[1].json.jobId)));
	});

	asyncOnly('without Continue On Fail, one failure stops the batch and names the other jobs', async () => {
		const items = [{ p: 'one [sandbox:seconds=3]' }, { p: 'two [sandbox:fail]' }, { p: 'three' }];
		const result = await run({ prompt: '={{ $json.p }}', options: { concurrency: 2 } }, { items });
		expect(result.error?.message).toMatch(/could not make the video/);
		const first = jobs().find((job) => String((job as SandboxJob & { prompt?: string }).prompt).startsWith('one'))!;
		expect(result.error?.description).toContain(`item 1: ${first.id}`);
		// The third item was never submitted: nothing more was paid for.
		expect(submits()).toHaveLength(2);
	});

	asyncOnly('Max Wait expiry names the job id', async () => {
		const result = await run({ prompt: 'slow [sandbox:seconds=30]', options: { maxWait: 0.5 } });
		const [job] = jobs();
		expect(result.error?.message).toBe(`${label} job ${job.id} did not finish within 0.5 s (last status: queued)`);
		expect(result.error?.description).toContain(job.id);
	});

	asyncOnly('submit returns the job at once; get returns its status, then the video', async () => {
		const { parameters, submitted: expectSubmitted, done: expectDone } = profile.submitThenGet ?? {};
		const { submitted, done } = await box.submitThenGet(run, parameters);
		expect(submitted.items[0].json.jobId).toMatch(profile.jobId);
		expect(submitted.items[0].json).toMatchObject(expectSubmitted ?? {});
		expect(done.items[0].json).toMatchObject(expectDone ?? {});
	});

	asyncOnly('get reports a failed job as its status without throwing', async () => {
		const submitted = await run({ operation: 'submit', prompt: 'doomed [sandbox:fail]' });
		const { jobId } = submitted.items[0].json as { jobId: string };
		const result = await run({ operation: 'get', jobId, options: { waitForCompletion: true } });
		expectNoError(result);
		expect(result.items[0].json).toMatchObject({ jobId, status: 'failed', ...profile.failedGet });
	});

	test('the API key appears in no output and no error, even when the provider echoes it back', async () => {
		box.sandbox.fault({ provider, route: 'submit', status: 400, message: `Bad token ${profile.apiKey}`, times: 1 });
		const outputs = [
			await run({}),
			await run({}),
			await run(viaUrl),
			...(await Promise.all((profile.variants ?? []).map((parameters) => run(parameters)))),
			await run({ prompt: 'x [sandbox:fail]' }),
			await run({}, { apiKey: `${profile.apiKey}-wrong` }),
			...(synchronous ? [] : [await run({ operation: 'get', jobId: 'nope' })]),
		];
		expect(outputs[0].error?.message).toMatch(profile.echoed);
		expectNoError(outputs[1]);
		expect(outputs.at(synchronous ? -1 : -2)?.error?.message).toMatch(profile.unauthorized);
		for (const output of outputs) {
			expect(visibleText(output)).not.toContain(profile.secret);
			expect(JSON.stringify(output.error ?? null)).not.toContain(profile.secret);
		}
	});

	if (profile.cdn) {
		test('the video CDN never receives the Authorization header; the API always does', async () => {
			const runs = [viaUrl, ...(profile.variants ?? [])];
			for (const parameters of runs) expectNoError(await run(parameters));
			expect(downloads()).toHaveLength(runs.length);
			for (const download of downloads()) {
				expect(download.url).toMatch(/^\/videos\//);
				expect(download.authorization).toBeUndefined();
			}
			const apiRequests = box.sandbox.requestsTo(provider).filter((request) => request.route !== 'download');
			expect(apiRequests.length).toBeGreaterThanOrEqual(runs.length);
			for (const request of apiRequests) expect(request.authorization).toBe(`Bearer ${profile.apiKey}`);
		});
	}
});

test('every provider of the registry (scripts/providers.js) runs this suite: a new provider adds its profile here', () => {
	// The registry is plain CommonJS, shared with the scripts.
	const registry = require('../../scripts/providers.js') as { PROVIDERS: Array<{ key: string; sandbox: string }> };
	const missing = registry.PROVIDERS.filter((entry) => !PROFILES.some((profile) => profile.provider === entry.sandbox)).map((entry) => entry.key);
	expect(missing).toEqual([]);
	expect(registry.PROVIDERS.length).toBeGreaterThanOrEqual(5);
});
