'use strict';
// The sandbox: local HTTP servers that play each provider's API (docs/providers/*.md, "The API as this node uses it"),
// plus a separate CDN host for the videos, with faults that tests and users can switch on.
// One API server hosts every provider under its own path prefix; the CDN is another port, so it is
// another origin, as a real CDN is.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const crypto = require('node:crypto');
const { endlessStream, videoStream, videoSha256, videoSize } = require('./video');
const { AsyncLocalStorage } = require('node:async_hooks');
const { sendJson } = require('./http');
const { parseDirectives } = require('./directives');

const SANDBOX_API_KEY = 'sandbox-key';
const DEFAULT_JOB_MS = 1500;
const DEFAULT_VIDEO_BYTES = 4096; // rounded up to the sample video when smaller
// AI/ML API credits ($5 at 2,000,000 per $) and Kling account credits (useapi.net's balance.total).
const DEFAULT_BALANCES = { aimlApi: 10_000_000, useApiKling: 1000 };

// Every module in providers/ is one provider: { name, prefix, baseUrlPath, handle(sandbox, request) }.
const PROVIDERS = fs
	.readdirSync(path.join(__dirname, 'providers'))
	.filter((file) => file.endsWith('.js'))
	.sort()
	.map((file) => require(path.join(__dirname, 'providers', file)));

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function listen(server, host, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(server.address().port));
	});
}

class Sandbox {
	constructor(options = {}) {
		this.host = options.host ?? '127.0.0.1';
		this.apiKey = options.apiKey ?? SANDBOX_API_KEY;
		/** More keys it accepts (the benchmark gives the anchor its own, so a capacity of ours leaves it alone). */
		this.keys = new Set([this.apiKey, ...(options.extraKeys ?? [])]);
		/** The request being answered, across the handlers' awaits: its key names the jobs it makes. */
		this.requestContext = new AsyncLocalStorage();
		this.jobDurationMs = options.jobDurationMs ?? DEFAULT_JOB_MS;
		this.videoBytes = options.videoBytes ?? DEFAULT_VIDEO_BYTES;
		/** Concurrent jobs each provider accepts from the main key, e.g. { magicHour: 5 }, or a number for all (none: unlimited). */
		this.capacity = typeof options.capacity === 'number' ? { '*': options.capacity } : { ...(options.capacity ?? {}) };
		this.requests = [];
		this.jobs = new Map();
		this.faults = [];
		this.timers = new Set();
		this.providers = PROVIDERS.map((provider) => ({ ...provider }));
		/** Account balances the free balance endpoints report, in each API's unit (setBalance changes one). */
		this.balances = { ...DEFAULT_BALANCES };
	}

	/** Sets what `provider`'s balance endpoint reports; its charges then come off it. */
	setBalance(provider, amount) {
		this.balances[provider] = amount;
	}

	/** Takes a job's charge off `provider`'s balance (AI/ML API: at submit, as credits_used says). */
	charge(provider, amount) {
		if (typeof this.balances[provider] === 'number' && typeof amount === 'number') this.balances[provider] -= amount;
	}

	async start(apiPort = 0, cdnPort = 0) {
		this.apiServer = http.createServer((req, res) => this.route(req, res));
		this.cdnServer = http.createServer((req, res) => this.serveVideo(req, res));
		// Keep-alive sockets would hold close() open; the clients under test open new ones freely.
		for (const server of [this.apiServer, this.cdnServer]) server.keepAliveTimeout = 1000;
		const api = await listen(this.apiServer, this.host, apiPort);
		const cdn = await listen(this.cdnServer, this.host, cdnPort);
		this.apiOrigin = `http://${this.host}:${api}`;
		this.cdnOrigin = `http://${this.host}:${cdn}`;
		this.urls = { cdn: this.cdnOrigin };
		for (const provider of this.providers) this.urls[provider.name] = this.apiOrigin + provider.baseUrlPath;
		return this;
	}

	async close() {
		for (const timer of this.timers) clearTimeout(timer);
		await Promise.all(
			[this.apiServer, this.cdnServer].map(
				(server) =>
					new Promise((resolve) => {
						if (!server?.listening) return resolve();
						server.close(() => resolve());
						server.closeAllConnections?.();
					}),
			),
		);
	}

	/** Forget requests, jobs and faults: a clean slate between tests. */
	reset() {
		this.requests = [];
		this.jobs.clear();
		this.faults = [];
		this.capacity = {};
		this.balances = { ...DEFAULT_BALANCES };
	}

	/**
	 * A plan's cap on concurrent jobs of the main key: a submit while `jobs` of `provider`'s jobs made
	 * with that key are unfinished is refused with HTTP 429 and the provider's own error body (no job
	 * made), with Retry-After = seconds until the first of them ends. `undefined` lifts the cap.
	 */
	setCapacity(provider, jobs) {
		if (jobs === undefined) delete this.capacity[provider];
		else this.capacity[provider] = jobs;
	}

	/** The provider's jobs unfinished at `now` (made, not yet at their outcome, not canceled), of one key if given. */
	runningJobs(provider, now = Date.now(), authorization = undefined) {
		return [...this.jobs.values()].filter(
			(job) => job.provider === provider && !job.canceled && job.createdAt <= now && now < job.finishedAt && (!authorization || job.authorization === authorization),
		);
	}

	/** The most of `provider`'s jobs that were ever unfinished at one moment. */
	peakRunning(provider) {
		const edges = [...this.jobs.values()]
			.filter((job) => job.provider === provider)
			.flatMap((job) => [
				[job.createdAt, 1],
				[job.finishedAt, -1],
			])
			.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
		let now = 0;
		let peak = 0;
		for (const [, step] of edges) peak = Math.max(peak, (now += step));
		return peak;
	}

	/**
	 * Queue a fault: the next `times` requests to `provider`'s `route` ('submit', 'poll', 'download',
	 * or a provider-specific one) answer `status` (with `retryAfter` as a Retry-After header and the
	 * provider's error body), or with `reset: true` have their connection dropped. `delayMs` holds the
	 * answer back first; with neither `status` nor `reset`, the request is then answered as usual.
	 */
	fault({ provider, route, status, times = 1, retryAfter, message, reset = false, delayMs = 0 }) {
		this.faults.push({ provider, route, status, remaining: times, retryAfter, message, reset, delayMs });
	}

	takeFault(provider, route) {
		const fault = this.faults.find(
			(f) => f.remaining > 0 && (f.provider === undefined || f.provider === provider) && f.route === route,
		);
		if (fault) fault.remaining--;
		return fault;
	}

	/**
	 * Counts a status check of `job`; while the job's `[sandbox:pollfail=N]` failures last, answers it
	 * 503 with `Retry-After: 0` (the client's retries then come at once) and returns true.
	 */
	countPoll(res, job, errorBody) {
		job.polls++;
		if (!(job.pollFailures > 0)) return false;
		job.pollFailures--;
		sendJson(res, 503, errorBody(503, `status check failed on purpose ([sandbox:pollfail], ${job.pollFailures} more)`), { 'retry-after': '0' });
		return true;
	}

	requestsTo(provider, route) {
		return this.requests.filter((r) => r.provider === provider && (route === undefined || r.route === route));
	}

	authorized(req) {
		const [scheme, key] = String(req.headers.authorization ?? '').split(' ');
		return scheme === 'Bearer' && this.keys.has(key);
	}

	/** A new job whose state follows the clock: queued, then processing, then its outcome. */
	createJob(provider, { id, prompt, durationMs, outcome, videoBytes, request }) {
		const directives = parseDirectives(prompt);
		const job = {
			id: id ?? crypto.randomUUID(),
			provider,
			prompt,
			request,
			createdAt: Date.now(),
			durationMs: directives.durationMs ?? durationMs ?? this.jobDurationMs,
			outcome: directives.outcome ?? outcome ?? 'completed',
			videoBytes: directives.videoBytes ?? videoBytes ?? this.videoBytes,
			canceled: false,
			authorization: this.requestContext.getStore()?.authorization,
			polls: 0,
			pollFailures: directives.pollFailures ?? 0,
			cdnFault: directives.cdnFault,
			cdnFaultTimes: directives.cdnFaultTimes ?? 0,
			downloads: 0,
		};
		job.videoId = `${provider}-${job.id}`.replace(/[^a-zA-Z0-9_-]/g, '_');
		job.finishedAt = job.createdAt + job.durationMs;
		this.jobs.set(`${provider}:${job.id}`, job);
		return job;
	}

	findJob(provider, id) {
		return this.jobs.get(`${provider}:${id}`);
	}

	/** 'queued' | 'processing' | 'completed' | 'failed' | 'moderated' | 'canceled' */
	jobState(job, now = Date.now()) {
		if (job.canceled) return 'canceled';
		const elapsed = now - job.createdAt;
		if (elapsed >= job.durationMs) return job.outcome;
		return elapsed < job.durationMs * 0.2 ? 'queued' : 'processing';
	}

	/** Calls `fn(job)` when the job reaches its outcome (for providers that call webhooks). */
	whenFinished(job, fn) {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn(job);
		}, Math.max(0, job.finishedAt - Date.now()));
		this.timers.add(timer);
	}

	/**
	 * The CDN URL of a job's video; `index` > 0 names a job's further videos (a request for n > 1).
	 * A job with `[sandbox:cdn=403]` gets signed links: `sig` counts its status checks, so a link
	 * handed out after a refusal is a fresh one.
	 */
	videoUrl(job, index = 0) {
		const query = new URLSearchParams();
		if (index) query.set('n', String(index));
		if (job.cdnFault === '403') query.set('sig', String(job.polls));
		const search = query.toString();
		return `${this.cdnOrigin}/videos/${job.videoId}.mp4${search ? `?${search}` : ''}`;
	}

	/** What a client must end up with for this job's video (its `index`th, for a job of several). */
	expectedVideo(job, index = 0) {
		return { sha256: videoSha256(videoSeed(job, index), job.videoBytes), size: videoSize(job.videoBytes) };
	}

	log(req, provider, route, extra = {}) {
		this.requests.push({
			provider,
			route,
			method: req.method,
			url: req.url,
			authorization: req.headers.authorization,
			at: Date.now(),
			...extra,
		});
	}

	/** Applies a queued fault, or on a submit the provider's capacity; true when it answered the request. */
	async applyFault(res, provider, route, errorBody) {
		const capacity = this.capacity[provider] ?? this.capacity['*'];
		const mainKey = `Bearer ${this.apiKey}`;
		if (route === 'submit' && capacity !== undefined && res.req?.headers.authorization === mainKey) {
			const running = this.runningJobs(provider, Date.now(), mainKey);
			if (running.length >= capacity) {
				const firstEnd = Math.min(...running.map((job) => job.finishedAt));
				const message = `Too many concurrent jobs: your plan allows ${capacity} at once (sandbox capacity)`;
				sendJson(res, 429, errorBody(429, message), { 'retry-after': String(Math.max(1, Math.ceil((firstEnd - Date.now()) / 1000))) });
				return true;
			}
		}
		const fault = this.takeFault(provider, route);
		if (!fault) return false;
		if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
		if (fault.status === undefined && !fault.reset) return false;
		if (fault.reset) {
			res.socket.destroy();
			return true;
		}
		const headers = {};
		if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
		sendJson(res, fault.status, errorBody(fault.status, fault.message), headers);
		return true;
	}

	async route(req, res) {
		try {
			const url = new URL(req.url, this.apiOrigin);
			const provider = this.providers.find((p) => url.pathname.startsWith(p.prefix + '/'));
			if (!provider) return sendJson(res, 404, { message: `No sandbox provider at ${url.pathname}` });
			const body = await readBody(req);
			const path = url.pathname.slice(provider.prefix.length);
			await this.requestContext.run({ authorization: req.headers.authorization }, () =>
				provider.handle(this, { req, res, url, path, body: body.length ? body : undefined }),
			);
		} catch (error) {
			if (!res.headersSent) sendJson(res, 500, { message: `Sandbox error: ${error.message}` });
			else res.destroy();
		}
	}

	async serveVideo(req, res) {
		const url = new URL(req.url, this.cdnOrigin);
		const match = /^\/videos\/([A-Za-z0-9_-]+)\.mp4$/.exec(url.pathname);
		const job = match && [...this.jobs.values()].find((j) => j.videoId === match[1]);
		this.log(req, job?.provider ?? 'cdn', 'download');
		if (await this.applyFault(res, job?.provider, 'download', (status) => ({ message: `CDN fault ${status}` })))
			return;
		if (!job) return sendJson(res, 404, { message: 'No such video' });
		this.streamVideo(res, job, Number(url.searchParams.get('n')) || 0, {}, url);
	}

	/**
	 * Answers with a job's video bytes (the CDN; a gateway's own /content route), or with the job's
	 * `[sandbox:cdn=…]` fault while it lasts (sandbox/directives.js). `url` carries a signed link's `sig`.
	 */
	streamVideo(res, job, index = 0, headers = {}, url = undefined) {
		job.downloads++;
		const size = videoSize(job.videoBytes);
		const seed = videoSeed(job, index);
		const fault = job.cdnFault && job.cdnFaultTimes > 0 ? job.cdnFault : undefined;
		if (fault && fault !== '403') job.cdnFaultTimes--;
		const page = '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The CDN edge could not serve this object.</p></body></html>';
		if (fault === 'html' || fault === 'fakemp4') {
			res.writeHead(200, { 'content-type': fault === 'html' ? 'text/html; charset=utf-8' : 'video/mp4', 'content-length': Buffer.byteLength(page) });
			return res.end(page);
		}
		if (fault === 'gone' || (fault === '403' && this.linkExpired(job, url))) {
			const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>';
			res.writeHead(403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
			return res.end(body);
		}
		if (fault === 'endless') {
			res.writeHead(200, { 'content-type': 'video/mp4', ...headers });
			const endless = endlessStream(seed);
			res.on('close', () => endless.destroy());
			return endless.pipe(res);
		}
		res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size, ...headers });
		const stream = videoStream(seed, job.videoBytes);
		res.on('close', () => stream.destroy());
		if (fault !== 'cut' && fault !== 'short' && fault !== 'stall') return stream.pipe(res);
		// Half the video (16 KB for a stall), then the fault.
		let sent = 0;
		const limit = Math.min(fault === 'stall' ? 16 * 1024 : Infinity, Math.floor(size / 2));
		stream.on('data', (chunk) => {
			const part = chunk.subarray(0, Math.max(0, limit - sent));
			sent += chunk.length;
			if (part.length) res.write(part);
			if (sent < limit) return;
			stream.destroy();
			if (fault === 'cut') res.socket?.destroy();
			// `short` ends the socket cleanly after the half; `stall` keeps it open and silent.
			if (fault === 'short') res.socket?.end();
		});
	}

	/**
	 * `[sandbox:cdn=403]`: the first link a client uses is refused and marked expired; a link signed
	 * after a later status check (a higher `sig`) works.
	 */
	linkExpired(job, url) {
		const sig = Number(url?.searchParams.get('sig') ?? -1);
		if (job.freshFromSig === undefined) job.freshFromSig = job.polls + 1;
		return !(sig >= job.freshFromSig);
	}
}

/** A job's first video is seeded by its videoId, each further one differently, so all differ. */
const videoSeed = (job, index) => (index ? `${job.videoId}#${index}` : job.videoId);

/** Starts a sandbox on free ports (or the given ones) and resolves when it listens. */
async function startSandbox(options = {}) {
	return await new Sandbox(options).start(options.apiPort ?? 0, options.cdnPort ?? 0);
}

module.exports = { startSandbox, Sandbox, SANDBOX_API_KEY, parseDirectives };
