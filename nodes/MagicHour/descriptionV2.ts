import type { INodeProperties } from 'n8n-workflow';
import { version2Properties, type Version2Spec } from '../shared/fields/version2';
import { MAGIC_HOUR_CAPABILITIES, MODEL_ID_EXAMPLE } from './capabilities';
import { magicHourProperties } from './description';

/** Version 2 of the Magic Hour node (docs/node-version-2.md): version 1's parameters, placed as n8n places them. */
export const MAGIC_HOUR_V2: Version2Spec = {
	intoOptions: {
		name: {
			displayName: 'File Name',
			placeholder: 'e.g. Product teaser',
			description: 'Name of the video in your Magic Hour library and of the output file. Not set: a name made of the model and the job ID.',
		},
	},
	drop: ['audioAlwaysNotice'],
	modelLocator: {
		tables: [MAGIC_HOUR_CAPABILITIES],
		example: MODEL_ID_EXAMPLE,
		description: 'The model that renders the video; the fields below follow it. By ID: a Magic Hour model newer than this node, exactly as the API reference writes it.',
	},
};

export const magicHourPropertiesV2: INodeProperties[] = version2Properties(magicHourProperties, MAGIC_HOUR_V2);
