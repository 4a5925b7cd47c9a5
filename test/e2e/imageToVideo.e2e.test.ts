/**
 * Image to video inside real n8n (each pinned version), the package loaded from dist/ as an installed
 * community package, talking to the sandbox over HTTP. One workflow, run once with `n8n execute`:
 *
 *   Start → Read Image (Read/Write Files reads ~/.n8n-files/still.png, kept by n8n's filesystem binary mode)
 *             → Magic Hour (From Binary Field: upload-urls, PUT, image-to-video) → Write Magic Hour
 *             → Kling (From Binary Field: assets upload, image2video-frames)   → Write Kling
 *             → AI/ML API (Kling 2.5 Turbo, From Binary Field: a data URI)      → Write AI/ML API
 *             → Video Generation API (From Binary Field: a data URI streamed into the JSON body) → Write Video Generation
 *   Start → Code Image (a Code node making the binary itself, kept in the item)
 *             → Magic Hour (code image) → Write Code Image
 *   Start → AI/ML API (PixVerse V5 image to video, From URL)                    → Write AI/ML URL
 *
 * Each branch's video is written by n8n's Read/Write Files node and compared with what the sandbox
 * served; each provider's record of the image it received is compared with the file (sha256).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pngImage } from '../helpers/image';
import { startSandbox, SANDBOX_API_KEY, type Sandbox, type SandboxJob, type SandboxRequest } from '../helpers/sandbox';
import { BUILTIN, credentialsFor, describeEachN8n, N8nInstance, sha256File, writeFileNode, type ExecutionResult, type Item, type WorkflowSpec } from './harness';

const STILL = pngImage(320, 320, 7);
const CODE_IMAGE = pngImage(320, 180, 8);
const IMAGE_URL = 'https://raw.githubusercontent.com/aimlapi/api-docs/main/reference-files/mona_lisa_extended.jpg';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const CREDENTIALS: Record<string, Record<string, { id: string; name: string }>> = {
	magicHour: { magicHourApi: { id: 'magicHourSandbox', name: 'Magic Hour (sandbox)' } },
	useApiKling: { useApiApi: { id: 'useApiSandbox', name: 'useapi.net (sandbox)' } },
	aimlApi: { aimlApiApi: { id: 'aimlApiSandbox', name: 'AI/ML API (sandbox)' } },
	videoGeneration: { videoGenerationApi: { id: 'videoGenerationSandbox', name: 'Video Generation API (sandbox)' } },
};

function ours(name: string, node: string, parameters: Record<string, unknown>, x: number, y: number) {
	return {
		id: name.replace(/\W+/g, '-').toLowerCase(),
		name,
		type: `n8n-nodes-text-to-video.${node}`,
		typeVersion: 1,
		position: [x, y],
		parameters: { operation: 'generate', prompt: 'the subject turns towards the camera', ...parameters, options: { pollInterval: 0.2 } },
		credentials: CREDENTIALS[node],
	};
}

function workflow(stillPath: string): WorkflowSpec {
	const write = (name: string, x: number, y: number) => ({ ...writeFileNode(name, '{{ $json.fileName }}'), position: [x, y] });
	const nodes = [
		{ id: 'start', name: 'Start', ...BUILTIN.manualTrigger, position: [0, 300], parameters: {} },
		{ id: 'read', name: 'Read Image', ...BUILTIN.readWriteFile, position: [220, 0], parameters: { operation: 'read', fileSelector: stillPath, options: {} } },
		ours('Magic Hour', 'magicHour', { model: 'kling-2.5', imageSource: 'binary', imageBinaryProperty: 'data', duration: 5, resolution: '720p' }, 440, 0),
		write('Write Magic Hour', 660, 0),
		ours('Kling', 'useApiKling', { model: 'kling-v2-5', imageSource: 'binary', duration: 5 }, 440, 150),
		write('Write Kling', 660, 150),
		ours('AI/ML API', 'aimlApi', { imageSource: 'binary', model: 'klingai/v2.5-turbo/pro/image-to-video', duration: 5 }, 440, 300),
		write('Write AI/ML API', 660, 300),
		ours('Video Generation', 'videoGeneration', { imageSource: 'binary', model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' } }, 440, 375),
		write('Write Video Generation', 660, 375),
		{
			id: 'code-image',
			name: 'Code Image',
			...BUILTIN.code,
			position: [220, 450],
			parameters: {
				jsCode: `return [{ json: {}, binary: { data: { data: ${JSON.stringify(CODE_IMAGE.toString('base64'))}, mimeType: 'image/png', fileName: 'code.png', fileExtension: 'png' } } }];`,
			},
		},
		ours('Magic Hour (code image)', 'magicHour', { model: 'seedance', imageSource: 'binary', duration: 4, resolution: '480p' }, 440, 450),
		write('Write Code Image', 660, 450),
		ours('AI/ML API (URL)', 'aimlApi', { imageSource: 'url', model: 'pixverse/v5/image-to-video', imageUrl: IMAGE_URL, duration: 5, resolution: '720p' }, 440, 600),
		write('Write AI/ML URL', 660, 600),
	];
	const links: Array<[string, string]> = [
		['Start', 'Read Image'],
		['Read Image', 'Magic Hour'],
		['Magic Hour', 'Write Magic Hour'],
		['Read Image', 'Kling'],
		['Kling', 'Write Kling'],
		['Read Image', 'AI/ML API'],
		['AI/ML API', 'Write AI/ML API'],
		['Read Image', 'Video Generation'],
		['Video Generation', 'Write Video Generation'],
		['Start', 'Code Image'],
		['Code Image', 'Magic Hour (code image)'],
		['Magic Hour (code image)', 'Write Code Image'],
		['Start', 'AI/ML API (URL)'],
		['AI/ML API (URL)', 'Write AI/ML URL'],
	];
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	for (const [from, to] of links) {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	}
	return { id: 'e2eImageToVideo', name: 'e2e: image to video', nodes, connections };
}

describeEachN8n('Image to video in real n8n', (version, install) => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let result: ExecutionResult;

	beforeAll(async () => {
		sandbox = await startSandbox({ jobDurationMs: 600 });
		n8n = await N8nInstance.create(install);
		const stillPath = n8n.file('still.png');
		fs.writeFileSync(stillPath, STILL);
		await n8n.importCredentials(credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY }));
		await n8n.importWorkflows([workflow(stillPath)]);
		const startedAt = Date.now();
		result = await n8n.execute('e2eImageToVideo');
		console.info(`[e2e] n8n ${version}, image to video: \`n8n execute\` (${result.executedNodes.length} nodes) took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
	}, 5 * 60_000);

	afterAll(async () => {
		await sandbox?.close();
		n8n?.dispose();
	});

	const jobs = (provider: string) => [...sandbox.jobs.values()].filter((job) => (job as SandboxJob & { provider: string }).provider === provider) as Array<SandboxJob & { images: any }>;
	const jobOf = (item: Item) => {
		const job = [...sandbox.jobs.values()].find((j) => j.id === item.json.jobId) as (SandboxJob & { images: any }) | undefined;
		if (!job) throw new Error(`the sandbox has no job ${item.json.jobId}\n${result.describe()}`);
		return job;
	};
	const received = (provider: string, route: string) => sandbox.requestsTo(provider, route) as Array<SandboxRequest & { image?: any; images?: any[] }>;

	function expectSucceeded() {
		if (result.status !== 'success') throw new Error(`the workflow did not succeed on n8n ${version}: ${result.describe()}`);
	}

	/** One video from `node`, written by `writer` with the bytes the sandbox served for its job. */
	async function expectVideo(node: string, writer: string, provider: string): Promise<Item> {
		expectSucceeded();
		const [item, ...more] = result.items(node);
		expect(more).toHaveLength(0);
		expect(item.json).toMatchObject({ status: 'completed', provider });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileExtension: 'mp4' });
		const [written] = result.items(writer);
		const file = path.resolve(n8n.userFolder, written.json.fileName);
		expect(file.startsWith(n8n.filesDir + path.sep)).toBe(true);
		const expected = sandbox.expectedVideo(jobOf(item));
		expect(fs.statSync(file).size).toBe(expected.size);
		expect(await sha256File(file)).toBe(expected.sha256);
		return item;
	}

	test('Read/Write Files reads the PNG into binary data kept on disk by n8n', () => {
		expectSucceeded();
		const [image] = result.items('Read Image');
		expect(image.binary?.data).toMatchObject({ mimeType: 'image/png', fileName: 'still.png' });
		expect(image.binary?.data.id).toMatch(/^filesystem/);
	});

	test('Magic Hour: the image is uploaded unchanged to the presigned URL (no key), then animated', async () => {
		const item = await expectVideo('Magic Hour', 'Write Magic Hour', 'magicHour');
		const upload = received('magicHour', 'upload').find((r) => r.image.sha256 === sha256(STILL));
		expect(upload).toBeDefined();
		expect(upload?.authorization).toBeUndefined();
		expect(upload?.image).toMatchObject({ size: STILL.length, contentLength: String(STILL.length) });
		const job = jobOf(item);
		expect(job.request).toMatchObject({ model: 'kling-2.5', assets: { image_file_path: upload?.image.filePath } });
		expect(job.request).not.toHaveProperty('aspect_ratio');
		expect(job.images.image.sha256).toBe(sha256(STILL));
	});

	test('Magic Hour: an image a Code node made (kept in the item) arrives unchanged too', async () => {
		const item = await expectVideo('Magic Hour (code image)', 'Write Code Image', 'magicHour');
		expect(jobOf(item).images.image).toMatchObject({ sha256: sha256(CODE_IMAGE), size: CODE_IMAGE.length });
		// Two projects, two uploads: one per image.
		expect(jobs('magicHour')).toHaveLength(2);
		expect(received('magicHour', 'upload')).toHaveLength(2);
	});

	test('Kling (useapi.net): the image is uploaded unchanged to the assets (image/png), then animated from its URL', async () => {
		const item = await expectVideo('Kling', 'Write Kling', 'useApiKling');
		const [upload, ...more] = received('useApiKling', 'upload');
		expect(more).toHaveLength(0);
		expect(upload.image).toMatchObject({ sha256: sha256(STILL), size: STILL.length, contentType: 'image/png' });
		expect(upload.authorization).toBe(`Bearer ${SANDBOX_API_KEY}`);
		const job = jobOf(item);
		expect(job.images.image).toMatchObject({ sha256: sha256(STILL), url: job.request.image });
		expect(received('useApiKling', 'submit')[0].url).toContain('/v1/kling/videos/image2video-frames');
	});

	test('AI/ML API: Kling 2.5 Turbo gets the image as a data URI whose bytes are the file', async () => {
		const item = await expectVideo('AI/ML API', 'Write AI/ML API', 'aimlApi');
		expect(jobOf(item).images).toEqual([{ field: 'image_url', kind: 'base64', mimeType: 'image/png', sha256: sha256(STILL), size: STILL.length }]);
	});

	test('Video Generation API: the stored image reaches the gateway as a data URI whose bytes are the file', async () => {
		await expectVideo('Video Generation', 'Write Video Generation', 'videoGeneration');
		const [submit, ...more] = received('videoGeneration', 'submit');
		expect(more).toHaveLength(0);
		expect((submit.body as Record<string, unknown>).image).toBe(`data:image/png;base64,${STILL.toString('base64')}`);
	});

	test('AI/ML API: PixVerse V5 image to video gets the image URL as given', async () => {
		const item = await expectVideo('AI/ML API (URL)', 'Write AI/ML URL', 'aimlApi');
		const job = jobOf(item);
		expect(job.images).toEqual([{ field: 'image_url', kind: 'url', url: IMAGE_URL }]);
		expect(job.request).toMatchObject({ model: 'pixverse/v5/image-to-video', image_url: IMAGE_URL });
		expect(job.request).not.toHaveProperty('aspect_ratio');
	});

	test('one paid job per branch, nothing submitted twice', () => {
		expectSucceeded();
		expect(received('magicHour', 'submit')).toHaveLength(2);
		expect(received('useApiKling', 'submit')).toHaveLength(1);
		expect(received('aimlApi', 'submit')).toHaveLength(2);
	});
});
