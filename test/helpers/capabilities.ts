/**
 * Checks that a capability table, the node's UI and its validation agree, model by model: the UI
 * shows exactly one property per field with exactly the table's values and default, every value the
 * table allows passes validation, and a value it does not allow is refused naming the field.
 */
import { NodeHelpers, type IDataObject, type IExecuteFunctions, type INode, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import type { CapabilityTable, FieldValue } from '../../nodes/shared/capabilities/table';
import type { JobInput, VideoProvider } from '../../nodes/shared/engine/providerContract';

const fakeNode: INode = { id: 'n', name: 'n', type: 't', typeVersion: 1, position: [0, 0], parameters: {} };

export function visibleProperties(description: INodeTypeDescription, parameters: IDataObject, name: string): INodeProperties[] {
	return description.properties.filter(
		(property) => property.name === name && NodeHelpers.displayParameter(parameters as never, property, fakeNode, description),
	);
}

/** A context that hands over plain parameter values, as n8n does after resolving expressions. */
function contextWith(parameters: IDataObject): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _item: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getNode: () => fakeNode,
	} as unknown as IExecuteFunctions;
}

/** readInput against plain parameter values. */
/** The error `run` throws (the test fails when it throws none): its title and description, as n8n shows them. */
export function thrownBy(run: () => unknown): { message: string; description: string } {
	try {
		run();
	} catch (error) {
		return { message: (error as Error).message, description: String((error as { description?: unknown }).description ?? '') };
	}
	throw new Error('expected an error, none was thrown');
}

export function readInputWith<Input extends JobInput>(provider: VideoProvider<Input>, parameters: IDataObject): Input {
	return provider.readInput(contextWith(parameters), 0);
}

/** readContext (what every operation reads besides the input) against plain parameter values. */
export function readContextWith<Input extends JobInput, Context>(provider: VideoProvider<Input, Context>, parameters: IDataObject): Context | undefined {
	return provider.readContext?.(contextWith(parameters), 0);
}

/** A value of the field's type that the model does not allow. */
function outsider(values: readonly FieldValue[]): FieldValue {
	if (typeof values[0] === 'number') return Math.max(...(values as number[])) + 1;
	return 'not-a-value';
}

export function checkTableAgreement<Input extends JobInput>(
	description: INodeTypeDescription,
	table: CapabilityTable,
	provider: VideoProvider<Input>,
	base: IDataObject,
) {
	for (const model of table.models) {
		for (const id of [model.value, ...(model.aliases ?? [])]) {
			const parameters = { operation: 'generate', ...base, model: id };
			for (const { property: field } of table.fields) {
				const choice = model.fields[field.name];
				const shown = visibleProperties(description, parameters, field.name);
				if (!choice) {
					expect({ model: id, field: field.name, shown: shown.length }).toEqual({ model: id, field: field.name, shown: 0 });
					continue;
				}
				expect({ model: id, field: field.name, shown: shown.length }).toEqual({ model: id, field: field.name, shown: 1 });
				expect({ model: id, field: field.name, values: shown[0].options?.map((o) => (o as { value: FieldValue }).value) }).toEqual({
					model: id,
					field: field.name,
					values: [...choice.values],
				});
				expect({ model: id, field: field.name, default: shown[0].default }).toEqual({ model: id, field: field.name, default: choice.default });
				expect(choice.values).toContain(choice.default);
				for (const value of choice.values) {
					const input = readInputWith(provider, { ...parameters, [field.name]: value }) as unknown as IDataObject;
					expect(input[field.name]).toBe(value);
				}
				const bad = outsider(choice.values);
				// The title names the model as the Model list does; what the model allows is the description.
				const refused = thrownBy(() => readInputWith(provider, { ...parameters, [field.name]: bad }));
				expect(refused.message).toMatch(new RegExp(`^Invalid ${field.name}: .*not available for ${model.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
				expect(refused.description).toMatch(/^Allowed: .*Nothing was sent to the provider/);
			}
		}
	}
}
