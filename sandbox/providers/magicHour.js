'use strict';
// Magic Hour, as in provider-contracts.md section 1: POST /v1/text-to-video, GET and DELETE
// /v1/video-projects/{id}, GET /v1/account; errors are `{ message }`. This table is written from the
// contract on purpose, not imported from the node, so the tests catch a node that drifts from the API.
const { sendJson, parseJson } = require('../http');

const range = (from, to, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

const MODELS = {
	default: { seconds: range(2, 60), aspect: ['16:9', '9:16', '1:1'], resolution: ['480p', '720p', '1080p'], audio: 'always' },
	'ltx-2': { seconds: [...range(3, 10), 15, 20, 25, 30], aspect: ['9:16', '16:9', '1:1'], resolution: ['480p', '720p', '1080p'], audio: 'always' },
	seedance: { seconds: range(2, 12), aspect: ['9:16', '16:9', '1:1'], resolution: ['480p', '720p', '1080p'], audio: 'none' },
	'kling-2.5': { seconds: [5, 10], aspect: ['9:16', '16:9', '1:1'], resolution: ['720p', '1080p'], audio: 'always' },
	'kling-3.0': { seconds: range(3, 15), aspect: ['9:16', '16:9', '1:1'], resolution: ['720p', '1080p'], audio: 'toggle' },
	'sora-2': { seconds: [4, 8, 12, 24, 36, 48, 60], aspect: ['9:16', '16:9'], resolution: ['720p'], audio: 'always' },
	'veo3.1': { seconds: [4, 6, 8, 16, 24, 32, 40, 48, 56], aspect: ['9:16', '16:9'], resolution: ['720p', '1080p'], audio: 'toggle' },
	'kling-1.6': { seconds: range(5, 60, 5), aspect: ['9:16', '16:9', '1:1'], resolution: ['720p', '1080p'], audio: 'none' },
};
const ALIASES = { 'kling-2.5-audio': 'kling-2.5', 'veo3.1-audio': 'veo3.1' };

const errorBody = (status, message) =>
	({ message: message ?? { 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment required', 404: 'Not Found', 422: 'Unable to create video', 429: 'Too Many Requests' }[status] ?? 'Internal Server Error' });

function validate(body) {
	if (!body) return 'Missing request body';
	const prompt = body.style?.prompt;
	if (typeof prompt !== 'string' || prompt.length < 1 || prompt.length > 2000)
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
		name: job.request.name ?? `Text To Video - ${new Date(job.createdAt).toISOString()}`,
		status,
		type: 'TEXT_TO_VIDEO',
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

async function handle(sandbox, { req, res, path, body }) {
	const submit = req.method === 'POST' && path === '/v1/text-to-video';
	const projectMatch = /^\/v1\/video-projects\/([^/]+)$/.exec(path);
	const route = submit ? 'submit' : projectMatch ? (req.method === 'DELETE' ? 'cancel' : 'poll') : path === '/v1/account' ? 'account' : 'unknown';
	sandbox.log(req, 'magicHour', route, { body: parseJson(body) });
	if (!sandbox.authorized(req)) return sendJson(res, 401, errorBody(401));
	if (await sandbox.applyFault(res, 'magicHour', route, errorBody)) return;

	if (route === 'account') return sendJson(res, 200, { id: 'sandbox-user', email: 'sandbox@example.com', credits: 100000 });
	if (route === 'submit') {
		const request = parseJson(body);
		const problem = request === null ? 'Invalid JSON body' : validate(request);
		if (problem) return sendJson(res, 400, errorBody(400, problem));
		const job = sandbox.createJob('magicHour', { id: `cm${Math.random().toString(36).slice(2, 14)}`, prompt: request.style.prompt, request });
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
