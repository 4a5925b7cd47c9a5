import { NodeConnectionTypes, VersionedNodeType, type IExecuteFunctions, type ILoadOptionsFunctions, type INodeExecutionData, type INodeListSearchResult, type INodeType, type INodeTypeBaseDescription, type INodeTypeDescription } from 'n8n-workflow';
import { runVideoNode } from '../shared/engine/engine';
import { aimlApiProperties } from './description';
import { aimlApiProvider } from './provider';
import { AIML_API_V2, aimlApiPropertiesV2, aimlModelTables } from './descriptionV2';
import { runVersion2, searchTableModels } from '../shared/fields/version2';

/** Version 1, exactly as saved workflows know it (its description never changes). */
export class AimlApiV1 implements INodeType {
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

/** Version 2 (issue 26): n8n's layout and names; parameters read through the version 2 seam. */
export class AimlApiV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AI/ML API',
		name: 'aimlApi',
		icon: { light: 'file:../../icons/aimlapi.svg', dark: 'file:../../icons/aimlapi.dark.svg' },
		group: ['transform'],
		description: 'Turn text into video with AI/ML API (PixVerse V5 and its other video models)',
		version: 2,
		subtitle: '={{ $parameter["operation"] + ($parameter["model"] && $parameter["model"].value ? ": " + $parameter["model"].value : "") }}',
		defaults: { name: 'AI/ML API' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'aimlApiApi', required: true }],
		properties: aimlApiPropertiesV2,
	};

	methods = {
		listSearch: {
			async searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return searchTableModels(this, AIML_API_V2.modelLocator!, filter, aimlModelTables);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runVersion2(this, AIML_API_V2, aimlApiPropertiesV2, async (ctx) => await runVideoNode(ctx, aimlApiProvider, { properties: aimlApiPropertiesV2 }));
	}
}

/** The node n8n loads: saved version 1 workflows keep version 1, new nodes start at version 2. */
export class AimlApi extends VersionedNodeType {
	constructor() {
		const base: INodeTypeBaseDescription = {
			displayName: 'AI/ML API',
			name: 'aimlApi',
			icon: { light: 'file:../../icons/aimlapi.svg', dark: 'file:../../icons/aimlapi.dark.svg' },
			group: ['transform'],
			description: 'Turn text into video with AI/ML API (PixVerse V5 and its other video models)',
			defaultVersion: 2,
		};
		super({ 1: new AimlApiV1(), 2: new AimlApiV2() }, base);
	}
}
