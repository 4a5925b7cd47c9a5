/**
 * Types for scripts/queue.js (n8n in queue mode: Redis, Postgres, a main and workers), and the few
 * helpers the queue-mode suites share: webhook workflows, the executions n8n stored, their data.
 */
import type { N8nInstall, StoredExecution, WorkflowSpec } from '../e2e/harness';

export interface QueueWorker {
	name: string;
	pid: number;
	userFolder: string;
	/** Where this worker's Write File node writes `output/<name>` (its own folder unless shared). */
	filesDir: string;
	cwd: string;
	healthUrl: string;
	brokerPort: number;
	concurrency: number;
	/** From the worker's log: execution id → each run of it (a resumed execution runs again). */
	executions: Map<string, Array<{ startedAt: number; finishedAt?: number; job: string }>>;
	output(): string;
}

export interface QueueStack {
	root: string;
	install: N8nInstall;
	baseUrl: string;
	webhookUrl(path: string): string;
	env: Record<string, string>;
	main: { userFolder: string; filesDir: string; cwd: string; pid: number; port: number; brokerPort: number; output(): string };
	workers: QueueWorker[];
	redis: { host: string; port: number; dir: string; pid: number };
	postgres: { host: string; port: number; user: string; database: string; dataDir: string; socketDir: string; version: string; runAs: string; pid: number };
	/** A REST call as the signed-in owner (route below /rest); resolves with the response's `data`. */
	request(method: string, route: string, body?: unknown): Promise<any>;
	stop(): Promise<void>;
}

export interface QueueStackOptions {
	install: N8nInstall;
	workers?: number;
	workerConcurrency?: number;
	port?: number;
	env?: Record<string, string>;
	credentials?: unknown[];
	workflows?: WorkflowSpec[];
	activate?: string[];
	cwd?: string;
	filesDir?: string;
	root?: string;
	keep?: boolean;
	packageDir?: string;
	onLine?: (process: string, line: string) => void;
	log?: (message: string) => void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const queue = require('../../scripts/queue.js') as {
	startQueueStack(options: QueueStackOptions): Promise<QueueStack>;
	prerequisites(): { redisServer: string; postgresBin: string; postgresVersion: string };
	executionsByWorker(stack: QueueStack): Map<string, string>;
	peakRunning(stack: QueueStack, since?: number): number;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = require('../../scripts/n8n-runtime.js') as {
	getExecution(install: N8nInstall, client: { request(method: string, route: string, body?: unknown): Promise<any> }, id: string): Promise<StoredExecution>;
};

export const { startQueueStack, prerequisites, executionsByWorker, peakRunning } = queue;

/** The execution with its data decoded (GET /rest/executions/<id>). */
export async function storedExecution(stack: QueueStack, id: string): Promise<StoredExecution> {
	return await runtime.getExecution(stack.install, stack, id);
}

/** Every execution n8n stored for a workflow (the list route: id, status, mode, startedAt, stoppedAt). */
export async function executionsOf(stack: QueueStack, workflowId: string): Promise<Array<Record<string, any>>> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = await stack.request('GET', `/executions?filter=${filter}&limit=100`);
	return (list?.results ?? list ?? []) as Array<Record<string, any>>;
}

/**
 * Webhook (POST `/webhook/<path>`, answering with every item of the last node once the execution
 * ends) → Split Out (`body.prompts`, one item per prompt, as `prompt`) → `node` → `after`.
 */
export function webhookWorkflow(id: string, webhookPath: string, node: Record<string, any>, after: Record<string, any>): WorkflowSpec {
	const at = (x: number) => [x, 0];
	const nodes = [
		{
			id: `${id}-webhook`,
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: at(0),
			webhookId: `${id}-${webhookPath}`.replace(/[^\w-]/g, '-'),
			parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		},
		{
			id: `${id}-split`,
			name: 'Split Out',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: at(220),
			parameters: { fieldToSplitOut: 'body.prompts', include: 'noOtherFields', options: { destinationFieldName: 'prompt' } },
		},
		{ ...node, position: at(440) },
		{ ...after, position: at(660) },
	];
	const names: string[] = nodes.map((n) => String(n.name));
	const connections: Record<string, any> = {};
	for (let i = 0; i < names.length - 1; i++) connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return { id, name: `queue: ${id}`, nodes, connections, settings: { executionOrder: 'v1' } };
}
