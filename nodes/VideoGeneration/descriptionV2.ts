import type { INodeProperties } from 'n8n-workflow';
import { version2Properties, type Version2Spec } from '../shared/fields/version2';
import { videoGenerationProperties } from './description';

/** Version 2 of the Video Generation API node (docs/node-version-2.md): Duration an Options entry, so no 0 stands for "not set". */
export const VIDEO_GENERATION_V2: Version2Spec = {
	intoOptions: {
		duration: {
			default: 5,
			typeOptions: { minValue: 1, maxValue: 600, numberPrecision: 0 },
			description: "Length of the video in whole seconds. Not set: the model's default. Which lengths a model takes is up to the gateway.",
		},
	},
};

/** The gateway's model locator keeps its list; its typed mode reads "By ID" as on the other nodes. */
export const videoGenerationPropertiesV2: INodeProperties[] = version2Properties(videoGenerationProperties, VIDEO_GENERATION_V2).map((property) =>
	property.name === 'model' && property.modes
		? { ...property, modes: property.modes.map((mode) => (mode.name === 'id' ? { ...mode, displayName: 'By ID' } : mode)) }
		: property,
);
