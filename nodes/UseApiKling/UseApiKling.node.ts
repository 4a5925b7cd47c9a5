import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { callbackWebhooks, resumeFromCallback, runWithCallback, waitsForCallback } from '../shared/waitModes/callback';
import { runVideoNode } from '../shared/engine/engine';
import { useApiKlingProperties } from './description';
import { useApiKlingProvider } from './provider';

export class UseApiKling implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling (useapi.net)',
		name: 'useApiKling',
		icon: { light: 'file:../../icons/useapi.svg', dark: 'file:../../icons/useapi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ($parameter["model"] ? ": " + $parameter["model"] : "") }}',
		description: 'Turn text into video with Kling, through your own Kling account linked to useapi.net',
		defaults: { name: 'Kling (useapi.net)' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'useApiApi', required: true }],
		properties: useApiKlingProperties,
		// Wait Mode "Wait for Callback": useapi.net's replyUrl calls land here (nodes/shared/waitModes/callback.ts).
		webhooks: callbackWebhooks,
		waitingNodeTooltip: 'The execution continues when Kling has finished every job, or after Max Wait',
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (waitsForCallback(this)) return await runWithCallback(this, useApiKlingProvider, { properties: useApiKlingProperties });
		return await runVideoNode(this, useApiKlingProvider, { properties: useApiKlingProperties });
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(this, useApiKlingProvider);
	}
}
