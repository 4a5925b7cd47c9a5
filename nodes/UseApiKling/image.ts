import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import type { ModelSpec } from '../shared/capabilities/table';
import { readImages, type ImageInputs, type ImageRef } from '../shared/image/imageInput';
import type { Transport } from '../shared/transport/transport';
import { invalidInput } from '../shared/validation/input';
import { ASSET_IMAGE_TYPES, klingTraits, MAX_ASSET_IMAGE_BYTES, USEAPI_KLING_CAPABILITIES as TABLE } from './capabilities';

/**
 * Kling image-to-video through useapi.net (docs: post-kling-videos-image2video-frames, post-kling-assets;
 * the first-party Postman collection of 2026-07):
 *
 * - POST /v1/kling/videos/image2video-frames takes text2video's fields (`prompt`, `negative_prompt`,
 *   `cfg_scale`, `duration`, `model_name`, `mode`, `enable_audio`, `maxJobs`, `replyUrl`, `replyRef`,
 *   `email`) without `aspect_ratio` (none is documented; v3 derives it from the frame) and with `image`
 *   (the first frame) and `image_tail` (the last frame; not on kling-v2-1-master nor kling-v3-0-turbo).
 *   Kling 2.6 makes native audio only with a start frame alone. Both are URL strings.
 * - Any public URL may be given ("Image can be uploaded using POST /assets and the returned URLs can be
 *   used here"). A binary image is uploaded first: POST /v1/kling/assets/?email=… with the raw bytes as
 *   the body and `Content-Type: image/png` or `image/jpeg` (nothing else is accepted for images; at most
 *   10 MB, at least 300 px), which answers `{ status: 3, url, fileName }`; `url` (on Kling's CDN) is the
 *   frame. Uploads are free.
 * - The task is polled as text2video's (GET /v1/kling/tasks/{id}); its type is `m2v_img2video_hq` and
 *   `taskInfo.inputs[0].url` is the image.
 *
 * The upload is part of the submit: once per job (a submit repeated after "all accounts busy" reuses
 * it), and nothing is uploaded for a job picked up again after Retry On Fail.
 */

export const IMAGE_PATH = '/v1/kling/videos/image2video-frames';

/** Reads the item's images for `spec`; refuses what useapi.net or the model would refuse, before any request. */
export function readKlingImages(ctx: IExecuteFunctions, itemIndex: number, spec: ModelSpec | undefined, input: { model: string; enableAudio?: boolean }): ImageInputs {
	const images = readImages(ctx, itemIndex, spec, { table: TABLE, mimeTypes: ASSET_IMAGE_TYPES, maxBytes: MAX_ASSET_IMAGE_BYTES });
	if (images.endImage && input.enableAudio && klingTraits(input.model).audioNeedsPro)
		throw invalidInput(ctx.getNode(), itemIndex, [
			{ field: 'endImageSource', problem: `${spec?.name ?? input.model} makes audio only from a start frame alone. Remove the end frame, or switch Enable Audio off` },
		]);
	return images;
}

/** Uploads in progress or done, per image of an input: a submit repeated after a capacity refusal reuses them. */
const uploads = new WeakMap<ImageRef, Promise<string>>();

/** `image` and `image_tail` of an image2video-frames request (URLs as given, binary images uploaded), or none for text2video. */
export async function imageFields(api: Transport, input: ImageInputs, email: string | undefined): Promise<IDataObject | undefined> {
	if (!input.image) return undefined;
	const fields: IDataObject = { image: await assetUrl(api, input.image, email) };
	if (input.endImage) fields.image_tail = await assetUrl(api, input.endImage, email);
	return fields;
}

async function assetUrl(api: Transport, image: ImageRef, email: string | undefined): Promise<string> {
	if (image.source === 'url') return image.url ?? '';
	let pending = uploads.get(image);
	if (!pending) {
		pending = upload(api, image, email);
		uploads.set(image, pending);
		pending.catch(() => uploads.delete(image));
	}
	return await pending;
}

async function upload(api: Transport, image: ImageRef, email: string | undefined): Promise<string> {
	if (!image.open) throw new NodeOperationError(api.node, 'The image has no bytes to upload');
	const contentType = ASSET_IMAGE_TYPES[image.mimeType ?? ''] === 'png' ? 'image/png' : 'image/jpeg';
	const { body } = await api.upload<{ url?: string; status?: number; message?: string }>({
		method: 'POST',
		path: '/v1/kling/assets/',
		qs: email ? { email } : undefined,
		contentType,
		open: image.open,
	});
	if (!body?.url) throw new NodeOperationError(api.node, `useapi.net stored the image but gave no URL for it${body?.message ? ` (${body.message})` : ''}, so no job was submitted`);
	return body.url;
}
