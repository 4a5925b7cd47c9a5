/**
 * Node version 2 (issue 26) run end to end against the sandbox, through n8n-core's real execute
 * context: version 2 parameters (the model locator, fields under Options) reach the provider through
 * the version 2 seam, and the output carries version 2's fields (providerName, fileSizeBytes, a
 * readable file name). Version 1 of the same node, with version 1 parameters, keeps version 1's output.
 */
import type { ICredentialType, IDataObject, INodeType } from 'n8n-workflow';
import { A4FApi } from '../../credentials/A4FApi.credentials';
import { AimlApiApi } from '../../credentials/AimlApiApi.credentials';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
import { VideoGenerationApi } from '../../credentials/VideoGenerationApi.credentials';
import { A4fV2 } from '../../nodes/A4F/A4f.node';
import { AimlApiV2 } from '../../nodes/AimlApi/AimlApi.node';
import { MagicHourV1, MagicHourV2 } from '../../nodes/MagicHour/MagicHour.node';
import { UseApiKlingV2 } from '../../nodes/UseApiKling/UseApiKling.node';
import { VideoGenerationV2 } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { binaryBytes, cleanupBinaryData, runNode, type RunNodeResult } from '../helpers/n8n';
import { SANDBOX_API_KEY, sha256, startSandbox, type Sandbox } from '../helpers/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: 300, apiKey: SANDBOX_API_KEY });
});
afterAll(async () => {
	await sandbox?.close();
	cleanupBinaryData();
});
beforeEach(() => sandbox.reset());

const locator = (value: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value });

async function run(nodeType: INodeType, credentialType: ICredentialType, provider: string, parameters: IDataObject): Promise<RunNodeResult> {
	return await runNode({
		nodeType,
		credentialType,
		credentials: { apiKey: SANDBOX_API_KEY, baseUrl: sandbox.urls[provider] },
		parameters: { resource: 'video', operation: 'generate', ...parameters, options: { pollInterval: 0.1, ...(parameters.options as IDataObject) } },
	});
}

function submitted(provider: string): Record<string, unknown> {
	const [request] = sandbox.requestsTo(provider, 'submit');
	expect(request).toBeDefined();
	return (request.body ?? {}) as Record<string, unknown>;
}

async function expectVideo(result: RunNodeResult, provider: string) {
	expect(result.error).toBeUndefined();
	const [item] = result.items;
	// A4F answers in one request: its job ID is the node's own, so its one sandbox job is the item's.
	const job = sandbox.findJob(provider, String(item.json.jobId)) ?? (provider === 'a4f' ? [...sandbox.jobs.values()][0] : undefined);
	expect(job).toBeDefined();
	expect(sha256(await binaryBytes(item))).toBe(sandbox.expectedVideo(job!).sha256);
	return item;
}

describe('Node version 2 against the sandbox', () => {
	test('Magic Hour: the model from the locator, File Name under Options, v2 output fields', async () => {
		const named = await run(new MagicHourV2(), new MagicHourApi(), 'magicHour', { model: locator('kling-2.5'), prompt: 'a red fox', options: { name: 'Fox teaser' } });
		const item = await expectVideo(named, 'magicHour');
		expect(submitted('magicHour')).toMatchObject({ model: 'kling-2.5', name: 'Fox teaser' });
		expect(item.json).toMatchObject({ provider: 'magicHour', providerName: 'Magic Hour', model: 'kling-2.5', fileName: 'Fox_teaser.mp4', mimeType: 'video/mp4' });
		expect(item.json.fileSizeBytes).toBe((await binaryBytes(item)).length);
		expect(item.json).not.toHaveProperty('fileSize');

		sandbox.reset();
		const unnamed = await expectVideo(await run(new MagicHourV2(), new MagicHourApi(), 'magicHour', { model: locator('kling-2.5'), prompt: 'a red fox' }), 'magicHour');
		expect(String(unnamed.json.fileName)).toMatch(/^magic-hour-kling-2\.5-[a-z0-9]{1,8}\.mp4$/);
	});

	test('Magic Hour version 1 keeps its output: fileSize, no providerName, the job ID as file name', async () => {
		const item = await expectVideo(await run(new MagicHourV1(), new MagicHourApi(), 'magicHour', { model: 'kling-2.5', prompt: 'a red fox' }), 'magicHour');
		expect(item.json).not.toHaveProperty('providerName');
		expect(item.json).not.toHaveProperty('fileSizeBytes');
		expect(item.json.fileSize).toBe((await binaryBytes(item)).length);
		expect(String(item.json.fileName)).toContain(String(item.json.jobId).replace(/[^\w.-]+/g, '_').slice(0, 20));
	});

	test('A4F: version 2 defaults (16:9, 720p) reach the request', async () => {
		const item = await expectVideo(await run(new A4fV2(), new A4FApi(), 'a4f', { model: locator('provider-2/kling-v2.1'), prompt: 'a red fox' }), 'a4f');
		expect(JSON.stringify(submitted('a4f'))).toMatch(/16:9/);
		expect(JSON.stringify(submitted('a4f'))).toMatch(/720p/);
		expect(item.json).toMatchObject({ providerName: 'A4F', model: 'provider-2/kling-v2.1' });
	});

	test('AI/ML API: a typed model ID (By ID) and Seed under Options; the file name is readable, not the job ID', async () => {
		const typed = 'kling-video/v1.6/standard/text-to-video';
		const item = await expectVideo(await run(new AimlApiV2(), new AimlApiApi(), 'aimlApi', { model: locator(typed, 'id'), prompt: 'a paper boat' }), 'aimlApi');
		expect(submitted('aimlApi')).toMatchObject({ model: typed });
		expect(item.json).toMatchObject({ providerName: 'AI/ML API', model: typed });
		expect(String(item.json.fileName)).toMatch(/^ai-ml-api-kling-video-v1.6-standard-text-to-video-[a-z0-9]{1,8}\.mp4$/);
		// AI/ML API reports the file's size itself: version 2 has it once, with its unit.
		expect(item.json).not.toHaveProperty('fileSize');
		expect(item.json.fileSizeBytes).toBe((await binaryBytes(item)).length);

		sandbox.reset();
		await expectVideo(await run(new AimlApiV2(), new AimlApiApi(), 'aimlApi', { model: locator('pixverse/v5/text-to-video'), prompt: 'a paper boat', options: { seed: 42 } }), 'aimlApi');
		expect(submitted('aimlApi')).toMatchObject({ model: 'pixverse/v5/text-to-video', seed: 42 });
	});

	test('Kling: Max Jobs under Options reaches the request; the default model is Kling 2.6', async () => {
		const item = await expectVideo(await run(new UseApiKlingV2(), new UseApiApi(), 'useApiKling', { prompt: 'a red fox', options: { maxJobs: 3 } }), 'useApiKling');
		expect(submitted('useApiKling')).toMatchObject({ model_name: 'kling-v2-6', maxJobs: 3 });
		expect(item.json).toMatchObject({ providerName: 'Kling (useapi.net)' });
	});

	test('a version 2 error names the field by its version 2 place, before anything is paid', async () => {
		const result = await run(new UseApiKlingV2(), new UseApiApi(), 'useApiKling', { prompt: 'a red fox', options: { maxJobs: 99 } });
		// The title names the field as version 2 shows it (under Options), and nothing is paid.
		expect(result.error?.message).toMatch(/^(Invalid Options > )?Max Jobs must be 1 to 50/);
		expect(sandbox.requestsTo('useApiKling', 'submit')).toHaveLength(0);
	});

	test('Video Generation API: Duration under Options is sent; not set, none is sent', async () => {
		await expectVideo(
			await run(new VideoGenerationV2(), new VideoGenerationApi(), 'videoGeneration', { apiStyle: 'videoGenerations', model: locator('kling-v2-5-turbo', 'id'), prompt: 'a red fox', options: { duration: 8 } }),
			'videoGeneration',
		);
		expect(JSON.stringify(submitted('videoGeneration'))).toMatch(/"(duration|seconds)":"?8"?/);
		sandbox.reset();
		await expectVideo(
			await run(new VideoGenerationV2(), new VideoGenerationApi(), 'videoGeneration', { apiStyle: 'videoGenerations', model: locator('kling-v2-5-turbo', 'id'), prompt: 'a red fox' }),
			'videoGeneration',
		);
		expect(JSON.stringify(submitted('videoGeneration'))).not.toMatch(/"(duration|seconds)"/);
	});
});
