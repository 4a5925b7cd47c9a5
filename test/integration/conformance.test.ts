/**
 * The engine's behaviour, as every provider shows it through the sandbox: one profile per provider
 * (and per API style), the same cases for each. Each profile lives in its provider's folder
 * (nodes/<Provider>/conformance.ts, loaded for every provider of providers.json: a provider without one
 * fails here, named). A provider's own file keeps only what is its own: its request fields, its answer
 * variants, its words for an error the engine does not word.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { conformanceProfiles } from '../helpers/conformance';
import { binaryBytes } from '../helpers/n8n';
import { expectContinueOnFail, expectNoError, useProviderSandbox, visibleText } from '../helpers/provider';
import { sha256, type SandboxJob } from '../helpers/sandbox';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const PROFILES = conformanceProfiles();
/** Output fields the public names promise (contract/public-names.v1.json); a provider not yet listed there owes what all listed ones give. */
const PUBLIC_NAMES = require('../../contract/public-names.v1.json') as { nodes: Record<string, { output: string[] }> };
const outputOf = (key: string) => PUBLIC_NAMES.nodes[key]?.output ?? [...new Set(Object.values(PUBLIC_NAMES.nodes).flatMap((node) => node.output))];

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

	/** An error as n8n shows it: the title, then the description. */
	const shown = (error: { message?: string; description?: string | null } | undefined) => `${error?.message} | ${error?.description ?? ''}`;
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
		for (const field of outputOf(profile.entry.key)) expect({ field, present: field in item.json }).toEqual({ field, present: true });
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
		expect(shown(result.error)).toMatch(profile.serverError);
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
		expect(shown(result.error)).toMatch(failedMessage(jobId));
		expect(shown(result.error)).toContain(profile.failureReason);
		expect(result.error?.context?.jobId).toBe(jobId);
		// Get would only report the failed job again: it is not offered.
		expect(result.error?.description).not.toMatch(/Get operation/);
		expect(submits()).toHaveLength(1);
	});

	test('a moderated prompt says so in plain words, with the job id', async () => {
		const result = await run({ prompt: profile.moderated.prompt ?? 'forbidden [sandbox:moderation]' });
		expect(shown(result.error)).toMatch(profile.moderated.message);
		expect(result.error?.description).not.toMatch(/Get operation/);
		if (!synchronous) {
			const [job] = jobs();
			expect(result.error?.description).toContain(`Job ID: ${job.id}.`);
			expect(result.error?.context?.jobId).toBe(job.id);
		}
	});

	test('Continue On Fail: the failing item carries its job id, the others arrive with their videos, each paired', async () => {
		const result = await expectContinueOnFail(run, profile.jobId, {}, { failedStatus: profile.failedItemStatus });
		await expectVideo(result.items[0], 'one');
		await expectVideo(result.items[2], 'three');
		expect(result.items[1].binary).toBeUndefined();
		// The item's error is the message the run would have stopped with.
		expect(`${String(result.items[1].json.error).replace(/ \(item 2\)$/, '')} | ${result.items[1].json.errorDescription}`).toMatch(failedMessage(String(result.items[1].json.jobId)));
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
		expect(result.error?.message).toBe(`The ${label} job did not finish within Max Wait (0.5 s)`);
		// Still running: Get can pick it up, so it is offered, with the id.
		expect(result.error?.description).toMatch(/^Its last status was queued, .* Run this node with the Get operation and this Job ID/);
		expect(result.error?.description).toContain(`with ID ${job.id}.`);
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
		expect(shown(outputs[0].error)).toMatch(profile.echoed);
		expectNoError(outputs[1]);
		expect(shown(outputs.at(synchronous ? -1 : -2)?.error)).toMatch(profile.unauthorized);
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
