import { NodeOperationError, type IDataObject } from 'n8n-workflow';
import { imageExtension, type ImageInputs, type ImageRef, type ImageRules } from '../shared/image/imageInput';
import type { Transport } from '../shared/transport/transport';
import { IMAGE_EXTENSIONS, MAGIC_HOUR_CAPABILITIES as TABLE, URL_EXTENSIONS } from './capabilities';

/**
 * Magic Hour image-to-video (POST /v1/image-to-video), as its OpenAPI spec and "inputs and outputs" page
 * have it:
 *
 * - The body is text-to-video's (`model`, `end_seconds`, `resolution`, `audio`, `name`, `style.prompt`)
 *   without `aspect_ratio` (the image-to-video schema has none) and with `assets.image_file_path`
 *   (required) and `assets.end_image_file_path` (the last frame, optional, per model and resolution).
 * - An image is given three ways: a public URL whose path ends in a supported file extension (Magic
 *   Hour checks the extension, so a URL without one is refused); a library URL
 *   `https://magichour.ai/my-library?imageId=…`; or the `file_path` of its upload flow
 *   (`api-assets/…`), which stays usable for 7 days. Base64 is not among them.
 * - Upload flow: `POST /v1/files/upload-urls` with `{ items: [{ type: "image", extension }] }` answers
 *   `{ items: [{ upload_url, file_path, expires_at }] }`; the file's raw bytes go to `upload_url` with
 *   `PUT`, without the API key or a Content-Type (the presigned URL carries its own authorization, as
 *   Magic Hour's SDKs send it); `file_path` then goes into `assets`. Uploads cost nothing; the largest
 *   file depends on the plan (200 MB on Free up to 10 GB on Business).
 * - The job is polled as text-to-video's (`GET /v1/video-projects/{id}`, `type: "IMAGE_TO_VIDEO"`).
 *
 * The upload is part of the submit: it happens once per job (a submit repeated after a capacity refusal
 * reuses it), and a job picked up again after Retry On Fail uploads nothing.
 */

/** The rules of Magic Hour's image input, with the item's resolution (end frames depend on it). */
export function imageRules(resolution: string | undefined): ImageRules {
	return {
		table: TABLE,
		mimeTypes: IMAGE_EXTENSIONS,
		checkUrl,
		resolution,
	};
}

/** An http(s) URL whose path ends in an image extension, a library URL, or an upload's file path. */
function checkUrl(address: string): string | undefined {
	if (/^api-assets\/\S+$/.test(address)) return undefined;
	let url: URL | undefined;
	try {
		url = /^https?:\/\//i.test(address) ? new URL(address) : undefined;
	} catch {
		url = undefined;
	}
	if (!url) return `"${address}" is not an image address: give an http(s) URL, or a Magic Hour file path (api-assets/...)`;
	if (/(^|\.)magichour\.ai$/i.test(url.hostname) && url.pathname === '/my-library' && url.searchParams.get('imageId')) return undefined;
	const extension = /\.([a-z0-9]+)$/i.exec(url.pathname)?.[1]?.toLowerCase();
	if (!extension || !URL_EXTENSIONS.includes(extension))
		return `Magic Hour needs the URL's path to end in the image's file extension (${URL_EXTENSIONS.join(', ')}); "${url.pathname}" does not. Use From Binary Field to upload the image instead.`;
	return undefined;
}

/** Uploads in progress or done, per image of an input: a submit repeated after a capacity refusal reuses them. */
const uploads = new WeakMap<ImageRef, Promise<string>>();

/** `assets` of an image-to-video request: each image's URL as given, or its file path once uploaded. */
export async function imageAssets(api: Transport, input: ImageInputs): Promise<IDataObject | undefined> {
	if (!input.image) return undefined;
	const assets: IDataObject = { image_file_path: await filePath(api, input.image) };
	if (input.endImage) assets.end_image_file_path = await filePath(api, input.endImage);
	return assets;
}

async function filePath(api: Transport, image: ImageRef): Promise<string> {
	if (image.source === 'url') return image.url ?? '';
	let pending = uploads.get(image);
	if (!pending) {
		pending = upload(api, image);
		uploads.set(image, pending);
		pending.catch(() => uploads.delete(image));
	}
	return await pending;
}

async function upload(api: Transport, image: ImageRef): Promise<string> {
	const extension = imageExtension(image, IMAGE_EXTENSIONS) ?? 'png';
	const { body } = await api.request<{ items?: Array<{ upload_url?: string; file_path?: string }> }>({
		method: 'POST',
		path: '/v1/files/upload-urls',
		body: { items: [{ type: 'image', extension }] },
		phase: 'poll',
		upload: true,
	});
	const item = body?.items?.[0];
	if (!item?.upload_url || !item.file_path || !image.open)
		throw new NodeOperationError(api.node, 'Magic Hour gave no upload URL for the image, so no job was submitted');
	await api.upload({ method: 'PUT', url: item.upload_url, open: image.open });
	return item.file_path;
}
