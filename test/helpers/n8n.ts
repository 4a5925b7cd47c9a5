/**
 * Runs a node's execute() inside n8n-core's real ExecuteContext: real parameter resolution, real HTTP
 * helpers (axios underneath, as in n8n), real binary data storage on disk. Only the credential store
 * is ours, and it applies the credential class's own `authenticate` definition as n8n does.
 */
import { Container } from '@n8n/di';
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BinaryDataConfig, BinaryDataService, ExecuteContext, LoadOptionsContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

let binaryDir: string | undefined;

/** Binary data goes to a temp folder, as with N8N_DEFAULT_BINARY_DATA_MODE=filesystem. */
export async function initBinaryData(): Promise<BinaryDataService> {
	if (binaryDir) return Container.get(BinaryDataService);
	binaryDir = mkdtempSync(join(tmpdir(), 'ttv-binary-'));
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = binaryDir;
	const service = Container.get(BinaryDataService);
	await service.init();
	return service;
}

export function cleanupBinaryData() {
	if (binaryDir) rmSync(binaryDir, { recursive: true, force: true });
	binaryDir = undefined;
}

// n8n's logger prints info lines (our nodes log every submitted job); tests that check them spy on it.
process.env.N8N_LOG_LEVEL ??= 'warn';

export interface RunNodeOptions {
	nodeType: INodeType;
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	parameters: IDataObject;
	items?: IDataObject[];
	/** Whole input items (with binary data), instead of `items`. */
	inputItems?: INodeExecutionData[];
	continueOnFail?: boolean;
	abortSignal?: AbortSignal;
	/** n8n's execution id; each run is a new execution unless told (the same id = a Retry On Fail try). */
	executionId?: string;
}

export interface RunNodeResult {
	items: INodeExecutionData[];
	error?: Error & { description?: string | null; context?: IDataObject; httpCode?: string | null };
}

/** Resolves `={{ ... }}` values the way n8n's CredentialsHelper does for generic authentication. */
function resolveCredentialValue(workflow: Workflow, node: INode, value: unknown, credentials: ICredentialDataDecryptedObject) {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
}

export function applyAuthentication(
	workflow: Workflow,
	node: INode,
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
): IHttpRequestOptions {
	const auth = credentialType.authenticate;
	if (!auth || typeof auth === 'function' || auth.type !== 'generic') throw new Error('test harness supports generic authentication only');
	const out = { ...request, headers: { ...(request.headers ?? {}) }, qs: { ...(request.qs ?? {}) } };
	for (const [name, value] of Object.entries(auth.properties.headers ?? {}))
		out.headers[name] = resolveCredentialValue(workflow, node, value, credentials) as string;
	for (const [name, value] of Object.entries(auth.properties.qs ?? {}))
		out.qs[name] = resolveCredentialValue(workflow, node, value, credentials) as string;
	return out;
}

/** Where the harness's executions say their resume URLs live (`$execution.resumeUrl`). */
export const WAITING_BASE_URL = 'http://localhost/webhook-waiting';

/** The workflow, node and additional data that n8n-core's contexts are built from. */
export function harness(options: Pick<RunNodeOptions, 'nodeType' | 'credentialType' | 'credentials' | 'parameters' | 'continueOnFail' | 'executionId'>) {
	const { nodeType } = options;
	const description = nodeType.description;
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const rawNode: INode = {
		id: 'node-under-test',
		name: description.defaults.name ?? description.displayName,
		type: `n8n-nodes-text-to-video.${description.name}`,
		// The node class's own version: a version 2 class runs as version 2 (its output fields differ).
		typeVersion: typeof description.version === 'number' ? description.version : 1,
		position: [0, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: { [options.credentialType.name]: { id: 'cred-1', name: 'Test credential' } },
		continueOnFail: options.continueOnFail,
	};
	// Fill defaults as the editor does when it saves a workflow.
	rawNode.parameters = NodeHelpers.getNodeParameters(description.properties, rawNode.parameters, true, false, rawNode, description) ?? {};
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes: [rawNode],
		connections: {},
		active: false,
		nodeTypes,
	});
	const node = workflow.getNode(rawNode.name) as INode;
	const credentials = options.credentials;
	const additionalData = {
		executionId: options.executionId ?? `exec-${randomUUID()}`,
		restApiUrl: 'http://localhost/rest',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: WAITING_BASE_URL,
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		variables: {},
		currentNodeParameters: undefined,
		credentialsHelper: {
			getParentTypes: () => [],
			isCredentialUsableByNode: () => true,
			getDecrypted: async () => ({ ...credentials }),
			preAuthentication: async () => undefined,
			authenticate: async (creds: ICredentialDataDecryptedObject, _type: string, request: IHttpRequestOptions) =>
				applyAuthentication(workflow, node, options.credentialType, creds, request),
			getCredentialsProperties: () => options.credentialType.properties,
		},
	} as unknown as IWorkflowExecuteAdditionalData;
	return { workflow, node, additionalData };
}

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	await initBinaryData();
	const { workflow, node, additionalData } = harness(options);
	const items: INodeExecutionData[] = options.inputItems ?? (options.items ?? [{}]).map((json) => ({ json }));
	const runExecutionData = createRunExecutionData();
	const executeData: IExecuteData = { node, data: { main: [items] }, source: { main: [{ previousNode: 'Start' }] } };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'manual',
		runExecutionData,
		0,
		items,
		{ main: [items] },
		executeData,
		[],
		options.abortSignal,
	);
	try {
		const output = (await options.nodeType.execute!.call(context)) as INodeExecutionData[][];
		return { items: output[0] };
	} catch (error) {
		return { items: [], error };
	}
}

/** Runs a node's `methods.listSearch[method]` inside n8n-core's real LoadOptionsContext, as the editor does. */
export async function runListSearch(
	options: Pick<RunNodeOptions, 'nodeType' | 'credentialType' | 'credentials' | 'parameters'> & { method: string; filter?: string },
): Promise<INodeListSearchResult> {
	const { workflow, node, additionalData } = harness(options);
	const search = options.nodeType.methods?.listSearch?.[options.method];
	if (!search) throw new Error(`the node has no listSearch method ${options.method}`);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	return await search.call(context, options.filter);
}

/** The bytes n8n stored for a binary property. */
export async function binaryBytes(item: INodeExecutionData, property = 'data'): Promise<Buffer> {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`item has no binary property ${property}`);
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

/**
 * Performs a credential's `test.request` as n8n's credential tester would (base URL and auth
 * resolved from the credential's own definitions) and returns the HTTP status.
 */
export async function credentialTestStatus(credentialType: ICredentialType, credentials: ICredentialDataDecryptedObject): Promise<number> {
	const test = credentialType.test;
	if (!test) throw new Error(`${credentialType.name} has no credential test`);
	const blank = { description: { properties: [] } } as unknown as INodeType;
	const nodeType: INodeTypes = { getByName: () => blank, getByNameAndVersion: () => blank, getKnownTypes: () => ({}) };
	const node: INode = { id: 'cred-test', name: 'Credential test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeType });
	const resolve = (value: unknown) => resolveCredentialValue(workflow, node, value, credentials) as string;
	const request = test.request as IHttpRequestOptions & { baseURL?: string };
	const authed = applyAuthentication(workflow, node, credentialType, credentials, { url: resolve(request.url), method: request.method ?? 'GET' });
	const response = await fetch(resolve(request.baseURL ?? '') + authed.url, { method: authed.method, headers: authed.headers as Record<string, string> });
	return response.status;
}
