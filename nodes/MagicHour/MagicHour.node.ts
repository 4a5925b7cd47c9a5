import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { runVideoNode } from '../shared/engine/engine';
import { magicHourProperties } from './description';
import { magicHourProvider } from './provider';

export class MagicHour implements INodeType {
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
