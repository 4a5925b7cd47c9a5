'use strict';
// A4F, as https://www.a4f.co/docs/api-reference/video-generation describes it (summed up in
// docs/providers/a4f.md, "The API as this node uses it"): POST /v1/video/generations answers only
// when the video is made, with the MP4 as base64 inside the JSON: { created, data: [{ b64_json,
// url, revised_prompt }] }. Errors are OpenAI-style { error: { message, type, param, code } }.
// GET /v1/usage (plan, rate limits) serves the credential test. Written from the API's docs, not from
// the node, so the tests catch a node that drifts from the API.
//
// The answer is streamed: the base64 of a 300 MB video is encoded chunk by chunk, never held whole.
// `[sandbox:answer=…]` in the prompt picks the variant a client must handle:
//   b64 (default)  the video in data[0].b64_json, url null, revised_prompt after it
//   url            b64_json null, url on the CDN (no key needed)
//   serve          b64_json null, url on the API's own /v1/videos/serve/ route (needs the key)
//   wrapped        base64 line-wrapped every 76 characters (`\n`) with escaped slashes (`\/`)
//   datauri        b64_json is a data URI: data:video/mp4;base64,…
//   truncate       the connection drops half-way through the base64
//   html           b64_json holds an HTML error page, not a video (a broken upstream's answer)
// Shared directives work too: [sandbox:seconds=2], [sandbox:size=50MB], [sandbox:fail] (500
// provider_error after the render time), [sandbox:moderation] (400 after the render time).
const { Readable } = require('node:stream');
const { sendJson, parseJson } = require('../http');
const { directiveValue } = require('../directives');
const { videoChunks } = require('../video');

// A4F's model table (max duration, qualities); provider-6/wan-2.1 is the older page's example
// model (its limits are [inferred]).
const MODELS = {
	'provider-2/seedance-lite': { maxSeconds: 5, qualities: ['1080p'] },
	'provider-2/kling-v2.1': { maxSeconds: 5, qualities: ['720p', '1080p'] },
	'provider-2/sora-2': { maxSeconds: 4, qualities: ['720p', '1080p'] },
	'provider-2/veo-fast': { maxSeconds: 8, qualities: ['720p', '1080p'] },
	'provider-2/seedance-pro': { maxSeconds: 5, qualities: ['1080p'] },
	'provider-2/sora-2-pro': { maxSeconds: 5, qualities: ['720p', '1080p'] },
	'provider-2/veo': { maxSeconds: 8, qualities: ['720p', '1080p'] },
	'provider-6/wan-2.1': { maxSeconds: 5, qualities: ['480p', '720p'] },
};
const QUALITIES = ['480p', '720p', '1080p'];
const RATIOS = ['1:1', '16:9', '9:16', '3:4', '4:3'];

const ERRORS = {
	400: ['invalid_request_error', 'invalid_request_error', 'Invalid request'],
	401: ['invalid_api_key', 'invalid_api_key', 'Invalid API key provided'],
	403: ['permission_denied_error', 'model_not_in_plan', 'The requested model is not available on your current subscription plan (Pro or Ultra required).'],
	408: ['timeout_error', 'request_timeout', 'The upstream provider did not answer in time'],
	429: ['rate_limit_exceeded', 'rate_limit_exceeded', 'Rate limit exceeded: 10 requests per minute (RPM) on your plan'],
	500: ['provider_error', 'provider_error', 'The upstream video generation service failed to produce the video. Please try again.'],
	502: ['provider_error', 'provider_error', 'Bad gateway from the upstream provider'],
	503: ['provider_error', 'provider_error', 'The upstream provider is unavailable'],
};

function errorBody(status, message, { code, param } = {}) {
	const [type, defaultCode, defaultMessage] = ERRORS[status] ?? ['api_error', 'api_error', 'Internal error'];
	return { error: { message: message ?? defaultMessage, type, param: param ?? null, code: code ?? defaultCode } };
}

/** The request's problem as [message, code, param], or undefined when A4F would take it. */
function problemOf(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return ['Request body must be a JSON object', 'invalid_request_error'];
	if (typeof body.model !== 'string' || !body.model) return ['model is required', 'invalid_request_error', 'model'];
	const model = MODELS[body.model];
	if (!model) return [`Model '${body.model}' does not exist or is not a video generation model`, 'model_not_found', 'model'];
	if (typeof body.prompt !== 'string' || !body.prompt.trim()) return ['prompt is required', 'invalid_request_error', 'prompt'];
	if (typeof body.quality !== 'string' || !QUALITIES.includes(body.quality))
		return [`quality is required and must be one of ${QUALITIES.join(', ')}`, 'invalid_request_error', 'quality'];
	if (!Number.isInteger(body.duration) || body.duration < 1 || body.duration > 8)
		return ['duration is required and must be an integer between 1 and 8', 'invalid_request_error', 'duration'];
	if (body.ratio !== undefined && !RATIOS.includes(body.ratio)) return [`ratio must be one of ${RATIOS.join(', ')}`, 'invalid_request_error', 'ratio'];
	if (!model.qualities.includes(body.quality))
		return [`${body.model} does not support ${body.quality}: ${model.qualities.join(', ')}`, 'n_exceeds_model_limit', 'quality'];
	if (body.duration > model.maxSeconds)
		return [`${body.model} supports at most ${model.maxSeconds} seconds`, 'n_exceeds_model_limit', 'duration'];
	return undefined;
}

/** The video's base64, chunk by chunk; `wrapped` breaks lines as MIME does and escapes slashes as JSON may. */
function* base64Chunks(seed, size, wrapped) {
	let carry = Buffer.alloc(0);
	let column = 0;
	const encode = (bytes) => {
		const text = bytes.toString('base64');
		if (!wrapped) return text;
		let out = '';
		for (let i = 0; i < text.length; ) {
			const take = Math.min(76 - column, text.length - i);
			out += text.slice(i, i + take);
			i += take;
			column += take;
			if (column === 76) {
				out += '\\n';
				column = 0;
			}
		}
		return out.replace(/\//g, '\\/');
	};
	for (const chunk of videoChunks(seed, size)) {
		const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
		const usable = data.length - (data.length % 3);
		carry = Buffer.from(data.subarray(usable));
		if (usable) yield encode(data.subarray(0, usable));
	}
	if (carry.length) yield encode(carry);
}

/** The 200 answer with the video inline, streamed. */
function* inlineAnswer(job, variant) {
	yield `{"created":${Math.floor(Date.now() / 1000)},"data":[{"b64_json":"`;
	if (variant === 'datauri') yield 'data:video/mp4;base64,';
	if (variant === 'html') {
		yield Buffer.from('<html><body><h1>502 Bad Gateway</h1><p>upstream video provider error</p></body></html>').toString('base64');
		yield `","url":null,"revised_prompt":${JSON.stringify(revisedPrompt(job.prompt))}}]}`;
		return;
	}
	const chunks = base64Chunks(job.videoId, job.videoBytes, variant === 'wrapped');
	if (variant === 'truncate') {
		// About half of the base64, then the connection drops.
		const half = (job.videoBytes * 4) / 3 / 2;
		let sent = 0;
		for (const chunk of chunks) {
			if (sent >= half) break;
			sent += chunk.length;
			yield chunk;
		}
		return;
	}
	yield* chunks;
	yield `","url":null,"revised_prompt":${JSON.stringify(revisedPrompt(job.prompt))}}]}`;
}

const revisedPrompt = (prompt) => `${String(prompt).replace(/\[sandbox:[^\]]*\]/g, '').trim()}, cinematic lighting, smooth camera motion`;

function answer(sandbox, res, job, variant) {
	if (res.destroyed) return;
	if (job.outcome === 'failed') return sendJson(res, 500, errorBody(500));
	if (job.outcome === 'moderated')
		return sendJson(res, 400, errorBody(400, 'Your prompt was flagged by the content moderation system', { code: 'content_policy_violation', param: 'prompt' }));
	const created = Math.floor(Date.now() / 1000);
	if (variant === 'url' || variant === 'serve') {
		const url = variant === 'url' ? sandbox.videoUrl(job) : `${sandbox.apiOrigin}/a4f/v1/videos/serve/${job.videoId}.mp4`;
		return sendJson(res, 200, { created, data: [{ b64_json: null, url, revised_prompt: revisedPrompt(job.prompt) }] });
	}
	res.writeHead(200, { 'content-type': 'application/json' });
	const body = Readable.from(inlineAnswer(job, variant), { objectMode: false });
	res.on('close', () => body.destroy());
	if (variant !== 'truncate') return body.pipe(res);
	body.pipe(res, { end: false });
	body.on('end', () => res.socket?.destroy());
}

async function handle(sandbox, { req, res, path, body }) {
	const serve = /^\/v1\/videos\/serve\/([A-Za-z0-9_-]+)\.mp4$/.exec(path);
	const route =
		req.method === 'POST' && path === '/v1/video/generations' ? 'submit' : serve ? 'download' : req.method === 'GET' && path === '/v1/usage' ? 'usage' : 'unknown';
	const request = parseJson(body);
	sandbox.log(req, 'a4f', route, { body: request });
	if (!sandbox.authorized(req)) return sendJson(res, 401, errorBody(401));
	if (await sandbox.applyFault(res, 'a4f', route, errorBody)) return;

	if (route === 'usage')
		return sendJson(res, 200, { account_information: { plan: 'pro', username: 'sandbox' }, rate_limits: { rpm: 10, rpd: 500 } });
	if (route === 'download') {
		const job = [...sandbox.jobs.values()].find((j) => j.provider === 'a4f' && j.videoId === serve[1]);
		if (!job) return sendJson(res, 404, errorBody(404, 'No such video'));
		return sandbox.streamVideo(res, job);
	}
	if (route !== 'submit') return sendJson(res, 404, errorBody(404, `Unknown route ${req.method} ${path}`));

	const problem = request === null ? ['Request body is not valid JSON', 'invalid_request_error'] : problemOf(request);
	if (problem) return sendJson(res, 400, errorBody(400, problem[0], { code: problem[1], param: problem[2] }));
	// A4F has no job id; the sandbox keeps one to know the video a client must end up with.
	const job = sandbox.createJob('a4f', { prompt: request.prompt, request });
	const variant = directiveValue(request.prompt, 'answer') ?? 'b64';
	sandbox.whenFinished(job, () => answer(sandbox, res, job, variant));
}

module.exports = { name: 'a4f', prefix: '/a4f', baseUrlPath: '/a4f/v1', handle, MODELS };
