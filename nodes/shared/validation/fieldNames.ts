import type { INode, INodeProperties, INodePropertyCollection, NodeParameterValueType } from 'n8n-workflow';

/**
 * Errors name a field as the editor shows it ("Duration (Seconds)", not `duration`). The name comes
 * from the node's own parameter list at run time, for the node's version: a field that another
 * version shows under Options with another name is named as that version shows it.
 */

/** A node's parameters: one list for every version (`@version` display options), or a list per version. */
export type NodeProperties = INodeProperties[] | ((typeVersion: number) => INodeProperties[]);

type Condition = NodeParameterValueType | { _cnd?: Record<string, unknown> };

/** Whether a `@version` display condition holds: a version listed, or n8n's `_cnd` comparisons. */
function versionMatches(values: readonly Condition[], version: number): boolean {
	return values.some((value) => {
		if (typeof value === 'number') return value === version;
		const cnd = (value as { _cnd?: Record<string, unknown> })?._cnd;
		if (!cnd) return false;
		return Object.entries(cnd).every(([op, operand]) => {
			const n = Number(operand);
			if (op === 'eq') return version === n;
			if (op === 'not') return version !== n;
			if (op === 'gte') return version >= n;
			if (op === 'lte') return version <= n;
			if (op === 'gt') return version > n;
			if (op === 'lt') return version < n;
			if (op === 'between') {
				const { from, to } = operand as { from: number; to: number };
				return version >= from && version <= to;
			}
			return true;
		});
	});
}

function shownForVersion(property: Pick<INodeProperties, 'displayOptions'>, version: number): boolean {
	const show = property.displayOptions?.show?.['@version'] as Condition[] | undefined;
	const hide = property.displayOptions?.hide?.['@version'] as Condition[] | undefined;
	if (show && !versionMatches(show, version)) return false;
	return !(hide && versionMatches(hide, version));
}

/** Whether a property's other `show` conditions hold for the node's current top-level values (plain values only). */
function shownForValues(property: INodeProperties, parameters: INode['parameters']): boolean {
	const show = property.displayOptions?.show ?? {};
	return Object.entries(show).every(([key, allowed]) => {
		if (key === '@version' || key.startsWith('/') || !Array.isArray(allowed) || !(key in parameters)) return true;
		const value = parameters[key];
		return allowed.some((a) => typeof a !== 'object' && a === value);
	});
}

/** Every property named `name` that this version shows, nested ones (Options, fixed collections) too. */
function candidates(properties: readonly INodeProperties[], name: string, version: number): INodeProperties[] {
	const found: INodeProperties[] = [];
	for (const property of properties) {
		if (!shownForVersion(property, version)) continue;
		if (property.name === name && property.type !== 'notice') found.push(property);
		for (const option of property.options ?? []) {
			if ('type' in option && 'name' in option) found.push(...candidates([option as INodeProperties], name, version));
			else if ('values' in option) found.push(...candidates((option as INodePropertyCollection).values, name, version));
		}
	}
	return found;
}

/**
 * The field's name as this node shows it; undefined when the node has no such parameter (a key of an
 * Additional Fields object, say), so the caller keeps the key the user typed.
 */
export function fieldDisplayName(properties: NodeProperties | undefined, node: Pick<INode, 'typeVersion' | 'parameters'>, name: string): string | undefined {
	if (!properties) return undefined;
	const version = node.typeVersion ?? 1;
	const list = typeof properties === 'function' ? properties(version) : properties;
	const found = candidates(list, name, version);
	// Copies of one field per model group share their name; among differing ones, the one shown now wins.
	const shown = found.find((property) => shownForValues(property, node.parameters ?? {})) ?? found[0];
	return shown?.displayName;
}
