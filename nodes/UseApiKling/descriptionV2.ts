import type { INodeProperties } from 'n8n-workflow';
import { version2Properties, type Version2Spec } from '../shared/fields/version2';
import { useApiKlingProperties } from './description';

/**
 * Version 2 of the Kling node (docs/node-version-2.md): the account, job and callback settings and the
 * 1.x-only fields under Options, "Audio" as on the other nodes, Kling 2.6 as the default model. The
 * Model stays a list: Kling's models are fixed, a typed ID would only be refused.
 */
export const USEAPI_KLING_V2: Version2Spec = {
	intoOptions: {
		negativePrompt: {},
		cfgScale: {},
		email: {},
		maxJobs: {
			default: 1,
			typeOptions: { minValue: 1, maxValue: 50 },
			description: "How many jobs the Kling account may run at once (1 to 50). Not set: the account's own setting.",
		},
		replyUrl: {},
		replyRef: {},
	},
	renames: { enableAudio: { displayName: 'Audio' } },
	drop: ['proModeNotice', 'audioAlwaysNotice'],
	defaultModel: 'kling-v2-6',
};

export const useApiKlingPropertiesV2: INodeProperties[] = version2Properties(useApiKlingProperties, USEAPI_KLING_V2);
