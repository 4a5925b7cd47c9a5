/**
 * One execution of a workflow holding a node with Wait Mode "Wait for Callback", as n8n runs it: the
 * node's execute() inside n8n-core's real ExecuteContext, then calls to the execution's resume URL,
 * each inside a real WebhookContext over the execution data n8n saved. No HTTP of its own.
 *
 * What n8n does between the two (read from n8n-core's WorkflowExecute and the waiting-webhooks handler)
 * is modelled here, in one place, so that a change of how the node keeps its wait needs one change:
 * - the execution is saved as JSON (in the database): the waiting node's execute data goes back on the
 *   node execution stack, and a call's WebhookContext sees that saved copy, never the run's objects;
 * - when `waitTill` passes with no resume, n8n passes the waiting node's input items on as its output
 *   (`outputWhenMaxWaitPasses`).
 */
import { WebhookContext, ExecuteContext } from 'n8n-core';
import {
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteData,
	type INodeExecutionData,
	type INodeType,
	type IRunExecutionData,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { harness, initBinaryData, WAITING_BASE_URL } from './n8n';

export interface WaitingExecutionOptions {
	nodeType: INodeType;
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	parameters: IDataObject;
	items: IDataObject[];
	continueOnFail?: boolean;
}

export interface CallResult {
	result: IWebhookResponseData;
	/** What the caller of the resume URL got back. */
	response: { status?: number; body?: unknown };
}

export function waitingExecution(options: WaitingExecutionOptions) {
	const { nodeType } = options;
	const { workflow, node, additionalData } = harness(options);
	const executionId = String(additionalData.executionId);
	const items: INodeExecutionData[] = options.items.map((json) => ({ json }));
	const runExecutionData: IRunExecutionData = createRunExecutionData();
	const executeData: IExecuteData = { node, data: { main: [items] }, source: { main: [{ previousNode: 'Start' }] } };
	/** The waiting node's execute data as n8n saved it (JSON), once the run put the execution to wait. */
	const saved = () => JSON.parse(JSON.stringify(executeData)) as IExecuteData;

	return {
		executionId,
		runExecutionData,
		/** `$execution.resumeUrl` of this execution (n8n 2.x appends its resume token). */
		get resumeUrl(): string {
			const token = runExecutionData.resumeToken;
			return `${WAITING_BASE_URL}/${executionId}${token ? `?signature=${token}` : ''}`;
		},
		/** When n8n resumes the execution by itself; undefined: the run did not put it to wait. */
		get waitTill(): Date | undefined {
			return runExecutionData.waitTill as Date | undefined;
		},

		async run(): Promise<{ items: INodeExecutionData[]; error?: Error & { description?: string; context?: IDataObject } }> {
			await initBinaryData();
			const context = new ExecuteContext(workflow, node, additionalData, 'manual', runExecutionData, 0, items, { main: [items] }, executeData, []);
			try {
				return { items: ((await nodeType.execute!.call(context)) as INodeExecutionData[][])[0] };
			} catch (error) {
				return { items: [], error };
			}
		},

		/** A POST to the resume URL, as n8n's waiting-webhooks handler runs it. */
		async call(body: IDataObject = {}): Promise<CallResult> {
			const response: CallResult['response'] = {};
			const res = {
				status(code: number) {
					response.status = code;
					return res;
				},
				json(data: unknown) {
					response.body = data;
					return res;
				},
			};
			const webhookData = {
				httpMethod: 'POST',
				node: node.name,
				path: '',
				webhookDescription: nodeType.description.webhooks![0],
				workflowId: workflow.id,
				workflowExecuteAdditionalData: additionalData,
			} as IWebhookData;
			const resumed = { ...runExecutionData, executionData: { ...runExecutionData.executionData!, nodeExecutionStack: [saved()] } } as IRunExecutionData;
			const data = { ...additionalData, httpRequest: { method: 'POST', body, headers: {}, query: {}, params: {} }, httpResponse: res } as unknown as IWorkflowExecuteAdditionalData;
			const context = new WebhookContext(workflow, node, data, 'manual', webhookData, [], resumed);
			const result = await nodeType.webhook!.call(context);
			return { result, response };
		},

		/** The node's output when `waitTill` passes and n8n resumes the execution itself: the waiting node's saved input, passed on. */
		outputWhenMaxWaitPasses(): INodeExecutionData[] {
			return saved().data.main[0] ?? [];
		},
	};
}

export type WaitingExecution = ReturnType<typeof waitingExecution>;
