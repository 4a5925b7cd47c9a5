'use strict';
/**
 * Running real n8n (installed by ./n8n.js) with this package loaded as a user's n8n loads an installed
 * community package. Shared by `npm start`, `npm run demo` and the end-to-end suite (test/e2e/harness.ts).
 *
 * How n8n finds community packages (read from n8n's source, same in 1.123.x and 2.41.x): the
 * community-packages module scans `<N8N_USER_FOLDER>/.n8n/nodes/node_modules` for `n8n-nodes-*` and
 * `@*\/n8n-nodes-*` folders and loads each with a (Lazy)PackageDirectoryLoader from its package.json
 * `n8n` section; no database row is needed. Before loading, n8n puts its own module paths on NODE_PATH
 * (LoadNodesAndCredentials.init), which is how a package's `require('zod')` / `require('n8n-workflow')`
 * resolve to the copies n8n itself depends on when the package ships no node_modules.
 *
 * Plain CommonJS, no dependencies: runs on the machine's Node 20.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function readPackageJson(packageDir = ROOT) {
	return JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
}

/** Throws when `npm run build` has not produced every file package.json lists. */
function assertBuilt(packageDir = ROOT) {
	const { n8n } = readPackageJson(packageDir);
	const missing = [...(n8n?.nodes ?? []), ...(n8n?.credentials ?? [])].filter((file) => !fs.existsSync(path.join(packageDir, file)));
	if (missing.length) throw new Error(`Not built (run \`npm run build\`): missing ${missing.join(', ')}`);
}

/**
 * Copies the package as n8n's community-package installer leaves it: package.json and dist/ only
 * (what `files` publishes), in `<userFolder>/.n8n/nodes/node_modules/<name>`, and lists it in
 * `<userFolder>/.n8n/nodes/package.json` as n8n's installer does. Returns the package folder.
 */
function installPackageInto(userFolder, packageDir = ROOT) {
	const manifest = readPackageJson(packageDir);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', manifest.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(packageDir, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(packageDir, 'dist'), path.join(target, 'dist'), { recursive: true });
	const nodesManifest = path.join(nodesDir, 'package.json');
	const existing = fs.existsSync(nodesManifest) ? JSON.parse(fs.readFileSync(nodesManifest, 'utf8')) : {};
	const dependencies = { ...existing.dependencies, [manifest.name]: manifest.version };
	fs.writeFileSync(nodesManifest, JSON.stringify({ name: 'installed-nodes', private: true, ...existing, dependencies }, null, 2));
	return target;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** The folder stock n8n 2.x lets Read/Write Files use: `~/.n8n-files`, under HOME. No suite changes that default (test/unit/stockSettings.test.ts). */
const N8N_FILES = '.n8n-files';

/**
 * The environment an n8n process runs in: n8n's own defaults, as `npx n8n` and the Docker image start
 * it, plus only settings that relocate state or keep processes apart. No N8N_* / DB_* variable leaks in
 * from the caller's shell. Read/Write Files is NOT widened (n8n 2.x: `~/.n8n-files` only; 1.x: anywhere
 * but n8n's own folder), nodes cannot read `$env` on 2.x, task runners run as n8n starts them, binary
 * data uses the version's default mode (1.x: memory; 2.x: filesystem) unless `binaryDataMode` is given.
 *
 * `home`: HOME for n8n (default: `userFolder`), so `~/.n8n-files` and `~/.cache/n8n` are the instance's
 * own folders, never the caller's. That relocates the folder n8n 2.x allows, it does not widen it: a
 * workflow that writes outside `<home>/.n8n-files` fails here as it fails for a user.
 */
function n8nEnv({ install, userFolder, home = userFolder, brokerPort, binaryDataMode, extra = {} }) {
	const inherited = {};
	for (const key of ['USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TERM']) {
		if (process.env[key] !== undefined) inherited[key] = process.env[key];
	}
	return {
		...inherited,
		// Where ~ is for n8n (see above): relocates, never widens.
		HOME: home,
		// Node 24 of the cache first: n8n 2.x needs Node >= 22 and the machine's node may be older.
		PATH: `${path.dirname(install.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		// What the Docker image sets; `npx n8n` users get the same behaviour from n8n's production build.
		NODE_ENV: 'production',
		// The instance's state (SQLite database, config, installed community packages) in its own folder;
		// n8n's default is HOME, which is the same folder here. Relocates state only.
		N8N_USER_FOLDER: userFolder,
		// One fixed key, so `n8n import:credentials` and `n8n start` (separate processes) decrypt the same
		// credentials even if one starts before the other wrote ~/.n8n/config. n8n generates one otherwise;
		// a key changes no behaviour of a node.
		N8N_ENCRYPTION_KEY: 'n8n-nodes-text-to-video-local',
		// n8n's default database, spelled out so a DB_TYPE in the caller's shell cannot switch it.
		DB_TYPE: 'sqlite',
		// Nothing leaves the machine (telemetry, version checks, templates, license renewals). These
		// switch off calls to n8n's servers; no node or workflow behaves differently.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		// Stricter than the 1.x default (2.x's default): the config file must be private. Cannot hide a failure.
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// Community packages load from the user folder (n8n's default: enabled) and are never reinstalled
		// from the registry (n8n's default: false). Both are n8n's defaults, spelled out against the shell.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// Each process its own task-broker port (Code node runner; n8n's default 5679), so parallel n8n
		// processes on one machine never collide. The runner itself runs as n8n's default starts it.
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Logging only.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		// The sandbox is on 127.0.0.1: a proxy in the caller's shell must not intercept it.
		NO_PROXY: '127.0.0.1,localhost',
		// Only when asked (suites that measure memory with 100 MB+ videos): files instead of 1.x's in-memory
		// default. 2.x's default is already `filesystem`. The examples suite never sets it.
		...(binaryDataMode ? { N8N_DEFAULT_BINARY_DATA_MODE: binaryDataMode } : {}),
		...extra,
	};
}

/**
 * Spawns `n8n <args>` on Node 24 in its own process group (n8n starts a task-runner child). Resolves
 * with { code, signal, stdout, stderr }. `timeoutMs` is a safety net that kills the group.
 * `onLine(line, stream)` sees output as it comes.
 */
function runN8n(install, args, { env, cwd, timeoutMs = 10 * 60 * 1000, onLine } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(install.nodeBin, [install.n8nBin, ...args], {
			env,
			cwd: cwd ?? env?.N8N_USER_FOLDER,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const out = { stdout: '', stderr: '' };
		const partial = { stdout: '', stderr: '' };
		for (const stream of ['stdout', 'stderr']) {
			child[stream].setEncoding('utf8').on('data', (chunk) => {
				out[stream] += chunk;
				if (!onLine) return;
				const lines = (partial[stream] + chunk).split('\n');
				partial[stream] = lines.pop();
				for (const line of lines) onLine(line, stream);
			});
		}
		const timer = setTimeout(() => {
			out.stderr += `\n[n8n-runtime] n8n ${args.join(' ')} still running after ${timeoutMs} ms: killed`;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout: out.stdout, stderr: out.stderr });
		});
	});
}

/** Signals the process group of a child spawned with `detached: true`. */
function killGroup(child, signal = 'SIGTERM') {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/**
 * `n8n execute --rawOutput` prints log lines and then the run as `JSON.stringify(run, null, 2)`: on
 * success as the last thing on stdout, on failure after "Execution error:" (exit code 1). That JSON
 * starts at a line that is exactly `{` and ends at the next line that is exactly `}` (indentation keeps
 * every inner line from matching). Returns n8n's IRun, or undefined.
 */
function parseRunOutput(stdout) {
	const lines = stdout.split(/\r?\n/);
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
				if (parsed && typeof parsed === 'object' && parsed.data && parsed.data.resultData) return parsed;
			} catch {
				/* not this block */
			}
			break;
		}
	}
	return undefined;
}

/** Writes `content` as JSON and runs `n8n import:<kind> --input=<file>`; throws with n8n's output on failure. */
async function importIntoN8n(install, kind, content, { env, cwd }) {
	const file = path.join(env.N8N_USER_FOLDER, `import-${kind}-${process.pid}-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(content, null, 2));
	try {
		const result = await runN8n(install, [`import:${kind}`, `--input=${file}`], { env, cwd, timeoutMs: 5 * 60 * 1000 });
		if (result.code !== 0) {
			throw new Error(`n8n import:${kind} failed (exit ${result.code ?? result.signal}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
		}
	} finally {
		fs.rmSync(file, { force: true });
	}
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The owner account `npm start` and the suite's server mode set up (n8n's password rules: 8+, a digit, a capital). */
const OWNER = { email: 'owner@example.com', password: 'TextToVideo1', firstName: 'Local', lastName: 'Owner' };
const BROWSER_ID = 'n8n-nodes-text-to-video';

/**
 * Polls until n8n's REST API answers with its settings as JSON (its /healthz answers earlier, while
 * the API routes are still being registered). Gives up when n8n exits or after `limitMs`.
 */
async function waitForReady(baseUrl, child, limitMs = 5 * 60 * 1000) {
	const deadline = Date.now() + limitMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`n8n exited (${child.exitCode ?? child.signalCode}) before it was ready`);
		try {
			const response = await fetch(`${baseUrl}/rest/settings`);
			if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) return (await response.json()).data;
		} catch {
			/* not listening yet */
		}
		await sleep(500);
	}
	throw new Error(`n8n did not become ready within ${limitMs / 1000} s`);
}

/**
 * `n8n start` on 127.0.0.1:`port`, resolved once its REST API is up. `stdio: 'inherit'` shows n8n's
 * output; otherwise it is collected (`output()`). `stop()` ends the process group and waits for it.
 */
async function startN8nServer(install, { env, cwd, port, stdio = 'pipe', readyTimeoutMs, nodeArgs = [] } = {}) {
	const baseUrl = `http://127.0.0.1:${port}`;
	// Webhook (and Wait-node resume) URLs on 127.0.0.1: "localhost" can resolve to ::1, where n8n is not.
	// 1.x reads WEBHOOK_URL; 2.x reads N8N_WEBHOOK_URL and warns about the old name. It is the setting the
	// README tells users to make for callbacks (Kling's Reply URL); it only says where n8n is reachable.
	// N8N_PORT: a free port (parallel runs); N8N_LISTEN_ADDRESS: loopback only. Neither changes a node.
	const webhookVariable = Number(String(install.version).split('.')[0]) >= 2 ? 'N8N_WEBHOOK_URL' : 'WEBHOOK_URL';
	const child = spawn(install.nodeBin, [...nodeArgs, install.n8nBin, 'start'], {
		env: { [webhookVariable]: `${baseUrl}/`, ...env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' },
		cwd: cwd ?? env.N8N_USER_FOLDER,
		stdio: ['ignore', stdio, stdio],
		detached: true,
	});
	let output = '';
	if (stdio === 'pipe') {
		child.stdout.setEncoding('utf8').on('data', (chunk) => (output = (output + chunk).slice(-200_000)));
		child.stderr.setEncoding('utf8').on('data', (chunk) => (output = (output + chunk).slice(-200_000)));
	}
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		killGroup(child, 'SIGTERM');
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 20_000);
		await exited;
		clearTimeout(timer);
	};
	// A crash, not a shutdown: SIGKILL to the whole process group (n8n and its task runner), no chance
	// to save or clean up anything. Resolves once n8n has exited and no process of the group is left.
	const kill = async () => {
		const pid = child.pid;
		killGroup(child, 'SIGKILL');
		await exited;
		await waitForGroupGone(pid);
		return { pid, signal: child.signalCode, code: child.exitCode };
	};
	try {
		const settings = await waitForReady(baseUrl, child, readyTimeoutMs);
		return { child, baseUrl, settings, output: () => output, stop, kill };
	} catch (error) {
		await stop();
		error.message += output ? `\n${output.slice(-3000)}` : '';
		throw error;
	}
}

/** Creates the owner through n8n's own first-run endpoint unless one exists: 'created' | 'existing'. */
async function setupOwner(baseUrl, settings, owner = OWNER) {
	if (settings?.userManagement?.showSetupOnFirstLoad === false) return 'existing';
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
		body: JSON.stringify(owner),
	});
	if (!response.ok) throw new Error(`owner setup failed: HTTP ${response.status} ${await response.text()}`);
	return 'created';
}

/** Signs in; returns a client whose requests carry the session cookie. */
async function login(baseUrl, owner = OWNER) {
	const response = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
		// 1.x and 2.x take emailOrLdapLoginId; older 1.x took email.
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }),
	});
	if (!response.ok) throw new Error(`login failed: HTTP ${response.status} ${await response.text()}`);
	const cookie = (response.headers.getSetCookie?.() ?? [response.headers.get('set-cookie') ?? ''])
		.map((c) => c.split(';')[0])
		.filter(Boolean)
		.join('; ');
	const request = async (method, route, body) => {
		const res = await fetch(`${baseUrl}/rest${route}`, {
			method,
			headers: { cookie, 'browser-id': BROWSER_ID, ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /rest${route}: HTTP ${res.status} ${text.slice(0, 2000)}`);
		return text ? JSON.parse(text).data : undefined;
	};
	/** GET /rest<route> as bytes (e.g. the editor's binary-data download); throws on an HTTP error. */
	const download = async (route) => {
		const res = await fetch(`${baseUrl}/rest${route}`, { headers: { cookie, 'browser-id': BROWSER_ID } });
		const bytes = Buffer.from(await res.arrayBuffer());
		if (!res.ok) throw new Error(`GET /rest${route}: HTTP ${res.status} ${bytes.toString('utf8').slice(0, 2000)}`);
		return { bytes, contentType: res.headers.get('content-type') ?? '' };
	};
	return { cookie, request, download };
}

/**
 * Runs a saved workflow as the editor's "Execute workflow" button does (a manual execution on the
 * server, so Wait nodes can be resumed by webhook calls), waits for it to end, and returns n8n's IRun
 * (the execution's data, decoded from n8n's `flatted` storage format with n8n's own copy of flatted).
 */
async function runOnServer(install, client, workflowId, { timeoutMs = 10 * 60 * 1000 } = {}) {
	const executionId = await startRunOnServer(client, workflowId);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await client.request('GET', `/executions/${executionId}`);
		// n8n 1.x can report the status before it has written the execution's data: wait for both.
		if (execution?.data && !['new', 'running', 'waiting', 'unknown'].includes(execution.status) && execution.finished !== undefined && execution.stoppedAt) {
			const flatted = require(require.resolve('flatted', { paths: [path.join(install.dir, 'node_modules', 'n8n')] }));
			const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
			// n8n 1.x can also answer with the status final and the data not yet whole (seen once in a cold CI run): ask again.
			if (data?.resultData) return { ...execution, data, executionId };
		}
		if (Date.now() > deadline) throw new Error(`execution ${executionId} still ${execution?.status} after ${timeoutMs} ms`);
		await sleep(300);
	}
}

/**
 * Points every credential reference in a workflow at the imported credential of the same type, so
 * example workflows use the local (sandbox or real-key) credentials whatever ids they were saved with.
 */
function withCredentials(workflow, credentials) {
	const byType = new Map(credentials.map((c) => [c.type, c]));
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => {
			if (!node.credentials) return node;
			const refs = {};
			for (const [type, ref] of Object.entries(node.credentials)) {
				const local = byType.get(type);
				refs[type] = local ? { id: local.id, name: local.name } : ref;
			}
			return { ...node, credentials: refs };
		}),
	};
}

/**
 * The package's credentials, read from the provider registry (./providers.js): credential type → the
 * sandbox URL that plays its API (`sandboxUrl`, a key of the sandbox's `urls`), the environment variable
 * that can hold a real key, and the real API root. Example workflows refer to the credential ids. Only
 * types the built package declares are used (see credentialsFor).
 */
const CREDENTIALS = require('./providers').credentials().map(({ type, id, label, sandbox, keyEnv, realBaseUrl, realBaseUrlEnv }) => ({
	type,
	id,
	label,
	sandboxUrl: sandbox,
	keyEnv,
	...(realBaseUrl ? { realBaseUrl } : { realBaseUrlEnv }),
}));

/** Credential type names the built package declares (its dist credential classes' `name`). */
function builtCredentialTypes(packageDir = ROOT) {
	const { n8n } = readPackageJson(packageDir);
	const types = [];
	for (const file of n8n?.credentials ?? []) {
		const exported = require(path.join(packageDir, file));
		for (const CredentialClass of Object.values(exported)) {
			if (typeof CredentialClass !== 'function') continue;
			const name = new CredentialClass().name;
			if (typeof name === 'string') types.push(name);
		}
	}
	return types;
}

/**
 * Credentials to import: for every credential type the package has, one pointing at the sandbox
 * (`urls` from startSandbox, `apiKey` its key), or, when `real` is true and the provider's key variable
 * is set, one with the real key and the provider's real API root (same id, so workflows use it).
 */
function credentialsFor({ urls, apiKey, real = false, packageDir = ROOT }) {
	const types = new Set(builtCredentialTypes(packageDir));
	const out = [];
	for (const spec of CREDENTIALS) {
		if (!types.has(spec.type)) continue;
		const realKey = real ? process.env[spec.keyEnv] : undefined;
		const realBaseUrl = spec.realBaseUrl ?? (spec.realBaseUrlEnv ? process.env[spec.realBaseUrlEnv] : undefined);
		if (realKey && realBaseUrl) {
			out.push({ id: spec.id, name: `${spec.label} (real API)`, type: spec.type, data: { apiKey: realKey, baseUrl: realBaseUrl } });
		} else {
			const sandboxUrl = [spec.sandboxUrl].flat().map((key) => urls?.[key]).find(Boolean);
			if (sandboxUrl) out.push({ id: spec.id, name: `${spec.label} (sandbox)`, type: spec.type, data: { apiKey, baseUrl: sandboxUrl } });
		}
	}
	return out;
}

/** The example workflows shipped in examples/*.json, parsed, each with its file name. */
function exampleWorkflows() {
	const dir = path.join(ROOT, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			// `n8n import:workflow` needs an id, and n8n treats ids longer than 21 characters as none.
			if (typeof workflow.id !== 'string' || workflow.id.length === 0 || workflow.id.length > 21) {
				workflow.id = `ex${require('node:crypto').createHash('sha256').update(file).digest('hex').slice(0, 14)}`;
			}
			return { file, workflow };
		});
}

/** Resolves once no process of process group `pgid` is left (throws after `limitMs`). */
async function waitForGroupGone(pgid, limitMs = 10_000) {
	const deadline = Date.now() + limitMs;
	for (;;) {
		try {
			process.kill(-pgid, 0);
		} catch (error) {
			if (error.code === 'ESRCH') return;
			throw error;
		}
		if (Date.now() > deadline) throw new Error(`process group ${pgid} still has processes ${limitMs} ms after SIGKILL`);
		await sleep(100);
	}
}

/**
 * Starts a saved workflow as the editor's "Execute workflow" button does (see runOnServer) and
 * returns the execution id at once, without waiting for the execution.
 */
async function startRunOnServer(client, workflowId) {
	const workflow = await client.request('GET', `/workflows/${workflowId}`);
	const trigger = workflow.nodes.find((node) => /trigger/i.test(node.type) && !node.disabled);
	const started = await client.request('POST', `/workflows/${workflowId}/run`, {
		workflowData: workflow,
		...(trigger ? { triggerToStartFrom: { name: trigger.name } } : {}),
	});
	const executionId = started?.executionId;
	if (!executionId) throw new Error(`n8n started no execution: ${JSON.stringify(started).slice(0, 1000)}`);
	return String(executionId);
}

/**
 * An execution as n8n's REST API gives it (GET /rest/executions/<id>: status, waitTill, ...), its
 * data decoded from n8n's `flatted` storage format with n8n's own copy of flatted.
 */
async function getExecution(install, client, executionId) {
	const execution = await client.request('GET', `/executions/${executionId}`);
	if (!execution) return execution;
	const flatted = require(require.resolve('flatted', { paths: [path.join(install.dir, 'node_modules', 'n8n')] }));
	const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
	return { ...execution, data, executionId: String(executionId) };
}

/**
 * Polls an execution until `predicate(execution)` holds (the execution as getExecution gives it);
 * resolves with that execution. Throws after `timeoutMs`, naming the last status seen.
 */
async function waitForExecution(install, client, executionId, predicate, { timeoutMs = 10 * 60 * 1000, intervalMs = 300 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		last = await getExecution(install, client, executionId);
		if (last && predicate(last)) return last;
		if (Date.now() > deadline) throw new Error(`execution ${executionId} still ${last?.status} after ${timeoutMs} ms`);
		await sleep(intervalMs);
	}
}

module.exports = {
	ROOT,
	readPackageJson,
	assertBuilt,
	installPackageInto,
	freePort,
	n8nEnv,
	N8N_FILES,
	runN8n,
	killGroup,
	parseRunOutput,
	importIntoN8n,
	OWNER,
	waitForReady,
	startN8nServer,
	setupOwner,
	login,
	runOnServer,
	startRunOnServer,
	getExecution,
	waitForExecution,
	waitForGroupGone,
	withCredentials,
	CREDENTIALS,
	builtCredentialTypes,
	credentialsFor,
	exampleWorkflows,
};
