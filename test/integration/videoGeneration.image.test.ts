/**
 * Video Generation API on the shared image input (nodes/shared/image/imageInput.ts): a binary image
 * kept by n8n's store on disk (filesystem mode) is streamed into the JSON body as a base64 data URI,
 * never read whole; the gateway receives exactly the bytes, in the field of the API style, and the
 * same checks as the provider nodes refuse a bad image before anything is paid.
 */
import type { IDataObject } from 'n8n-workflow';
import { randomBytes } from 'crypto';
import { VideoGenerationApi } from '../../credentials/VideoGenerationApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { VideoGenerationV1 as VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { expectNoError, useProviderSandbox } from '../helpers/provider';
import { inlineBinary, storedBinary } from '../helpers/image';

const API_KEY = 'sk-gwTeSt5ecReT0123456789abcdef';
const PROVIDER = 'videoGeneration';
const gw = useProviderSandbox(PROVIDER, { apiKey: API_KEY, jobDurationMs: 300 });
const node = new VideoGeneration();
const credentialType = new VideoGenerationApi();

function run(style: 'videoGenerations' | 'videos', parameters: IDataObject, inputItems: IDataObject[]) {
	const runner = gw.runner(node, credentialType, { apiStyle: style, model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' }, prompt: 'a fox' });
	return runner({ options: { download: false }, ...parameters }, { baseUrl: gw.sandbox.urls.videoGeneration, inputItems: inputItems as never });
}

describe.each([
	['videoGenerations', 'image'],
	['videos', 'input_reference'],
] as const)('Video Generation API (%s): image from n8n’s binary store', (style, field) => {
	test('a stored image (filesystem mode) is streamed into the body as a data URI, byte for byte, once', async () => {
		// Bytes of a length that is no multiple of 3, so base64's padding and the chunk joins are tested.
		const image = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(300_001)]);
		const result = await run(style, { imageSource: 'binary', imageBinaryProperty: 'photo' }, [{ json: {}, binary: { photo: await storedBinary(image, 'image/png', 'photo.png') } }]);
		expectNoError(result);
		const [submit] = gw.submits();
		expect(gw.submits()).toHaveLength(1);
		const body = submit.body as IDataObject;
		expect(body[field]).toBe(`data:image/png;base64,${image.toString('base64')}`);
		// The rest of the body is the same as with a URL: the image sits among the other fields.
		expect(body).toMatchObject({ model: 'kling-v2-5-turbo', prompt: 'a fox' });
	});

	test('the shared checks refuse a non-image before any request, naming the field', async () => {
		const result = await run(style, { imageSource: 'binary', imageBinaryProperty: 'photo' }, [{ json: {}, binary: { photo: inlineBinary(Buffer.from('hello'), 'text/plain', 'a.txt') } }]);
		// The title names the field as the editor shows it (version 1: "Image Binary Field").
		expect(result.error?.message).toBe('Invalid Image Binary Field: binary field "photo" holds text/plain, not an image');
		expect(result.error?.description).toMatch(/Nothing was sent/);
		expect(gw.submits()).toHaveLength(0);
	});
});
