import {
	NodeConnectionTypes,
	VersionedNodeType,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { runVideoNode } from '../shared/engine/engine';
import { DEFAULT_API_STYLE } from './capabilities';
import { videoGenerationProperties } from './description';
import { providerFor, searchModels } from './provider';
import { VIDEO_GENERATION_V2, videoGenerationPropertiesV2 } from './descriptionV2';
import { runVersion2 } from '../shared/fields/version2';

/** Version 1, exactly as saved workflows know it (its description never changes). */
export class VideoGenerationV1 implements INodeType {
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

/** Version 2 (issue 26): n8n's layout and names; parameters read through the version 2 seam. */
export class VideoGenerationV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Video Generation API',
		name: 'videoGeneration',
		icon: { light: 'file:../../icons/videogeneration.svg', dark: 'file:../../icons/videogeneration.dark.svg' },
		group: ['transform'],
		description: 'Turn text or an image into video through any OpenAI-style video gateway (new-api, One API and their forks)',
		version: 2,
		subtitle: '={{ $parameter["operation"] + ($parameter["model"] && $parameter["model"].value ? ": " + $parameter["model"].value : "") }}',
		defaults: { name: 'Video Generation API' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'videoGenerationApi', required: true }],
		properties: videoGenerationPropertiesV2,
	};

	methods = {
		listSearch: {
			async searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return await searchModels(this, filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runVersion2(this, VIDEO_GENERATION_V2, videoGenerationPropertiesV2, async (ctx) => {
			const provider = providerFor(ctx.getNode(), ctx.getNodeParameter('apiStyle', 0, DEFAULT_API_STYLE));
			return await runVideoNode(ctx, provider, { properties: videoGenerationPropertiesV2 });
		});
	}
}

/** The node n8n loads: saved version 1 workflows keep version 1, new nodes start at version 2. */
export class VideoGeneration extends VersionedNodeType {
	constructor() {
		const base: INodeTypeBaseDescription = {
			displayName: 'Video Generation API',
			name: 'videoGeneration',
			icon: { light: 'file:../../icons/videogeneration.svg', dark: 'file:../../icons/videogeneration.dark.svg' },
			group: ['transform'],
			description: 'Turn text or an image into video through any OpenAI-style video gateway (new-api, One API and their forks)',
			defaultVersion: 2,
		};
		super({ 1: new VideoGenerationV1(), 2: new VideoGenerationV2() }, base);
	}
}
