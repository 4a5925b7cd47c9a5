/**
 * A provider's own OpenAPI file served by Stoplight Prism's mock (npm `@stoplight/prism-cli`, a
 * devDependency), which validates every request against the spec and answers one that breaks it with
 * an error (`--errors`) and the violations in its `sl-violations` header. Nothing here is written by us
 * but the recording proxy in front of it, which keeps each request's body and Prism's verdict.
 *
 * `strict`: request bodies may carry only the fields the spec names (`additionalProperties: false` is
 * added to every object of a request schema in a temporary copy). Providers rarely say so in their
 * specs, but a field the spec does not name is a field we invented.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface MockedRequest {
	method: string;
	path: string;
	body: unknown;
	authorization?: string;
	status: number;
	/** Prism's findings; empty when the request is valid. */
	violations: Array<{ location: string[]; severity: string; code: string; message: string }>;
}

export interface OpenApiMock {
	url: string;
	requests: MockedRequest[];
	close(): Promise<void>;
}

function prismBin(): string {
	try {
		return require.resolve('@stoplight/prism-cli/dist/index.js');
	} catch {
		throw new Error('Stoplight Prism is not installed: run `npm ci` (it is the devDependency @stoplight/prism-cli)');
	}
}

/** Every object schema under a request body refuses fields it does not name. */
function closeObjects(schema: unknown): void {
	if (!schema || typeof schema !== 'object') return;
	const node = schema as Record<string, unknown>;
	if (node.type === 'object' && node.properties && node.additionalProperties === undefined) node.additionalProperties = false;
	for (const value of Object.values(node)) closeObjects(value);
}

function strictCopy(specFile: string): string {
	const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
	for (const operations of Object.values(spec.paths ?? {}) as Array<Record<string, { requestBody?: unknown }>>)
		for (const operation of Object.values(operations)) closeObjects(operation.requestBody);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-strict-'));
	const file = path.join(dir, path.basename(specFile));
	fs.writeFileSync(file, JSON.stringify(spec));
	return file;
}

const freePort = () =>
	new Promise<number>((resolve, reject) => {
		const server = http.createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});

async function startPrism(specFile: string, port: number): Promise<ChildProcess> {
	const child = spawn(process.execPath, [prismBin(), 'mock', '--host', '127.0.0.1', '--port', String(port), '--errors', specFile], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`Prism did not start in 30 s:\n${output}`)), 30_000);
		const read = (chunk: Buffer) => {
			output += chunk.toString();
			if (/Prism is listening/.test(output)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout!.on('data', read);
		child.stderr!.on('data', read);
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`Prism exited (${code}) before listening:\n${output}`));
		});
	});
	child.removeAllListeners('exit');
	return child;
}

function parsed(raw: Buffer): unknown {
	if (!raw.length) return undefined;
	try {
		return JSON.parse(raw.toString('utf8'));
	} catch {
		return raw.toString('utf8');
	}
}

/**
 * Prism's findings: in the `sl-violations` header when the spec has an error response to answer with,
 * else in the `validation` list of its own problem+json answer (locations then lack the "request" part).
 */
function violationsOf(headers: http.IncomingHttpHeaders, body: Buffer): MockedRequest['violations'] {
	if (headers['sl-violations']) return JSON.parse(String(headers['sl-violations']));
	if (!String(headers['content-type']).includes('application/problem+json')) return [];
	const problem = parsed(body) as { validation?: MockedRequest['violations']; title?: string; detail?: string } | undefined;
	return (problem?.validation ?? [{ location: [], severity: 'Error', code: 'problem', message: `${problem?.title}: ${problem?.detail}` }]).map((v) => ({
		...v,
		location: v.location[0] === 'request' ? v.location : ['request', ...v.location],
	}));
}

export async function startOpenApiMock(specFile: string, options: { strict?: boolean } = {}): Promise<OpenApiMock> {
	const served = options.strict ? strictCopy(specFile) : specFile;
	const prismPort = await freePort();
	const prism = await startPrism(served, prismPort);
	const requests: MockedRequest[] = [];
	const proxy = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const forward = http.request({ host: '127.0.0.1', port: prismPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
				const answerChunks: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
				answer.on('end', () => {
					const answerBody = Buffer.concat(answerChunks);
					requests.push({
						method: req.method ?? '',
						path: req.url ?? '',
						body: parsed(raw),
						authorization: req.headers.authorization,
						status: answer.statusCode ?? 0,
						violations: violationsOf(answer.headers, answerBody),
					});
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					res.end(answerBody);
				});
			});
			forward.on('error', (error) => {
				res.writeHead(502).end(String(error));
			});
			forward.end(raw);
		});
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	const { port } = proxy.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: async () => {
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			const exited = new Promise<void>((resolve) => prism.once('exit', () => resolve()));
			prism.kill();
			await exited;
			if (served !== specFile) fs.rmSync(path.dirname(served), { recursive: true, force: true });
		},
	};
}
