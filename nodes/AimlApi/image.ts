import { type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { modelSpec } from '../shared/capabilities/table';
import { imageBytes, type ImageInputs, type ImageRef, type ImageRules } from '../shared/image/imageInput';
import { invalidInput } from '../shared/validation/input';
import { AIML_ALL_CAPABILITIES as TABLE, KLING_TURBO_IMAGE, PIXVERSE_V5_IMAGE } from './capabilities';

/**
 * AI/ML API image-to-video (aimlapi/api-docs, docs/api-references/video-models; docs/providers/aiml-api.md,
 * "The API as this node uses it"):
 *
 * - The same POST /v2/video/generations and GET ?generation_id= as text to video; the model id alone
 *   makes the job image-to-video (`pixverse/v5/image-to-video`, `klingai/v2.5-turbo/pro/image-to-video`, ...).
 * - The start frame is `image_url` on every image-to-video model; the last frame is `tail_image_url` on
 *   PixVerse transition and Kling (v1.x, v3), `last_image_url` on Veo 3.1 first-last, Seedance, MiniMax.
 * - Images are JSON strings: a URL, or, where a model's docs say "a direct link to an online image or a
 *   Base64-encoded local image", Base64. There is no multipart and no upload endpoint for video models,
 *   so a binary image is sent as a `data:<type>;base64,...` URI, read whole (it must sit inside the JSON
 *   body). PixVerse V5's `image_url` says URL only (`format: uri`): no binary image for it.
 * - No limits on input images are documented (Veo: "should be 720p or higher").
 */

export const URL_ONLY_REASON = 'AI/ML API documents a URL only for it, and has no file upload for video models';

export const imageRules: ImageRules = { table: TABLE, urlOnlyReason: URL_ONLY_REASON, checkUrl };

/** An http(s) address, or (where Base64 is taken) a data URI already made. */
function checkUrl(address: string): string | undefined {
	if (/^https?:\/\/[^\s/]+\S*$/i.test(address) || /^data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=\s]+$/i.test(address)) return undefined;
	return `"${address.slice(0, 80)}" is not an image URL: give a public http(s) address`;
}

/** The request fields of the images: `image_url` and the model's end-frame field, URLs as given, binary as data URIs. */
export async function imageFields(model: string, input: ImageInputs): Promise<IDataObject> {
	const fields: IDataObject = {};
	if (input.image) fields.image_url = await imageValue(input.image);
	if (input.endImage) {
		const endField = String(modelSpec(TABLE, model)?.traits?.endImageField ?? 'tail_image_url');
		fields[endField] = await imageValue(input.endImage);
	}
	return fields;
}

async function imageValue(image: ImageRef): Promise<string> {
	if (image.source === 'url') return image.url ?? '';
	return `data:${image.mimeType};base64,${(await imageBytes(image)).toString('base64')}`;
}

/** The model a hidden Model list means in image mode (n8n fills the shown one's default otherwise). */
export function imageModelFallback(source: unknown): string | undefined {
	return source === 'binary' ? KLING_TURBO_IMAGE : source === 'url' ? PIXVERSE_V5_IMAGE : undefined;
}

/** API fields an image fills: Additional Fields must not set them again. */
const IMAGE_API_FIELDS = ['image_url', 'tail_image_url', 'last_image_url'];

export function refuseImageFieldsTwice(ctx: IExecuteFunctions, itemIndex: number, additionalFields: Record<string, unknown>): void {
	const twice = IMAGE_API_FIELDS.find((key) => key in additionalFields);
	if (!twice) return;
	throw invalidInput(ctx.getNode(), itemIndex, [{ field: 'additionalFields', problem: `"${twice}" comes from the image fields. Remove it from Additional Fields` }]);
}
