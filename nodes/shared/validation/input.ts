import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';
import { z } from 'zod';

/** One thing wrong with an item's input: the parameter it concerns (its internal name) and what is wrong. */
export interface InputIssue {
	field?: string;
	problem: string;
}

/**
 * Validates one item's input. A failure becomes an error that names the field and what it allows,
 * raised before any request, so a typo never costs credits. The engine names the field as the editor
 * shows it and the item (`nameInvalidInput`); the raw names here are the fallback.
 */
export function parseOrThrow<T>(ctx: IExecuteFunctions, itemIndex: number, schema: z.ZodType<T>, raw: unknown): T {
	const result = schema.safeParse(raw);
	if (result.success) return result.data;
	const issues = result.error.issues.map((issue): InputIssue => (issue.path.length ? { field: String(issue.path[0]), problem: issue.message } : { problem: issue.message }));
	throw invalidInput(ctx.getNode(), itemIndex, issues);
}

/** The error for an item's invalid input; `context.invalid` keeps the issues so the engine can name them for the user. */
export function invalidInput(node: INode, itemIndex: number, issues: InputIssue[]): NodeOperationError {
	const { message, description } = describeInvalid(issues, (field) => field);
	const error = new NodeOperationError(node, message, { itemIndex, description });
	error.context.invalid = issues;
	return error;
}

const NOTHING_SENT = 'Nothing was sent to the provider, so no credits were used.';

/** "7 s is not available for Kling 2.5. Allowed: 5 s, 10 s" → what happened, and what helps. */
function splitProblem(problem: string): [string, string | undefined] {
	const end = /\.\s+(?=[A-Z])/.exec(problem);
	return end ? [problem.slice(0, end.index), problem.slice(end.index + end[0].length)] : [problem.replace(/\.$/, ''), undefined];
}

/**
 * Title and description of invalid input, in n8n's shape: the title says what is wrong with which
 * field (as `label` names it) and, when the node has several items, which one; the description says
 * what the field allows, the other problems, and that nothing was paid.
 */
export function describeInvalid(issues: InputIssue[], label: (field: string) => string, item?: string): { message: string; description: string } {
	const title = (issue: InputIssue) => {
		const [what] = splitProblem(issue.problem);
		if (!issue.field) return what;
		const name = label(issue.field);
		// "Prompt is empty" already names its field; "Max Wait must be…" names "Max Wait (Seconds)" without its unit.
		const named = what.toLowerCase().startsWith(name.replace(/\s*\(.*\)$/, '').toLowerCase());
		return named ? what : `Invalid ${name}: ${what}`;
	};
	const [first, ...others] = issues;
	const help = splitProblem(first.problem)[1];
	const description = [
		help && (/[.!?]$/.test(help) ? help : `${help}.`),
		others.length ? `Also: ${others.map((issue) => title(issue)).join('; ')}.` : undefined,
		NOTHING_SENT,
	]
		.filter(Boolean)
		.join(' ');
	return { message: item ? `${title(first)} (${item})` : title(first), description };
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
