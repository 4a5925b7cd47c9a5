'use strict';
// Magic Hour, as its OpenAPI file (github.com/magichourhq/docs, api-reference/openapi.json) describes it,
// summed up in docs/providers/magic-hour.md, "The API as this node uses it": POST /v1/text-to-video, GET and DELETE
// /v1/video-projects/{id}, GET /v1/account; errors are `{ message }`. The model table is read from the
// provider's own spec (specs/magic-hour/), not imported from the node, so the tests catch a node that
// drifts from the API.
//
// Image to video (the same OpenAPI file and integration/inputs-and-outputs.mdx): POST /v1/files/upload-urls hands out presigned
// upload URLs on this sandbox (PUT /magichour/uploads/api-assets/…?auth-value=…, no API key: a request
// that carries an Authorization header too is refused, as object storage refuses two auth mechanisms,
// and so is a chunked body without Content-Length); POST /v1/image-to-video takes `assets.image_file_path`
// (an uploaded file path, or an http(s) URL whose path ends in an image extension) and, per model and
// resolution, `assets.end_image_file_path`; it has no `aspect_ratio`. Every upload is logged as route
// `upload` with the sha256 and size of the bytes received, and the job keeps its images' digests.
const crypto = require('node:crypto');
const { sendJson, parseJson } = require('../http');

const range = (from, to, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

// The current models, read from Magic Hour's own OpenAPI file as pinned in specs/magic-hour/ (the lists its
// field descriptions spell out per model); `default` takes what either of the models it stands for
// (paid and free plans) takes. Legacy ids, still in the spec's `model` enum but no longer documented,
// keep the lists of the last spec that documented them (2026-03-24).
const spec = require('../../scripts/specs/magic-hour.js');
const MATRIX = spec.matrix(spec.loadPinned());
const CURRENT = Object.fromEntries(
	Object.keys(MATRIX.durations).map((id) => [
		id,
		{ seconds: MATRIX.durations[id], aspect: MATRIX.aspectRatios[id], resolution: MATRIX.resolutions[id], audio: MATRIX.audio[id], endFrame: MATRIX.endFrame[id] },
	]),
);
const union = (a, b) => [...new Set([...(a ?? []), ...(b ?? [])])];
const paid = CURRENT[MATRIX.defaultModel.paid];
const free = CURRENT[MATRIX.defaultModel.free];
const MODELS = {
	default: {
		seconds: union(paid.seconds, free.seconds),
		aspect: union(paid.aspect, free.aspect),
		resolution: union(paid.resolution, free.resolution),
		audio: 'toggle',
		endFrame: { resolutions: union(paid.endFrame?.resolutions, free.endFrame?.resolutions) },
	},
	...CURRENT,
	'ltx-2': { seconds: [...range(3, 10), 15, 20, 25, 30], aspect: ['9:16', '16:9', '1:1'], resolution: ['480p', '720p', '1080p'], audio: 'always', endFrame: null },
	seedance: { seconds: range(2, 12), aspect: ['9:16', '16:9', '1:1'], resolution: ['480p', '720p', '1080p'], audio: 'none', endFrame: { resolutions: ['480p', '720p', '1080p'] } },
	'kling-2.5': { seconds: [5, 10], aspect: ['9:16', '16:9', '1:1'], resolution: ['720p', '1080p'], audio: 'always', endFrame: { resolutions: ['1080p'] } },
	'kling-1.6': { seconds: range(5, 60, 5), aspect: ['9:16', '16:9', '1:1'], resolution: ['720p', '1080p'], audio: 'none', endFrame: null },
};
const ALIASES = { 'kling-2.5-audio': 'kling-2.5', 'veo3.1-audio': 'veo3.1' };

const errorBody = (status, message) =>
	({ message: message ?? { 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment required', 404: 'Not Found', 422: 'Unable to create video', 429: 'Too Many Requests' }[status] ?? 'Internal Server Error' });

function validate(body, imageToVideo = false) {
	if (!body) return 'Missing request body';
	const prompt = body.style?.prompt;
	// Image to video: style.prompt is optional.
	if ((!imageToVideo || prompt !== undefined) && (typeof prompt !== 'string' || prompt.length < 1 || prompt.length > 2000))
		return 'style.prompt is required and must be 1 to 2000 characters';
	if (typeof body.end_seconds !== 'number') return 'end_seconds is required and must be a number';
	const modelName = body.model ?? 'default';
	const model = MODELS[ALIASES[modelName] ?? modelName];
	if (!model) return `model must be one of ${[...Object.keys(MODELS), ...Object.keys(ALIASES)].join(', ')}`;
	if (!model.seconds.includes(body.end_seconds))
		return `end_seconds ${body.end_seconds} is not supported by ${modelName}: ${model.seconds.join(', ')}`;
	if (body.aspect_ratio !== undefined && !model.aspect.includes(body.aspect_ratio))
		return `aspect_ratio ${body.aspect_ratio} is not supported by ${modelName}: ${model.aspect.join(', ')}`;
	if (body.resolution !== undefined && !model.resolution.includes(body.resolution))
		return `resolution ${body.resolution} is not supported by ${modelName}: ${model.resolution.join(', ')}`;
	if (body.audio === true && model.audio === 'none') return `audio is not supported by ${modelName}`;
	if (body.audio === false && model.audio === 'always') return `audio cannot be turned off for ${modelName}`;
	return undefined;
}

const STATUS = { queued: 'queued', processing: 'rendering', completed: 'complete', failed: 'error', moderated: 'error', canceled: 'canceled' };

function project(sandbox, job) {
	const state = sandbox.jobState(job);
	const status = STATUS[state];
	const done = status === 'complete';
	const expiresAt = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
	// `[sandbox:nodownloads]`: complete, but with no downloads (the node must fail, naming the project).
	const empty = /\[sandbox:nodownloads\]/i.test(String(job.prompt));
	const downloads = done && !empty ? [{ url: sandbox.videoUrl(job), expires_at: expiresAt }] : [];
	const error =
		state === 'failed'
			? { code: 'processing_timeout', message: 'The render did not finish in time' }
			: state === 'moderated'
				? { code: 'content_policy_violation', message: 'The prompt was flagged by content moderation' }
				: null;
	// Credits: an estimate until complete, the actual frames then, refunded on failure.
	const credits = done ? job.finalCredits : status === 'error' || status === 'canceled' ? 0 : job.estimatedCredits;
	return {
		id: job.id,
		name: job.request.name ?? `${job.request.assets ? 'Image' : 'Text'} To Video - ${new Date(job.createdAt).toISOString()}`,
		status,
		type: job.request.assets ? 'IMAGE_TO_VIDEO' : 'TEXT_TO_VIDEO',
		created_at: new Date(job.createdAt).toISOString(),
		width: done ? 1280 : -1,
		height: done ? 720 : -1,
		enabled: true,
		start_seconds: 0,
		end_seconds: job.request.end_seconds,
		fps: 30,
		credits_charged: credits,
		total_frame_cost: credits,
		error,
		downloads,
		download: downloads[0] ?? null,
	};
}

// Image extensions of the upload flow and of image URLs (spec HEAD); end frames by model: MODELS.
const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'jfif', 'heic', 'heif', 'webp', 'avif', 'jp2', 'tiff', 'tif', 'bmp'];
const UPLOAD_URL_LIFETIME_MS = 3600 * 1000;

/** Per sandbox: the upload URLs handed out, by file path, with what each received. */
const UPLOADS = new WeakMap();
function uploadsOf(sandbox) {
	if (!UPLOADS.has(sandbox)) UPLOADS.set(sandbox, new Map());
	return UPLOADS.get(sandbox);
}

/** POST /v1/files/upload-urls: one presigned URL and file path per item. */
function uploadUrls(sandbox, res, request) {
	if (!request) return sendJson(res, 400, errorBody(400, 'Missing request body'));
	if (!Array.isArray(request.items) || request.items.length < 1) return sendJson(res, 400, errorBody(400, 'items must be an array of at least 1 item'));
	for (const item of request.items) {
		if (!['video', 'audio', 'image'].includes(item?.type)) return sendJson(res, 400, errorBody(400, 'items.type must be one of video, audio, image'));
		if (typeof item.extension !== 'string' || !/^[a-z0-9]+$/.test(item.extension)) return sendJson(res, 400, errorBody(400, 'items.extension must match ^[a-z0-9]+$'));
		if (item.type === 'image' && !IMAGE_EXTENSIONS.includes(item.extension))
			return sendJson(res, 422, errorBody(422, `'${item.extension}' is an invalid image extension. Possible extensions are '${IMAGE_EXTENSIONS.join(', ')}'`));
	}
	const uploads = uploadsOf(sandbox);
	const items = request.items.map((item) => {
		const filePath = `api-assets/sandbox/${crypto.randomUUID()}.${item.extension}`;
		const token = crypto.randomBytes(12).toString('hex');
		const expiresAt = Date.now() + UPLOAD_URL_LIFETIME_MS;
		uploads.set(filePath, { token, type: item.type, expiresAt, received: undefined });
		return { upload_url: `${sandbox.apiOrigin}/magichour/uploads/${filePath}?auth-value=${token}`, expires_at: new Date(expiresAt).toISOString(), file_path: filePath };
	});
	return sendJson(res, 200, { items });
}

/** PUT <upload_url>: the presigned URL is its own authorization; the bytes are kept as their digest. */
async function receiveUpload(sandbox, { req, res, url, path, body }) {
	const filePath = decodeURIComponent(path.slice('/uploads/'.length));
	const bytes = body ?? Buffer.alloc(0);
	const received = {
		filePath,
		sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
		size: bytes.length,
		contentType: req.headers['content-type'],
		contentLength: req.headers['content-length'],
	};
	sandbox.log(req, 'magicHour', 'upload', { image: received });
	const fail = (status, code) => {
		res.writeHead(status, { 'content-type': 'text/plain' });
		res.end(code);
	};
	if (await sandbox.applyFault(res, 'magicHour', 'upload', errorBody)) return;
	const upload = uploadsOf(sandbox).get(filePath);
	if (req.method !== 'PUT') return fail(405, 'MethodNotAllowed');
	if (!upload || url.searchParams.get('auth-value') !== upload.token) return fail(403, 'SignatureDoesNotMatch');
	if (Date.now() > upload.expiresAt) return fail(403, 'Request has expired');
	if (req.headers.authorization) return fail(400, 'InvalidArgument: Only one auth mechanism allowed');
	if (req.headers['content-length'] === undefined) return fail(411, 'MissingContentLength');
	if (!bytes.length) return fail(400, 'The file is empty');
	upload.received = received;
	res.writeHead(200, { 'content-length': 0 });
	res.end();
}

/** What is wrong with an image address of `assets`, if anything. */
function assetProblem(sandbox, key, value) {
	if (typeof value !== 'string' || !value) return `assets.${key} must be a non-empty string`;
	if (value.startsWith('api-assets/')) return uploadsOf(sandbox).get(value)?.received ? undefined : `assets.${key} ${value} was not uploaded`;
	let url;
	try {
		url = new URL(value);
	} catch {
		return `assets.${key} must be a URL or a file path from POST /v1/files/upload-urls`;
	}
	if (!/^https?:$/.test(url.protocol)) return `assets.${key} must be an http(s) URL`;
	if (/(^|\.)magichour\.ai$/.test(url.hostname) && url.pathname === '/my-library') return undefined;
	const extension = /\.([a-z0-9]+)$/i.exec(url.pathname)?.[1]?.toLowerCase();
	if (!IMAGE_EXTENSIONS.includes(extension)) return `assets.${key} must include the file extension (${IMAGE_EXTENSIONS.join(', ')})`;
	return undefined;
}

/** POST /v1/image-to-video: text to video's rules without aspect_ratio, plus the images. */
function validateImageToVideo(sandbox, body) {
	if (!body) return 'Missing request body';
	if (body.aspect_ratio !== undefined) return 'aspect_ratio is not a field of image-to-video: the video takes the shape of the image';
	if (!body.assets || typeof body.assets !== 'object') return 'assets is required';
	const problem = validate(body, true);
	if (problem) return problem;
	for (const key of ['image_file_path', 'end_image_file_path']) {
		if (key === 'end_image_file_path' && body.assets[key] === undefined) continue;
		const wrong = assetProblem(sandbox, key, body.assets[key]);
		if (wrong) return wrong;
	}
	if (body.assets.end_image_file_path !== undefined) {
		const modelName = ALIASES[body.model] ?? body.model ?? 'default';
		const endFrame = MODELS[modelName]?.endFrame;
		if (!endFrame) return `assets.end_image_file_path is not supported by ${body.model ?? 'default'}`;
		const resolution = body.resolution ?? '720p';
		if (!endFrame.resolutions.includes(resolution)) return `assets.end_image_file_path is supported by ${body.model} at ${endFrame.resolutions.join(', ')} only`;
		if (endFrame.maxSeconds && body.end_seconds > endFrame.maxSeconds) return `assets.end_image_file_path requires a duration of ${endFrame.maxSeconds} seconds or less on ${body.model}`;
	}
	return undefined;
}

/** The digests of a job's images: uploaded bytes by file path, URLs as given. */
function imagesOf(sandbox, assets) {
	const one = (value) => (value === undefined ? undefined : value.startsWith('api-assets/') ? { filePath: value, ...uploadsOf(sandbox).get(value).received } : { url: value });
	return { image: one(assets.image_file_path), endImage: one(assets.end_image_file_path) };
}

async function handle(sandbox, { req, res, url, path, body }) {
	// A presigned upload URL: its own authorization, no API key.
	if (path.startsWith('/uploads/')) return await receiveUpload(sandbox, { req, res, url, path, body });
	const imageToVideo = req.method === 'POST' && path === '/v1/image-to-video';
	const submit = (req.method === 'POST' && path === '/v1/text-to-video') || imageToVideo;
	const projectMatch = /^\/v1\/video-projects\/([^/]+)$/.exec(path);
	const uploadUrlsRoute = req.method === 'POST' && path === '/v1/files/upload-urls';
	const route = submit ? 'submit' : projectMatch ? (req.method === 'DELETE' ? 'cancel' : 'poll') : path === '/v1/account' ? 'account' : uploadUrlsRoute ? 'uploadUrls' : 'unknown';
	sandbox.log(req, 'magicHour', route, { body: parseJson(body) });
	if (!sandbox.authorized(req)) return sendJson(res, 401, errorBody(401));
	if (await sandbox.applyFault(res, 'magicHour', route, errorBody)) return;

	if (route === 'account') return sendJson(res, 200, { id: 'sandbox-user', email: 'sandbox@example.com', credits: 100000 });
	if (route === 'uploadUrls') return uploadUrls(sandbox, res, parseJson(body));
	if (route === 'submit') {
		const request = parseJson(body);
		const problem = request === null ? 'Invalid JSON body' : imageToVideo ? validateImageToVideo(sandbox, request) : validate(request);
		if (problem) return sendJson(res, 400, errorBody(400, problem));
		const job = sandbox.createJob('magicHour', { id: `cm${Math.random().toString(36).slice(2, 14)}`, prompt: request.style?.prompt, request });
		if (imageToVideo) job.images = imagesOf(sandbox, request.assets);
		job.estimatedCredits = Math.round(request.end_seconds * 30 * 3);
		job.finalCredits = Math.round(request.end_seconds * 29 * 3);
		return sendJson(res, 200, { id: job.id, credits_charged: job.estimatedCredits, estimated_frame_cost: job.estimatedCredits });
	}
	if (projectMatch) {
		const job = sandbox.findJob('magicHour', decodeURIComponent(projectMatch[1]));
		if (!job) return sendJson(res, 404, errorBody(404));
		if (route === 'cancel') {
			job.canceled = true;
			res.writeHead(204).end();
			return;
		}
		if (sandbox.countPoll(res, job, errorBody)) return;
		return sendJson(res, 200, project(sandbox, job));
	}
	return sendJson(res, 404, errorBody(404));
}

module.exports = { name: 'magicHour', prefix: '/magichour', baseUrlPath: '/magichour', handle, MODELS };
