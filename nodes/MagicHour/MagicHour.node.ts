import { NodeConnectionTypes, VersionedNodeType, type IExecuteFunctions, type ILoadOptionsFunctions, type INodeExecutionData, type INodeListSearchResult, type INodeType, type INodeTypeBaseDescription, type INodeTypeDescription } from 'n8n-workflow';
import { runVideoNode } from '../shared/engine/engine';
import { magicHourProperties } from './description';
import { magicHourProvider } from './provider';
import { MAGIC_HOUR_V2, magicHourPropertiesV2 } from './descriptionV2';
import { runVersion2, searchTableModels } from '../shared/fields/version2';

/** Version 1, exactly as saved workflows know it (its description never changes). */
export class MagicHourV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Magic Hour',
		name: 'magicHour',
		icon: { light: 'file:../../icons/magichour.svg', dark: 'file:../../icons/magichour.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ($parameter["model"] ? ": " + ($parameter["model"] === "other" ? $parameter["customModel"] : $parameter["model"]) : "") }}',
		description: 'Turn text into video with Magic Hour (Kling, Veo, Sora, Seedance, LTX, MiniMax, Wan)',
		defaults: { name: 'Magic Hour' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'magicHourApi', required: true }],
		properties: magicHourProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runVideoNode(this, magicHourProvider, { properties: magicHourProperties });
	}
}

/** Version 2 (issue 26): n8n's layout and names; parameters read through the version 2 seam. */
export class MagicHourV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Magic Hour',
		name: 'magicHour',
		icon: { light: 'file:../../icons/magichour.svg', dark: 'file:../../icons/magichour.dark.svg' },
		group: ['transform'],
		description: 'Turn text into video with Magic Hour (Kling, Veo, Sora, Seedance, LTX, MiniMax, Wan)',
		version: 2,
		subtitle: '={{ $parameter["operation"] + ($parameter["model"] && $parameter["model"].value ? ": " + $parameter["model"].value : "") }}',
		defaults: { name: 'Magic Hour' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'magicHourApi', required: true }],
		properties: magicHourPropertiesV2,
	};

	methods = {
		listSearch: {
			async searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return searchTableModels(this, MAGIC_HOUR_V2.modelLocator!, filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runVersion2(this, MAGIC_HOUR_V2, magicHourPropertiesV2, async (ctx) => await runVideoNode(ctx, magicHourProvider, { properties: magicHourPropertiesV2 }));
	}
}

/** The node n8n loads: saved version 1 workflows keep version 1, new nodes start at version 2. */
export class MagicHour extends VersionedNodeType {
	constructor() {
		const base: INodeTypeBaseDescription = {
			displayName: 'Magic Hour',
			name: 'magicHour',
			icon: { light: 'file:../../icons/magichour.svg', dark: 'file:../../icons/magichour.dark.svg' },
			group: ['transform'],
			description: 'Turn text into video with Magic Hour (Kling, Veo, Sora, Seedance, LTX, MiniMax, Wan)',
			defaultVersion: 2,
		};
		super({ 1: new MagicHourV1(), 2: new MagicHourV2() }, base);
	}
}
