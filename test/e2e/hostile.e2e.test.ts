/**
 * A hostile gateway in real n8n 2.x (`n8n execute`): its finished task names an address on this
 * machine's private network (the "internal" service, which counts its hits and bytes). The gateway
 * runs on 127.0.0.1, so the credential's Base URL is on loopback: the node's rule still refuses a
 * private-network address (another kind than the Base URL's). Three runs:
 * 1. defaults: the node refuses the address; 0 requests reach it; the error names the job;
 * 2. Options → Allow Private Network URLs: the node lets it through and the internal body is stored
 *    as the "video" (the figure before this guard existed);
 * 3. the same opt-in in an n8n started with N8N_SSRF_PROTECTION_ENABLED=true (the gateway allowed by
 *    N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32, as an admin would allow a local gateway): n8n's own
 *    egress filter refuses it; 0 requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { hostKind } from '../../nodes/shared/transport/urlGuard';
import { itemsNodes, chain, describeEachN8n, n8nV2Version, N8nInstance, type ExecutionResult, type WorkflowSpec } from './harness';

const API_KEY = 'sk-e2e-hostile-0123456789';
const CREDENTIALS = { videoGenerationApi: { id: 'hostileGateway', name: 'Hostile gateway' } };
/**
 * What an internal service would hand out, behind an MP4 box header: the node stores only bytes that
 * start as a video does (nodes/shared/transport/download.ts), so the URL rule alone is under test here.
 */
const BODY = Buffer.concat([Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'), Buffer.from('{"SecretAccessKey":"internal-only"}'.repeat(100))]);

/** An IPv4 address of this machine on a private network (not loopback): where the "internal" service listens. */
function privateAddress(): string {
	for (const list of Object.values(os.networkInterfaces())) {
		for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal && hostKind(entry.address) === 'private') return entry.address;
	}
	throw new Error('this machine has no IPv4 address on a private network (10.x, 172.16-31.x, 192.168.x, 192.0.2.x) for the internal service; run the suite in a container or VM that has one');
}

function listen(server: Server, host: string): Promise<number> {
	return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

function workflow(id: string, options: Record<string, unknown>): WorkflowSpec {
	return {
		id,
		name: id,
		nodes: [
			...itemsNodes([{ prompt: 'a fox' }]),
			{
				id: 'gateway',
				name: 'Gateway',
				type: 'n8n-nodes-text-to-video.videoGeneration',
				typeVersion: 1,
				position: [440, 0],
				parameters: { apiStyle: 'videoGenerations', model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' }, prompt: '={{ $json.prompt }}', options: { pollInterval: 0.2, ...options } },
				credentials: CREDENTIALS,
			},
		],
		connections: chain('Start', 'Items', 'Gateway'),
	};
}

describeEachN8n(
	'A hostile gateway in real n8n',
	(version, install) => {
		const internal = { hits: 0, bytes: 0, url: '' };
		let internalServer: Server;
		let gatewayServer: Server;
		let plain: N8nInstance;
		let filtered: N8nInstance;

		beforeAll(async () => {
			const host = privateAddress();
			internalServer = createServer((_req, res) => {
				internal.hits++;
				internal.bytes += BODY.length;
				res.setHeader('content-type', 'video/mp4');
				res.end(BODY);
			});
			internal.url = `http://${host}:${await listen(internalServer, host)}/latest/meta-data/`;
			gatewayServer = createServer((req: IncomingMessage, res: ServerResponse) => {
				req.resume();
				req.on('end', () => {
					res.setHeader('content-type', 'application/json');
					res.end(JSON.stringify(req.method === 'POST' ? { task_id: 'task_e2e', status: 'queued' } : { task_id: 'task_e2e', status: 'completed', url: internal.url }));
				});
			});
			const baseUrl = `http://127.0.0.1:${await listen(gatewayServer, '127.0.0.1')}`;
			const credentials = [{ id: 'hostileGateway', name: 'Hostile gateway', type: 'videoGenerationApi', data: { apiKey: API_KEY, baseUrl } }];
			const workflows = [workflow('hostileDefault', {}), workflow('hostileOptIn', { allowPrivateUrls: true })];
			plain = await N8nInstance.create(install);
			filtered = await N8nInstance.create(install, { env: { N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32' } });
			for (const n8n of [plain, filtered]) {
				await n8n.importCredentials(credentials);
				await n8n.importWorkflows(workflows);
			}
		}, 5 * 60_000);

		afterAll(async () => {
			for (const server of [internalServer, gatewayServer]) await new Promise((resolve) => server?.close(resolve));
			plain?.dispose();
			filtered?.dispose();
		});

		beforeEach(() => {
			internal.hits = 0;
			internal.bytes = 0;
		});

		const errorOf = (result: ExecutionResult) => `${result.error?.message ?? ''} ${result.error?.description ?? ''}`;

		test('defaults: the private-network address is refused, 0 requests reach it, the error names the job', async () => {
			const result = await plain.execute('hostileDefault');
			expect(result.status).toBe('error');
			expect(errorOf(result)).toMatch(/Refused to use the address Video Generation API gave \(http:\/\/[\d.]+:\d+\/latest\/meta-data\/\): it points to a private network address/);
			expect(errorOf(result)).toContain('task_e2e');
			expect(internal.hits).toBe(0);
		}, 5 * 60_000);

		test('with Allow Private Network URLs the internal body is fetched and stored (the figure before the guard)', async () => {
			const result = await plain.execute('hostileOptIn');
			if (result.status !== 'success') throw new Error(`n8n ${version}: ${result.describe()}`);
			expect(internal.hits).toBe(1);
			expect(result.items('Gateway')[0].json).toMatchObject({ jobId: 'task_e2e', fileSize: BODY.length });
			console.info(`hostile e2e (n8n ${version}): ${internal.bytes} bytes fetched from ${internal.url} with the guard lifted, 0 with it`);
		}, 5 * 60_000);

		test("n8n's egress filter (N8N_SSRF_PROTECTION_ENABLED=true) refuses it even with the opt-in: 0 requests", async () => {
			const result = await filtered.execute('hostileOptIn');
			expect(result.status).toBe('error');
			expect(errorOf(result)).toContain('restricted IP address');
			expect(errorOf(result)).toContain('task_e2e');
			expect(internal.hits).toBe(0);
		}, 5 * 60_000);
	},
	[n8nV2Version()],
);
