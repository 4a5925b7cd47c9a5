/**
 * Real n8n for the end-to-end suite.
 *
 * n8n (each pinned version, on Node 24) is installed once into a cache folder by scripts/n8n.js. Each
 * suite gets a throwaway user folder into which our built package is copied the way n8n installs a
 * community package: only `package.json` and `dist/`, no node_modules of ours, under
 * `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-text-to-video`. So `require('zod')` and
 * `require('n8n-workflow')` in our code resolve from n8n itself, exactly as in a user's n8n.
 *
 * Credentials and workflows go in with `n8n import:credentials` / `n8n import:workflow`; workflows run
 * with `n8n execute --id <id> --rawOutput`, whose stdout carries the whole run as JSON, parsed here.
 *
 * A version that cannot be installed or started fails the suite with the reason; only the user's
 * explicit `N8N_E2E_SKIP=1` leaves it out, and `npm test` then says so in its last lines.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/n8n.js') as {
	N8N_VERSIONS: string[];
	ensureN8n(version: string): N8nInstall;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require('../../scripts/n8n-runtime.js') as {
	ROOT: string;
	assertBuilt(packageDir?: string): void;
	installPackageInto(userFolder: string, packageDir?: string): string;
	freePort(): Promise<number>;
	n8nEnv(options: { install: N8nInstall; userFolder: string; home?: string; brokerPort: number; binaryDataMode?: string; extra?: Record<string, string> }): Record<string, string>;
	N8N_FILES: string;
	runN8n(install: N8nInstall, args: string[], options: { env: Record<string, string>; cwd?: string; timeoutMs?: number; onLine?: (line: string, stream: string) => void }): Promise<CliResult>;
	parseRunOutput(stdout: string): RunData | undefined;
	importIntoN8n(install: N8nInstall, kind: 'credentials' | 'workflow', content: unknown, options: { env: Record<string, string>; cwd?: string }): Promise<void>;
	credentialsFor(options: { urls?: Record<string, string>; apiKey?: string; real?: boolean; packageDir?: string }): CredentialSpec[];
	withCredentials(workflow: WorkflowSpec, credentials: CredentialSpec[]): WorkflowSpec;
	startN8nServer(
		install: N8nInstall,
		options: { env: Record<string, string>; cwd?: string; port: number },
	): Promise<{ baseUrl: string; settings: unknown; output(): string; stop(): Promise<void>; kill(): Promise<KillResult> }>;
	setupOwner(baseUrl: string, settings: unknown): Promise<'created' | 'existing'>;
	login(baseUrl: string): Promise<RestClient>;
	runOnServer(
		install: N8nInstall,
		client: { request(method: string, route: string, body?: unknown): Promise<any> },
		workflowId: string,
		options?: { timeoutMs?: number },
	): Promise<RunData & { executionId: string }>;
	exampleWorkflows(): Array<{ file: string; workflow: WorkflowSpec }>;
	startRunOnServer(client: { request(method: string, route: string, body?: unknown): Promise<any> }, workflowId: string): Promise<string>;
	getExecution(install: N8nInstall, client: { request(method: string, route: string, body?: unknown): Promise<any> }, executionId: string): Promise<StoredExecution>;
	waitForExecution(
		install: N8nInstall,
		client: { request(method: string, route: string, body?: unknown): Promise<any> },
		executionId: string,
		predicate: (execution: StoredExecution) => boolean,
		options?: { timeoutMs?: number; intervalMs?: number },
	): Promise<StoredExecution>;
};

export const { ROOT, assertBuilt, installPackageInto, freePort, n8nEnv, parseRunOutput, credentialsFor, exampleWorkflows, withCredentials, N8N_FILES } = runtime;

/** A signed-in REST client (n8n-runtime's login). */
export interface RestClient {
	request(method: string, route: string, body?: unknown): Promise<any>;
	download(route: string): Promise<{ bytes: Buffer; contentType: string }>;
}

export interface N8nInstall {
	nodeBin: string;
	nodeDir: string;
	n8nBin: string;
	dir: string;
	version: string;
	cached: boolean;
}

/** How a SIGKILLed n8n ended: its pid (also its process group), and `signal` 'SIGKILL'. */
export interface KillResult {
	pid: number;
	signal: NodeJS.Signals | null;
	code: number | null;
}

/** An execution as n8n's REST API gives it (GET /rest/executions/<id>), `data` decoded. */
export interface StoredExecution extends RunData {
	executionId: string;
	id: string;
	/** ISO date: when a waiting execution resumes; null otherwise. */
	waitTill?: string | null;
	startedAt?: string;
	stoppedAt?: string | null;
	[key: string]: unknown;
}

/** The n8n versions the suite runs against: `N8N_E2E_VERSIONS=2.41.1,1.123.81` narrows it. */
export function versionsUnderTest(): string[] {
	const wanted = process.env.N8N_E2E_VERSIONS?.split(',').map((v) => v.trim()).filter(Boolean);
	return wanted?.length ? wanted : setup.N8N_VERSIONS;
}

const installs = new Map<string, N8nInstall | Error>();

/**
 * n8n `version`, installed (or found in the cache). `npm test` installs every version before jest
 * starts (scripts/test.js), so here this is normally a cache hit; run alone, a suite installs what
 * it needs (minutes, with progress on stderr). A version that cannot be installed is an error, never
 * a skip: a real-n8n test whose n8n is missing has not passed.
 */
export function n8nInstall(version: string): N8nInstall | Error {
	let known = installs.get(version);
	if (!known) {
		try {
			known = setup.ensureN8n(version);
		} catch (error) {
			known = new Error(`n8n ${version} could not be installed, so the real-n8n tests cannot run: ${(error as Error).message}`);
		}
		installs.set(version, known);
	}
	return known;
}

/**
 * `describe` once per n8n version under test. When the version cannot be installed, the block holds a
 * single failing test that names the reason (and `body` is not run). Nothing here skips: the user's
 * `N8N_E2E_SKIP=1` is honoured by `npm test` (scripts/test.js), which then does not start these suites.
 */
export function describeEachN8n(title: string, body: (version: string, install: N8nInstall) => void, versions = versionsUnderTest()): void {
	for (const version of versions) {
		describe(`${title} (n8n ${version})`, () => {
			const install = n8nInstall(version);
			if (install instanceof Error) {
				test(`n8n ${version} is installed and runs`, () => {
					throw install;
				});
				return;
			}
			body(version, install);
		});
	}
}

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface Item {
	json: Record<string, any>;
	binary?: Record<string, BinaryMeta>;
	pairedItem?: { item: number } | Array<{ item: number }>;
	error?: unknown;
}

export interface BinaryMeta {
	mimeType: string;
	fileName?: string;
	fileExtension?: string;
	fileSize?: string;
	bytes?: number;
	id?: string;
	data?: string;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message: string; description?: string; [key: string]: unknown };
	data?: { main: Array<Item[] | null> };
}

/** What `n8n execute --rawOutput` printed for the run (n8n's IRun). */
export interface RunData {
	status: string;
	finished?: boolean;
	mode: string;
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			error?: { message: string; description?: string; node?: { name: string }; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
}

export class ExecutionResult {
	constructor(
		readonly cli: CliResult,
		readonly run: RunData | undefined,
	) {}

	get status(): string {
		return this.run?.status ?? 'unknown';
	}

	/** The workflow's error (message, description), when it stopped on one. */
	get error() {
		return this.run?.data.resultData.error;
	}

	get executedNodes(): string[] {
		return Object.keys(this.run?.data.resultData.runData ?? {});
	}

	nodeRun(node: string, runIndex = 0): NodeRun {
		const runs = this.run?.data.resultData.runData[node];
		if (!runs?.[runIndex]) {
			throw new Error(`Node "${node}" did not run (ran: ${this.executedNodes.join(', ') || 'none'})\n${this.describe()}`);
		}
		return runs[runIndex];
	}

	/** The items node `node` put out on `output` in run `runIndex`. */
	items(node: string, output = 0, runIndex = 0): Item[] {
		return this.nodeRun(node, runIndex).data?.main[output] ?? [];
	}

	/** A short account for failure messages: status, error, and the end of n8n's output. */
	describe(): string {
		const error = this.error ? `\nerror: ${this.error.message}${this.error.description ? ` (${this.error.description})` : ''}` : '';
		return `n8n ${this.cli.code === null && this.cli.signal === null ? 'server run' : `exited ${this.cli.code ?? this.cli.signal}`}, status ${this.status}${error}\n--- stdout (end) ---\n${this.cli.stdout.slice(-3000)}\n--- stderr (end) ---\n${this.cli.stderr.slice(-3000)}`;
	}
}

export interface CredentialSpec {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowSpec {
	id: string;
	name: string;
	nodes: Array<Record<string, any>>;
	connections: Record<string, any>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

let counter = 0;

/**
 * One n8n "instance": a throwaway folder that is both its HOME and its user folder (SQLite database
 * included), with our package installed in it, as n8n lays things out by default (~/.n8n). n8n runs with
 * that folder as working directory (as the Docker image does: WORKDIR /home/node = HOME) and n8n's own
 * file-access defaults: on 2.x Read/Write Files may only use `~/.n8n-files` = `filesDir`, which exists
 * here because a user who writes files there must create it too (n8n does not). The suites' own
 * workflows write `.n8n-files/<name>` (writeFileNode), a path both stock versions allow.
 */
export class N8nInstance {
	readonly userFolder: string;
	/** `~/.n8n-files` of this instance: the only folder stock n8n 2.x lets Read/Write Files use. */
	readonly filesDir: string;
	readonly env: Record<string, string>;

	private constructor(
		readonly install: N8nInstall,
		root: string,
		brokerPort: number,
		extraEnv: Record<string, string>,
		binaryDataMode: string | undefined,
	) {
		this.userFolder = root;
		this.filesDir = path.join(root, N8N_FILES);
		fs.mkdirSync(this.filesDir, { recursive: true });
		this.env = n8nEnv({ install, userFolder: root, home: root, brokerPort, binaryDataMode, extra: extraEnv });
	}

	/** `packageDir` defaults to this repository, which must be built. */
	/**
	 * `installPackage: false` leaves our package out of the user folder (a test that installs it through
	 * n8n's own community-package installer); by default it is copied in as n8n would have installed it.
	 * `stock: true` runs n8n exactly with its defaults (what users get); otherwise binary data is kept as
	 * files on every version (n8n 1.x keeps it in memory by default), which the suites that measure
	 * memory with 100 MB+ videos need. 2.x's default is files anyway.
	 */
	static async create(install: N8nInstall, options: { packageDir?: string; env?: Record<string, string>; installPackage?: boolean; stock?: boolean } = {}) {
		assertBuilt(options.packageDir);
		// realpath: n8n refuses to write through a symlinked path (macOS's /tmp is one).
		const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${install.version}-${counter++}-`)));
		if (options.installPackage !== false) installPackageInto(root, options.packageDir);
		return new N8nInstance(install, root, await freePort(), options.env ?? {}, options.stock ? undefined : 'filesystem');
	}

	/** `n8n <args>`; `timeoutMs` only kills a hung process, it asserts nothing. */
	async cli(args: string[], timeoutMs?: number): Promise<CliResult> {
		return await runtime.runN8n(this.install, args, { env: this.env, cwd: this.userFolder, timeoutMs });
	}

	/** Imports credentials given in clear (n8n encrypts them with the instance key). */
	async importCredentials(credentials: CredentialSpec[]): Promise<void> {
		await runtime.importIntoN8n(this.install, 'credentials', credentials, { env: this.env, cwd: this.userFolder });
	}

	/** Imports workflows (each with its own `id`), all in one n8n process. */
	async importWorkflows(workflows: WorkflowSpec[]): Promise<void> {
		const complete = workflows.map((w) => ({ active: false, settings: { executionOrder: 'v1' }, ...w }));
		await runtime.importIntoN8n(this.install, 'workflow', complete, { env: this.env, cwd: this.userFolder });
	}

	/** Runs a saved workflow to its end (`n8n execute --id <id> --rawOutput`) and parses the run. */
	async execute(workflowId: string, timeoutMs = 5 * 60 * 1000): Promise<ExecutionResult> {
		const cli = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		return new ExecutionResult(cli, parseRunOutput(cli.stdout));
	}

	/**
	 * Starts `n8n start` on this instance (import everything first): workflows then run as the editor's
	 * "Execute workflow" button runs them, and Wait nodes can be resumed by webhook calls.
	 */
	async startServer(): Promise<N8nServer> {
		const server = await runtime.startN8nServer(this.install, { env: this.env, cwd: this.userFolder, port: await freePort() });
		try {
			await runtime.setupOwner(server.baseUrl, server.settings);
			const client = await runtime.login(server.baseUrl);
			return new N8nServer(this.install, server, client);
		} catch (error) {
			await server.stop();
			throw error;
		}
	}

	/** Where a file written by the Read/Write Files node as `.n8n-files/<name>` (writeFileNode) ends up. */
	file(name: string): string {
		return path.join(this.filesDir, name);
	}

	dispose(): void {
		if (process.env.N8N_E2E_KEEP) {
			console.warn(`[e2e] keeping ${this.userFolder} (N8N_E2E_KEEP is set)`);
			return;
		}
		fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** A running `n8n start`, signed in as the owner. */
export class N8nServer {
	constructor(
		readonly install: N8nInstall,
		private readonly server: { baseUrl: string; output(): string; stop(): Promise<void>; kill?(): Promise<KillResult> },
		private readonly client: RestClient,
	) {}

	/**
	 * The bytes of a binary field of an execution's item, as the editor's *View* / *Download* gets them:
	 * from n8n's binary-data endpoint when the data is stored by id (filesystem, database, S3: 2.x's
	 * default), else from the item itself (n8n 1.x's default in-memory mode keeps it as base64).
	 */
	async binaryBytes(meta: BinaryMeta): Promise<Buffer> {
		if (meta.id) {
			const query = new URLSearchParams({ id: meta.id, action: 'download', ...(meta.fileName ? { fileName: meta.fileName } : {}), mimeType: meta.mimeType });
			return (await this.client.download(`/binary-data?${query}`)).bytes;
		}
		if (typeof meta.data === 'string' && meta.data.length > 0) return Buffer.from(meta.data, 'base64');
		throw new Error(`binary data without id or data: ${JSON.stringify(meta).slice(0, 300)}`);
	}

	get baseUrl(): string {
		return this.server.baseUrl;
	}

	/** Runs a saved workflow manually, as the editor does, and waits for the execution to end. */
	async run(workflowId: string, timeoutMs = 5 * 60 * 1000): Promise<ExecutionResult> {
		const run = await runtime.runOnServer(this.install, this.client, workflowId, { timeoutMs });
		const log = { code: null, signal: null, stdout: this.server.output(), stderr: '' };
		return new ExecutionResult(log, run);
	}

	/**
	 * A REST call as the signed-in owner, as the editor makes it: `route` is below /rest (e.g.
	 * `request('POST', '/community-packages', { name })`). Resolves with the response's `data`; throws
	 * with the HTTP status and body when n8n answers with an error.
	 */
	async request(method: string, route: string, body?: unknown): Promise<any> {
		return await this.client.request(method, route, body);
	}

	/** n8n's output so far (stdout and stderr, the last 200 kB). */
	output(): string {
		return this.server.output();
	}

	async stop(): Promise<void> {
		await this.server.stop();
	}

	/**
	 * Starts a saved workflow manually, as the editor does, without waiting for it: resolves with the
	 * execution id (follow it with `execution` / `waitForExecution`).
	 */
	async start(workflowId: string): Promise<string> {
		return await runtime.startRunOnServer(this.client, workflowId);
	}

	/** The execution as n8n stores it (status, waitTill, data), read through the REST API. */
	async execution(executionId: string): Promise<StoredExecution> {
		return await runtime.getExecution(this.install, this.client, executionId);
	}

	/** Polls the execution until `predicate` holds; throws after `timeoutMs`. */
	async waitForExecution(executionId: string, predicate: (execution: StoredExecution) => boolean, timeoutMs = 5 * 60 * 1000): Promise<StoredExecution> {
		return await runtime.waitForExecution(this.install, this.client, executionId, predicate, { timeoutMs });
	}

	/**
	 * Kills n8n as a crash or an OOM kill would: SIGKILL to its whole process group (n8n and its task
	 * runner), nothing saved or shut down. Resolves once no process of the group is left.
	 */
	async kill(): Promise<KillResult> {
		if (!this.server.kill) throw new Error('this n8n server cannot be killed (no kill() from n8n-runtime)');
		return await this.server.kill();
	}
}

/** The first n8n 2.x under test, else the pinned 2.x (scripts/n8n.js): for tests that are about 2.x. */
export function n8nV2Version(): string {
	const version = versionsUnderTest().find((v) => v.startsWith('2.')) ?? setup.N8N_VERSIONS.find((v) => v.startsWith('2.'));
	if (!version) throw new Error('no n8n 2.x is pinned in scripts/n8n.js');
	return version;
}

/** Seconds a Wait node set to "After Time Interval" waits (Wait 1.1 parameters), or undefined. */
export function waitSeconds(node: Record<string, any>): number | undefined {
	if (node.type !== 'n8n-nodes-base.wait' || (node.parameters?.resume ?? 'timeInterval') !== 'timeInterval') return undefined;
	const factor: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };
	// Wait 1 defaults to hours, later versions to seconds.
	const unit = node.parameters?.unit ?? (node.typeVersion === 1 ? 'hours' : 'seconds');
	return Number(node.parameters?.amount ?? (node.typeVersion === 1 ? 1 : 5)) * factor[unit];
}

/**
 * The workflow with every time-interval Wait of `atLeast` seconds or more (those n8n 2.x and 1.x
 * park in the database: 65 s and up) set to `seconds`, so a durable recipe runs in seconds in the
 * examples suite. test/e2e/restart.e2e.test.ts runs the recipe with its persisted Wait.
 */
export function withShortWaits(workflow: WorkflowSpec, seconds: number, atLeast = 65): WorkflowSpec {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			(waitSeconds(node) ?? 0) >= atLeast ? { ...node, parameters: { ...node.parameters, amount: seconds, unit: 'seconds' } } : node,
		),
	};
}

/** sha256 of a file, streamed (videos can be large). */
export function sha256File(file: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const hash = createHash('sha256');
		fs.createReadStream(file)
			.on('data', (chunk) => hash.update(chunk))
			.on('end', () => resolve(hash.digest('hex')))
			.on('error', reject);
	});
}

/** Built-in node types and versions, as n8n 1.123.x and 2.41.x both know them. */
export const BUILTIN = {
	manualTrigger: { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1 },
	code: { type: 'n8n-nodes-base.code', typeVersion: 2 },
	readWriteFile: { type: 'n8n-nodes-base.readWriteFile', typeVersion: 1 },
	wait: { type: 'n8n-nodes-base.wait', typeVersion: 1.1 },
} as const;

/** Manual Trigger → Code node making one item per entry of `items`, named "Start" and "Items". */
export function itemsNodes(items: Array<Record<string, unknown>>, x = 0): Array<Record<string, any>> {
	return [
		{ id: 'start', name: 'Start', ...BUILTIN.manualTrigger, position: [x, 0], parameters: {} },
		{
			id: 'items',
			name: 'Items',
			...BUILTIN.code,
			position: [x + 220, 0],
			parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
		},
	];
}

/**
 * A Read/Write Files node writing each item's binary `property` to `.n8n-files/<fileNameExpression>`,
 * relative to the n8n process's working directory, which is its HOME: so into `~/.n8n-files`, the folder
 * stock n8n 2.x allows (1.x allows it too).
 */
export function writeFileNode(name: string, fileNameExpression: string, property = 'data', x = 880) {
	return {
		id: `write-${name}`.replace(/\W+/g, '-'),
		name,
		...BUILTIN.readWriteFile,
		position: [x, 0],
		parameters: { operation: 'write', fileName: `=${N8N_FILES}/${fileNameExpression}`, dataPropertyName: property, options: {} },
	};
}

/** Connections for a straight line of nodes. */
export function chain(...names: string[]): Record<string, any> {
	const connections: Record<string, any> = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}
