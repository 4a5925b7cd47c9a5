import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { runVideoNode } from '../shared/engine';
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
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runVideoNode(this, useApiKlingProvider);
	}
}
