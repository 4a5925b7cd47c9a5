import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { runVideoNode } from '../shared/engine/engine';
import { a4fProperties } from './description';
import { a4fProvider } from './provider';

// The file is named after the node's name, `a4f`, as n8n's linter requires; n8n loads the class named like the file.
export class A4f implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'A4F',
		name: 'a4f',
		icon: { light: 'file:../../icons/a4f.svg', dark: 'file:../../icons/a4f.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"] === "other" ? $parameter["customModel"] : $parameter["model"] }}',
		description: 'Turn text into video with A4F (Kling, Sora, Veo, Seedance)',
		defaults: { name: 'A4F' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'a4fApi', required: true }],
		properties: a4fProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runVideoNode(this, a4fProvider, { properties: a4fProperties });
	}
}
