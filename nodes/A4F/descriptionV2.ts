import type { INodeProperties } from 'n8n-workflow';
import { version2Properties, type Version2Spec } from '../shared/fields/version2';
import { A4F_CAPABILITIES, EXAMPLE_MODEL_ID } from './capabilities';
import { a4fProperties } from './description';

/** Version 2 of the A4F node (docs/node-version-2.md): the five nodes' vocabulary (Resolution) and defaults (16:9, 720p: V2_DEFAULTS). */
export const A4F_V2: Version2Spec = {
	intoOptions: {},
	renames: { resolution: { displayName: 'Resolution' } },
	modelLocator: {
		tables: [A4F_CAPABILITIES],
		example: EXAMPLE_MODEL_ID,
		description: 'The model that renders the video; the fields below follow it. By ID: any other A4F video model (provider-N/name), within the API limits: 1 to 8 s, 480p to 1080p.',
	},
};

export const a4fPropertiesV2: INodeProperties[] = version2Properties(a4fProperties, A4F_V2);
