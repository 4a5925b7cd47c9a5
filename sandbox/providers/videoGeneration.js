'use strict';
// A generic OpenAI-style video gateway (QuantumNous/new-api and its forks, and OpenAI's Videos API), as
// docs/providers/video-generation-api.md ("The API as this node uses it") sums them up, written from
// their docs and code and not from the node, so the
// tests catch a node that drifts from what gateways serve:
//   GET  /v1/models                         the model list (OpenAI shape)
//   POST /v1/video/generations              the task API: JSON or multipart
//   GET  /v1/video/generations/{task_id}    the task, in one of the dialects below
//   POST /v1/videos                         the OpenAI Videos API: JSON or multipart (input_reference file)
//   GET  /v1/videos/{id}                    the OpenAI video object
//   GET  /v1/videos/{id}/content            the bytes, with the same Bearer token (new-api's VideoProxy)
//   GET  /v1/videos, DELETE /v1/videos/{id}  list and delete, as the OpenAI SDK has them
// The path after the prefix picks a dialect, so a credential's Base URL selects one without any
// control call (a gateway root is `<prefix>` or `<prefix>/<dialect>`):
//   (none)       new-api's code: submits answer the OpenAI video object, the task GET answers the
//                envelope {code:"success", data: TaskDto} with capital statuses, progress "30%",
//                result_url and fail_reason
//   documented   docs.newapi.pro: submit answers {task_id, status}; the task GET answers the flat
//                {task_id, status, url, format, metadata, error} (error is {code:0,message:""} even
//                on success, as in the docs' example)
//   realtime     the Gemini/Vertex channels: the envelope holds {status: queued|processing|
//                succeeded|failed, url, error}
//   nomodels     as the default, but /v1/models is not served (404), as on many small gateways
// The sandbox honours the task API's `n` (one CDN video per n) [inferred: the relay ignores it];
// the results of a job with n > 1 are listed in `urls` (flat) and `result_urls` (envelope) [inferred].
const crypto = require('node:crypto');
const { sendJson, parseJson, parseMultipart } = require('../http');

const PROVIDER = 'videoGeneration';
const DIALECTS = ['documented', 'realtime', 'nomodels'];
const MODELS = ['kling-v2-5-turbo', 'kling-v2-1-master', 'veo_3_1', 'veo_3_1-fast', 'sora-2', 'sora-2-pro', 'gpt-4o-mini'];
const SORA_SIZES = { 'sora-2': ['720x1280', '1280x720'], 'sora-2-pro': ['720x1280', '1280x720', '1024x1792', '1792x1024', '1080x1920', '1920x1080'] };
const SORA_SECONDS = ['4', '8', '12', '16', '20'];
const OVERLOADED = '当前分组上游负载已饱和，请稍后再试';
const NO_QUOTA = '用户额度不足, 剩余额度: ＄0.000000';

const requestId = () => `${new Date().toISOString().replace(/\D/g, '').slice(0, 17)}${crypto.randomBytes(4).toString('hex')}`;
const unixSeconds = (ms) => Math.floor(ms / 1000);
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** new-api's public task ids: `task_` and 32 random letters and digits. */
const taskId = () => `task_${Array.from(crypto.randomBytes(32), (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')}`;

// Error bodies: the task relay's {code, message, data}; OpenAI's {error:{message,type,param,code}}
// on /v1/videos; new-api's middleware {error:{message,type:"new_api_error"}} before any relay.
const TASK_CODES = { 400: 'invalid_request', 401: 'unauthorized', 403: 'insufficient_user_quota', 404: 'not_found', 429: 'upstream_overloaded', 500: 'do_request_failed', 502: 'fail_to_fetch_task', 503: 'service_unavailable' };
const defaultMessage = (status) => ({ 403: NO_QUOTA, 429: OVERLOADED }[status] ?? TASK_CODES[status] ?? 'upstream error');
const taskError = (status, message, code) => ({ code: code ?? TASK_CODES[status] ?? 'do_request_failed', message: message ?? defaultMessage(status), data: null });
const openAiError = (status, message, code, param = null) => ({
	error: { message: message ?? defaultMessage(status), type: status === 403 || status === 401 ? 'new_api_error' : 'invalid_request_error', param, code: code ?? TASK_CODES[status] ?? null },
});
const middlewareError = (message) => ({ error: { message: `${message} (request id: ${requestId()})`, type: 'new_api_error' } });

/** The request body as fields, from JSON or multipart; null when it cannot be read. */
function readRequest(req, body) {
	const type = req.headers['content-type'] ?? '';
	if (/^multipart\/form-data/i.test(type)) {
		const form = parseMultipart(body, type);
		return form && { ...form.fields, ...Object.fromEntries(Object.entries(form.files).map(([name, file]) => [name, { file: true, filename: file.filename, contentType: file.contentType, size: file.size }])), multipart: true };
	}
	const parsed = parseJson(body);
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
}

const isInt = (value) => Number.isInteger(value);
const isImage = (value) => typeof value === 'string' && (/^https?:\/\/\S+$/.test(value) || /^data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=]+$/.test(value));

/** The task API's checks (TaskSubmitReq): a problem as [code, message], or undefined. */
function checkTask(request) {
	if (typeof request.prompt !== 'string' || !request.prompt.trim()) return ['invalid_request', 'prompt is required'];
	// duration: an int or a string of one; a Go int field refuses 5.5.
	if (request.duration !== undefined && !isInt(request.duration) && !/^\d+$/.test(String(request.duration)))
		return ['invalid_json', `json: cannot unmarshal ${typeof request.duration} into Go struct field TaskSubmitReq.duration of type int`];
	for (const name of ['width', 'height', 'fps', 'seed', 'n'])
		if (request[name] !== undefined && !isInt(request[name])) return ['invalid_json', `json: cannot unmarshal ${JSON.stringify(request[name])} into Go struct field VideoRequest.${name} of type int`];
	if (request.metadata !== undefined) {
		const metadata = typeof request.metadata === 'string' ? parseJson(Buffer.from(request.metadata)) : request.metadata;
		if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) return ['invalid_json', 'metadata must be an object or a JSON-encoded object'];
	}
	if (request.image !== undefined && !isImage(request.image)) return ['invalid_request', 'image must be a URL or a base64 data URI'];
	return undefined;
}

/** The OpenAI Videos API's checks (new-api's ValidateMultipartDirect + OpenAI's values for Sora). */
function checkVideos(request) {
	if (typeof request.prompt !== 'string' || !request.prompt.trim()) return ['missing_required_parameter', "Missing required parameter: 'prompt'.", 'prompt'];
	if (typeof request.model !== 'string' || !request.model) return ['missing_model', 'model is required', 'model'];
	const seconds = request.seconds === undefined ? undefined : String(request.seconds);
	if (seconds !== undefined && !/^\d+$/.test(seconds)) return ['invalid_value', `Invalid value: '${seconds}'. seconds must be a whole number of seconds.`, 'seconds'];
	if (request.size !== undefined && !/^\d+x\d+$/.test(String(request.size))) return ['invalid_size', `Invalid size '${request.size}': expected WIDTHxHEIGHT such as 1280x720`, 'size'];
	const sora = SORA_SIZES[request.model.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
	if (sora && request.size !== undefined && !sora.includes(String(request.size)))
		return ['invalid_size', `Invalid size '${request.size}' for ${request.model}. Supported: ${sora.join(', ')}`, 'size'];
	if (sora && seconds !== undefined && !SORA_SECONDS.includes(seconds))
		return ['invalid_value', `Invalid value: '${seconds}'. Supported values are: ${SORA_SECONDS.map((s) => `'${s}'`).join(', ')}.`, 'seconds'];
	const reference = request.input_reference;
	if (reference !== undefined && !(reference.file || isImage(reference) || isImage(reference?.image_url)))
		return ['invalid_value', 'input_reference must be an image file, an image URL or a data URI', 'input_reference'];
	return undefined;
}

function createJob(sandbox, request, route) {
	const job = sandbox.createJob(PROVIDER, { id: taskId(), prompt: request.prompt, request });
	job.route = route;
	job.model = request.model ?? 'kling-v1';
	job.count = route === 'generations' && isInt(request.n) && request.n > 1 ? request.n : 1;
	const seconds = request.seconds ?? request.duration;
	job.seconds = seconds === undefined ? (route === 'videos' ? '4' : undefined) : String(seconds);
	job.size = request.size ?? (isInt(request.width) && isInt(request.height) ? `${request.width}x${request.height}` : route === 'videos' ? '720x1280' : undefined);
	return job;
}

/** The job's state in the sandbox's words, its progress 0..100, and why it failed. */
function facts(sandbox, job) {
	const state = sandbox.jobState(job);
	const elapsed = Date.now() - job.createdAt;
	const progress = state === 'completed' ? 100 : state === 'queued' ? 0 : Math.min(99, Math.floor((elapsed / job.durationMs) * 100));
	const failure =
		state === 'failed'
			? { code: 'video_generation_failed', message: 'upstream task failed: the render did not finish in time' }
			: state === 'moderated'
				? { code: 'moderation_blocked', message: 'The prompt was flagged by content moderation (sensitive content)' }
				: state === 'canceled'
					? { code: 'canceled', message: 'the task was canceled' }
					: undefined;
	const urls = state === 'completed' ? Array.from({ length: job.count }, (_, i) => sandbox.videoUrl(job, i)) : [];
	return { state, progress, failure, urls };
}

/** OpenAI's video object, with new-api's task_id and metadata.url. */
function videoObject(sandbox, job) {
	const { state, progress, failure, urls } = facts(sandbox, job);
	const status = { queued: 'queued', processing: 'in_progress', completed: 'completed' }[state] ?? 'failed';
	const done = state === 'completed';
	return {
		id: job.id,
		task_id: job.id,
		object: 'video',
		model: job.model,
		status,
		progress,
		created_at: unixSeconds(job.createdAt),
		completed_at: done ? unixSeconds(job.finishedAt) : null,
		expires_at: done ? unixSeconds(job.finishedAt) + 24 * 3600 : null,
		prompt: job.prompt,
		seconds: job.seconds ?? '4',
		size: job.size ?? '720x1280',
		remixed_from_video_id: null,
		error: failure ?? null,
		...(done ? { metadata: { url: urls[0] } } : {}),
	};
}

const ENVELOPE_STATUS = { queued: 'SUBMITTED', processing: 'IN_PROGRESS', completed: 'SUCCESS' };
const FLAT_STATUS = { queued: 'queued', processing: 'in_progress', completed: 'completed' };
const REALTIME_STATUS = { queued: 'queued', processing: 'processing', completed: 'succeeded' };

/** GET /v1/video/generations/{id} in the dialect's shape. */
function taskBody(sandbox, job, dialect) {
	const { state, progress, failure, urls } = facts(sandbox, job);
	const many = urls.length > 1 ? urls : undefined;
	if (dialect === 'documented')
		return {
			task_id: job.id,
			status: FLAT_STATUS[state] ?? 'failed',
			url: urls[0] ?? '',
			...(many ? { urls: many } : {}),
			format: 'mp4',
			metadata: { duration: Number(job.seconds ?? 5), fps: job.request.fps ?? 30, width: job.request.width ?? 1280, height: job.request.height ?? 720, seed: job.request.seed ?? 20231234 },
			error: failure ?? { code: 0, message: '' },
		};
	if (dialect === 'realtime')
		return { code: 'success', message: '', data: { error: failure ?? null, format: 'mp4', metadata: null, status: REALTIME_STATUS[state] ?? 'failed', task_id: job.id, url: urls[0] ?? '' } };
	const finished = state === 'completed' || failure;
	return {
		code: 'success',
		message: '',
		data: {
			id: Number.parseInt(crypto.createHash('md5').update(job.id).digest('hex').slice(0, 6), 16),
			task_id: job.id,
			platform: 'kling',
			user_id: 1,
			group: 'default',
			channel_id: 3,
			quota: 1000 * job.count,
			action: job.request.image ? 'generate' : 'textGenerate',
			status: ENVELOPE_STATUS[state] ?? 'FAILURE',
			fail_reason: failure?.message ?? '',
			result_url: urls[0] ?? '',
			...(many ? { result_urls: many } : {}),
			submit_time: unixSeconds(job.createdAt),
			start_time: state === 'queued' ? 0 : unixSeconds(job.createdAt + job.durationMs * 0.2),
			finish_time: finished ? unixSeconds(job.finishedAt) : 0,
			progress: `${progress}%`,
			properties: { input: job.prompt },
			data: { upstream_status: state },
		},
	};
}

function route(req, path) {
	if (path === '/v1/models') return 'models';
	if (path === '/v1/video/generations' || path === '/v1/videos') return req.method === 'POST' ? 'submit' : 'list';
	if (/^\/v1\/videos\/[^/]+\/content$/.test(path)) return 'download';
	if (/^\/v1\/(video\/generations|videos)\/[^/]+$/.test(path)) return req.method === 'DELETE' ? 'delete' : 'poll';
	return 'unknown';
}

async function handle(sandbox, { req, res, url, path: fullPath, body }) {
	const dialectMatch = /^\/([a-z]+)(\/.*)$/.exec(fullPath);
	const dialect = dialectMatch && DIALECTS.includes(dialectMatch[1]) ? dialectMatch[1] : undefined;
	const path = dialect ? dialectMatch[2] : fullPath;
	const videosApi = path.startsWith('/v1/videos');
	const name = route(req, path);
	const request = name === 'submit' ? readRequest(req, body) : undefined;
	sandbox.log(req, PROVIDER, name, { body: request, dialect: dialect ?? 'newapi', api: videosApi ? 'videos' : 'videoGenerations', accept: req.headers.accept });
	// new-api's TokenAuth runs first on every route, /content included.
	if (!sandbox.authorized(req)) return sendJson(res, 401, middlewareError('无效的令牌'));
	const errorBody = name === 'download' ? (status, message) => ({ error: { message: message ?? defaultMessage(status), type: 'new_api_error' } }) : videosApi || name === 'models' ? openAiError : taskError;
	if (await sandbox.applyFault(res, PROVIDER, name, errorBody)) return;

	if (name === 'models') {
		if (dialect === 'nomodels') return sendJson(res, 404, openAiError(404, 'Invalid URL (GET /v1/models)'));
		const created = unixSeconds(Date.parse('2026-01-01T00:00:00Z'));
		return sendJson(res, 200, { object: 'list', success: true, data: MODELS.map((id) => ({ id, object: 'model', created, owned_by: id.startsWith('kling') ? 'kling' : id.startsWith('veo') ? 'vertex-ai' : 'openai' })) });
	}
	if (name === 'submit') {
		if (!request) return sendJson(res, 400, videosApi ? openAiError(400, 'Invalid JSON body', 'invalid_json') : taskError(400, 'invalid request body', 'invalid_json'));
		const problem = videosApi ? checkVideos(request) : checkTask(request);
		if (problem) return sendJson(res, 400, videosApi ? openAiError(400, problem[1], problem[0], problem[2]) : taskError(400, problem[1], problem[0]));
		const job = createJob(sandbox, request, videosApi ? 'videos' : 'generations');
		res.setHeader('x-new-api-other-ratios', JSON.stringify({ seconds: Number(job.seconds ?? 5) }));
		if (dialect === 'documented' && !videosApi) return sendJson(res, 200, { task_id: job.id, status: 'queued' });
		return sendJson(res, 200, videoObject(sandbox, job));
	}
	if (name === 'list') {
		const data = [...sandbox.jobs.values()].filter((job) => job.provider === PROVIDER && !job.deleted).map((job) => videoObject(sandbox, job));
		return sendJson(res, 200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false });
	}
	const id = decodeURIComponent(path.split('/')[videosApi ? 3 : 4] ?? '');
	const job = sandbox.findJob(PROVIDER, id);
	if (!job || job.deleted) {
		if (name === 'download') return sendJson(res, 404, { error: { message: 'Task not found', type: 'invalid_request_error' } });
		if (videosApi) return sendJson(res, 404, openAiError(404, `Video with id '${id}' not found.`, 'not_found'));
		return sendJson(res, 400, taskError(400, 'task_not_exist', 'task_not_exist'));
	}
	if (name === 'delete') {
		job.deleted = true;
		return sendJson(res, 200, { id: job.id, deleted: true, object: 'video.deleted' });
	}
	if (name === 'download') {
		const { state } = facts(sandbox, job);
		const variant = url.searchParams.get('variant') ?? 'video';
		if (variant !== 'video') return sendJson(res, 404, { error: { message: `The sandbox has no ${variant} for this video`, type: 'invalid_request_error' } });
		if (state !== 'completed') return sendJson(res, 400, { error: { message: `Task is not completed yet, current status: ${videoObject(sandbox, job).status}`, type: 'invalid_request_error' } });
		return sandbox.streamVideo(res, job, 0, { 'cache-control': 'public, max-age=86400' });
	}
	if (name === 'poll') {
		if (sandbox.countPoll(res, job, errorBody)) return;
		return sendJson(res, 200, videosApi ? videoObject(sandbox, job) : taskBody(sandbox, job, dialect));
	}
	return sendJson(res, 404, openAiError(404, `Invalid URL (${req.method} ${path})`));
}

module.exports = { name: PROVIDER, prefix: '/videogeneration', baseUrlPath: '/videogeneration', handle, DIALECTS, MODELS };
