import type { INodeProperties } from 'n8n-workflow';
import { modelOptions, type CapabilityTable } from '../capabilities/table';
import { OTHER_MODEL } from './customModel';
import type { Operation } from '../engine/engine';
import { isSynchronous, type JobInput, type VideoProvider } from '../engine/providerContract';

/** Parameters every video node shares (their names: contract/public-names.v1.json); providers add their own between them. */

/** Operations that read a job's input; Estimate reads and checks it as Generate does, and pays nothing. */
export const JOB_OPERATIONS: Operation[] = ['generate', 'submit', 'estimate'];

const OPERATION_OPTIONS: Record<Operation, { name: string; action: string; description: string }> = {
	generate: {
		name: 'Generate',
		action: 'Generate a video',
		description: 'Submit a job, wait for it and return the video',
	},
	submit: {
		name: 'Submit',
		action: 'Submit a video job',
		description: 'Submit a job and return its ID at once, without waiting',
	},
	get: {
		name: 'Get',
		action: 'Get a video job',
		description: 'Get the status of a job by ID, with the video when it is complete',
	},
	estimate: {
		name: 'Estimate',
		action: 'Estimate the cost of a video',
		description: 'Check each item and say what Generate would cost, without submitting anything',
	},
};

/** Jobs can be submitted and fetched later; a one-request API can only generate. */
export function operationsOf<Input extends JobInput, Context>(provider: VideoProvider<Input, Context>): Operation[] {
	return isSynchronous(provider) ? ['generate', 'estimate'] : ['generate', 'submit', 'get', 'estimate'];
}

export function operationProperty(operations: Operation[]): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: operations.map((value) => ({ value, ...OPERATION_OPTIONS[value] })),
		default: 'generate',
	};
}

export function promptProperty(maxLength: number): INodeProperties {
	return {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. A red fox running through fresh snow at sunrise, cinematic',
		typeOptions: { rows: 3 },
		description: `The text to turn into video (up to ${maxLength} characters)`,
		displayOptions: { show: { operation: JOB_OPERATIONS } },
	};
}

/** The Model list of a capability table, its default model chosen, for the job operations. */
export function modelProperty(table: CapabilityTable, description: string): INodeProperties {
	// A plain identifier: n8n's linter cannot read `default: table.defaultModel` as a default.
	const { defaultModel } = table;
	return {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: modelOptions(table),
		default: defaultModel,
		description,
		displayOptions: { show: { operation: JOB_OPERATIONS } },
	};
}

export interface TypedModelField {
	/** A real model id, shown as the field's placeholder and in the error for an empty field. */
	example: string;
	description: string;
}

/** The Model list of a UI table and, with `typed`, the Model ID field shown when "Other model" is picked. */
export function modelProperties(uiTable: CapabilityTable, description: string, typed?: TypedModelField): INodeProperties[] {
	const model = modelProperty(uiTable, description);
	if (!typed) return [model];
	return [
		model,
		{
			displayName: 'Model ID',
			name: 'customModel',
			type: 'string',
			required: true,
			default: '',
			placeholder: `e.g. ${typed.example}`,
			description: typed.description,
			displayOptions: { show: { operation: JOB_OPERATIONS, model: [OTHER_MODEL] } },
		},
	];
}

export const jobIdProperty: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. {{ $json.jobId }}',
	description: 'The ID that the Submit operation returned (errors after submission name it too)',
	displayOptions: { show: { operation: ['get'] } },
};
