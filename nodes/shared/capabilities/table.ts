import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod';

/**
 * A provider's capability table: which values each model takes for each model-dependent field.
 * It is the single source for the node's UI (one property per group of models that allow the same
 * values, shown with displayOptions) and for validation (zod), so the two cannot disagree.
 */

export type FieldValue = string | number;

export interface FieldChoice {
	values: readonly FieldValue[];
	default: FieldValue;
}

/** A provider's own per-model facts (audio mode, negative prompt support, ...), typed by the provider. */
export type TraitBag = Readonly<Record<string, string | number | boolean>>;

export interface ModelSpec<Traits extends TraitBag = TraitBag> {
	/** The provider's model id, exactly as the provider spells it. */
	value: string;
	/** The model as the node's list shows it ("Kling 2.5"): errors name it so. */
	name: string;
	description?: string;
	/** Model-dependent fields; a field a model lacks is hidden for it and refused if set. */
	fields: Readonly<Record<string, FieldChoice>>;
	/** Other ids the provider accepts for this model (deprecated names); they follow its rules. */
	aliases?: readonly string[];
	/** Provider-specific capabilities (audio mode, negative prompt support, ...). */
	traits?: Readonly<Traits>;
	/** Image-to-video: which images the model takes. None: text only (an image is refused before any request). */
	image?: ImageSupport;
}

/**
 * What a model takes as image input. The node shows its image fields only for models that have this,
 * and refuses an image (or an end frame) for a model that takes none, before anything is paid.
 */
export interface ImageSupport {
	/** 'optional': the same model makes text-to-video without one; 'required': it only animates an image. */
	start: 'optional' | 'required';
	/** A last frame too (the video ends on it). Absent: the model takes none. */
	end?: 'optional' | 'required';
	/** Whether a start image from a binary field can be sent (false: by URL only; the provider has no way to take the bytes). */
	binary: boolean;
	/** The same for the end frame (default: as `binary`). */
	endBinary?: boolean;
	/** An end frame only at these resolutions (Magic Hour: Kling 2.5 and 3.0 at 1080p only). */
	endResolutions?: readonly string[];
}

export interface FieldSpec {
	/**
	 * The field's editor parameter, written whole so that n8n's linter checks what the node shows. The
	 * node shows one copy per group of models that take the same values (fieldProperties), with the
	 * group's values as `options` (empty here) and the group's default; this `default` is the one of
	 * models whose choice names none.
	 */
	property: INodeProperties & { type: 'options'; default: FieldValue };
	/** Numbers typed as text are coerced, and values are checked, as this type. */
	valueType: 'number' | 'string';
	/** How a value reads in the options list and in error messages ("5 s"). */
	label?: (value: FieldValue) => string;
}

/** Reads a duration in the options list and in errors: "5 s". */
export const secondsLabel = (value: FieldValue) => `${value} s`;

/**
 * The model-dependent fields most providers share. Each provider gives its own description (what its
 * models allow) and default; the parameter itself is written once, here.
 */
export function durationField(description: string, defaultSeconds: number, label: FieldSpec['label'] = secondsLabel): FieldSpec {
	const byDefault = defaultSeconds;
	return {
		property: { displayName: 'Duration (Seconds)', name: 'duration', type: 'options', options: [], default: byDefault, description },
		valueType: 'number',
		label,
	};
}

export function aspectRatioField(description: string, defaultRatio: string, label?: FieldSpec['label']): FieldSpec {
	const byDefault = defaultRatio;
	return {
		property: { displayName: 'Aspect Ratio', name: 'aspectRatio', type: 'options', options: [], default: byDefault, description },
		valueType: 'string',
		...(label ? { label } : {}),
	};
}

/** The `resolution` parameter; A4F shows it as "Quality", as its API does. */
export function resolutionField(description: string, defaultValue: string, options: { displayName?: 'Resolution' | 'Quality'; label?: FieldSpec['label'] } = {}): FieldSpec {
	const byDefault = defaultValue;
	const displayName = options.displayName ?? 'Resolution';
	return {
		property: { displayName, name: 'resolution', type: 'options', options: [], default: byDefault, description },
		valueType: 'string',
		...(options.label ? { label: options.label } : {}),
	};
}

export interface CapabilityTable<Traits extends TraitBag = TraitBag> {
	models: readonly ModelSpec<Traits>[];
	defaultModel: string;
	fields: readonly FieldSpec[];
	/** Rules for a model id typed in by hand (providers that accept any model id). */
	customModel?: Omit<ModelSpec<Traits>, 'value' | 'name'>;
}

/** A model as a capability file writes it: a choice may leave its default to the field's parameter. */
export type ModelEntry<Traits extends TraitBag = TraitBag> = Omit<ModelSpec<Traits>, 'fields'> & {
	fields: Readonly<Record<string, Omit<FieldChoice, 'default'> & { default?: FieldValue }>>;
};

/** The table of a capability file: each model's choices get the field's default where they name none. */
export function capabilityTable<Traits extends TraitBag = TraitBag>(table: Omit<CapabilityTable<Traits>, 'models' | 'customModel'> & {
	models: readonly ModelEntry<Traits>[];
	customModel?: Omit<ModelEntry<Traits>, 'value' | 'name'>;
}): CapabilityTable<Traits> {
	const fieldDefaults = new Map(table.fields.map(({ property }) => [property.name, property.default]));
	const withDefaults = <M extends Pick<ModelEntry<Traits>, 'fields'>>(model: M) => ({
		...model,
		fields: Object.fromEntries(
			Object.entries(model.fields).map(([name, choice]) => [name, { values: choice.values, default: choice.default ?? (fieldDefaults.get(name) as FieldValue) }]),
		),
	});
	return { ...table, models: table.models.map(withDefaults), customModel: table.customModel && withDefaults(table.customModel) };
}

const labelOf = (field: FieldSpec, value: FieldValue) => (field.label ? field.label(value) : String(value));

export function modelSpec<Traits extends TraitBag>(table: CapabilityTable<Traits>, model: string): ModelSpec<Traits> | undefined {
	const known = table.models.find((m) => m.value === model || m.aliases?.includes(model));
	if (known) return known;
	return table.customModel && model ? { value: model, name: model, ...table.customModel } : undefined;
}

export function modelOptions(table: CapabilityTable): INodePropertyOptions[] {
	return table.models.map((m) => ({ name: m.name, value: m.value, description: m.description }));
}

/** A model's id and its aliases: what displayOptions must match for it. */
const idsOf = (model: ModelSpec) => [model.value, ...(model.aliases ?? [])];

/** Model ids (aliases included) that take a start image (`end`: an end frame), for displayOptions and error messages. */
export function modelsTakingImage(table: CapabilityTable, end = false): string[] {
	return modelsWhere(table, (model) => !!(end ? model.image?.end : model.image));
}

/** Model ids (aliases included) for which `predicate` holds, for displayOptions. */
export function modelsWhere<Traits extends TraitBag>(table: CapabilityTable<Traits>, predicate: (model: ModelSpec<Traits>) => boolean): string[] {
	return table.models.filter(predicate).flatMap(idsOf);
}

/**
 * The UI of one model-dependent field: one options property per group of models sharing the same
 * allowed values and default. Properties with one name and disjoint displayOptions are n8n's way to
 * vary a field's options by another field's value; the saved parameter keeps its one name.
 */
export function fieldProperties(table: CapabilityTable, field: FieldSpec, operations: string[]): INodeProperties[] {
	const { name } = field.property;
	const groups = new Map<string, { choice: FieldChoice; models: string[] }>();
	for (const model of table.models) {
		const choice = model.fields[name];
		if (!choice) continue;
		const key = JSON.stringify(choice);
		const group = groups.get(key) ?? { choice, models: [] };
		group.models.push(...idsOf(model));
		groups.set(key, group);
	}
	const everyModel = groups.size === 1 && [...groups.values()][0].models.length === table.models.flatMap(idsOf).length && !table.customModel;
	return [...groups.values()].map(({ choice, models }) => ({
		...field.property,
		options: choice.values.map((value) => ({ name: labelOf(field, value), value })),
		default: choice.default,
		displayOptions: { show: everyModel ? { operation: operations } : { operation: operations, model: models } },
	}));
}

/** The raw values a node reads before validation. */
export type RawInput = Record<string, unknown>;

/**
 * Checks the model-dependent fields of an input against the table; the message names the field, the
 * value, the model and what that model allows.
 */
export function checkModelFields(table: CapabilityTable) {
	return (input: RawInput, ctx: z.RefinementCtx) => {
		const model = modelSpec(table, String(input.model ?? ''));
		if (!model) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['model'],
				message: `"${String(input.model ?? '')}" is not a model of this node. Allowed: ${table.models.map((m) => m.value).join(', ')}`,
			});
			return;
		}
		for (const field of table.fields) {
			const { name, displayName } = field.property;
			const value = input[name];
			if (value === undefined || value === '' || value === null) continue;
			const choice = model.fields[name];
			if (!choice) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: `${model.name} does not take a ${displayName.toLowerCase()}` });
				continue;
			}
			const normalized = field.valueType === 'number' ? Number(value) : String(value);
			if (!choice.values.includes(normalized)) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: [name],
					message: `${labelOf(field, normalized as FieldValue)} is not available for ${model.name}. Allowed: ${choice.values.map((v) => labelOf(field, v)).join(', ')}`,
				});
			}
		}
	};
}

/** Fills the model's defaults for fields left empty, and coerces numbers typed as text. */
export function applyModelDefaults<T extends RawInput>(table: CapabilityTable, input: T): T {
	const model = modelSpec(table, String(input.model ?? ''));
	if (!model) return input;
	const out: RawInput = { ...input };
	for (const field of table.fields) {
		const { name } = field.property;
		const choice = model.fields[name];
		const value = out[name];
		if (!choice) continue;
		if (value === undefined || value === '' || value === null) out[name] = choice.default;
		else if (field.valueType === 'number') out[name] = Number(value);
	}
	return out as T;
}

/** The schema of a non-empty prompt with a length limit, with a message that says so. */
export function promptSchema(maxLength: number) {
	return z
		.string({ required_error: 'Prompt is required', invalid_type_error: 'Prompt must be text' })
		.trim()
		.min(1, 'Prompt is empty: describe the video to generate')
		.max(maxLength, `Prompt is longer than ${maxLength} characters`);
}

/**
 * The input schema a capability table implies: model, prompt, each model-dependent field typed as
 * its spec says, plus the provider's own fields; checked model by model against the table.
 */
export function tableSchema<Extra extends z.ZodRawShape>(table: CapabilityTable, maxPromptLength: number, extra: Extra) {
	const fieldShape: z.ZodRawShape = {};
	for (const field of table.fields) fieldShape[field.property.name] = field.valueType === 'number' ? z.number().optional() : z.string().optional();
	return z
		.object({ model: z.string().trim().min(1, 'Model is empty'), prompt: promptSchema(maxPromptLength), ...fieldShape, ...extra })
		.superRefine(checkModelFields(table));
}

/** The table as the UI shows it: typed-in model ids (`customModel`) offered as one more model, `option`, whose own parameter holds the id. */
export function withCustomModelOption(table: CapabilityTable, option: Pick<ModelSpec, 'value' | 'name' | 'description'>): CapabilityTable {
	return table.customModel ? { ...table, models: [...table.models, { ...table.customModel, ...option }] } : table;
}
