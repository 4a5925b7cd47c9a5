import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { runVideoNode } from '../shared/engine/engine';
import { aimlApiProperties } from './description';
import { aimlApiProvider } from './provider';

export class AimlApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AI/ML API',
		name: 'aimlApi',
		icon: { light: 'file:../../icons/aimlapi.svg', dark: 'file:../../icons/aimlapi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ($parameter["model"] ? ": " + ($parameter["model"] === "other" ? $parameter["customModel"] : $parameter["model"]) : "") }}',
		description: 'Turn text into video with AI/ML API (PixVerse V5 and its other video models)',
		defaults: { name: 'AI/ML API' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'aimlApiApi', required: true }],
		properties: aimlApiProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runVideoNode(this, aimlApiProvider, { properties: aimlApiProperties });
	}
}
