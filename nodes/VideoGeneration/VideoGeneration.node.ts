import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { runVideoNode } from '../shared/engine/engine';
import { DEFAULT_API_STYLE } from './capabilities';
import { videoGenerationProperties } from './description';
import { providerFor, searchModels } from './provider';

export class VideoGeneration implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Video Generation API',
		name: 'videoGeneration',
		icon: { light: 'file:../../icons/videogeneration.svg', dark: 'file:../../icons/videogeneration.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ($parameter["model"] && $parameter["model"].value ? ": " + $parameter["model"].value : "") }}',
		description: 'Turn text or an image into video through any OpenAI-style video gateway (new-api, One API and their forks)',
		defaults: { name: 'Video Generation API' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'videoGenerationApi', required: true }],
		properties: videoGenerationProperties,
	};

	methods = {
		listSearch: {
			async searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchModels(this, filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const provider = providerFor(this.getNode(), this.getNodeParameter('apiStyle', 0, DEFAULT_API_STYLE));
		return await runVideoNode(this, provider, { properties: videoGenerationProperties });
	}
}
