/**
 * Hostile providers (issue 27): a gateway that answers with internal addresses, echoes the key,
 * sends Retry-After: 86400; job ids and Base URLs meant to walk off the API. Each case is refused or
 * bounded, and the requests are counted: an "internal" HTTP server started here stands for the
 * metadata service or an admin port, and counts every hit and byte it serves.
 *
 * Two Base URLs:
 * - a public-looking one, https://gateway.example:<port>: the hostile gateway over TLS (a certificate
 *   made here with openssl), the name resolved to 127.0.0.1 by this test process only (dns.lookup for
 *   *.example, a reserved name that never resolves on the internet). The node sees what it would see
 *   in production, a public https gateway; nothing in the shipped code knows about the test.
 * - a loopback one, http://127.0.0.1:<port>, as the sandbox uses: the documented exception (loopback
 *   addresses of the Base URL's own kind are fetched), still no link-local or private addresses.
 */
import { execFileSync } from 'child_process';
import dns from 'dns';
import fs from 'fs';
import http from 'http';
import https from 'https';
import os from 'os';
import path from 'path';
import type { AddressInfo } from 'net';
import tls from 'tls';
import * as sleepModule from '../../nodes/shared/engine/sleep';
import { SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { VideoGenerationApi } from '../../credentials/VideoGenerationApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { VideoGenerationV1 as VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { inlineBinary, pngImage } from '../helpers/image';
import { cleanupBinaryData, initBinaryData, runNode, type RunNodeResult } from '../helpers/n8n';
import { visibleText } from '../helpers/provider';
import { withShortDownloadPauses } from '../helpers/timing';

const API_KEY = 'sk-h0stile/Key+With=Chars 42';
const node = new VideoGeneration();
const credentialType = new VideoGenerationApi();

/** The "internal" service: every hit and byte it serves is counted. */
const internal = { hits: 0, bytes: 0, server: undefined as http.Server | undefined, port: 0 };
/** An MP4 box header: the node stores only bytes that start as a video does (nodes/shared/transport/download.ts). */
const MP4_HEAD = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
/** What an internal service would hand out, made to pass the video check so the URL rule alone is under test. */
const SECRET_BODY = Buffer.concat([MP4_HEAD, Buffer.from('{"AccessKeyId":"ASIA-INTERNAL","SecretAccessKey":"do-not-leak"}'.repeat(64))]);

/** What the hostile gateway answers for a finished task (set per test), and what it was asked. */
const gateway = {
	answer: {} as Record<string, unknown>,
	requests: [] as Array<{ method: string; url: string }>,
	retryAfter: undefined as string | undefined,
	uploadUrl: '',
	tls: undefined as https.Server | undefined,
	plain: undefined as http.Server | undefined,
	tlsPort: 0,
	plainPort: 0,
};

function handleGateway(req: http.IncomingMessage, res: http.ServerResponse) {
	gateway.requests.push({ method: req.method ?? '', url: req.url ?? '' });
	req.resume();
	req.on('end', () => {
		// A video link on the gateway's own (public-looking) names: video bytes, as a CDN serves them.
		if (req.method === 'GET' && /\.mp4$/.test(req.url ?? '')) {
			res.setHeader('content-type', 'video/mp4');
			res.end(Buffer.concat([MP4_HEAD, Buffer.alloc(1024)]));
			return;
		}
		res.setHeader('content-type', 'application/json');
		// Magic Hour's presigned upload: the hostile answer names an internal address for the user's image.
		if (req.url === '/v1/files/upload-urls') res.end(JSON.stringify({ items: [{ upload_url: gateway.uploadUrl, file_path: 'api-assets/x/1.png', expires_at: '2099-01-01T00:00:00Z' }] }));
		else if (req.method === 'POST') res.end(JSON.stringify({ task_id: 'task_1', status: 'queued' }));
		else if (gateway.retryAfter && gateway.requests.filter((r) => r.method === 'GET').length === 1) {
			res.statusCode = 429;
			res.setHeader('retry-after', gateway.retryAfter);
			res.end(JSON.stringify({ error: { message: 'slow down' } }));
		} else res.end(JSON.stringify({ task_id: 'task_1', ...gateway.answer }));
	});
}

const PUBLIC_HOST = 'gateway.example';
const publicBase = () => `https://${PUBLIC_HOST}:${gateway.tlsPort}`;
const loopbackBase = () => `http://127.0.0.1:${gateway.plainPort}`;
const originalLookup = dns.lookup;
const originalPromisesLookup = dns.promises.lookup;
const originalSecureContext = tls.createSecureContext;

beforeAll(async () => {
	await initBinaryData();
	internal.server = http.createServer((_req, res) => {
		internal.hits++;
		internal.bytes += SECRET_BODY.length;
		res.setHeader('content-type', 'video/mp4');
		res.end(SECRET_BODY);
	});
	// '::' takes IPv4 and IPv6 (127.0.0.1 and [::1]) on one port.
	await new Promise<void>((resolve) => internal.server!.listen(0, '::', resolve));
	internal.port = (internal.server.address() as AddressInfo).port;

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ttv-hostile-'));
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${PUBLIC_HOST}`, '-addext', `subjectAltName=DNS:${PUBLIC_HOST},DNS:*.${PUBLIC_HOST},DNS:cdn-internal.example`, '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], { stdio: 'ignore' });
	gateway.tls = https.createServer({ key: fs.readFileSync(`${dir}/key.pem`), cert: fs.readFileSync(`${dir}/cert.pem`) }, handleGateway);
	await new Promise<void>((resolve) => gateway.tls!.listen(0, '127.0.0.1', resolve));
	gateway.tlsPort = (gateway.tls.address() as AddressInfo).port;
	gateway.plain = http.createServer(handleGateway);
	await new Promise<void>((resolve) => gateway.plain!.listen(0, '127.0.0.1', resolve));
	gateway.plainPort = (gateway.plain.address() as AddressInfo).port;

	// This process only: *.example is the hostile gateway on 127.0.0.1, and its self-made certificate is accepted.
	(dns as { lookup: unknown }).lookup = ((host: string, options: unknown, callback: unknown) =>
		host.endsWith('.example') ? (originalLookup as Function)('127.0.0.1', options, callback) : (originalLookup as Function)(host, options, callback)) as typeof dns.lookup;
	// n8n's egress filter resolves names itself (dns.promises.lookup): the same answer.
	(dns.promises as { lookup: unknown }).lookup = ((host: string, options: never) =>
		originalPromisesLookup(host.endsWith('.example') ? '127.0.0.1' : host, options)) as typeof dns.promises.lookup;
	// n8n's egress filter (N8N_SSRF_PROTECTION_ENABLED), off as n8n's default; the gateway's name is allowed as an admin would
	// allow it (N8N_SSRF_ALLOWED_HOSTNAMES), set before n8n builds the filter at the first request.
	const ssrf = Container.get(SsrfProtectionConfig);
	ssrf.enabled = false;
	ssrf.allowedHostnames = [PUBLIC_HOST] as never;
	// ...and its certificate is trusted here, as a CA added to this process's store would be.
	const cert = fs.readFileSync(`${dir}/cert.pem`, 'utf8');
	(tls as { createSecureContext: unknown }).createSecureContext = ((options: tls.SecureContextOptions = {}) =>
		originalSecureContext({ ...options, ca: [...(options.ca ? [options.ca].flat() : tls.rootCertificates), cert] as string[] })) as typeof tls.createSecureContext;
});

afterAll(async () => {
	(dns as { lookup: unknown }).lookup = originalLookup;
	(dns.promises as { lookup: unknown }).lookup = originalPromisesLookup;
	Container.get(SsrfProtectionConfig).enabled = false;
	(tls as { createSecureContext: unknown }).createSecureContext = originalSecureContext;
	for (const server of [internal.server, gateway.tls, gateway.plain]) await new Promise((resolve) => server?.close(resolve));
	cleanupBinaryData();
});

beforeEach(() => {
	internal.hits = 0;
	internal.bytes = 0;
	gateway.requests = [];
	gateway.retryAfter = undefined;
	gateway.answer = { status: 'queued' };
});

function run(baseUrl: string, parameters: Record<string, unknown> = {}, options: Record<string, unknown> = {}): Promise<RunNodeResult> {
	return runNode({
		nodeType: node,
		credentialType,
		credentials: { apiKey: API_KEY, baseUrl },
		parameters: {
			apiStyle: 'videoGenerations',
			model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' },
			prompt: 'a fox',
			...parameters,
			options: { pollInterval: 0.1, maxWait: 30, ...options },
		},
	});
}

const completedWith = (url: string) => ({ status: 'completed', progress: 100, url });
const gets = () => gateway.requests.filter((r) => r.method === 'GET');

describe('provider URLs pointing inside (SSRF)', () => {
	test('the public https gateway works for a public-looking CDN name (the path under test is reachable)', async () => {
		// A CDN name that resolves (here) to the internal server: the guard cannot see a DNS answer, so it passes; n8n's egress filter is what covers this.
		gateway.answer = completedWith(`https://cdn.gateway.example:${gateway.tlsPort}/v.mp4`);
		const result = await run(publicBase());
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ jobId: 'task_1', status: 'completed' });
	});

	const internalUrls: Array<[string, () => string]> = [
		['loopback IPv4', () => `http://127.0.0.1:${internal.port}/latest/meta-data/iam/security-credentials/`],
		['loopback IPv6', () => `http://[::1]:${internal.port}/latest/meta-data/`],
		['loopback by name', () => `http://localhost:${internal.port}/admin`],
		['loopback as a decimal number', () => `http://2130706433:${internal.port}/admin`],
		['loopback over https', () => `https://127.0.0.1:${internal.port}/admin`],
		['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${internal.port}/admin`],
		['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
		['cloud metadata by name', () => 'http://metadata.google.internal/computeMetadata/v1/'],
		['a private network address', () => 'http://10.0.0.7/internal'],
		['a plain http public address', () => 'http://cdn.example.com/v.mp4'],
		['a file URL', () => 'file:///etc/passwd'],
	];

	test.each(internalUrls)('%s from a public https gateway is refused: the item fails with the job id and why, the address gets 0 requests', async (_name, url) => {
		gateway.answer = completedWith(url());
		const result = await run(publicBase());
		expect(result.error?.message).toMatch(/^Refused to use the address Video Generation API gave \(.*\): .+Allow Private Network URLs$/);
		expect(result.error?.description).toContain('task_1');
		expect(result.error?.message).toContain('Allow Private Network URLs');
		expect(result.error?.description).toContain('Get operation');
		expect(internal.hits).toBe(0);
		expect(gets()).toHaveLength(1);
	});

	test('Allow Private Network URLs lets the user fetch a local address (the figure "before": the body fetched from inside)', async () => {
		gateway.answer = completedWith(`http://127.0.0.1:${internal.port}/latest/meta-data/`);
		const result = await run(publicBase(), {}, { allowPrivateUrls: true });
		expect(result.error).toBeUndefined();
		expect(internal.hits).toBe(1);
		console.info(`hostile: bytes fetched from an internal address with the guard lifted: ${internal.bytes}; with it: 0`);
	});

	test('a Base URL on loopback (the sandbox) fetches loopback addresses, never metadata or a private network', async () => {
		gateway.answer = completedWith(`http://127.0.0.1:${internal.port}/v.mp4`);
		expect((await run(loopbackBase())).error).toBeUndefined();
		expect(internal.hits).toBe(1);
		for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.1.2.3/v.mp4', 'http://192.168.1.1/v.mp4']) {
			gateway.answer = completedWith(url);
			const result = await run(loopbackBase());
			expect(result.error?.message).toContain('Refused to use the address');
			expect(result.error?.description).toContain('task_1');
		}
		expect(internal.hits).toBe(1);
	});
});

describe('upload URLs pointing inside', () => {
	test.each([
		['loopback', () => `http://127.0.0.1:${internal.port}/put`],
		['cloud metadata', () => 'http://169.254.169.254/latest/user-data'],
	])("Magic Hour's upload_url on %s is refused before the image is sent: 0 requests reach it, no job is submitted", async (_name, url) => {
		gateway.uploadUrl = url();
		const result = await runNode({
			nodeType: new MagicHour(),
			credentialType: new MagicHourApi(),
			credentials: { apiKey: API_KEY, baseUrl: publicBase() },
			parameters: { model: 'kling-2.5', prompt: 'the fox turns', imageSource: 'binary', options: { pollInterval: 0.1 } },
			inputItems: [{ json: {}, binary: { data: inlineBinary(pngImage(320, 320, 1)) } }],
		});
		expect(result.error?.message).toMatch(/^Refused to use the address Magic Hour gave \(.*\): /);
		expect(internal.hits).toBe(0);
		expect(gateway.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1/files/upload-urls']);
	});
});

describe("n8n's own egress filter (N8N_SSRF_PROTECTION_ENABLED=true) applies to every request of the node", () => {
	const cdnPath = '/cdn/v.mp4';
	const cdnHits = () => gateway.requests.filter((r) => r.url === cdnPath).length;
	afterEach(() => {
		Container.get(SsrfProtectionConfig).enabled = false;
	});

	test('a public name that resolves to 127.0.0.1 passes the URL rule (it reads no DNS) and is fetched while the filter is off', async () => {
		gateway.answer = completedWith(`https://cdn-internal.example:${gateway.tlsPort}${cdnPath}`);
		const result = await run(publicBase());
		expect(result.error).toBeUndefined();
		expect(cdnHits()).toBe(1);
	});

	test('with the filter on, n8n refuses that name at connect time: 0 requests reach it, the item fails with the job id', withShortDownloadPauses(async () => {
		Container.get(SsrfProtectionConfig).enabled = true;
		gateway.answer = completedWith(`https://cdn-internal.example:${gateway.tlsPort}${cdnPath}`);
		const result = await run(publicBase());
		expect(result.error?.message).toContain('job task_1');
		// n8n's own words are the error's text, quoted once in the description.
		expect(result.error?.description).toContain('blocked because it resolves to a restricted IP address');
		expect(cdnHits()).toBe(0);
		// The gateway itself (allowed by name) was asked as usual: the filter sits under the node's own requests.
		expect(gets().length).toBeGreaterThanOrEqual(1);
	}));

	test('with the filter on, the user opt-in cannot reach an internal address either', withShortDownloadPauses(async () => {
		Container.get(SsrfProtectionConfig).enabled = true;
		gateway.answer = completedWith(`http://127.0.0.1:${internal.port}/latest/meta-data/`);
		const result = await run(publicBase(), {}, { allowPrivateUrls: true });
		expect(result.error?.message).toContain('job task_1');
		expect(result.error?.description).toContain('restricted IP address');
		expect(internal.hits).toBe(0);
	}));
});

describe('caps and checks', () => {
	test('Retry-After: 86400 on a Get waits 60 s at most, then asks again', async () => {
		gateway.retryAfter = '86400';
		gateway.answer = { status: 'queued' };
		const waits: number[] = [];
		const spy = jest.spyOn(sleepModule, 'cancellableSleep').mockImplementation(async (ms: number) => {
			waits.push(ms);
		});
		try {
			const result = await run(loopbackBase(), { operation: 'get', jobId: 'task_1' });
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({ jobId: 'task_1', status: 'queued' });
		} finally {
			spy.mockRestore();
		}
		expect(waits).toEqual([60_000]);
		expect(gets()).toHaveLength(2);
	});

	test.each(['..', '.', '...', 'a/b', '../../v1/models', 'x\\y'])('job id %p is refused before any request, naming the field', async (jobId) => {
		const result = await run(loopbackBase(), { operation: 'get', jobId });
		expect(result.error?.message).toMatch(/^(Invalid Job ID: )?Job ID/);
		expect(result.error?.description).toMatch(/Nothing was sent to the provider/);
		expect(gateway.requests).toHaveLength(0);
	});

	test('a gateway that answers a submit with the job id ".." fails the item before it polls', async () => {
		gateway.answer = { status: 'queued' };
		const server = gateway.plain!;
		const listeners = server.listeners('request');
		server.removeAllListeners('request');
		server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
			gateway.requests.push({ method: req.method ?? '', url: req.url ?? '' });
			req.resume();
			req.on('end', () => res.end(JSON.stringify({ task_id: '..', status: 'queued' })));
		});
		try {
			const result = await run(loopbackBase());
			expect(result.error?.message).toContain('answered with an unusable job ID: Job ID ".." is made only of dots');
			expect(gets()).toHaveLength(0);
		} finally {
			server.removeAllListeners('request');
			for (const listener of listeners) server.on('request', listener as never);
		}
	});

	test.each([
		['user:password@ in the Base URL', () => `https://user:pa55@${PUBLIC_HOST}:${gateway.tlsPort}`, /must not contain a user name or password/],
		['plain http on a public host', () => `http://${PUBLIC_HOST}:${gateway.tlsPort}`, /plain http on a public host/],
	])('%s is refused at run time, naming the credential, with 0 requests', async (_name, baseUrl, reason) => {
		const result = await run(baseUrl());
		expect(result.error?.message).toMatch(/^Credential "Test credential": /);
		expect(result.error?.message).toMatch(reason);
		expect(gateway.requests).toHaveLength(0);
	});

	test('failure texts echoing the key (as is and URL-encoded) are redacted in the error and the output', async () => {
		gateway.answer = { status: 'failed', fail_reason: `bad key ${API_KEY} / ${encodeURIComponent(API_KEY)} / ${encodeURIComponent(API_KEY).toLowerCase()}` };
		const failed = await run(loopbackBase());
		const got = await run(loopbackBase(), { operation: 'get', jobId: 'task_1' });
		for (const result of [failed, got]) {
			const text = visibleText(result);
			expect(text).toContain('bad key ***');
			for (const form of [API_KEY, encodeURIComponent(API_KEY), 'h0stile']) expect(text).not.toContain(form);
		}
		expect(failed.error?.description).toContain('Job ID: task_1.');
	});
});
