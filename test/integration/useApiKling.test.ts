import { createServer, type IncomingHttpHeaders } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
import { USEAPI_KLING_CAPABILITIES } from '../../nodes/UseApiKling/capabilities';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { binaryBytes, credentialTestStatus } from '../helpers/n8n';
import { expectNoError, useProviderSandbox } from '../helpers/provider';
import { sha256, type SandboxJob } from '../helpers/sandbox';

// A token shaped like a real one (user:<n>-<secret>; the leak test, in conformance.test.ts, uses the same shape).
const API_KEY = 'user:4242-kL1nGs3cReTt0k3n';
const JOB_MS = 600;
const PROVIDER = 'useApiKling';

const provider = useProviderSandbox(PROVIDER, { apiKey: API_KEY, jobDurationMs: JOB_MS });
const credentialType = new UseApiApi();
const run = provider.runner(new UseApiKling(), credentialType, { model: 'kling-v2-5', prompt: 'a red fox in the snow' });

const jobs = () => provider.jobs() as Array<SandboxJob & { taskId: number; workId: number; account: string }>;
const { submits, polls } = provider;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Links one more Kling account to the sandbox's token, as POST /v1/kling/accounts does. */
async function linkAccount(email: string, maxJobs: number) {
	const response = await fetch(`${provider.sandbox.urls.useApiKling}/v1/kling/accounts`, {
		method: 'POST',
		headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({ email, password: 'pw', maxJobs }),
	});
	expect(response.status).toBe(201);
}

async function unlinkAccount(email: string) {
	await fetch(`${provider.sandbox.urls.useApiKling}/v1/kling/accounts/${encodeURIComponent(email)}`, { method: 'DELETE', headers: { authorization: `Bearer ${API_KEY}` } });
}

describe('Kling (useapi.net): generate', () => {
	test('returns the video with the bytes the CDN served, from the contract fields', async () => {
		const result = await run({ model: 'kling-v2-6', duration: 10, aspectRatio: '9:16', mode: 'pro', enableAudio: true });
		expectNoError(result);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		const [job] = jobs();
		expect(item.json).toMatchObject({
			jobId: String(job.taskId),
			status: 'completed',
			provider: PROVIDER,
			model: 'kling-v2-6',
			taskStatus: 'succeed',
			workId: String(job.workId),
			durationSeconds: 10.041,
			width: 1280,
			height: 720,
			watermark: true,
		});
		expect(item.json.videoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/videos\/.+\.mp4$/);
		expect(item.json.coverUrl).toMatch(/\.jpg$/);
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${job.taskId}.mp4`, fileExtension: 'mp4' });
		await provider.expectVideoOf(result);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(submits()[0].body).toEqual({
			prompt: 'a red fox in the snow',
			duration: '10',
			model_name: 'kling-v2-6',
			aspect_ratio: '9:16',
			mode: 'pro',
			enable_audio: true,
		});
		expect(polls()[0].url).toBe(`/useapi/v1/kling/tasks/${job.taskId}`);
	});

	test('1.x models send the negative prompt and CFG scale; the account email goes on every request', async () => {
		await linkAccount('second@example.com', 5);
		try {
			const result = await run({ model: 'kling-v1-6', negativePrompt: 'people, text', cfgScale: 0.7, email: 'second@example.com', maxJobs: 3, replyRef: 'order-7' });
			expectNoError(result);
			expect(submits()[0].body).toEqual({
				email: 'second@example.com',
				prompt: 'a red fox in the snow',
				negative_prompt: 'people, text',
				cfg_scale: 0.7,
				duration: '5',
				model_name: 'kling-v1-6',
				aspect_ratio: '16:9',
				mode: 'std',
				enable_audio: false,
				maxJobs: 3,
				replyRef: 'order-7',
			});
			expect(jobs()[0].account).toBe('second@example.com');
			for (const poll of polls()) expect(poll.url).toMatch(/\?email=second%40example\.com$/);
		} finally {
			await unlinkAccount('second@example.com');
		}
	});

	test('audio and mode follow the model: 3.0 sends audio on by default, 3.0 Turbo and 2.5 send neither', async () => {
		expectNoError(await run({ model: 'kling-v3-0', duration: 12 }));
		expectNoError(await run({ model: 'kling-v3-0-turbo', duration: 3 }));
		expectNoError(await run({ model: 'kling-v2-5', duration: 10 }));
		const [v3, turbo, v25] = submits().map((r) => r.body as IDataObject);
		expect(v3).toMatchObject({ model_name: 'kling-v3-0', duration: '12', mode: 'std', enable_audio: true });
		expect(turbo).toMatchObject({ model_name: 'kling-v3-0-turbo', duration: '3', mode: 'std' });
		expect(turbo).not.toHaveProperty('enable_audio');
		expect(v25).not.toHaveProperty('mode');
		expect(v25).not.toHaveProperty('negative_prompt');
		expect(v25).not.toHaveProperty('cfg_scale');
	});

	test('a model chosen by an expression gets no parameter it refuses', async () => {
		// n8n fills every model-dependent parameter with its default when the model is an expression.
		const result = await run({ model: '={{ "kling-v2-5" }}', prompt: 'x' });
		expectNoError(result);
		expect(submits()[0].body).toEqual({ prompt: 'x', duration: '5', model_name: 'kling-v2-5', aspect_ratio: '16:9', enable_audio: false });
	});

	test('Without Watermark fetches the clean master through /assets/download', async () => {
		const result = await run({ options: { noWatermark: true } });
		expectNoError(result);
		const [job] = jobs();
		const assets = provider.sandbox.requestsTo(PROVIDER, 'assets');
		expect(assets).toHaveLength(1);
		expect(assets[0].url).toBe(`/useapi/v1/kling/assets/download?workIds=${job.workId}&fileTypes=MP4`);
		expect(assets[0].authorization).toBe(`Bearer ${API_KEY}`);
		const [item] = result.items;
		expect(item.json).toMatchObject({ watermark: false, watermarkedUrl: expect.stringMatching(/\/videos\/.+\.mp4$/) });
		expect(item.json.videoUrl).toMatch(/\.mp4\?n=1$/);
		// The clean file's bytes, not the watermarked preview's.
		expect(sha256(await binaryBytes(item))).toBe(provider.sandbox.expectedVideo(job, 1).sha256);
		expect(sha256(await binaryBytes(item))).not.toBe(provider.sandbox.expectedVideo(job, 0).sha256);
	});

	test('status only under `task` and a string task id are read as well', async () => {
		const result = await run({ prompt: 'a fox [sandbox:shape=nested] [sandbox:id=string]' });
		expectNoError(result);
		expect(result.items[0].json).toMatchObject({ jobId: String(jobs()[0].taskId), status: 'completed', taskStatus: 'succeed' });
	});

	test('a Base URL given with /v1/kling means the same root', async () => {
		expectNoError(await run({}, { baseUrl: `${provider.sandbox.urls.useApiKling}/v1/kling/` }));
		expect(submits()[0].url).toBe('/useapi/v1/kling/videos/text2video');
	});
});

describe('Kling (useapi.net): account capacity', () => {
	test('429 "all accounts busy" on submit waits for a free slot: every item gets exactly one task', async () => {
		// maxJobs 1: the second item is refused until the first task ends (the sandbox sends Retry-After).
		const items = [{ p: 'first' }, { p: 'second' }];
		const result = await run({ prompt: '={{ $json.p }}', maxJobs: 1, options: { concurrency: 2 } }, { items });
		expectNoError(result);
		expect(result.items.map((i) => i.json.status)).toEqual(['completed', 'completed']);
		expect(jobs()).toHaveLength(2);
		const refused = submits().length - 2;
		expect(refused).toBeGreaterThanOrEqual(1);
		const [first, second] = jobs().sort((a, b) => a.createdAt - b.createdAt);
		expect(second.createdAt).toBeGreaterThanOrEqual(first.finishedAt);
	});
});

describe('Kling (useapi.net): submit and get', () => {
	test('get with Without Watermark returns the clean file of a finished task', async () => {
		const submitted = await run({ operation: 'submit' });
		const { jobId } = submitted.items[0].json as { jobId: string };
		await sleep(JOB_MS + 100);
		const result = await run({ operation: 'get', jobId, options: { noWatermark: true } });
		expectNoError(result);
		expect(result.items[0].json).toMatchObject({ status: 'completed', watermark: false });
		expect(sha256(await binaryBytes(result.items[0]))).toBe(provider.sandbox.expectedVideo(jobs()[0], 1).sha256);
	});

	test('get with an unknown id, or with another account\'s email, explains the 404', async () => {
		const unknown = await run({ operation: 'get', jobId: '123' });
		expect(unknown.error?.message).toBe('useapi.net has no such Kling task (HTTP 404)');
		expect(unknown.error?.description).toMatch(/^It was deleted, failed at moderation, or the Kling account ran out of credits/);
		const submitted = await run({ operation: 'submit' });
		const { jobId } = submitted.items[0].json as { jobId: string };
		await linkAccount('other@example.com', 2);
		try {
			const wrongAccount = await run({ operation: 'get', jobId, email: 'other@example.com' });
			expect(wrongAccount.error?.message).toMatch(/HTTP 404/);
			expect(polls().at(-1)?.url).toContain('email=other%40example.com');
		} finally {
			await unlinkAccount('other@example.com');
		}
	});
});

describe('Kling (useapi.net): retries', () => {
	test('a real 500 during a poll is retried; a 500 that is a moderation verdict is not', async () => {
		provider.sandbox.fault({ provider: PROVIDER, route: 'poll', status: 500, message: 'Internal Server Error', times: 1 });
		expectNoError(await run({}));
		provider.sandbox.reset();
		provider.sandbox.fault({ provider: PROVIDER, route: 'poll', status: 500, message: 'The content you uploaded appears to violate the community guidelines. (CM_EXT.POther)', times: 5 });
		const result = await run({});
		const [job] = jobs();
		expect(polls()).toHaveLength(1);
		expect(result.error?.message).toBe("The prompt was rejected by Kling's content moderation (HTTP 500)");
		// A moderation verdict is final: the job id, but no offer of Get.
		expect(result.error?.description).toContain(`Job ID: ${job.taskId}.`);
		expect(result.error?.description).not.toMatch(/Get operation/);
	});

	test('429 on submit without Retry-After waits about 10 s, as useapi.net\'s own client does', async () => {
		provider.sandbox.fault({ provider: PROVIDER, route: 'submit', status: 429, times: 1 });
		const result = await run({});
		expectNoError(result);
		const [refused, accepted] = submits();
		expect(accepted.at - refused.at).toBeGreaterThanOrEqual(9500);
		expect(jobs()).toHaveLength(1);
	}, 40_000);

	test('a real 500 on submit is a server error, not moderation, and is not retried', async () => {
		provider.sandbox.fault({ provider: PROVIDER, route: 'submit', status: 500, message: 'Internal Server Error', times: 1 });
		const result = await run({});
		expect(submits()).toHaveLength(1);
		expect(result.error?.message).toMatch(/server error \(HTTP 500\)/);
		expect(result.error?.message).not.toMatch(/moderation/);
	});
});

describe('Kling (useapi.net): failures explain themselves', () => {
	test('moderation at submit (HTTP 500) says so, once, and no task exists', async () => {
		const result = await run({ prompt: 'forbidden [sandbox:moderation]' });
		expect(submits()).toHaveLength(1);
		expect(jobs()).toHaveLength(0);
		expect(result.error?.message).toBe("The prompt was rejected by Kling's content moderation (HTTP 500)");
		expect(result.error?.description).toMatch(/^Rephrase the prompt: the same prompt would be refused again\. Kling \(useapi\.net\) said: "The content you uploaded appears to violate the community guidelines/);
		expect(result.error?.description?.split('community guidelines')).toHaveLength(2);
		expect(result.error?.httpCode).toBe('500');
	});

	test('a task that vanished (404 on poll) names the likely causes and the job id', async () => {
		const result = await run({ prompt: 'forbidden [sandbox:moderation=gone]' });
		const [job] = jobs();
		expect(result.error?.message).toBe('useapi.net has no such Kling task (HTTP 404)');
		expect(result.error?.description).toMatch(/failed at moderation/);
		expect(result.error?.description).toContain(`with ID ${job.taskId}`);
	});

	test('596: the linked account needs attention, and a poll is not retried for it', async () => {
		provider.sandbox.fault({ provider: PROVIDER, route: 'submit', status: 596, times: 1 });
		const onSubmit = await run({});
		expect(onSubmit.error?.message).toMatch(/linked Kling account needs attention \(HTTP 596\)/);
		expect(onSubmit.error?.description).toMatch(/add the account again/);
		provider.sandbox.reset();
		provider.sandbox.fault({ provider: PROVIDER, route: 'poll', status: 596, times: 5 });
		const onPoll = await run({});
		expect(polls()).toHaveLength(1);
		expect(onPoll.error?.description).toContain(`with ID ${jobs()[0].taskId}.`);
	});

	test('402: the useapi.net subscription is explained', async () => {
		provider.sandbox.fault({ provider: PROVIDER, route: 'submit', status: 402 });
		const result = await run({});
		expect(result.error?.message).toMatch(/subscription has expired or has no credits left/);
	});
});

describe('Kling (useapi.net): invalid input is refused before any request', () => {
	const table = USEAPI_KLING_CAPABILITIES;
	const cases: Array<[string, IDataObject, RegExp]> = [];
	for (const model of table.models) {
		const { duration, aspectRatio, mode } = model.fields;
		const valid: IDataObject = { model: model.value, duration: duration.default, aspectRatio: aspectRatio.default };
		if (mode) valid.mode = mode.default;
		const badDuration = [7, 16, 2].find((d) => !duration.values.includes(d))!;
		cases.push([`${model.value}: duration ${badDuration}`, { ...valid, duration: badDuration }, new RegExp(`^Invalid Duration \\(Seconds\\): ${badDuration} s is not available for ${model.name} \\| Allowed: `)]);
		cases.push([`${model.value}: aspect ratio 4:3`, { ...valid, aspectRatio: '4:3' }, new RegExp(`^Invalid Aspect Ratio: 4:3 is not available for ${model.name} \\| Allowed: 16:9, 9:16, 1:1`)]);
		if (mode) cases.push([`${model.value}: mode ultra`, { ...valid, mode: 'ultra' }, new RegExp(`^Invalid Mode: ultra is not available for ${model.name} \\| Allowed: Standard`)]);
	}
	cases.push(['4k mode on 3.0 Turbo', { model: 'kling-v3-0-turbo', duration: 5, mode: '4k' }, /^Invalid Mode: 4K is not available for Kling 3\.0 Turbo \| Allowed: /]);
	cases.push(['Kling 2.6 audio in Standard mode', { model: 'kling-v2-6', mode: 'std', enableAudio: true }, /^Invalid Enable Audio: Kling 2\.6 makes audio in Pro mode only \| Set Mode to Pro, or switch Enable Audio off\. Nothing was sent/]);
	cases.push(['empty prompt', { prompt: '   ' }, /^Prompt is empty: describe the video to generate \| Nothing was sent/]);
	cases.push(['prompt over 2500 characters', { prompt: 'x'.repeat(2501) }, /^Prompt is longer than 2500 characters \|/]);
	cases.push(['negative prompt over 2500 characters', { model: 'kling-v1-6', negativePrompt: 'x'.repeat(2501) }, /^Negative Prompt is longer than 2500/]);
	cases.push(['CFG scale above 1', { model: 'kling-v1-5', cfgScale: 1.5 }, /^CFG Scale must be 0 to 1/]);
	cases.push(['unknown model', { model: 'kling-v9' }, /^Invalid Model: "kling-v9" is not a model of this node \| Allowed: kling-v1-6, kling-v1-5/]);
	cases.push(['max jobs 51', { maxJobs: 51 }, /^Max Jobs must be 1 to 50/]);
	cases.push(['max jobs 2.5', { maxJobs: 2.5 }, /^Max Jobs must be a whole number/]);
	cases.push(['email that is no email', { email: 'kling-account' }, /^Kling Account Email is not an email address/]);
	cases.push(['reply URL that is no URL', { replyUrl: 'my webhook' }, /^Reply URL must be a full http\(s\) URL/]);
	cases.push(['reply URL of another scheme', { replyUrl: 'ftp://example.com/x' }, /^Reply URL must be an http\(s\) URL/]);
	cases.push(['concurrency -1', { options: { concurrency: -1 } }, /^Concurrency must be 0 \(automatic\) to 50/]);
	cases.push(['empty job id for get', { operation: 'get', jobId: ' ' }, /^Job ID is empty \| Give the ID that the Submit operation/]);
	cases.push(['bad email for get', { operation: 'get', jobId: '1', email: 'nobody' }, /^Kling Account Email is not an email address/]);

	test.each(cases)('%s', async (_name, parameters, message) => {
		// Expressions bypass the UI's option lists and ranges, as a saved or generated workflow can.
		const asExpressions = Object.fromEntries(
			Object.entries(parameters).map(([key, value]) => [key, typeof value === 'object' || key === 'operation' ? value : `={{ ${JSON.stringify(value)} }}`]),
		);
		const result = await run(asExpressions);
		// The title names the field as the editor shows it, never its internal name; the description says what helps.
		expect(`${result.error?.message} | ${result.error?.description}`).toMatch(message);
		expect(result.error?.message).not.toMatch(/\b(duration|aspectRatio|enableAudio|negativePrompt|cfgScale|maxJobs|replyUrl|jobId|kling-v\d-\d)\b/);
		expect(result.error?.description).toMatch(/Nothing was sent to the provider, so no credits were used\.$/);
		expect(provider.sandbox.requests).toHaveLength(0);
	});
});

interface Callback {
	headers: IncomingHttpHeaders;
	method?: string;
	body: IDataObject & { task?: IDataObject; works?: Array<{ resource?: { resource?: string } }> };
}

/** A local HTTP receiver standing in for n8n's Wait node webhook ($execution.resumeUrl). */
async function startReceiver(): Promise<{ url: string; calls: Callback[]; close: () => Promise<void> }> {
	const calls: Callback[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			calls.push({ headers: req.headers, method: req.method, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"Workflow was started"}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook-waiting/exec-42`,
		calls,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

async function waitFor(predicate: () => boolean, timeoutMs = 10_000) {
	const until = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > until) throw new Error('timed out waiting');
		await sleep(25);
	}
}

describe('Kling (useapi.net): replyUrl callbacks (the Wait-node mode)', () => {
	test('submit with a replyUrl: the task object arrives by POST, progress then final, and Get picks up the video', async () => {
		const receiver = await startReceiver();
		try {
			const submitted = await run({ operation: 'submit', replyUrl: receiver.url, replyRef: 'order-42' });
			expectNoError(submitted);
			const { jobId } = submitted.items[0].json as { jobId: string };
			expect(submits()[0].body).toMatchObject({ replyUrl: receiver.url, replyRef: 'order-42' });
			await waitFor(() => receiver.calls.some((c) => c.body.status_final === true));
			// No request of the node's own while it "slept": only the submit.
			expect(polls()).toHaveLength(0);
			// Progress first, the final call last.
			expect(receiver.calls.map((c) => c.body.status_final)).toEqual([false, true]);
			const [progress, final] = [receiver.calls.slice(0, -1), receiver.calls.at(-1)!];
			for (const call of progress) expect(call.body).toMatchObject({ status_final: false, status_name: 'processing' });
			for (const call of receiver.calls) {
				expect(call.method).toBe('POST');
				expect(call.headers['content-type']).toMatch(/application\/json/);
				expect(call.headers.authorization).toBeUndefined();
				expect(call.body.replyRef).toBe('order-42');
				expect(String(call.body.task?.id)).toBe(jobId);
			}
			expect(final.body).toMatchObject({ status: 99, status_name: 'succeed', status_final: true });
			expect(final.body.works?.[0]?.resource?.resource).toMatch(/\/videos\/.+\.mp4$/);

			// What the example workflow does after the Wait node: Get with the task id from the callback.
			const fetched = await run({ operation: 'get', jobId: String(final.body.task?.id) });
			expectNoError(fetched);
			expect(fetched.items[0].json).toMatchObject({ jobId, status: 'completed' });
			expect(sha256(await binaryBytes(fetched.items[0]))).toBe(provider.sandbox.expectedVideo(jobs()[0]).sha256);
			expect(polls()).toHaveLength(1);
		} finally {
			await receiver.close();
		}
	});

	test('a failed task calls back once it has failed, with the reason', async () => {
		const receiver = await startReceiver();
		try {
			await run({ operation: 'submit', prompt: 'doomed [sandbox:moderation=task]', replyUrl: receiver.url });
			await waitFor(() => receiver.calls.some((c) => c.body.status_final === true));
			expect(receiver.calls.at(-1)!.body).toMatchObject({ status: 50, status_name: 'failed', status_final: true, error: expect.stringMatching(/community guidelines/) });
		} finally {
			await receiver.close();
		}
	});
});

describe('Kling (useapi.net): credential test', () => {
	test('tells a good token from a wrong one, and a token without a linked Kling account', async () => {
		const creds = (apiKey: string, baseUrl = provider.sandbox.urls.useApiKling) => ({ apiKey, baseUrl });
		expect(await credentialTestStatus(credentialType, creds(API_KEY))).toBe(200);
		expect(await credentialTestStatus(credentialType, creds('user:4242-wrong'))).toBe(401);
		expect(await credentialTestStatus(credentialType, creds(API_KEY, `${provider.sandbox.urls.useApiKling}/v1/`))).toBe(200);
		await unlinkAccount('kling@example.com');
		try {
			expect(await credentialTestStatus(credentialType, creds(API_KEY))).toBe(404);
			expect(credentialType.test.rules?.[0]).toMatchObject({ type: 'responseCode', properties: { value: 404, message: expect.stringMatching(/no Kling account is linked/) } });
		} finally {
			await linkAccount('kling@example.com', 10);
		}
	});
});
