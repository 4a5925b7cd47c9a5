'use strict';
// AI/ML API, as its API docs (github.com/aimlapi/api-docs) describe it, summed up in
// docs/providers/aiml-api.md, "The API as this node uses it": POST /v2/video/generations (and the legacy
// /v2/generate/video/pixverse/generation), GET the same path with ?generation_id=; errors use the
// envelope { message, path, requestId, statusCode, timestamp }; 403 means out of credits.
// Written from the API's docs, not from the node, so the tests catch a node that drifts from the API.
//
// Prompt directives pick the variants a client must handle (they can be combined):
//   [sandbox:http=201]         submit answers 201 instead of 200
//   [sandbox:final=succeeded]  success is reported as `succeeded` instead of `completed`
//   [sandbox:final=failed]     failure is reported as `failed` instead of `error`
//   [sandbox:pending=waiting]  `waiting` instead of `generating` while the job runs
//   [sandbox:error=detail]     a failed job's error is { detail: [{ loc, msg, type }] } instead of { name, message }
//   [sandbox:id=short]         a short nanoid-like id instead of `<uuid>:<model>`
//   [sandbox:usage=tokens]     `meta.usage.tokens_used` instead of `credits_used`
const crypto = require('node:crypto');
const { sendJson, parseJson } = require('../http');
const { directiveValues } = require('../directives');

const PIXVERSE = 'pixverse/v5/text-to-video';
const PIXVERSE_FIELDS = {
	aspect_ratio: ['16:9', '4:3', '1:1', '3:4', '9:16'],
	resolution: ['360p', '540p', '720p', '1080p'],
	style: ['anime', '3d_animation', 'clay', 'comic', 'cyberpunk'],
	lip_sync_tts_speaker: ['Harper', 'Ava', 'Isabella', 'Sophia', 'Emily', 'Chloe', 'Julia', 'Mason', 'Jack', 'Liam', 'James', 'Oliver', 'Adrian', 'Ethan', 'Auto'],
};
const PIXVERSE_KEYS = ['model', 'prompt', 'aspect_ratio', 'resolution', 'duration', 'negative_prompt', 'style', 'seed', 'lip_sync_tts_content', 'lip_sync_tts_speaker'];

const UNIVERSAL = '/v2/video/generations';
const LEGACY = '/v2/generate/video/pixverse/generation';

const MESSAGES = {
	400: 'Body validation error!',
	401: 'This request requires a valid API key. You can create a new API key on the Billing page: https://aimlapi.com/app/keys',
	403: "You've run out of credits. Please top up your balance or update your payment method to continue: https://aimlapi.com/app/billing/",
	404: 'Not Found',
	429: 'Too Many Requests',
	500: 'Internal server error',
	502: 'Bad Gateway',
	503: 'Service unavailable',
	504: 'Generation timeout',
};

const envelope = (path) => (status, message) => ({
	message: message ?? MESSAGES[status] ?? 'Something wrong with the server. Please, try again later.',
	path,
	requestId: crypto.randomUUID(),
	statusCode: status,
	timestamp: new Date().toISOString(),
});

// Image to video (aimlapi/api-docs, docs/api-references/video-models): the model id selects it on the same endpoint.
// Images are JSON strings: URLs, or data URIs where the model's docs take Base64 (`base64` below; the
// PixVerse V5 `image_url` is a URL only). Each submit's images are logged (`images`: a URL as given, a
// data URI as its MIME type, sha256 and size) and kept on the job.
const PIXVERSE_IMAGE_KEYS = PIXVERSE_KEYS.filter((key) => key !== 'aspect_ratio').concat('image_url');
const IMAGE_MODELS = {
	'pixverse/v5/image-to-video': { keys: PIXVERSE_IMAGE_KEYS, required: ['image_url'], base64: [], durations: [5, 8], pixverse: true },
	'pixverse/v5/transition': { keys: [...PIXVERSE_IMAGE_KEYS, 'tail_image_url'], required: ['image_url', 'tail_image_url'], base64: ['tail_image_url'], durations: [5, 8], pixverse: true },
	'klingai/v2.5-turbo/pro/image-to-video': {
		keys: ['model', 'prompt', 'image_url', 'duration', 'negative_prompt', 'cfg_scale', 'provider'],
		required: ['image_url'],
		base64: ['image_url'],
		durations: [5, 10],
	},
	'alibaba/wan2.5-i2v-preview': {
		keys: ['model', 'prompt', 'image_url', 'resolution', 'aspect_ratio', 'duration', 'negative_prompt', 'seed', 'enhance_prompt'],
		required: ['image_url'],
		base64: ['image_url'],
		durations: [5, 10],
		fields: { resolution: ['480p', '720p', '1080p'], aspect_ratio: ['16:9', '9:16', '1:1'] },
	},
};
const IMAGE_FIELDS = ['image_url', 'tail_image_url', 'last_image_url'];
const DATA_URI = /^data:(image\/[\w.+-]+);base64,([A-Za-z0-9+/=]+)$/;

function validateImageModel(body) {
	const spec = IMAGE_MODELS[body.model];
	for (const key of Object.keys(body)) if (!spec.keys.includes(key)) return `Body validation error! Unrecognized key: "${key}"`;
	for (const key of spec.required) if (body[key] === undefined) return `Body validation error! ${key}: Required`;
	for (const key of IMAGE_FIELDS.filter((k) => body[k] !== undefined)) {
		const value = String(body[key]);
		if (DATA_URI.test(value) ? !spec.base64.includes(key) : !/^https?:\/\/\S+$/.test(value)) return `Body validation error! ${key}: Invalid url`;
	}
	const fields = spec.pixverse ? { resolution: PIXVERSE_FIELDS.resolution, style: PIXVERSE_FIELDS.style } : (spec.fields ?? {});
	for (const [key, allowed] of Object.entries(fields))
		if (body[key] !== undefined && !allowed.includes(body[key])) return `Body validation error! ${key}: Invalid enum value. Expected ${allowed.map((v) => `'${v}'`).join(' | ')}, received '${body[key]}'`;
	if (body.duration !== undefined && !spec.durations.includes(Number(body.duration)))
		return `Body validation error! duration: Invalid enum value. Expected ${spec.durations.join(' | ')}, received '${body.duration}'`;
	if (spec.pixverse && Number(body.duration ?? 5) === 8 && (body.resolution ?? '720p') === '1080p') return 'Body validation error! The 1080p quality option does not support 8-second videos';
	return undefined;
}

/** A submit's images: URLs as given, data URIs as their type and the digest of their bytes. */
function imagesOf(body) {
	if (!body || typeof body !== 'object') return [];
	return IMAGE_FIELDS.filter((field) => typeof body[field] === 'string').map((field) => {
		const match = DATA_URI.exec(body[field]);
		if (!match) return { field, kind: 'url', url: body[field] };
		const bytes = Buffer.from(match[2], 'base64');
		return { field, kind: 'base64', mimeType: match[1], sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
	});
}

function validate(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Body validation error! Expected object';
	if (typeof body.model !== 'string' || !body.model) return 'Body validation error! model: Required';
	if (typeof body.prompt !== 'string' || !body.prompt.trim()) return 'Body validation error! prompt: Required';
	if (IMAGE_MODELS[body.model]) return validateImageModel(body);
	if (body.model !== PIXVERSE) return /^[\w.-]+(\/[\w.-]+)*$/.test(body.model) ? undefined : `Body validation error! model: Invalid model "${body.model}"`;
	for (const key of Object.keys(body)) if (!PIXVERSE_KEYS.includes(key)) return `Body validation error! Unrecognized key: "${key}"`;
	for (const [key, allowed] of Object.entries(PIXVERSE_FIELDS))
		if (body[key] !== undefined && !allowed.includes(body[key]))
			return `Body validation error! ${key}: Invalid enum value. Expected ${allowed.map((v) => `'${v}'`).join(' | ')}, received '${body[key]}'`;
	// The spec types duration as an integer but writes its default as the string "5": take both.
	const duration = body.duration === undefined ? 5 : ['number', 'string'].includes(typeof body.duration) ? Number(body.duration) : NaN;
	if (![5, 8].includes(duration))
		return `Body validation error! duration: Invalid enum value. Expected 5 | 8, received '${body.duration}'`;
	if (duration === 8 && (body.resolution ?? '720p') === '1080p') return 'Body validation error! The 1080p quality option does not support 8-second videos';
	if (body.seed !== undefined && !Number.isInteger(body.seed)) return `Body validation error! seed: Expected integer, received ${typeof body.seed}`;
	for (const key of ['negative_prompt', 'lip_sync_tts_content'])
		if (body[key] !== undefined && typeof body[key] !== 'string') return `Body validation error! ${key}: Expected string, received ${typeof body[key]}`;
	return undefined;
}

function generation(sandbox, job) {
	const state = sandbox.jobState(job);
	const v = job.variants;
	const words = {
		queued: 'queued',
		processing: v.pending === 'waiting' ? 'waiting' : 'generating',
		completed: v.final === 'succeeded' ? 'succeeded' : 'completed',
		failed: v.final === 'failed' ? 'failed' : 'error',
	};
	words.moderated = words.failed;
	words.canceled = words.failed;
	const done = state === 'completed';
	const failed = !done && words[state] === words.failed;
	const reason =
		state === 'moderated'
			? { name: 'ContentModerationError', message: 'The prompt was flagged as sensitive content by the content moderation system' }
			: { name: 'GenerationError', message: 'The video generation failed on the provider side' };
	const error = !failed
		? null
		: v.error === 'detail'
			? { detail: [{ loc: ['body', 'prompt'], msg: reason.message, type: 'value_error' }] }
			: reason;
	const usage = v.usage === 'tokens' ? { tokens_used: job.credits } : { credits_used: job.credits };
	const { size } = sandbox.expectedVideo(job);
	return {
		id: job.id,
		status: words[state],
		video: done ? { url: sandbox.videoUrl(job), content_type: 'video/mp4', file_name: 'output.mp4', file_size: size } : null,
		error,
		meta: { usage },
	};
}

// The sandbox's own prices (a per-video price by resolution, in USD at 2,000,000 credits per $): what a
// job is charged, and what the catalogue quotes for PixVerse v5, so an estimate matches the charge.
const SANDBOX_PRICES = { '1080p': 0.12, other: 0.06 };
const chargeOf = (request) => Math.round((request.resolution === '1080p' ? SANDBOX_PRICES['1080p'] : SANDBOX_PRICES.other) * 2_000_000);

/** GET /v1/models?id=…&include=pricing: PixVerse v5 text-to-video priced by resolution; other models unpriced (`variable`). */
function catalogue(id) {
	if (!id) return { object: 'list', data: [] };
	const pricing =
		id === PIXVERSE
			? {
					kind: 'variants',
					currency: 'USD',
					dimensions: ['resolution'],
					variants: ['360p', '540p', '720p', '1080p'].map((resolution) => ({
						when: { resolution },
						price: resolution === '1080p' ? SANDBOX_PRICES['1080p'] : SANDBOX_PRICES.other,
						unit: 'video',
						per: 1,
					})),
				}
			: { kind: 'variable', currency: 'USD' };
	return { object: 'list', data: [{ id, aliases: [], type: 'video', info: { name: id }, pricing }] };
}

async function handle(sandbox, { req, res, url, path, body }) {
	const legacy = path === LEGACY;
	const generations = path === UNIVERSAL || legacy;
	const route = generations
		? req.method === 'POST'
			? 'submit'
			: req.method === 'GET'
				? 'poll'
				: 'unknown'
		: path === '/v2/billing' && req.method === 'GET'
			? 'account'
			: path === '/v1/billing/balance' && req.method === 'GET'
				? 'balance'
				: path === '/v1/models' && req.method === 'GET'
					? 'catalogue'
					: 'unknown';
	// The model catalogue needs no key (docs.aimlapi.com "Complete Model List").
	if (route === 'catalogue') {
		sandbox.log(req, 'aimlApi', route, {});
		if (await sandbox.applyFault(res, 'aimlApi', route, envelope(path))) return;
		return sendJson(res, 200, catalogue(url.searchParams.get('id')));
	}
	const request = parseJson(body);
	sandbox.log(req, 'aimlApi', route, { body: request, legacy, ...(route === 'submit' ? { images: imagesOf(request) } : {}) });
	const errorBody = envelope(path);
	if (!sandbox.authorized(req)) return sendJson(res, 401, errorBody(401));
	if (await sandbox.applyFault(res, 'aimlApi', route, errorBody)) return;

	if (route === 'account') return sendJson(res, 200, { current_balance: 123.45, currency: 'USD' });
	// billing.aimlapi.com's GET /v1/billing/balance (docs.aimlapi.com "Account Balance"), served under the API root.
	if (route === 'balance')
		return sendJson(res, 200, {
			balance: sandbox.balances.aimlApi,
			lowBalance: sandbox.balances.aimlApi < 10000,
			lowBalanceThreshold: 10000,
			lastUpdated: new Date().toISOString(),
			autoDebitStatus: 'disabled',
			status: 'current',
			statusExplanation: 'Balance is current and up to date',
		});
	if (route === 'submit') {
		const problem = request === null ? 'Body validation error! Invalid JSON' : validate(request);
		if (problem) return sendJson(res, 400, errorBody(400, problem));
		if (legacy && request.model !== PIXVERSE) return sendJson(res, 400, errorBody(400, `Body validation error! model: Expected '${PIXVERSE}'`));
		const v = directiveValues(request.prompt);
		const id = v.id === 'short' ? crypto.randomBytes(16).toString('base64url').slice(0, 21) : `${crypto.randomUUID()}:${request.model}`;
		const job = sandbox.createJob('aimlApi', { id, prompt: request.prompt, request });
		job.variants = v;
		job.images = imagesOf(request);
		job.credits = chargeOf(request);
		sandbox.charge('aimlApi', job.credits);
		return sendJson(res, v.http === '201' ? 201 : 200, { id: job.id, status: 'queued', meta: { usage: v.usage === 'tokens' ? { tokens_used: job.credits } : { credits_used: job.credits } } });
	}
	if (route === 'poll') {
		const id = url.searchParams.get('generation_id');
		if (!id) return sendJson(res, 400, errorBody(400, 'Body validation error! generation_id: Required'));
		const job = sandbox.findJob('aimlApi', id);
		if (!job) return sendJson(res, 404, errorBody(404, `Generation ${id} not found`));
		if (sandbox.countPoll(res, job, errorBody)) return;
		return sendJson(res, 200, generation(sandbox, job));
	}
	return sendJson(res, 404, errorBody(404, `Cannot ${req.method} ${path}`));
}

module.exports = { name: 'aimlApi', prefix: '/aimlapi', baseUrlPath: '/aimlapi', handle, PIXVERSE_FIELDS };
