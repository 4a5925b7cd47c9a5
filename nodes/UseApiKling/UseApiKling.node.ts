import {
	NodeConnectionTypes,
	VersionedNodeType,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { callbackWebhooks, resumeFromCallback, runWithCallback, waitsForCallback } from '../shared/waitModes/callback';
import { runVideoNode } from '../shared/engine/engine';
import { useApiKlingProperties } from './description';
import { useApiKlingProvider } from './provider';
import { USEAPI_KLING_V2, useApiKlingPropertiesV2 } from './descriptionV2';
import { runVersion2, version2WebhookContext } from '../shared/fields/version2';

/** Version 1, exactly as saved workflows know it (its description never changes). */
export class UseApiKlingV1 implements INodeType {
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

/** Version 2 (issue 26): n8n's layout and names; parameters read through the version 2 seam. */
export class UseApiKlingV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kling (useapi.net)',
		name: 'useApiKling',
		icon: { light: 'file:../../icons/useapi.svg', dark: 'file:../../icons/useapi.dark.svg' },
		group: ['transform'],
		description: 'Turn text into video with Kling, through your own Kling account linked to useapi.net',
		version: 2,
		subtitle: '={{ $parameter["operation"] + ($parameter["model"] ? ": " + $parameter["model"] : "") }}',
		defaults: { name: 'Kling (useapi.net)' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'useApiApi', required: true }],
		properties: useApiKlingPropertiesV2,
		webhooks: callbackWebhooks,
		waitingNodeTooltip: 'The execution continues when Kling has finished every job, or after Max Wait',
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runVersion2(this, USEAPI_KLING_V2, useApiKlingPropertiesV2, async (ctx) =>
			waitsForCallback(ctx) ? await runWithCallback(ctx, useApiKlingProvider, { properties: useApiKlingPropertiesV2 }) : await runVideoNode(ctx, useApiKlingProvider, { properties: useApiKlingPropertiesV2 }),
		);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeFromCallback(version2WebhookContext(this, USEAPI_KLING_V2), useApiKlingProvider);
	}
}

/** The node n8n loads: saved version 1 workflows keep version 1, new nodes start at version 2. */
export class UseApiKling extends VersionedNodeType {
	constructor() {
		const base: INodeTypeBaseDescription = {
			displayName: 'Kling (useapi.net)',
			name: 'useApiKling',
			icon: { light: 'file:../../icons/useapi.svg', dark: 'file:../../icons/useapi.dark.svg' },
			group: ['transform'],
			description: 'Turn text into video with Kling, through your own Kling account linked to useapi.net',
			defaultVersion: 2,
		};
		super({ 1: new UseApiKlingV1(), 2: new UseApiKlingV2() }, base);
	}
}
