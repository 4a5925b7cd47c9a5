'use strict';
// useapi.net's Kling API, as its docs describe it (https://useapi.net/docs/api-kling-v1/; summed up in
// docs/providers/kling-useapi.md, "The API as this node uses it"): POST
// /v1/kling/videos/text2video, GET /v1/kling/tasks/{id}, GET /v1/kling/assets/download, GET and POST
// /v1/kling/accounts; errors are `{ error, code }`. Written from the API's docs, not from the node, so
// the tests catch a node that drifts from the API.
//
// What a client must handle, and how to get it:
//   - Linked Kling accounts, each with its maxJobs: a submit beyond every account's capacity answers
//     429 (no task made), with Retry-After until the account's next task ends. One account,
//     kling@example.com (maxJobs 10), is linked at first; POST /v1/kling/accounts links more, and
//     then requests may name one with `email` (without it, an account with room is picked).
//   - Tasks go 5 submitted → 10 processing → 99 succeed (works[0].resource.resource on the CDN,
//     watermarked) or 50 failed, with status_final; the clean master comes from /assets/download.
//   - replyUrl: the task object is POSTed to it (with replyRef) when the task starts processing and
//     when it ends.
//   - Prompt directives, besides the shared ones:
//       [sandbox:moderation]        submit answers 500 with Kling's moderation text (no task made)
//       [sandbox:moderation=task]   the task is made, then fails (50) with a moderation `error`
//       [sandbox:moderation=gone]   the task is made; once over, GET answers 404 (removed at moderation)
//       [sandbox:fail]              the task fails (50) with a generic error
//       [sandbox:shape=nested]      status fields only under `task`, none at the top level
//       [sandbox:id=string]         task.id as a string instead of a number
//       [sandbox:reply=progress]    replyUrl gets the progress call only, never the final one
//       [sandbox:reply=none]        replyUrl is never called (a lost callback)
//   - Faults (sandbox.fault) by route: submit, poll, assets, accounts. A 500 fault carries Kling's
//     generic `message` ("Service busy") whatever its `error` says, as the real API does.
const { sendJson, parseJson, parseMultipart } = require('../http');
const { directiveValue } = require('../directives');

const PROVIDER = 'useApiKling';
const DEFAULT_ACCOUNT = 'kling@example.com';
const DEFAULT_MAX_JOBS = 10;
const MODERATION_ERROR = 'The content you uploaded appears to violate the community guidelines. (CM_EXT.POther)';
const GENERIC_500_MESSAGE = 'Service busy (CM_EXT.POther)';

// Model rules (useapi.net's text2video docs and Postman collection). v2-0 ids are the 2025 docs' names, v4-0 the 2026-10 article's.
const FIVE_TEN = ['5', '10'];
const THREE_FIFTEEN = Array.from({ length: 13 }, (_, i) => String(i + 3));
const MODELS = {
	'kling-v1-5': { durations: FIVE_TEN, modes: ['std', 'pro'], negative: true, cfg: true, audio: 'toggle' },
	'kling-v1-6': { durations: FIVE_TEN, modes: ['std', 'pro'], negative: true, cfg: true, audio: 'toggle' },
	'kling-v2-0': { durations: FIVE_TEN, modes: ['std', 'pro'], negative: true, cfg: false, audio: 'toggle' },
	'kling-v2-0-master': { durations: FIVE_TEN, modes: null, negative: true, cfg: false, audio: 'toggle' },
	// The text2video page (2025-10) names only 2.5 as refusing negative_prompt; 2.1 Master takes it.
	'kling-v2-1-master': { durations: FIVE_TEN, modes: null, negative: true, cfg: false, audio: 'toggle' },
	'kling-v2-5': { durations: FIVE_TEN, modes: null, negative: false, cfg: false, audio: 'toggle' },
	'kling-v2-6': { durations: FIVE_TEN, modes: ['std', 'pro'], negative: false, cfg: false, audio: 'pro' },
	'kling-v3-0': { durations: THREE_FIFTEEN, modes: ['std', 'pro', '4k'], negative: false, cfg: false, audio: 'toggle', multiShot: true },
	'kling-v3-0-turbo': { durations: THREE_FIFTEEN, modes: ['std', 'pro'], negative: false, cfg: false, audio: 'always', multiShot: true },
	'kling-v4-0': { durations: THREE_FIFTEEN, modes: ['std', 'pro', '4k'], negative: false, cfg: false, audio: 'toggle', multiShot: true },
};
const ASPECT_RATIOS = ['16:9', '9:16', '1:1'];

const MESSAGES = { 400: 'Bad Request', 401: 'Unauthorized', 402: 'Subscription required', 404: 'Not found', 429: 'Too Many Requests', 596: `Account ${DEFAULT_ACCOUNT} in error state: session expired` };

function errorBody(status, message) {
	const body = { error: message ?? MESSAGES[status] ?? 'Internal Server Error', code: status };
	// Kling's 500s carry the same generic `message` for moderation and for real faults.
	if (status === 500) body.message = GENERIC_500_MESSAGE;
	return body;
}

/** Per-sandbox state: linked accounts and the task id counter. */
const STATES = new WeakMap();
function stateOf(sandbox) {
	let state = STATES.get(sandbox);
	if (!state) {
		state = { accounts: new Map([[DEFAULT_ACCOUNT, { email: DEFAULT_ACCOUNT, maxJobs: DEFAULT_MAX_JOBS }]]), nextId: 300000001 };
		STATES.set(sandbox, state);
	}
	return state;
}

/** JSON or multipart/form-data (both allowed); form values arrive as text. */
function readRequest(req, body) {
	const form = parseMultipart(body, req.headers['content-type']);
	if (form) return { ...form.fields };
	return parseJson(body);
}

const isBool = (value) => value === true || value === false || value === 'true' || value === 'false';
const asBool = (value) => value === true || value === 'true';

function validate(request) {
	if (!request || typeof request !== 'object' || Array.isArray(request)) return 'Request body must be a JSON object';
	const modelName = request.model_name ?? 'kling-v1-6';
	const model = MODELS[modelName];
	if (!model) return `Parameter model_name ${modelName} is not supported. Supported values: ${Object.keys(MODELS).join(', ')}`;
	const shots = Object.keys(request).filter((key) => /^shot_\d+_prompt$/.test(key));
	if (shots.length) {
		if (!model.multiShot) return `Multi-shot is not supported by ${modelName}`;
		if (shots.length < 2 || shots.length > 6) return 'Multi-shot needs 2 to 6 shots';
		if (request.duration !== undefined) return 'Parameter duration is not allowed with multi-shot';
		const total = shots.reduce((sum, key) => sum + Number(request[key.replace('_prompt', '_duration')] ?? 0), 0);
		if (total < 3 || total > 15) return 'The shots must last 3 to 15 seconds in all';
	} else if (typeof request.prompt !== 'string' || !request.prompt.trim()) return 'Parameter prompt is required';
	if (typeof request.prompt === 'string' && request.prompt.length > 2500) return 'Parameter prompt is too long (maximum 2500 characters)';
	if (request.negative_prompt !== undefined) {
		if (!model.negative) return `Parameter negative_prompt is not supported by ${modelName}`;
		if (typeof request.negative_prompt !== 'string' || request.negative_prompt.length > 2500) return 'Parameter negative_prompt must be text of up to 2500 characters';
	}
	if (request.cfg_scale !== undefined) {
		if (!model.cfg) return `Parameter cfg_scale is not supported by ${modelName}`;
		const cfg = Number(request.cfg_scale);
		if (!(cfg >= 0 && cfg <= 1)) return 'Parameter cfg_scale must be from 0 to 1';
	}
	if (request.duration !== undefined && !model.durations.includes(String(request.duration)))
		return `Parameter duration ${request.duration} is not supported by ${modelName}. Supported values: ${model.durations.join(', ')}`;
	if (request.aspect_ratio !== undefined && !ASPECT_RATIOS.includes(request.aspect_ratio))
		return `Parameter aspect_ratio must be one of ${ASPECT_RATIOS.join(', ')}`;
	if (request.mode !== undefined) {
		if (!model.modes) return `Parameter mode is not supported by ${modelName}`;
		if (!model.modes.includes(request.mode)) return `Parameter mode must be one of ${model.modes.join(', ')}`;
	}
	if (request.enable_audio !== undefined) {
		if (model.audio === 'always') return `Parameter enable_audio is not supported by ${modelName}: it always has audio`;
		if (!isBool(request.enable_audio)) return 'Parameter enable_audio must be true or false';
		if (model.audio === 'pro' && asBool(request.enable_audio) && request.mode !== 'pro') return `${modelName} with audio requires mode pro`;
	}
	if (request.maxJobs !== undefined) {
		const maxJobs = Number(request.maxJobs);
		if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > 50) return 'Parameter maxJobs must be from 1 to 50';
	}
	if (request.replyUrl !== undefined && !/^https?:\/\/\S+$/i.test(String(request.replyUrl))) return 'Parameter replyUrl must be a valid URL';
	if (request.replyRef !== undefined && typeof request.replyRef !== 'string') return 'Parameter replyRef must be a string';
	return undefined;
}

const running = (sandbox, email) =>
	[...sandbox.jobs.values()].filter((job) => job.provider === PROVIDER && job.account === email && !['completed', 'failed', 'moderated', 'canceled'].includes(sandbox.jobState(job)));

/** The account that takes a new task, or why none can. */
function pickAccount(sandbox, request) {
	const { accounts } = stateOf(sandbox);
	const limit = (account) => (request.maxJobs !== undefined ? Number(request.maxJobs) : account.maxJobs);
	const candidates = request.email !== undefined ? [accounts.get(request.email)] : [...accounts.values()];
	if (!candidates[0]) return { status: 404, error: `Configuration not found for ${request.email}` };
	const free = candidates.find((account) => running(sandbox, account.email).length < limit(account));
	if (free) return { account: free };
	// Seconds until the first of these accounts' tasks ends.
	const ends = candidates.flatMap((account) => running(sandbox, account.email).map((job) => job.finishedAt));
	const retryAfter = Math.max(1, Math.ceil((Math.min(...ends) - Date.now()) / 1000));
	return { status: 429, retryAfter, error: `All configured accounts are running at maximum capacity (maxJobs). Try again after ${retryAfter} s.` };
}

const STATUS = {
	queued: [5, 'submitted', false],
	processing: [10, 'processing', false],
	completed: [99, 'succeed', true],
	failed: [50, 'failed', true],
	moderated: [50, 'failed', true],
	canceled: [50, 'failed', true],
};

function arguments_(request) {
	const names = { prompt: 'prompt', negative_prompt: 'negative_prompt', cfg_scale: 'cfg', duration: 'duration', aspect_ratio: 'aspect_ratio', mode: 'mode' };
	return Object.entries(names)
		.filter(([key]) => request[key] !== undefined)
		.map(([key, name]) => ({ name, value: String(request[key]) }))
		.concat([{ name: 'kling_version', value: (request.model_name ?? 'kling-v1-6').replace(/^kling-v/, '').replace(/-/g, '.') }]);
}

/** The task object, as GET /tasks/{id} answers it (and as replyUrl receives it). */
function taskObject(sandbox, job, state = sandbox.jobState(job)) {
	const [status, statusName, final] = STATUS[state];
	const type = job.images ? 'm2v_img2video_hq' : 'm2v_txt2video_hq';
	const task = {
		id: job.shape.id === 'string' ? String(job.taskId) : job.taskId,
		userId: 12345,
		type,
		scene: 'NORMAL_CREATION',
		status,
		status_name: statusName,
		status_final: final,
		taskInfo: { type, inputs: job.images?.inputs ?? [], arguments: arguments_(job.request), extraArgs: {}, callbackPayloads: [], scene: 'NORMAL_CREATION' },
		favored: false,
		deleted: false,
		viewed: false,
		createTime: job.createdAt,
		updateTime: Math.min(Date.now(), job.finishedAt),
	};
	const done = state === 'completed';
	const works = done
		? [
				{
					workId: job.workId,
					workItemId: 0,
					taskId: job.taskId,
					type,
					status,
					status_name: statusName,
					status_final: final,
					contentType: 'video',
					resource: { resource: sandbox.videoUrl(job), height: 720, width: 1280, duration: Number(job.request.duration ?? 5) * 1000 + 41, resourceKey: '' },
					cover: { resource: `${sandbox.cdnOrigin}/covers/${job.videoId}.jpg`, height: 720, width: 1280, duration: 0, resourceKey: '' },
				},
			]
		: [];
	const body = { task, works };
	if (job.shape.shape !== 'nested') Object.assign(body, { status, status_name: statusName, status_final: final });
	body.message = state === 'failed' ? 'Task failed' : state === 'moderated' ? 'Service busy' : done ? 'success' : '';
	if (state === 'failed') body.error = 'Generation failed: internal error (task 50)';
	if (state === 'moderated') body.error = MODERATION_ERROR;
	body.etaTime = final ? 0 : Math.max(0, Math.ceil((job.finishedAt - Date.now()) / 1000));
	body.etaTimeOverSla = false;
	return body;
}

/** POSTs the task object to the job's replyUrl; what happened is logged as route `callback`. */
async function callBack(sandbox, job, state) {
	const body = { ...taskObject(sandbox, job, state) };
	if (job.request.replyRef !== undefined) body.replyRef = job.request.replyRef;
	const entry = { provider: PROVIDER, route: 'callback', method: 'POST', url: job.request.replyUrl, at: Date.now(), body };
	sandbox.requests.push(entry);
	try {
		const response = await fetch(job.request.replyUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		entry.status = response.status;
		await response.arrayBuffer();
	} catch (error) {
		entry.error = error.message;
	}
}

/** The final state a replyUrl sees (a task removed at moderation is reported failed). */
const finalState = (sandbox, job) => (job.outcome === 'moderated' && job.moderation === 'gone' ? 'moderated' : sandbox.jobState(job, job.finishedAt));

function scheduleCallbacks(sandbox, job) {
	// A progress call when processing starts (20% of the job, see jobState), then the final one; one
	// after the other, so they arrive in that order. [sandbox:reply=progress] sends only the progress
	// call, [sandbox:reply=none] none (a callback lost on the way, for a client's timeout path).
	const reply = directiveValue(job.prompt, 'reply');
	if (reply === 'none') return;
	let chain = Promise.resolve();
	const send = (state) => (chain = chain.then(() => callBack(sandbox, job, state)));
	const startsAt = job.createdAt + job.durationMs * 0.2 + 1;
	const timer = setTimeout(() => {
		sandbox.timers.delete(timer);
		send('processing');
	}, Math.max(0, startsAt - Date.now()));
	sandbox.timers.add(timer);
	if (reply !== 'progress') sandbox.whenFinished(job, () => send(finalState(sandbox, job)));
}

function submit(sandbox, res, request, frames = false) {
	const problem = frames ? validateFrames(request) : validate(request);
	if (problem) return sendJson(res, 400, errorBody(400, problem));
	const moderation = directiveValue(request.prompt, 'moderation');
	const prompt = request.prompt ?? Object.keys(request).filter((k) => /^shot_\d+_prompt$/.test(k)).map((k) => request[k]).join(' ');
	// Kling's usual moderation verdict comes at once, as a 500, and no task is made.
	if (/\[sandbox:moderation\]/i.test(prompt)) return sendJson(res, 500, errorBody(500, MODERATION_ERROR));
	const picked = pickAccount(sandbox, request);
	if (picked.status === 429) return sendJson(res, 429, errorBody(429, picked.error), { 'retry-after': String(picked.retryAfter) });
	if (picked.status) return sendJson(res, picked.status, errorBody(picked.status, picked.error));
	const state = stateOf(sandbox);
	const taskId = state.nextId++;
	const job = sandbox.createJob(PROVIDER, { id: String(taskId), prompt, request });
	Object.assign(job, {
		taskId,
		workId: taskId + 500000000,
		account: picked.account.email,
		moderation,
		shape: { id: directiveValue(prompt, 'id'), shape: directiveValue(prompt, 'shape') },
	});
	if (frames) job.images = framesOf(sandbox, request);
	if (request.replyUrl) scheduleCallbacks(sandbox, job);
	return sendJson(res, 200, {
		...taskObject(sandbox, job, 'queued'),
		limitation: { type: frames ? 'm2v_img2video_hq' : 'm2v_txt2video_hq', remaining: 10000, limit: 10000 },
		userPoints: { points: [], total: 0 },
		userTickets: { ticket: [] },
		editProject: null,
	});
}

/** A task the request may see: its account must match `email` when one is given. */
function findTask(sandbox, id, email) {
	const job = sandbox.findJob(PROVIDER, id);
	return job && (!email || job.account === email) ? job : undefined;
}

function poll(sandbox, res, id, email) {
	const job = findTask(sandbox, id, email);
	if (!job) return sendJson(res, 404, errorBody(404, `Task ${id} not found`));
	if (sandbox.countPoll(res, job, errorBody)) return;
	const state = sandbox.jobState(job);
	if (state === 'moderated' && job.moderation === 'gone') return sendJson(res, 404, errorBody(404, `Task ${id} not found`));
	return sendJson(res, 200, taskObject(sandbox, job, state));
}

function assetsDownload(sandbox, res, url) {
	const email = url.searchParams.get('email') ?? undefined;
	const workIds = (url.searchParams.get('workIds') ?? '').split(',').filter(Boolean);
	if (!workIds.length) return sendJson(res, 400, errorBody(400, 'Parameter workIds is required'));
	const jobs = workIds.map((workId) => [...sandbox.jobs.values()].find((j) => j.provider === PROVIDER && String(j.workId) === workId && (!email || j.account === email)));
	if (jobs.some((job) => !job || sandbox.jobState(job) !== 'completed')) return sendJson(res, 404, errorBody(404, `Work ${workIds.join(',')} not found`));
	const fileTypes = url.searchParams.get('fileTypes');
	if (!fileTypes) {
		// Without fileTypes the answer is a zip of every file (an empty zip stands in for it here).
		const zip = Buffer.from('504b0506000000000000000000000000000000000000', 'hex');
		res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length });
		return res.end(zip);
	}
	if (fileTypes.toUpperCase() !== 'MP4') return sendJson(res, 400, errorBody(400, 'Parameter fileTypes must be MP4'));
	// The clean master is the job's second video on the CDN: other bytes than the watermarked one.
	return sendJson(res, 200, { cdnUrl: sandbox.videoUrl(jobs[0], 1) });
}

function accounts(sandbox, req, res, request) {
	const { accounts: linked } = stateOf(sandbox);
	if (req.method === 'POST') {
		if (!request?.email || !request?.password) return sendJson(res, 400, errorBody(400, 'Parameters email and password are required'));
		const maxJobs = Number(request.maxJobs);
		if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > 50) return sendJson(res, 400, errorBody(400, 'Parameter maxJobs must be from 1 to 50'));
		linked.set(request.email, { email: request.email, maxJobs });
		return sendJson(res, 201, { email: request.email, maxJobs, password: '…secured…' });
	}
	if (!linked.size) return sendJson(res, 404, errorBody(404, 'Configuration not found'));
	return sendJson(
		res,
		200,
		Object.fromEntries([...linked.values()].map((a) => [a.email, { email: a.email, maxJobs: a.maxJobs, password: '…secured…', session: { userId: 'sandbox' } }])),
	);
}

// Image to video (useapi.net's post-kling-assets and post-kling-videos-image2video-frames docs): POST /v1/kling/assets/ (raw bytes, Content-Type
// image/png or image/jpeg for images, at most 10 MB) answers { status: 3, url, fileName } with the url on
// the sandbox CDN, logged as route `upload` with the sha256 and size of the bytes received; POST
// /v1/kling/videos/image2video-frames takes `image` (and `image_tail`) URLs and no aspect_ratio. Its task
// is an `m2v_img2video_hq` one with the image in taskInfo.inputs; job.images keeps the frames' digests.
const crypto = require('node:crypto');
const ASSET_TYPES = ['image/png', 'image/jpeg', 'video/mp4', 'video/quicktime', 'audio/wav', 'audio/wave', 'audio/mpeg', 'audio/mp4', 'audio/flac', 'audio/aac', 'audio/ogg'];
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
// image2video-frames models (Postman, 2026-07): kling-v2-1 is its default; no image_tail on these two.
const FRAMES_MODELS = ['kling-v3-0', 'kling-v3-0-turbo', 'kling-v2-6', 'kling-v2-5', 'kling-v2-1', 'kling-v2-1-master', 'kling-v1-6', 'kling-v1-5'];
const NO_TAIL = ['kling-v2-1-master', 'kling-v3-0-turbo'];

/** Per sandbox: uploaded assets by URL, with the digest of the bytes received. */
const ASSETS = new WeakMap();
function assetsOf(sandbox) {
	if (!ASSETS.has(sandbox)) ASSETS.set(sandbox, new Map());
	return ASSETS.get(sandbox);
}

/** POST /v1/kling/assets/?email=: the raw file as the body. */
async function receiveAsset(sandbox, { req, res, url, body }) {
	const bytes = body ?? Buffer.alloc(0);
	const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	const email = url.searchParams.get('email') ?? undefined;
	const received = { sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length, contentType, email };
	sandbox.log(req, PROVIDER, 'upload', { image: received });
	if (!sandbox.authorized(req)) return sendJson(res, 401, errorBody(401));
	if (await sandbox.applyFault(res, PROVIDER, 'upload', errorBody)) return;
	if (!ASSET_TYPES.includes(contentType)) return sendJson(res, 400, errorBody(400, `Content-Type ${contentType} is not supported. Valid values: ${ASSET_TYPES.join(',')}`));
	if (email !== undefined && !stateOf(sandbox).accounts.has(email)) return sendJson(res, 404, errorBody(404, `Configuration not found for ${email}`));
	if (!bytes.length) return sendJson(res, 400, errorBody(400, 'File is empty'));
	const image = contentType.startsWith('image/');
	if (image && bytes.length > MAX_IMAGE_BYTES) return sendJson(res, 400, errorBody(400, 'Image file size exceeds 10 MB'));
	const fileName = `${crypto.randomBytes(8).toString('hex')}.${{ 'image/png': 'png', 'image/jpeg': 'jpg' }[contentType] ?? contentType.split('/')[1]}`;
	const assetUrl = `${sandbox.cdnOrigin}/kling-assets/${fileName}`;
	assetsOf(sandbox).set(assetUrl, received);
	return sendJson(res, 200, { status: image ? 3 : 1, url: assetUrl, message: '', fileName });
}

/** What is wrong with an image2video-frames request, if anything. */
function validateFrames(request) {
	if (!request || typeof request !== 'object' || Array.isArray(request)) return 'Request body must be a JSON object';
	const modelName = request.model_name ?? 'kling-v2-1';
	if (!FRAMES_MODELS.includes(modelName)) return `Parameter model_name ${modelName} is not supported. Supported values: ${FRAMES_MODELS.join(', ')}`;
	if (request.aspect_ratio !== undefined) return 'Parameter aspect_ratio is not supported by image2video-frames: the video takes the shape of the frame';
	const v1 = modelName.startsWith('kling-v1');
	if (request.image === undefined && !(v1 && request.image_tail !== undefined))
		return v1 ? 'Parameter image is required if image_tail is not provided' : `Parameter image is required for ${modelName}`;
	for (const key of ['image', 'image_tail'])
		if (request[key] !== undefined && !/^https?:\/\/\S+$/i.test(String(request[key]))) return `Parameter ${key} must be a URL`;
	if (request.image_tail !== undefined && NO_TAIL.includes(modelName)) return `Parameter image_tail is not supported by ${modelName}`;
	if (modelName === 'kling-v2-6' && asBool(request.enable_audio) && request.image_tail !== undefined) return 'kling-v2-6 makes native audio only with a start frame alone';
	// The rest as text2video's (the prompt is optional here).
	const rest = { ...request, prompt: request.prompt ?? 'image' };
	delete rest.image;
	delete rest.image_tail;
	return MODELS[modelName] ? validate(rest) : undefined;
}

/** taskInfo.inputs of a frames task, and the digests of uploaded frames. */
function framesOf(sandbox, request) {
	const input = (name, value) => ({ name, inputType: 'URL', url: value, token: null, blobStorage: null, cover: null, fromWorkId: null });
	const digest = (value) => (value === undefined ? undefined : { url: value, ...assetsOf(sandbox).get(value) });
	return {
		inputs: [request.image !== undefined && input('input', request.image), request.image_tail !== undefined && input('tail', request.image_tail)].filter(Boolean),
		image: digest(request.image),
		endImage: digest(request.image_tail),
	};
}

async function handle(sandbox, { req, res, url, path, body }) {
	if (req.method === 'POST' && (path === '/v1/kling/assets' || path === '/v1/kling/assets/')) return await receiveAsset(sandbox, { req, res, url, body });
	const taskMatch = /^\/v1\/kling\/tasks\/([^/]+)$/.exec(path);
	const accountMatch = /^\/v1\/kling\/accounts\/([^/]+)$/.exec(path);
	const frames = req.method === 'POST' && path === '/v1/kling/videos/image2video-frames';
	const route =
		(req.method === 'POST' && path === '/v1/kling/videos/text2video') || frames
			? 'submit'
			: taskMatch && req.method === 'GET'
				? 'poll'
				: path === '/v1/kling/assets/download'
					? 'assets'
					: path === '/v1/kling/accounts' || accountMatch
						? 'accounts'
						: 'unknown';
	const request = body ? readRequest(req, body) : undefined;
	sandbox.log(req, PROVIDER, route, { body: request });
	if (!sandbox.authorized(req)) return sendJson(res, 401, errorBody(401));
	if (await sandbox.applyFault(res, PROVIDER, route, errorBody)) return;
	if (route === 'submit') return submit(sandbox, res, request === null ? undefined : request, frames);
	if (route === 'poll') return poll(sandbox, res, decodeURIComponent(taskMatch[1]), url.searchParams.get('email') ?? undefined);
	if (route === 'assets') return assetsDownload(sandbox, res, url);
	if (route === 'accounts' && accountMatch && req.method === 'DELETE') {
		stateOf(sandbox).accounts.delete(decodeURIComponent(accountMatch[1]));
		return res.writeHead(204).end();
	}
	if (route === 'accounts' && !accountMatch) return accounts(sandbox, req, res, request);
	// GET /v1/kling/accounts/{email}: the account with its Kling credits (useapi.net get-kling-accounts-email).
	if (route === 'accounts' && req.method === 'GET') {
		const account = stateOf(sandbox).accounts.get(decodeURIComponent(accountMatch[1]));
		if (!account) return sendJson(res, 404, errorBody(404, 'Account configuration not found'));
		const total = sandbox.balances.useApiKling;
		return sendJson(res, 200, {
			email: account.email,
			maxJobs: account.maxJobs,
			password: '…secured…',
			session: { userId: 'sandbox' },
			balance: { points: [{ orderId: 'sandbox', type: 'plan', amount: total, balance: total }], tickets: [], total },
		});
	}
	return sendJson(res, 404, errorBody(404, `No route ${req.method} ${path}`));
}

module.exports = { name: PROVIDER, prefix: '/useapi', baseUrlPath: '/useapi', handle, MODELS };
