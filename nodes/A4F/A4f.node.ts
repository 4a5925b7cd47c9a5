import { NodeConnectionTypes, VersionedNodeType, type IExecuteFunctions, type ILoadOptionsFunctions, type INodeExecutionData, type INodeListSearchResult, type INodeType, type INodeTypeBaseDescription, type INodeTypeDescription } from 'n8n-workflow';
import { runVideoNode } from '../shared/engine/engine';
import { a4fProperties } from './description';
import { a4fProvider } from './provider';
import { A4F_V2, a4fPropertiesV2 } from './descriptionV2';
import { runVersion2, searchTableModels } from '../shared/fields/version2';

// The file is named after the node's name, `a4f`, as n8n's linter requires; n8n loads the class named like the file.
/** Version 1, exactly as saved workflows know it (its description never changes). */
export class A4fV1 implements INodeType {
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

/** Version 2 (issue 26): n8n's layout and names; parameters read through the version 2 seam. */
export class A4fV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'A4F',
		name: 'a4f',
		icon: { light: 'file:../../icons/a4f.svg', dark: 'file:../../icons/a4f.dark.svg' },
		group: ['transform'],
		description: 'Turn text into video with A4F (Kling, Sora, Veo, Seedance)',
		version: 2,
		subtitle: '={{ $parameter["operation"] + ($parameter["model"] && $parameter["model"].value ? ": " + $parameter["model"].value : "") }}',
		defaults: { name: 'A4F' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'a4fApi', required: true }],
		properties: a4fPropertiesV2,
	};

	methods = {
		listSearch: {
			async searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return searchTableModels(this, A4F_V2.modelLocator!, filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runVersion2(this, A4F_V2, a4fPropertiesV2, async (ctx) => await runVideoNode(ctx, a4fProvider, { properties: a4fPropertiesV2 }));
	}
}

/** The node n8n loads: saved version 1 workflows keep version 1, new nodes start at version 2. */
export class A4f extends VersionedNodeType {
	constructor() {
		const base: INodeTypeBaseDescription = {
			displayName: 'A4F',
			name: 'a4f',
			icon: { light: 'file:../../icons/a4f.svg', dark: 'file:../../icons/a4f.dark.svg' },
			group: ['transform'],
			description: 'Turn text into video with A4F (Kling, Sora, Veo, Seedance)',
			defaultVersion: 2,
		};
		super({ 1: new A4fV1(), 2: new A4fV2() }, base);
	}
}
