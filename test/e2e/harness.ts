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
 * A version that cannot run here is reported as a skipped test whose name gives the reason, plus a
 * console warning: never silently.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/n8n.js') as {
	N8N_VERSIONS: string[];
	ensureN8n(version: string): N8nInstall;
};

export const ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	n8n: { nodes: string[]; credentials: string[] };
};
export const PACKAGE_NAME = PACKAGE_JSON.name;

export interface N8nInstall {
	nodeBin: string;
	nodeDir: string;
	n8nBin: string;
	dir: string;
	version: string;
	cached: boolean;
}

export type Availability = { version: string; ok: true; install: N8nInstall } | { version: string; ok: false; reason: string };

/** The n8n versions the suite runs against: `N8N_E2E_VERSIONS=2.41.1,1.123.81` narrows it. */
export function versionsUnderTest(): string[] {
	const wanted = process.env.N8N_E2E_VERSIONS?.split(',').map((v) => v.trim()).filter(Boolean);
	return wanted?.length ? wanted : setup.N8N_VERSIONS;
}

const availability = new Map<string, Availability>();

/**
 * Installs (or finds cached) n8n `version`. Synchronous on purpose: it runs while jest collects tests,
 * so that a version that cannot run turns into a visibly skipped test. A cold install takes minutes.
 */
export function checkN8n(version: string): Availability {
	const known = availability.get(version);
	if (known) return known;
	let result: Availability;
	if (process.env.N8N_E2E_SKIP) {
		result = { version, ok: false, reason: `N8N_E2E_SKIP=${process.env.N8N_E2E_SKIP} is set` };
	} else {
		try {
			result = { version, ok: true, install: setup.ensureN8n(version) };
		} catch (error) {
			const message = (error as Error).message.split('\n').slice(0, 3).join(' ').slice(0, 400);
			result = { version, ok: false, reason: `n8n ${version} could not be installed here: ${message}` };
		}
	}
	if (!result.ok) {
		console.warn(`\n*** END-TO-END TESTS SKIPPED for n8n ${version} ***\n*** ${result.reason} ***\n`);
	}
	availability.set(version, result);
	return result;
}

/**
 * `describe` once per n8n version under test. A version that cannot run becomes one skipped test
 * named after the reason (jest lists it as skipped), and a console warning.
 */
export function describeEachN8n(title: string, body: (version: string, install: N8nInstall) => void): void {
	for (const version of versionsUnderTest()) {
		describe(`${title} (n8n ${version})`, () => {
			const available = checkN8n(version);
			if (!available.ok) {
				test.skip(`SKIPPED, n8n ${version} cannot run here: ${available.reason}`, () => undefined);
				return;
			}
			body(version, available.install);
		});
	}
}

/** The package's built output must exist: the suite tests what `npm run build` produced. */
export function assertBuilt(): void {
	const missing = [...PACKAGE_JSON.n8n.nodes, ...PACKAGE_JSON.n8n.credentials].filter(
		(file) => !fs.existsSync(path.join(ROOT, file)),
	);
	if (missing.length) throw new Error(`Not built (run \`npm run build\`): missing ${missing.join(', ')}`);
}

/**
 * Copies the package as n8n's community-package installer leaves it: package.json and dist/ only, in
 * `<userFolder>/.n8n/nodes/node_modules/<name>`, listed in `<userFolder>/.n8n/nodes/package.json`.
 * n8n 2.x scans that node_modules folder for `n8n-nodes-*` packages; n8n 1.x does the same.
 */
export function installPackageInto(userFolder: string, packageDir = ROOT): string {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', manifest.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(packageDir, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(packageDir, 'dist'), path.join(target, 'dist'), { recursive: true });
	const nodesManifest = path.join(nodesDir, 'package.json');
	const existing = fs.existsSync(nodesManifest)
		? (JSON.parse(fs.readFileSync(nodesManifest, 'utf8')) as { dependencies?: Record<string, string> })
		: {};
	fs.writeFileSync(
		nodesManifest,
		JSON.stringify(
			{ name: 'installed-nodes', private: true, ...existing, dependencies: { ...existing.dependencies, [manifest.name]: manifest.version } },
			null,
			2,
		),
	);
	return target;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/**
 * The environment every n8n process of the suite runs in: everything in the temp user folder, nothing
 * phoned home, binary data on disk (videos can be large), the Read/Write Files node allowed to write
 * into `filesDir` only.
 */
export function n8nEnv(options: {
	install: N8nInstall;
	userFolder: string;
	filesDir: string;
	brokerPort: number;
	extra?: Record<string, string>;
}): Record<string, string> {
	const inherited: Record<string, string> = {};
	// Only what a process needs from the outside; no N8N_* or DB_* settings leak in from the shell.
	for (const key of ['HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT']) {
		if (process.env[key] !== undefined) inherited[key] = process.env[key]!;
	}
	return {
		...inherited,
		PATH: `${path.dirname(options.install.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		NODE_ENV: 'production',
		N8N_USER_FOLDER: options.userFolder,
		N8N_ENCRYPTION_KEY: 'n8n-nodes-text-to-video-e2e',
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_RESTRICT_FILE_ACCESS_TO: options.filesDir,
		N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES: 'true',
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		NO_PROXY: '127.0.0.1,localhost',
		...options.extra,
	};
}

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** Runs `n8n <args>` on Node 24 and collects its output; `timeoutMs` is a safety net, not an assertion. */
export async function runN8n(
	install: N8nInstall,
	args: string[],
	env: Record<string, string>,
	timeoutMs = 5 * 60 * 1000,
): Promise<CliResult> {
	return await new Promise((resolve, reject) => {
		const child = spawn(install.nodeBin, [install.n8nBin, ...args], {
			env,
			cwd: env.N8N_USER_FOLDER,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // its own process group, so the task runner it starts goes with it
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer = setTimeout(() => {
			stderr += `\n[harness] n8n ${args.join(' ')} still running after ${timeoutMs} ms: killed`;
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				child.kill('SIGKILL');
			}
		}, timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
	});
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
		return `n8n exited ${this.cli.code ?? this.cli.signal}, status ${this.status}${error}\n--- stdout (end) ---\n${this.cli.stdout.slice(-3000)}\n--- stderr (end) ---\n${this.cli.stderr.slice(-3000)}`;
	}
}

/**
 * `n8n execute --rawOutput` prints log lines, then the run as `JSON.stringify(run, null, 2)`: on success
 * as the last thing on stdout, on failure after "Execution error:" (and exits 1). The JSON starts at a
 * line that is exactly `{` and ends at the next line that is exactly `}`: indentation keeps every
 * other line of it from matching.
 */
export function parseRunOutput(stdout: string): RunData | undefined {
	const lines = stdout.split(/\r?\n/);
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
				if (parsed && typeof parsed === 'object' && parsed.data?.resultData) return parsed as RunData;
			} catch {
				/* not this one */
			}
			break;
		}
	}
	return undefined;
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

/** One n8n "instance": a throwaway user folder with our package in it, its SQLite database, its files. */
export class N8nInstance {
	readonly userFolder: string;
	/** The only folder the Read/Write Files node may write to. */
	readonly filesDir: string;
	readonly env: Record<string, string>;

	private constructor(
		readonly install: N8nInstall,
		root: string,
		brokerPort: number,
		extraEnv: Record<string, string>,
	) {
		this.userFolder = root;
		this.filesDir = path.join(root, 'files');
		fs.mkdirSync(this.filesDir, { recursive: true });
		this.env = n8nEnv({ install, userFolder: root, filesDir: this.filesDir, brokerPort, extra: extraEnv });
	}

	static async create(install: N8nInstall, options: { packageDir?: string; env?: Record<string, string> } = {}) {
		if (!options.packageDir) assertBuilt();
		// realpath: n8n refuses to write through a symlinked path (macOS's /tmp is one).
		const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${install.version}-${counter++}-`)));
		installPackageInto(root, options.packageDir);
		return new N8nInstance(install, root, await freePort(), options.env ?? {});
	}

	async cli(args: string[], timeoutMs?: number): Promise<CliResult> {
		return await runN8n(this.install, args, this.env, timeoutMs);
	}

	private async importFile(kind: 'credentials' | 'workflow', content: unknown): Promise<void> {
		const file = path.join(this.userFolder, `import-${kind}-${counter++}.json`);
		fs.writeFileSync(file, JSON.stringify(content, null, 2));
		const result = await this.cli([`import:${kind}`, `--input=${file}`]);
		fs.rmSync(file, { force: true });
		if (result.code !== 0) {
			throw new Error(`n8n import:${kind} failed (${result.code}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
		}
	}

	/** Imports credentials given in clear (n8n encrypts them with the instance key). */
	async importCredentials(credentials: CredentialSpec[]): Promise<void> {
		await this.importFile('credentials', credentials);
	}

	/** Imports workflows (each with its own `id`), all in one n8n process. */
	async importWorkflows(workflows: WorkflowSpec[]): Promise<void> {
		await this.importFile('workflow', workflows.map((w) => ({ active: false, settings: { executionOrder: 'v1' }, ...w })));
	}

	/** Runs a saved workflow to its end. */
	async execute(workflowId: string, timeoutMs?: number): Promise<ExecutionResult> {
		const cli = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		return new ExecutionResult(cli, parseRunOutput(cli.stdout));
	}

	/** Where a file written by the Read/Write Files node ends up. */
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

/** A Read/Write Files node writing each item's binary `property` to `<dir>/<fileNameExpression>`. */
export function writeFileNode(name: string, dir: string, fileNameExpression: string, property = 'data', x = 880) {
	return {
		id: `write-${name}`.replace(/\W+/g, '-'),
		name,
		...BUILTIN.readWriteFile,
		position: [x, 0],
		parameters: { operation: 'write', fileName: `=${dir}/${fileNameExpression}`, dataPropertyName: property, options: {} },
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
