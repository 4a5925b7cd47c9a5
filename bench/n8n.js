'use strict';
// Real n8n for the benchmarks: a user folder prepared once (package installed as n8n installs a
// community package, credentials and workflows imported), `n8n start` servers on copies of it,
// executions started and read back over n8n's REST API, and the n8n process measured from /proc.
// Builds on scripts/n8n.js and scripts/n8n-runtime.js (the e2e suite's), which it only calls.
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const runtime = require('../scripts/n8n-runtime');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A throwaway user folder with the built package installed, ready for imports. */
function newUserFolder(prefix) {
	// realpath: n8n refuses to write through a symlinked path.
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `ttv-bench-${prefix}-`)));
	fs.mkdirSync(path.join(root, runtime.N8N_FILES), { recursive: true });
	runtime.installPackageInto(root);
	return root;
}

async function envFor(install, root) {
	// Binary data as files on every version (1.x's default is memory): the bench measures memory with big videos.
	return runtime.n8nEnv({ install, userFolder: root, brokerPort: await runtime.freePort(), binaryDataMode: 'filesystem' });
}

/** Imports credentials (given in clear) and workflows into a user folder: two n8n CLI runs. */
async function prepareUserFolder(install, { credentials, workflows }) {
	const root = newUserFolder('template');
	const env = await envFor(install, root);
	await runtime.importIntoN8n(install, 'credentials', credentials, { env, cwd: root });
	const complete = workflows.map((w) => ({ active: false, settings: { executionOrder: 'v1' }, ...w }));
	await runtime.importIntoN8n(install, 'workflow', complete, { env, cwd: root });
	return root;
}

/** A copy of a prepared user folder (database included), so each server starts from the same state. */
function copyUserFolder(template, prefix) {
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `ttv-bench-${prefix}-`)));
	fs.cpSync(template, root, { recursive: true });
	return root;
}

// ---- /proc ---------------------------------------------------------------------------------------

const PAGE_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

function readStatus(pid) {
	try {
		const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
		return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
	} catch {
		return undefined;
	}
}

/** CPU seconds (user + system) a process has used itself. */
function cpuSeconds(pid) {
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / PAGE_TICKS;
	} catch {
		return 0;
	}
}

/** The process and all its descendants (n8n starts a task-runner child). */
function processTree(pid) {
	const parents = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
			parents.set(Number(entry), ppid);
		} catch {
			/* gone */
		}
	}
	const tree = [pid];
	for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
	return tree;
}

/** Resets the kernel's peak-RSS mark (VmHWM) of a process; false where the kernel does not allow it. */
function resetPeak(pid) {
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/**
 * Samples the RSS of `pids` every `intervalMs`: the first pid (n8n's main process) on its own and
 * the sum over all of them. `stop()` returns the samples [time, mainKb, totalKb].
 */
function sampleRss(pids, intervalMs = 50) {
	const samples = [];
	const take = () => {
		let total = 0;
		let main = NaN;
		for (const pid of pids) {
			const status = readStatus(pid);
			if (!status) continue;
			if (pid === pids[0]) main = status.rssKb;
			total += status.rssKb;
		}
		samples.push([Date.now(), main, total]);
	};
	take();
	const timer = setInterval(take, intervalMs);
	return {
		stop() {
			clearInterval(timer);
			take();
			return samples;
		},
	};
}

// ---- servers and executions ----------------------------------------------------------------------

/** Servers still running: stopped by stopAll() when the bench ends, fails or is interrupted. */
const live = new Set();

async function stopAll() {
	await Promise.all([...live].map((server) => server.stop()));
}

/**
 * `n8n start` on a user folder, signed in. Resolves once the REST API answers, with the time and the
 * CPU n8n took to get there (its own process and its children, the task runner).
 */
/** `inspect`: open V8's inspector on a free port (`server.inspectPort`), for collectGarbage(). */
async function startServer(install, root, { inspect = false } = {}) {
	const env = await envFor(install, root);
	const startedAt = Date.now();
	const inspectPort = inspect ? await runtime.freePort() : undefined;
	const nodeArgs = inspect ? [`--inspect=127.0.0.1:${inspectPort}`] : [];
	const server = await runtime.startN8nServer(install, { env, cwd: root, port: await runtime.freePort(), nodeArgs });
	const readyMs = Date.now() - startedAt;
	const pid = server.child.pid;
	const startupCpu = processTree(pid).reduce((sum, p) => sum + cpuSeconds(p), 0);
	try {
		await runtime.setupOwner(server.baseUrl, server.settings);
		const client = await runtime.login(server.baseUrl);
		const started = new Server(install, root, server, client, { readyMs, startupCpu, mainCpu: cpuSeconds(pid) });
		started.inspectPort = inspectPort;
		live.add(started);
		return started;
	} catch (error) {
		await server.stop();
		throw error;
	}
}

class Server {
	constructor(install, root, server, client, startup) {
		this.install = install;
		this.root = root;
		this.server = server;
		this.client = client;
		this.startup = startup;
		this.pid = server.child.pid;
		this.workflows = new Map();
		this.flatted = require(require.resolve('flatted', { paths: [path.join(install.dir, 'node_modules', 'n8n')] }));
	}

	/** Starts a manual execution of a saved workflow, as the editor's button does; resolves with its id. */
	async trigger(workflowId) {
		if (!this.workflows.has(workflowId)) this.workflows.set(workflowId, await this.client.request('GET', `/workflows/${workflowId}`));
		const workflowData = this.workflows.get(workflowId);
		const trigger = workflowData.nodes.find((node) => /trigger/i.test(node.type));
		const started = await this.client.request('POST', `/workflows/${workflowId}/run`, { workflowData, triggerToStartFrom: { name: trigger.name } });
		if (!started?.executionId) throw new Error(`n8n started no execution of ${workflowId}: ${JSON.stringify(started).slice(0, 500)}`);
		return String(started.executionId);
	}

	/** The execution once it has ended (its run data decoded), or undefined while it runs. */
	async finished(executionId) {
		const execution = await this.client.request('GET', `/executions/${executionId}`);
		if (!execution?.stoppedAt || ['new', 'running', 'waiting', 'unknown'].includes(execution.status)) return undefined;
		const data = typeof execution.data === 'string' ? this.flatted.parse(execution.data) : execution.data;
		return { ...execution, data };
	}

	/** Waits for executions to end, checking every `everyMs` (their times come from run data, not from here). */
	async waitFor(executionIds, { everyMs = 1000, timeoutMs = 15 * 60 * 1000 } = {}) {
		const done = new Map();
		const deadline = Date.now() + timeoutMs;
		while (done.size < executionIds.length) {
			for (const id of executionIds) {
				if (done.has(id)) continue;
				const execution = await this.finished(id);
				if (execution) done.set(id, execution);
			}
			if (done.size < executionIds.length) {
				if (Date.now() > deadline) throw new Error(`executions still running after ${timeoutMs / 1000} s`);
				await sleep(everyMs);
			}
		}
		return executionIds.map((id) => done.get(id));
	}

	/** Runs one workflow to its end. */
	async run(workflowId, options) {
		const [execution] = await this.waitFor([await this.trigger(workflowId)], { everyMs: 250, ...options });
		return execution;
	}

	/** A full garbage collection in n8n's main process (started with `inspect`), then a moment for RSS to follow. */
	async collectGarbage() {
		if (!this.inspectPort) throw new Error('n8n was started without the inspector');
		await new Promise((resolve, reject) => {
			execFile(this.install.nodeBin, [path.join(__dirname, 'gc.js'), String(this.inspectPort)], (error) => (error ? reject(error) : resolve()));
		});
		await sleep(500);
	}

	async stop() {
		live.delete(this);
		await this.server.stop();
	}

	output() {
		return this.server.output();
	}
}

/**
 * What one node did in an execution: n8n's own timing (startTime, executionTime in ms) and its items.
 * Throws with n8n's error when the node or the execution failed.
 */
function nodeRun(execution, nodeName) {
	const runData = execution.data?.resultData?.runData ?? {};
	const task = runData[nodeName]?.[0];
	const error = execution.data?.resultData?.error ?? task?.error;
	if (!task || error || execution.status !== 'success') {
		const why = error ? `${error.message}${error.description ? ` (${error.description})` : ''}` : `status ${execution.status}`;
		throw new Error(`execution ${execution.id} of "${nodeName}" failed: ${why}`);
	}
	return { startTime: task.startTime, executionTime: task.executionTime, endTime: task.startTime + task.executionTime, items: task.data?.main?.[0] ?? [] };
}

module.exports = { prepareUserFolder, copyUserFolder, startServer, stopAll, nodeRun, processTree, cpuSeconds, readStatus, resetPeak, sampleRss, sleep };
