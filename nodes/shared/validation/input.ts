import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

/**
 * Validates one item's input. A failure becomes an error that names the field and what it allows,
 * raised before any request, so a typo never costs credits.
 */
export function parseOrThrow<T>(ctx: IExecuteFunctions, itemIndex: number, schema: z.ZodType<T>, raw: unknown, scope = 'Parameter'): T {
	const result = schema.safeParse(raw);
	if (result.success) return result.data;
	const issues = result.error.issues.map((issue) => {
		const field = issue.path.join('.');
		return field ? `${field}: ${issue.message}` : issue.message;
	});
	throw new NodeOperationError(ctx.getNode(), `Invalid ${scope.toLowerCase()} ${issues[0]}`, {
		itemIndex,
		description: issues.length > 1 ? `All problems: ${issues.join('; ')}` : 'Nothing was sent to the provider, so no credits were used.',
	});
}

/**
 * Reads one item's parameters. A parameter hidden for the chosen model reads as undefined (n8n
 * throws on a hidden parameter unless given a fallback that is not undefined).
 */
export function paramReader(ctx: IExecuteFunctions, itemIndex: number) {
	return (name: string, fallback: unknown = null): unknown => ctx.getNodeParameter(name, itemIndex, fallback) ?? undefined;
}

/** A JSON-object parameter (text to parse, or an object from an expression); its issues name `label` and what is wrong. */
export const jsonObjectSchema = (label: string) =>
	z.unknown().transform((value, ctx): Record<string, unknown> => {
		let parsed = value;
		if (typeof value === 'string') {
			if (!value.trim()) return {};
			try {
				parsed = JSON.parse(value);
			} catch (error) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label} is not valid JSON (${(error as Error).message})` });
				return z.NEVER;
			}
		}
		if (parsed === undefined || parsed === null) return {};
		if (typeof parsed !== 'object' || Array.isArray(parsed)) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label} must be a JSON object, like {"key": "value"}` });
			return z.NEVER;
		}
		return parsed as Record<string, unknown>;
	});
