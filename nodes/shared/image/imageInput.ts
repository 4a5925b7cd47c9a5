import { BINARY_ENCODING, type IBinaryData, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { createHash } from 'crypto';
import { modelsTakingImage, type CapabilityTable, type ImageSupport, type ModelSpec } from '../capabilities/table';
import { JOB_OPERATIONS } from '../fields/common';
import { invalidInput, paramReader } from '../validation/input';
import type { UploadBody } from '../transport/transport';

/**
 * Image-to-video, the same on every provider node: the parameters (`imageSource` none / binary / url,
 * `imageBinaryProperty`, `imageUrl`, and `endImageSource`, `endImageBinaryProperty`, `endImageUrl` for
 * models that take a last frame, as the Video Generation API node has them), reading the image of one
 * item, and refusing an image a model cannot take before any request is made.
 *
 * Binary images are never read whole here: `open` streams them from n8n's binary store when it keeps
 * them on disk (filesystem or S3 mode); in the default memory mode the bytes are already in the item.
 */

export type ImageSource = 'none' | 'binary' | 'url';
const SOURCES: readonly ImageSource[] = ['none', 'binary', 'url'];
/** The image fields show in image mode only. */
export const IMAGE_MODES: ImageSource[] = ['binary', 'url'];

/** An image to send, as validated; serializable but for `open` (so it enters the Retry On Fail key). */
export interface ImageRef {
	source: 'binary' | 'url';
	/** `url`: the address as given. */
	url?: string;
	/** `binary`: the input's binary field and what n8n knows of its bytes. */
	binaryProperty?: string;
	mimeType?: string;
	fileName?: string;
	/** n8n's id of the stored bytes, or a hash of bytes kept in the item: a different image is a different job. */
	fingerprint?: string;
	/** Bytes, when n8n says (not every version does). */
	sizeBytes?: number;
	/** `binary`: opens the bytes (a stream from n8n's store, or the item's own bytes); a function, so left out of JSON. */
	open?: () => Promise<UploadBody>;
}

export interface ImageInputs {
	image?: ImageRef;
	endImage?: ImageRef;
}

export interface ImageTexts {
	/** What setting an image does on this provider. */
	description: string;
	/** How the provider gets an image from a binary field (an upload, a data URI). */
	binary: string;
	/** What the provider needs of a URL. */
	url: string;
}

/** The Image (Image-to-Video) choice, its binary field and its URL, for the job operations. */
export function imageSourceProperties(texts: ImageTexts): INodeProperties[] {
	return [
		{
			displayName: 'Image (Image-to-Video)',
			name: 'imageSource',
			type: 'options',
			options: [
				{ name: 'None (Text-to-Video)', value: 'none' },
				{ name: 'From Binary Field', value: 'binary', description: texts.binary },
				{ name: 'From URL', value: 'url', description: texts.url },
			],
			default: 'none',
			description: texts.description,
			displayOptions: { show: { operation: JOB_OPERATIONS } },
		},
		{
			displayName: 'Image Binary Field',
			name: 'imageBinaryProperty',
			type: 'string',
			default: 'data',
			placeholder: 'e.g. data',
			description: 'Name of the input binary field that holds the image to animate (its first frame)',
			displayOptions: { show: { operation: JOB_OPERATIONS, imageSource: ['binary'] } },
		},
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/still.jpg',
			description: texts.url,
			displayOptions: { show: { operation: JOB_OPERATIONS, imageSource: ['url'] } },
		},
	];
}

/**
 * The End Frame fields, shown in image mode for the models that take a last frame: one choice per
 * group of models that take it the same way (optional or required, from a binary field or not).
 */
export function endImageProperties(table: CapabilityTable, urlDescription: string): INodeProperties[] {
	const groups = new Map<string, { support: ImageSupport; models: string[] }>();
	for (const model of table.models) {
		if (!model.image?.end) continue;
		const key = `${model.image.end}|${endBinary(model.image)}`;
		const group = groups.get(key) ?? { support: model.image, models: [] };
		group.models.push(model.value, ...(model.aliases ?? []));
		groups.set(key, group);
	}
	const all = modelsTakingImage(table, true);
	if (!all.length) return [];
	const properties: INodeProperties[] = [...groups.values()].map(({ support, models }) => {
		const required = support.end === 'required';
		const property: INodeProperties = {
			displayName: 'End Frame',
			name: 'endImageSource',
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'From Binary Field', value: 'binary', description: "An image in the input item's binary data" },
				{ name: 'From URL', value: 'url' },
			].filter((option) => (option.value !== 'none' || !required) && (option.value !== 'binary' || endBinary(support))),
			default: 'none',
			description: required ? 'The image the video ends on (its last frame); this model needs one' : 'An image for the video to end on (its last frame)',
			displayOptions: { show: { operation: JOB_OPERATIONS, imageSource: IMAGE_MODES, model: models } },
		};
		// A literal default each (n8n's linter reads only literals): a model that needs an end frame starts at From URL.
		if (required) property.default = 'url';
		return property;
	});
	properties.push(
		{
			displayName: 'End Frame Binary Field',
			name: 'endImageBinaryProperty',
			type: 'string',
			default: 'end',
			placeholder: 'e.g. end',
			description: 'Name of the input binary field that holds the last frame',
			displayOptions: { show: { operation: JOB_OPERATIONS, imageSource: IMAGE_MODES, model: all, endImageSource: ['binary'] } },
		},
		{
			displayName: 'End Frame URL',
			name: 'endImageUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/last.jpg',
			description: urlDescription,
			displayOptions: { show: { operation: JOB_OPERATIONS, imageSource: IMAGE_MODES, model: all, endImageSource: ['url'] } },
		},
	);
	return properties;
}

/** Properties that apply to text-to-video only (the provider's image endpoint has no such field): hidden in image mode. */
export function textOnly(properties: INodeProperties[], names: string[]): INodeProperties[] {
	return properties.map((property) =>
		names.includes(property.name) ? { ...property, displayOptions: { ...property.displayOptions, hide: { ...property.displayOptions?.hide, imageSource: IMAGE_MODES } } } : property,
	);
}

/**
 * Properties of image-to-video models only (their own model ids): shown in image mode only, so that with
 * a model given by an expression (n8n then fills every model's fields) text mode keeps its own defaults.
 */
export function imageOnly(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({ ...property, displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, imageSource: IMAGE_MODES } } }));
}

const endBinary = (support: ImageSupport) => support.endBinary ?? support.binary;

export interface ImageRules {
	/** Every model of the node, to name the ones that take what was refused. */
	table: CapabilityTable;
	/** Binary images the provider takes, MIME type → file extension; none: any image/*. */
	mimeTypes?: Readonly<Record<string, string>>;
	/** The provider's largest image, in bytes (checked where n8n gives the size). */
	maxBytes?: number;
	/** Why some models take images by URL only (the error says it). */
	urlOnlyReason?: string;
	/** The provider's rule for an image address; returns what is wrong with it. */
	checkUrl?: (url: string) => string | undefined;
	/** The item's resolution, for models that take an end frame at some resolutions only. */
	resolution?: string;
}

const FIELDS = {
	image: { source: 'imageSource', binary: 'imageBinaryProperty', url: 'imageUrl', label: 'image', defaultProperty: 'data' },
	endImage: { source: 'endImageSource', binary: 'endImageBinaryProperty', url: 'endImageUrl', label: 'end frame', defaultProperty: 'end' },
} as const;

const HTTP_URL = /^https?:\/\/[^\s/]+\S*$/i;

/** The models for which `predicate` holds, as the Model list names them (errors name models so). */
const modelNamesWhere = (table: CapabilityTable, predicate: (model: ModelSpec) => boolean) =>
	table.models
		.filter(predicate)
		.map((m) => m.name)
		.join(', ');

/**
 * Reads and checks one item's images for `model`. Throws before any request: an image for a model
 * that takes none (naming the models that do), a binary image where only URLs go, a missing binary
 * field, a file type or size the provider refuses.
 */
export function readImages(ctx: IExecuteFunctions, itemIndex: number, model: ModelSpec | undefined, rules: ImageRules): ImageInputs {
	const param = paramReader(ctx, itemIndex);
	const fail = (field: string, message: string): never => {
		throw invalidInput(ctx.getNode(), itemIndex, [{ field, problem: message }]);
	};
	const sourceOf = (field: string, value: unknown): ImageSource => {
		const source = String(value ?? 'none') as ImageSource;
		return SOURCES.includes(source) ? source : fail(field, `"${source}" is not an image source: use none, binary or url`);
	};
	const source = sourceOf('imageSource', param('imageSource', 'none'));
	// The model's own problem (not a model of this node) is the schema's to report.
	if (!model) return {};
	const support = model.image;
	if (source === 'none') {
		if (support?.start === 'required') fail('imageSource', `${model.name} animates an image: set Image to From Binary Field or From URL`);
		return {};
	}
	if (!support) fail('imageSource', `${model.name} does not take an image. Models that do: ${modelNamesWhere(rules.table, (m) => !!m.image)}`);
	const image = readImage(ctx, itemIndex, 'image', source, model, support!.binary, rules, fail);

	// An end frame is read only where the model shows its fields; elsewhere it counts only if really given
	// (with a model from an expression, n8n fills the End Frame choice with its default).
	const endSource = sourceOf('endImageSource', param('endImageSource', 'none'));
	const endGiven = endSource === 'binary' || (endSource === 'url' && String(param('endImageUrl', '') ?? '').trim() !== '');
	if (!support!.end) {
		if (endGiven) fail('endImageSource', `${model.name} takes no end frame. Models that do: ${modelNamesWhere(rules.table, (m) => !!m.image?.end) || 'none'}`);
		return { image };
	}
	if (endSource === 'none') {
		if (support!.end === 'required') fail('endImageSource', `${model.name} needs an end frame (the last frame): set End Frame to From URL or From Binary Field`);
		return { image };
	}
	const resolutions = support!.endResolutions;
	if (resolutions && rules.resolution !== undefined && !resolutions.includes(rules.resolution))
		fail('endImageSource', `${model.name} takes an end frame at ${resolutions.join(', ')} only, not at ${rules.resolution}: choose ${resolutions.join(' or ')}, or no end frame`);
	return { image, endImage: readImage(ctx, itemIndex, 'endImage', endSource, model, endBinary(support!), rules, fail) };
}

function readImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	which: keyof typeof FIELDS,
	source: ImageSource,
	model: ModelSpec,
	binaryAllowed: boolean,
	rules: ImageRules,
	fail: (field: string, message: string) => never,
): ImageRef {
	const param = paramReader(ctx, itemIndex);
	const names = FIELDS[which];
	if (source === 'url') {
		const url = String(param(names.url, '') ?? '').trim();
		if (!url) fail(names.url, `the ${names.label} URL is empty`);
		const problem = rules.checkUrl ? rules.checkUrl(url) : HTTP_URL.test(url) ? undefined : `"${url}" is not an image URL: give a public http(s) address`;
		if (problem) fail(names.url, problem);
		return { source: 'url', url };
	}
	if (!binaryAllowed) {
		const binaryModels = modelNamesWhere(rules.table, (m) => !!m.image && (which === 'image' ? m.image.binary : !!m.image.end && endBinary(m.image)));
		fail(
			names.source,
			`${model.name} takes the ${names.label} by URL only${rules.urlOnlyReason ? ` (${rules.urlOnlyReason})` : ''}. Models that take it from a binary field: ${binaryModels || 'none'}`,
		);
	}
	const property = String(param(names.binary, names.defaultProperty) ?? '').trim();
	if (!property) fail(names.binary, `name the binary field that holds the ${names.label}`);
	const binary = binaryOf(ctx, itemIndex, property);
	if (!binary) {
		const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		fail(names.binary, `the input item has no binary field "${property}" (${present.length ? `its binary fields: ${present.join(', ')}` : 'it has no binary data'})`);
	}
	const mimeType = String(binary!.mimeType ?? '').split(';')[0].trim().toLowerCase();
	if (!mimeType.startsWith('image/')) fail(names.binary, `binary field "${property}" holds ${mimeType || 'data of unknown type'}, not an image`);
	if (rules.mimeTypes && !rules.mimeTypes[mimeType])
		fail(names.binary, `binary field "${property}" holds ${mimeType}; this provider takes ${[...new Set(Object.values(rules.mimeTypes))].join(', ')} images only`);
	const sizeBytes = typeof binary!.bytes === 'number' ? binary!.bytes : undefined;
	if (rules.maxBytes && sizeBytes !== undefined && sizeBytes > rules.maxBytes)
		fail(names.binary, `the image in "${property}" is ${megabytes(sizeBytes)}; this provider takes up to ${megabytes(rules.maxBytes)}`);
	const stored = binary!;
	return {
		source: 'binary',
		binaryProperty: property,
		mimeType,
		fileName: stored.fileName,
		fingerprint: stored.id ?? createHash('sha256').update(String(stored.data ?? '')).digest('hex'),
		sizeBytes,
		open: async () => await openBinary(ctx, stored),
	};
}

/** The item's binary field: `binary[property]`, or (n8n 2.x's combined mode) what n8n resolves the name to. */
function binaryOf(ctx: IExecuteFunctions, itemIndex: number, property: string): IBinaryData | undefined {
	const direct = ctx.getInputData()[itemIndex]?.binary?.[property];
	if (direct) return direct;
	try {
		return ctx.helpers.assertBinaryData(itemIndex, property);
	} catch {
		return undefined;
	}
}

/** The bytes of a binary field: streamed from n8n's store when it has them there, else the item's own. */
async function openBinary(ctx: IExecuteFunctions, binary: IBinaryData): Promise<UploadBody> {
	if (binary.id) {
		const metadata = await ctx.helpers.getBinaryMetadata(binary.id);
		const stream = await ctx.helpers.getBinaryStream(binary.id);
		return { data: stream, size: typeof metadata?.fileSize === 'number' ? metadata.fileSize : undefined };
	}
	const data = Buffer.from(binary.data, BINARY_ENCODING);
	return { data, size: data.length };
}

/** The whole image (for a data URI, which must hold every byte inside the request body). */
export async function imageBytes(image: ImageRef): Promise<Buffer> {
	if (!image.open) throw new Error('this image has no bytes to read: it is given by URL');
	const { data } = await image.open();
	if (Buffer.isBuffer(data)) return data;
	const chunks: Buffer[] = [];
	for await (const chunk of data) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

/** The file extension of a binary image: from its MIME type, else from its file name. */
export function imageExtension(image: ImageRef, byMimeType: Readonly<Record<string, string>>): string | undefined {
	const fromType = image.mimeType ? byMimeType[image.mimeType] : undefined;
	if (fromType) return fromType;
	return /\.([a-z0-9]+)$/i.exec(image.fileName ?? '')?.[1]?.toLowerCase();
}

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;
