import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';
import { paramReader, parseOrThrow } from '../validation/input';

/**
 * "Other model (type its ID)" for providers whose capability table has `customModel` rules: the Model
 * list ends with this sentinel entry (see withCustomModelOption) and the typed id goes in the
 * `customModel` parameter, so a listed model is still saved as the provider's own id. The editor
 * fields are `modelProperties` (description.ts); this file reads and checks the typed id.
 */
export const OTHER_MODEL = 'other';

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
