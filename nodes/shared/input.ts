import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import type { z } from 'zod';

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
