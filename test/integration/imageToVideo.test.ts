/**
 * Image to video on the provider nodes, through each provider's sandbox over HTTP and n8n-core's real
 * execution context: an image from a binary field (kept in the item, or on disk in n8n's binary store
 * and streamed from there) or from a URL becomes a video; the provider receives the image bytes
 * unchanged (sha256); an image a model cannot take is refused before any request; uploads are part of
 * the submit (never repeated for one job) and Retry On Fail resumes by image.
 */
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { AimlApiApi } from '../../credentials/AimlApiApi.credentials';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { inlineBinary, pngImage, storedBinary } from '../helpers/image';
import { expectNoError, useProviderSandbox, type ProviderSandbox } from '../helpers/provider';
import { sha256, type SandboxRequest } from '../helpers/sandbox';

const PNG = pngImage(320, 320, 1);
const OTHER_PNG = pngImage(320, 320, 2);

const item = (binary: Record<string, IBinaryData>, json: IDataObject = {}): INodeExecutionData[] => [{ json, binary }];
type Received = { sha256: string; size: number; contentType?: string; contentLength?: string; filePath?: string; email?: string };
const imageOf = (request: SandboxRequest) => (request as SandboxRequest & { image: Received }).image;
const jobImages = <T>(provider: ProviderSandbox, index = 0) => (provider.jobs()[index] as unknown as { images: T }).images;

/** An error raised before any request: it names the field, and the sandbox saw nothing at all. */
function expectRefusedBeforeAnyRequest(provider: ProviderSandbox, error: Error | undefined, pattern: RegExp) {
	// As n8n shows it: the title (field and model as the editor names them), then what helps.
	const description = (error as { description?: string }).description;
	expect(`${error?.message} | ${description}`).toMatch(pattern);
	expect(description).toMatch(/Nothing was sent to the provider, so no credits were used\.$/);
	expect(provider.sandbox.requests).toHaveLength(0);
}

describe('Magic Hour: image to video', () => {
	const provider = useProviderSandbox('magicHour', { apiKey: 'mhk_live_image', jobDurationMs: 300 });
	const run = provider.runner(new MagicHour(), new MagicHourApi(), { model: 'kling-2.5', prompt: 'the fox turns its head' });
	const routes = () => provider.sandbox.requestsTo('magicHour').map((r) => r.route);

	test('a binary image on disk is streamed to the presigned upload URL, unchanged, then animated', async () => {
		const result = await run({ imageSource: 'binary', duration: 5, resolution: '720p' }, { inputItems: item({ data: await storedBinary(PNG) }) });
		expectNoError(result);
		await provider.expectVideoOf(result);
		expect(routes()).toEqual(['uploadUrls', 'upload', 'submit', ...routes().slice(3)]);
		const [urlRequest] = provider.sandbox.requestsTo('magicHour', 'uploadUrls');
		expect(urlRequest.body).toEqual({ items: [{ type: 'image', extension: 'png' }] });
		const [upload] = provider.sandbox.requestsTo('magicHour', 'upload');
		// The presigned URL is its own authorization: no API key, and the exact bytes with their length.
		expect(upload.authorization).toBeUndefined();
		expect(upload.method).toBe('PUT');
		expect(imageOf(upload)).toMatchObject({ sha256: sha256(PNG), size: PNG.length, contentLength: String(PNG.length) });
		const [submit] = provider.submits();
		expect(submit.url).toContain('/v1/image-to-video');
		expect(submit.body).toEqual({
			model: 'kling-2.5',
			end_seconds: 5,
			resolution: '720p',
			style: { prompt: 'the fox turns its head' },
			assets: { image_file_path: imageOf(upload).filePath },
		});
		expect(jobImages<{ image: Received }>(provider).image.sha256).toBe(sha256(PNG));
	});

	test('a binary image kept in the item, with an end frame at 1080p: both uploaded', async () => {
		const result = await run(
			{ imageSource: 'binary', endImageSource: 'binary', endImageBinaryProperty: 'last', resolution: '1080p' },
			{ inputItems: item({ data: inlineBinary(PNG), last: inlineBinary(OTHER_PNG, 'image/jpeg', 'last.jpg') }) },
		);
		expectNoError(result);
		await provider.expectVideoOf(result);
		expect(provider.sandbox.requestsTo('magicHour', 'uploadUrls').map((r) => r.body)).toEqual([
			{ items: [{ type: 'image', extension: 'png' }] },
			{ items: [{ type: 'image', extension: 'jpg' }] },
		]);
		const images = jobImages<{ image: Received; endImage: Received }>(provider);
		expect([images.image.sha256, images.endImage.sha256]).toEqual([sha256(PNG), sha256(OTHER_PNG)]);
	});

	test('an image URL goes to Magic Hour as given, with nothing uploaded', async () => {
		const url = 'https://images.example.com/still.PNG?v=2';
		const result = await run({ model: 'seedance', imageSource: 'url', imageUrl: url, endImageSource: 'url', endImageUrl: 'api-assets/id/1234.png', resolution: '480p', duration: 4 });
		// The sandbox accepts only file paths it handed out: this one was never uploaded.
		expect(result.error?.description).toMatch(/end_image_file_path api-assets\/id\/1234\.png was not uploaded/);
		expect(provider.submits()[0].body).toMatchObject({ model: 'seedance', assets: { image_file_path: url, end_image_file_path: 'api-assets/id/1234.png' } });
		expect(provider.sandbox.requestsTo('magicHour', 'upload')).toHaveLength(0);
		provider.sandbox.reset();
		expectNoError(await run({ imageSource: 'url', imageUrl: url }));
		expect(provider.submits()[0].body).toMatchObject({ assets: { image_file_path: url } });
		expect(provider.submits()[0].body).not.toHaveProperty('aspect_ratio');
	});

	test.each([
		[{ imageSource: 'url', imageUrl: 'https://images.example.com/still' }, /^Invalid Image URL: Magic Hour needs the URL's path to end in the image's file extension/],
		// A model from an expression: n8n keeps every model's fields, so an end frame can reach a model without one.
		[{ model: '={{ "sora-2" }}', duration: 4, imageSource: 'url', imageUrl: 'https://x.example/a.png', endImageSource: 'url', endImageUrl: 'https://x.example/b.png' }, /^Invalid End Frame: Sora 2 takes no end frame \| Models that do: Default.*, Kling 2\.6, Kling 3\.0, .*Veo 3\.1.*\. Nothing was sent/],
		[{ resolution: '720p', imageSource: 'url', imageUrl: 'https://x.example/a.png', endImageSource: 'url', endImageUrl: 'https://x.example/b.png' }, /^Invalid End Frame: Kling 2\.5 \(Legacy\) takes an end frame at 1080p only, not at 720p/],
		[{ imageSource: 'binary', imageBinaryProperty: 'photo' }, /^Invalid Image Binary Field: the input item has no binary field "photo" \(its binary fields: data\) \| Nothing was sent/],
	])('refused before any request: %j', async (parameters, message) => {
		const result = await run(parameters, { inputItems: item({ data: inlineBinary(PNG) }) });
		expectRefusedBeforeAnyRequest(provider, result.error, message);
	});

	test('a GIF is refused before any request (Magic Hour takes no GIF images)', async () => {
		const result = await run({ imageSource: 'binary' }, { inputItems: item({ data: inlineBinary(PNG, 'image/gif', 'a.gif') }) });
		expectRefusedBeforeAnyRequest(provider, result.error, /^Invalid Image Binary Field: binary field "data" holds image\/gif; this provider takes png, jpg, webp/);
	});

	test('an upload that fails (503) is sent again from the start: the bytes arrive whole, one job', async () => {
		provider.sandbox.fault({ provider: 'magicHour', route: 'upload', status: 503, retryAfter: 0 });
		const result = await run({ imageSource: 'binary' }, { inputItems: item({ data: await storedBinary(PNG) }) });
		expectNoError(result);
		const uploads = provider.sandbox.requestsTo('magicHour', 'upload');
		expect(uploads).toHaveLength(2);
		expect(uploads.map((r) => imageOf(r).sha256)).toEqual([sha256(PNG), sha256(PNG)]);
		expect(provider.submits()).toHaveLength(1);
	});

	test('an upload refused for good fails before the submit, saying no job was made', async () => {
		provider.sandbox.fault({ provider: 'magicHour', route: 'uploadUrls', status: 422, message: "'png' is an invalid image extension" });
		const result = await run({ imageSource: 'binary' }, { inputItems: item({ data: inlineBinary(PNG) }) });
		expect(result.error?.message).toMatch(/^Uploading the image failed, so no job was submitted: Magic Hour could not create the video \(HTTP 422\)/);
		expect(provider.submits()).toHaveLength(0);
	});

	test('a submit refused for capacity (429) is sent again without uploading the image again', async () => {
		provider.sandbox.fault({ provider: 'magicHour', route: 'submit', status: 429, retryAfter: 0 });
		const result = await run({ imageSource: 'binary' }, { inputItems: item({ data: inlineBinary(PNG) }) });
		expectNoError(result);
		expect(provider.sandbox.requestsTo('magicHour', 'upload')).toHaveLength(1);
		expect(provider.submits()).toHaveLength(2);
		expect(provider.jobs()).toHaveLength(1);
	});

	test('Retry On Fail picks the paid job up with the same image (nothing uploaded again); another image is a new job', async () => {
		const failing = { prompt: 'the fox turns [sandbox:pollfail=7]', imageSource: 'binary' };
		const binary = await storedBinary(PNG);
		const first = await run(failing, { inputItems: item({ data: binary }), executionId: 'exec-image-retry' });
		expect(first.error?.message).toMatch(/503|on purpose/);
		const second = await run(failing, { inputItems: item({ data: binary }), executionId: 'exec-image-retry' });
		expectNoError(second);
		expect(provider.submits()).toHaveLength(1);
		expect(provider.sandbox.requestsTo('magicHour', 'upload')).toHaveLength(1);
		const third = await run(failing, { inputItems: item({ data: await storedBinary(OTHER_PNG) }), executionId: 'exec-image-retry' });
		expect(third.error?.message).toMatch(/503|on purpose/);
		expect(provider.submits()).toHaveLength(2);
		expect(imageOf(provider.sandbox.requestsTo('magicHour', 'upload')[1]).sha256).toBe(sha256(OTHER_PNG));
	});
});

describe('Kling (useapi.net): image to video', () => {
	const provider = useProviderSandbox('useApiKling', { apiKey: 'user:1-image', jobDurationMs: 300 });
	const run = provider.runner(new UseApiKling(), new UseApiApi(), { model: 'kling-v2-5', prompt: 'the fox turns its head' });

	test('a binary image on disk is uploaded to the Kling assets (raw bytes, image/png), then animated from its URL', async () => {
		const result = await run({ imageSource: 'binary', email: 'kling@example.com' }, { inputItems: item({ data: await storedBinary(PNG) }) });
		expectNoError(result);
		await provider.expectVideoOf(result);
		const [upload] = provider.sandbox.requestsTo('useApiKling', 'upload');
		expect(upload.url).toBe('/useapi/v1/kling/assets/?email=kling%40example.com');
		expect(upload.authorization).toBe('Bearer user:1-image');
		expect(imageOf(upload)).toMatchObject({ sha256: sha256(PNG), size: PNG.length, contentType: 'image/png' });
		const [submit] = provider.submits();
		expect(submit.url).toBe('/useapi/v1/kling/videos/image2video-frames');
		const frames = jobImages<{ image: Received & { url: string }; inputs: unknown[] }>(provider);
		expect(submit.body).toEqual({ email: 'kling@example.com', prompt: 'the fox turns its head', duration: '5', model_name: 'kling-v2-5', enable_audio: false, image: frames.image.url });
		expect(frames.image.sha256).toBe(sha256(PNG));
		expect(frames.inputs).toEqual([expect.objectContaining({ name: 'input', inputType: 'URL', url: frames.image.url })]);
	});

	test('URLs (start and end frame) go to image2video-frames as given, with nothing uploaded', async () => {
		const result = await run({ imageSource: 'url', imageUrl: 'https://x.example/first.jpg', endImageSource: 'url', endImageUrl: 'https://x.example/last.jpg' });
		expectNoError(result);
		expect(provider.submits()[0].body).toMatchObject({ image: 'https://x.example/first.jpg', image_tail: 'https://x.example/last.jpg' });
		expect(provider.submits()[0].body).not.toHaveProperty('aspect_ratio');
		expect(provider.sandbox.requestsTo('useApiKling', 'upload')).toHaveLength(0);
	});

	test('a JPEG end frame kept in the item is uploaded as image/jpeg', async () => {
		const result = await run(
			{ imageSource: 'url', imageUrl: 'https://x.example/first.jpg', endImageSource: 'binary' },
			{ inputItems: item({ end: inlineBinary(OTHER_PNG, 'image/jpeg', 'end.jpg') }) },
		);
		expectNoError(result);
		const [upload] = provider.sandbox.requestsTo('useApiKling', 'upload');
		expect(imageOf(upload)).toMatchObject({ contentType: 'image/jpeg', sha256: sha256(OTHER_PNG) });
		expect(jobImages<{ endImage: Received }>(provider).endImage.sha256).toBe(sha256(OTHER_PNG));
	});

	test.each([
		[{ model: '={{ "kling-v2-1-master" }}', imageSource: 'url', imageUrl: 'https://x.example/a.png', endImageSource: 'url', endImageUrl: 'https://x.example/b.png' }, /^Invalid End Frame: Kling 2\.1 Master takes no end frame \| Models that do: Kling 1\.6, Kling 1\.5, Kling 2\.5, Kling 2\.6, Kling 3\.0\. Nothing was sent/],
		[{ model: 'kling-v2-6', mode: 'pro', enableAudio: true, imageSource: 'url', imageUrl: 'https://x.example/a.png', endImageSource: 'url', endImageUrl: 'https://x.example/b.png' }, /^Invalid End Frame: Kling 2\.6 makes audio only from a start frame alone \| Remove the end frame, or switch Enable Audio off\. /],
		[{ imageSource: 'url', imageUrl: 'ftp://x.example/a.png' }, /^Invalid Image URL: "ftp:\/\/x\.example\/a\.png" is not an image URL/],
	])('refused before any request: %j', async (parameters, message) => {
		expectRefusedBeforeAnyRequest(provider, (await run(parameters)).error, message);
	});

	test('a WebP image is refused before any request: useapi.net takes PNG and JPEG only', async () => {
		const result = await run({ imageSource: 'binary' }, { inputItems: item({ data: inlineBinary(PNG, 'image/webp', 'a.webp') }) });
		expectRefusedBeforeAnyRequest(provider, result.error, /^Invalid Image Binary Field: binary field "data" holds image\/webp; this provider takes png, jpg images only \| Nothing was sent/);
	});
});

describe('AI/ML API: image to video', () => {
	const provider = useProviderSandbox('aimlApi', { apiKey: 'aiml_image', jobDurationMs: 300 });
	const run = provider.runner(new AimlApi(), new AimlApiApi(), { prompt: 'the fox turns its head' });
	const images = () => (provider.submits()[0] as SandboxRequest & { images: unknown[] }).images;

	test('an image for the text model is refused before any request, naming the models that take one', async () => {
		const result = await run({ model: 'pixverse/v5/text-to-video', imageSource: 'url', imageUrl: 'https://x.example/a.png' });
		expectRefusedBeforeAnyRequest(
			provider,
			result.error,
			/^Invalid Image \(Image-to-Video\): PixVerse V5 does not take an image \| Models that do: PixVerse V5 Image to Video, PixVerse V5 Transition \(First and Last Frame\), Kling 2\.5 Turbo Pro Image to Video, Wan 2\.5 Image to Video \(Preview\)\. Nothing was sent/,
		);
	});

	test('PixVerse V5 image to video takes the URL in image_url, no aspect ratio', async () => {
		const url = 'https://raw.githubusercontent.com/aimlapi/api-docs/main/reference-files/mona_lisa_extended.jpg';
		const result = await run({ imageSource: 'url', model: 'pixverse/v5/image-to-video', imageUrl: url, resolution: '540p', duration: 8 });
		expectNoError(result);
		await provider.expectVideoOf(result);
		expect(provider.submits()[0].body).toEqual({ model: 'pixverse/v5/image-to-video', prompt: 'the fox turns its head', resolution: '540p', duration: 8, image_url: url });
		expect(images()).toEqual([{ field: 'image_url', kind: 'url', url }]);
	});

	test('PixVerse V5 takes no binary image: refused before any request, naming the models that do', async () => {
		const result = await run({ imageSource: 'binary', model: 'pixverse/v5/image-to-video' }, { inputItems: item({ data: inlineBinary(PNG) }) });
		expectRefusedBeforeAnyRequest(
			provider,
			result.error,
			/^Invalid Image \(Image-to-Video\): PixVerse V5 Image to Video takes the image by URL only \(AI\/ML API documents a URL only for it, and has no file upload for video models\) \| Models that take it from a binary field: Kling 2\.5 Turbo Pro Image to Video, Wan 2\.5 Image to Video \(Preview\)\. Nothing was sent/,
		);
	});

	test('Kling 2.5 Turbo takes a binary image on disk as a data URI: the bytes arrive unchanged', async () => {
		const result = await run({ imageSource: 'binary', model: 'klingai/v2.5-turbo/pro/image-to-video', duration: 10 }, { inputItems: item({ data: await storedBinary(PNG) }) });
		expectNoError(result);
		await provider.expectVideoOf(result);
		expect(String((provider.submits()[0].body as IDataObject).image_url)).toMatch(/^data:image\/png;base64,/);
		expect(images()).toEqual([{ field: 'image_url', kind: 'base64', mimeType: 'image/png', sha256: sha256(PNG), size: PNG.length }]);
	});

	test('PixVerse Transition: first frame by URL, last frame from a binary field in tail_image_url', async () => {
		const result = await run(
			{ imageSource: 'url', model: 'pixverse/v5/transition', imageUrl: 'https://x.example/a.png', endImageSource: 'binary', endImageBinaryProperty: 'data' },
			{ inputItems: item({ data: inlineBinary(OTHER_PNG) }) },
		);
		expectNoError(result);
		expect(images()).toEqual([
			{ field: 'image_url', kind: 'url', url: 'https://x.example/a.png' },
			{ field: 'tail_image_url', kind: 'base64', mimeType: 'image/png', sha256: sha256(OTHER_PNG), size: OTHER_PNG.length },
		]);
	});

	test.each([
		[{ model: 'alibaba/wan2.5-i2v-preview' }, /^Invalid Image \(Image-to-Video\): Wan 2\.5 Image to Video \(Preview\) animates an image: set Image to From Binary Field or From URL \| Nothing was sent/],
		[{ model: 'pixverse/v5/transition', imageSource: 'url', imageUrl: 'https://x.example/a.png', endImageSource: 'none' }, /^Invalid End Frame: PixVerse V5 Transition \(First and Last Frame\) needs an end frame/],
		[{ model: 'other', customModel: 'bytedance/seedance-1-0-lite-i2v', imageSource: 'binary' }, /^Invalid Image \(Image-to-Video\): bytedance\/seedance-1-0-lite-i2v takes the image by URL only/],
	])('refused before any request: %j', async (parameters, message) => {
		expectRefusedBeforeAnyRequest(provider, (await run(parameters, { inputItems: item({ data: inlineBinary(PNG) }) })).error, message);
	});

	test('a typed-in model id takes the image URL in image_url', async () => {
		const result = await run({ imageSource: 'url', model: 'other', customModel: 'bytedance/seedance-1-0-lite-i2v', imageUrl: 'https://x.example/a.png' });
		expectNoError(result);
		expect(provider.submits()[0].body).toEqual({ model: 'bytedance/seedance-1-0-lite-i2v', prompt: 'the fox turns its head', image_url: 'https://x.example/a.png' });
	});
});
