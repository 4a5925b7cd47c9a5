/**
 * The download step's cases (nodes/shared/transport/download.ts) against a CDN that misbehaves as real
 * ones do (`[sandbox:cdn=…]`, sandbox/directives.js), for every provider that downloads: each fault is
 * either cured (a fresh attempt, a fresh link) or fails the item with its job id and what came back,
 * and never with a second submit. Two test files run them, half the providers each, so that jest's
 * workers share the suite's minutes (downloads.test.ts, downloads.gateways.test.ts).
 */
import type { ICredentialType, IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import { A4FApi } from '../../credentials/A4FApi.credentials';
import { AimlApiApi } from '../../credentials/AimlApiApi.credentials';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
import { VideoGenerationApi } from '../../credentials/VideoGenerationApi.credentials';
import { A4fV1 as A4f } from '../../nodes/A4F/A4f.node';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { VideoGenerationV1 as VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { binaryBytes } from '../helpers/n8n';
import { expectNoError, useProviderSandbox } from '../helpers/provider';
import { sha256, type SandboxJob } from '../helpers/sandbox';
import { withShortDownloadPauses } from '../helpers/timing';

export interface Profile {
	name: string;
	provider: string;
	node: INodeType;
	credential: ICredentialType;
	defaults: IDataObject;
	/** Appended to the prompt so that the answer is a link to download (A4F's URL variant). */
	suffix?: string;
	/** One request is the job: no status to ask for a fresh link. */
	synchronous?: boolean;
	/** The video comes from the API's own origin (a gateway's /content route), not a CDN. */
	apiOrigin?: boolean;
}

const gateway = (apiStyle: string, name: string, apiOrigin: boolean): Profile => ({
	name,
	provider: 'videoGeneration',
	node: new VideoGeneration(),
	credential: new VideoGenerationApi(),
	defaults: { apiStyle, model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' } },
	apiOrigin,
});

export const PROFILES: Profile[] = [
	{ name: 'Magic Hour', provider: 'magicHour', node: new MagicHour(), credential: new MagicHourApi(), defaults: { model: 'kling-2.5' } },
	{ name: 'AI/ML API', provider: 'aimlApi', node: new AimlApi(), credential: new AimlApiApi(), defaults: {} },
	{ name: 'Kling (useapi.net)', provider: 'useApiKling', node: new UseApiKling(), credential: new UseApiApi(), defaults: { model: 'kling-v2-5' } },
	gateway('videoGenerations', 'Video Generation API, Task API (CDN)', false),
	gateway('videos', 'Video Generation API, Videos API (/content)', true),
	{ name: 'A4F, URL answer', provider: 'a4f', node: new A4f(), credential: new A4FApi(), defaults: {}, suffix: ' [sandbox:answer=url]', synchronous: true },
];

/** Which test file runs which profiles (each half of the suite's minutes): every profile exactly once. */
export const SPLIT = {
	jobs: ['Magic Hour', 'AI/ML API', 'Kling (useapi.net)'],
	gateways: ['Video Generation API, Task API (CDN)', 'Video Generation API, Videos API (/content)', 'A4F, URL answer'],
};

export const profilesOf = (part: keyof typeof SPLIT): Profile[] => PROFILES.filter((profile) => SPLIT[part].includes(profile.name));

const BILLING = /plan|credit|billing|top up|upgrade/i;

/** Every download case, for each of `profiles`. */
export function downloadSuite(profiles: Profile[]): void {
	describe.each(profiles.map((profile) => [profile.name, profile] as const))('downloads: %s', (_name, profile) => {
		const { provider, synchronous } = profile;
		const box = useProviderSandbox(provider, { apiKey: 'dl-tEsT5ecReT-0123456789', jobDurationMs: 300 });
		const { jobs, submits, polls, downloads } = box;
		const run = box.runner(profile.node, profile.credential, profile.defaults);
		const prompt = (directive: string) => `a red fox in the snow ${directive}${profile.suffix ?? ''}`;

		async function expectServedVideo(item: INodeExecutionData) {
			const [job] = jobs();
			expect(sha256(await binaryBytes(item))).toBe(box.sandbox.expectedVideo(job as SandboxJob).sha256);
			expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileExtension: 'mp4' });
		}
		const jobIdOf = (error: { context?: { jobId?: unknown } } | undefined) => String(error?.context?.jobId ?? jobs()[0]?.id);

		test('a connection that breaks off half-way once: tried again after a pause, the exact video, one submit', async () => {
			const result = await run({ prompt: prompt('[sandbox:cdn=cut*1]') });
			expectNoError(result);
			await expectServedVideo(result.items[0]);
			const times = downloads().map((request) => request.at);
			expect(times).toHaveLength(2);
			expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
			expect(submits()).toHaveLength(1);
		});

		test('a connection that breaks off every time: 4 requests with pauses, then the job id and download words', async () => {
			const result = await run({ prompt: prompt('[sandbox:cdn=cut]') });
			const jobId = jobIdOf(result.error);
			expect(result.error?.message).toMatch(new RegExp(`^Downloading the video of job ${jobId} failed: .* \\(4 requests\\)`));
			expect(result.error?.message).not.toMatch(BILLING);
			const times = downloads().map((request) => request.at);
			expect(times).toHaveLength(4);
			// Pauses of 1, 2 and 4 s between the attempts.
			expect(times[3] - times[0]).toBeGreaterThanOrEqual(6900);
			expect(submits()).toHaveLength(1);
		});

		test('a body shorter than its Content-Length is not stored: fetched again', withShortDownloadPauses(async () => {
			const result = await run({ prompt: prompt('[sandbox:cdn=short*1]') });
			expectNoError(result);
			await expectServedVideo(result.items[0]);
			expect(downloads()).toHaveLength(2);
			expect(submits()).toHaveLength(1);
		}));

		test('an HTML page with 200 once: not stored, fetched again, the exact video', withShortDownloadPauses(async () => {
			const result = await run({ prompt: prompt('[sandbox:cdn=html*1]') });
			expectNoError(result);
			await expectServedVideo(result.items[0]);
			expect(downloads()).toHaveLength(2);
			expect(submits()).toHaveLength(1);
		}));

		test('an HTML page every time: the item fails with the job id and what came back; Continue On Fail says status failed', withShortDownloadPauses(async () => {
			const result = await run({ prompt: prompt('[sandbox:cdn=html]') }, { continueOnFail: true });
			expectNoError(result);
			const [item] = result.items;
			expect(item.binary).toBeUndefined();
			const jobId = String(item.json.jobId);
			expect(jobId).not.toBe('undefined');
			expect(item.json).toMatchObject({ status: 'failed', jobStatus: 'completed' });
			expect(item.json.error).toMatch(new RegExp(`^Downloading the video of job ${jobId} failed: the link answered with something that is not a video \\(type text/html, \\d+ bytes, starting "<!DOCTYPE html><html><head><title>503 Service Unavailable`));
			expect(item.json.error).toContain('(4 requests)');
			// A completed job whose download failed: Get can still bring the video, so it is offered (in the description).
			if (!synchronous) expect(item.json.errorDescription).toContain(`with ID ${jobId}. Run this node with the Get operation and this Job ID`);
			else expect(item.json.errorDescription).not.toMatch(/Get operation/);
			expect(downloads()).toHaveLength(4);
			expect(submits()).toHaveLength(1);
		}));

		test('an error page labelled video/mp4 is caught by its first bytes', withShortDownloadPauses(async () => {
			const result = await run({ prompt: prompt('[sandbox:cdn=fakemp4]') });
			expect(result.error?.message).toMatch(/not a video \(type video\/mp4, \d+ bytes, starting "<!DOCTYPE html>/);
			expect(result.error?.context?.jobId).toBe(jobIdOf(result.error));
			expect(downloads()).toHaveLength(4);
			expect(submits()).toHaveLength(1);
		}));

		if (!synchronous && !profile.apiOrigin) {
			test('403 on an expired link: the status is asked again (free) and the fresh link gives the exact video', async () => {
				const pollsBefore = () => polls().length;
				const result = await run({ prompt: prompt('[sandbox:cdn=403]') });
				expectNoError(result);
				await expectServedVideo(result.items[0]);
				const [refused, fresh] = downloads();
				expect(downloads()).toHaveLength(2);
				expect(new URL(fresh.url, 'http://x').searchParams.get('sig')).not.toBe(new URL(refused.url, 'http://x').searchParams.get('sig'));
				// The item reports the link the video came from.
				expect(String(result.items[0].json.videoUrl)).toContain(fresh.url);
				// A status check between the refusal and the fresh link.
				expect(polls().some((poll) => poll.at > refused.at && poll.at < fresh.at)).toBe(true);
				expect(pollsBefore()).toBeGreaterThan(0);
				expect(submits()).toHaveLength(1);
			});

			test('a link refused even after a fresh one: fails in download words, never about plans or credits', async () => {
				const result = await run({ prompt: prompt('[sandbox:cdn=gone]') });
				const jobId = jobs()[0].id;
				expect(result.error?.message).toBe(`Downloading the video of job ${jobId} failed: The video link was refused (HTTP 403) (2 requests, one after asking for a fresh link)`);
				// The host's words once, then the offer of Get (the job is complete: Get brings a fresh link).
				expect(result.error?.description).toMatch(
				new RegExp(
					`^The video host said: "<\\?xml version="1\\.0" encoding="UTF-8"\\?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>" The job was submitted to .* with ID ${jobId}\\. Run this node with the Get operation and this Job ID to pick it up without paying again\\.$`,
				),
				);
				expect(result.error?.description?.split('AccessDenied')).toHaveLength(2);
				expect(result.error?.message).not.toMatch(BILLING);
				expect(result.error?.description ?? '').not.toMatch(BILLING);
				expect(result.error?.context?.jobId).toBe(jobId);
				expect(downloads()).toHaveLength(2);
				expect(submits()).toHaveLength(1);
			});
		} else {
			test('403 where no fresh link can be had: fails at once in download words, one request', async () => {
				const result = await run({ prompt: prompt('[sandbox:cdn=gone]') });
				const jobId = jobIdOf(result.error);
				expect(result.error?.message).toMatch(new RegExp(`^Downloading the video of job ${jobId} failed: The video link was refused \\(HTTP 403\\)`));
				expect(result.error?.message).not.toMatch(BILLING);
				expect(downloads()).toHaveLength(1);
				expect(submits()).toHaveLength(1);
			});
		}

		test('a stall once (headers and 16 KB, then nothing) is ended after Download Stall Timeout and tried again', async () => {
			const started = Date.now();
			const result = await run({ prompt: prompt('[sandbox:cdn=stall*1]'), options: { stallTimeout: 1 } });
			expectNoError(result);
			await expectServedVideo(result.items[0]);
			const [stalled, retried] = downloads();
			// 1 s without bytes, then the 1 s pause.
			expect(retried.at - stalled.at).toBeGreaterThanOrEqual(1900);
			expect(retried.at - stalled.at).toBeLessThan(4000);
			expect(Date.now() - started).toBeLessThan(10_000);
			expect(submits()).toHaveLength(1);
		});

		test('a stall every time ends within Download Timeout, naming the job', async () => {
			const started = Date.now();
			const result = await run({ prompt: prompt('[sandbox:cdn=stall]'), options: { stallTimeout: 1, downloadTimeout: 4 } });
			const elapsed = Date.now() - started;
			const jobId = jobIdOf(result.error);
			expect(result.error?.message).toMatch(new RegExp(`^Downloading the video of job ${jobId} failed: the video host sent nothing for 1(\\.\\d)? s \\(Download Stall Timeout\\) \\(2 requests\\)`));
			expect(downloads()).toHaveLength(2);
			// Two 1 s stalls and a 1 s pause; the next pause (2 s) would pass Download Timeout.
			expect(elapsed - jobs()[0].durationMs).toBeLessThan(6000);
			expect(submits()).toHaveLength(1);
		});

		test('an endless body fails at Max Download Size, before the store takes more', async () => {
			const result = await run({ prompt: prompt('[sandbox:cdn=endless]'), options: { maxDownloadSize: 2 } });
			const jobId = jobIdOf(result.error);
			expect(result.error?.message).toMatch(new RegExp(`^Downloading the video of job ${jobId} failed: the video is larger than 2 MB, over Max Download Size \\(2 MB\\)`));
			expect(downloads()).toHaveLength(1);
			expect(submits()).toHaveLength(1);
		});

		test('a video over Max Download Size by its Content-Length fails before a byte is stored', async () => {
			const result = await run({ prompt: prompt('[sandbox:size=3MB]'), options: { maxDownloadSize: 1 } });
			expect(result.error?.message).toMatch(/the video is 2\.9 MB, over Max Download Size \(1 MB\)/);
			expect(downloads()).toHaveLength(1);
		});
	});
}

/** A4F's base64 answer: the one request is the job, and a bad answer is not asked for again. */
export function a4fBase64Suite(): void {
	describe('downloads: A4F base64 answer', () => {
		const box = useProviderSandbox('a4f', { apiKey: 'dl-tEsT5ecReT-0123456789', jobDurationMs: 300 });
		const run = box.runner(new A4f(), new A4FApi(), {});

		test('base64 that is not a video fails with what came back, and the paid request is not repeated', async () => {
			const result = await run({ prompt: 'a fox [sandbox:answer=html]' }, { continueOnFail: true });
			expectNoError(result);
			const [item] = result.items;
			expect(item.binary).toBeUndefined();
			expect(item.json).toMatchObject({ status: 'failed', jobStatus: 'completed' });
			expect(item.json.error).toMatch(
				new RegExp(`^The video of job ${item.json.jobId} cannot be stored: the answer holds something that is not a video \\(type video/mp4, at least \\d+ bytes, starting "<html><body><h1>502 Bad Gateway`),
			);
			expect(box.sandbox.requests).toHaveLength(1);
		});

		test('a decoded answer over Max Download Size fails, the paid request not repeated', async () => {
			const result = await run({ prompt: 'a fox [sandbox:size=3MB]', options: { maxDownloadSize: 1 } });
			expect(result.error?.message).toMatch(/cannot be stored: the video is larger than 1 MB, over Max Download Size \(1 MB\)/);
			expect(box.sandbox.requests).toHaveLength(1);
		});
	});
}
