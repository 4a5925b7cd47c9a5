import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';
import type { CapabilityTable } from './capabilities';
import { JOB_OPERATIONS, modelProperty } from './description';
import { paramReader, parseOrThrow } from './input';

/**
 * "Other model (type its ID)" for providers whose capability table has `customModel` rules: the Model
 * list ends with this sentinel entry (see withCustomModelOption) and the typed id goes in the
 * `customModel` parameter, so a listed model is still saved as the provider's own id.
 */
export const OTHER_MODEL = 'other';

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

/** A typed model id: not empty, no spaces; `refine` adds the provider's own rule. */
export function modelIdSchema(example: string, refine: (id: z.ZodString) => z.ZodType<string> = (id) => id) {
	const id = z
		.string({ invalid_type_error: 'Model ID must be text' })
		.trim()
		.min(1, `Model ID is empty: type the ID of a video model, e.g. ${example}`)
		.regex(/^\S+$/, 'Model ID must not contain spaces');
	return z.object({ customModel: refine(id) });
}

/** The model id to send: the typed one for "Other model", else the `model` value (an expression may give any id). */
export function readModelId(ctx: IExecuteFunctions, itemIndex: number, defaultModel: string, idSchema: ReturnType<typeof modelIdSchema>): string {
	const param = paramReader(ctx, itemIndex);
	const selected = String(param('model', defaultModel) ?? '').trim();
	if (selected !== OTHER_MODEL) return selected;
	return parseOrThrow(ctx, itemIndex, idSchema, { customModel: param('customModel', '') }).customModel;
}
