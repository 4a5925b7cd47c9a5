import type { IDataObject, IExecuteFunctions, INodeExecutionData, ILoadOptionsFunctions, INodeListSearchResult, INodeProperties, INodePropertyOptions, IWebhookFunctions } from 'n8n-workflow';
import { modelsWhere, type CapabilityTable } from '../capabilities/table';
import { OTHER_MODEL } from './customModel';
import { asNodeError } from '../failures/nodeErrors';

/**
 * Node version 2 (issue 26): the same parameters as version 1, placed and named as n8n's own nodes
 * do. Version 1's description is never touched; version 2's is derived from it by one spec per node,
 * and the same spec maps each version 1 parameter name to its version 2 place when the node runs
 * (`version2Context`), so every provider reads and validates its input with one code path.
 */

export const VIDEO_RESOURCE = 'video';

/** Operations as n8n names them: the resource in the name, the action a sentence. */
const OPERATIONS_V2: Record<string, { name: string; action: string; description: string }> = {
	generate: { name: 'Generate Video', action: 'Generate a video', description: 'Submit a job, wait for it and return the video' },
	submit: { name: 'Submit Video Job', action: 'Submit a video job', description: 'Submit a job and return its ID at once, without waiting' },
	get: { name: 'Get Video Job', action: 'Get a video job', description: 'Get the status of a job by ID, with the video when it is complete' },
	estimate: { name: 'Estimate Cost', action: 'Estimate the cost of a video', description: 'Check each item and say what Generate Video would cost, without submitting anything' },
};

/** The one order of the five nodes: Model, Prompt, image, Duration, Aspect Ratio, Resolution, Audio, the rest, Job ID, Options. */
const ORDER = [
	'resource',
	'operation',
	'model',
	'prompt',
	'imageSource',
	'imageBinaryNotice',
	'imageBinaryProperty',
	'imageUrl',
	'endImageSource',
	'endImageBinaryProperty',
	'endImageUrl',
	'duration',
	'aspectRatio',
	'resolution',
	'mode',
	'proModeNotice',
	'audio',
	'enableAudio',
	'audioAlwaysNotice',
];
const LAST = ['jobId', 'options'];
const rank = (name: string) => {
	const first = ORDER.indexOf(name);
	if (first >= 0) return first;
	const last = LAST.indexOf(name);
	return last >= 0 ? 1000 + last : 500;
};

/** A version 1 parameter moved into Options in version 2: its new display name and what else changes. */
export type OptionMove = Partial<Pick<INodeProperties, 'displayName' | 'default' | 'typeOptions' | 'description' | 'placeholder'>>;

export interface ModelLocator {
	/** The capability table whose models the From List mode offers (and whose ids need no "Other model"). */
	tables: CapabilityTable[];
	/** A real model id, the By ID mode's placeholder. */
	example: string;
	description: string;
}

export interface Version2Spec {
	/** Version 1 parameters that version 2 puts under Options, by name, with their version 2 names. */
	intoOptions: Record<string, OptionMove>;
	/** Top-level parameters renamed or given another default (same parameter name). */
	renames?: Record<string, OptionMove>;
	/** Version 1 parameters version 2 has not: the typed model id (the locator's By ID), notices that change no decision. */
	drop?: string[];
	/** The Model list as a From List / By ID resource locator; none: the list stays a list (no typed ids). */
	modelLocator?: ModelLocator;
	/** Version 2 defaults of model-dependent fields besides the five nodes' shared ones (V2_DEFAULTS). */
	preferredDefaults?: Record<string, string | number>;
	/** The Model list's default in version 2 (a list model, not a locator). */
	defaultModel?: string;
}

/** The five nodes' shared defaults in version 2, wherever a model takes them. */
export const V2_DEFAULTS: Readonly<Record<string, string | number>> = { aspectRatio: '16:9', resolution: '720p' };

/** n8n's terms for the image fields (its guidelines: "Input Data Field Name"). */
const SHARED_RENAMES: Record<string, OptionMove> = {
	imageBinaryProperty: { displayName: 'Input Data Field Name' },
	endImageBinaryProperty: { displayName: 'End Frame Input Data Field Name' },
};

/** Names of version 2 Options (engine's and the provider's own) as n8n's guidelines word them. */
const ENGINE_OPTION_NAMES: Record<string, OptionMove> = {
	binaryPropertyName: { displayName: 'Put Output in Field', description: 'The name of the output binary field to put the video in' },
	concurrency: {
		displayName: 'Concurrency',
		default: 4,
		typeOptions: { minValue: 1, maxValue: 50 },
		description: 'How many input items are generated at the same time, at most. Not set: automatic (every item at once, up to 20, fewer while the provider says it is busy).',
	},
};

const withSlash = (show: IDataObject | undefined): IDataObject | undefined =>
	show ? Object.fromEntries(Object.entries(show).map(([key, value]) => [key.startsWith('/') ? key : `/${key}`, value])) : undefined;

/** A top-level parameter as an entry of the Options collection: its display conditions point up to the node's parameters. */
function asOption(property: INodeProperties, move: OptionMove): INodeProperties {
	const option: INodeProperties = { ...property, ...move };
	delete option.required;
	const show = withSlash(property.displayOptions?.show as IDataObject | undefined);
	const hide = withSlash(property.displayOptions?.hide as IDataObject | undefined);
	if (show || hide) option.displayOptions = { ...(show ? { show } : {}), ...(hide ? { hide } : {}) } as INodeProperties['displayOptions'];
	else delete option.displayOptions;
	return option;
}

function modelLocatorProperty(locator: ModelLocator, defaultModel: string, defaultName: string): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: defaultModel, cachedResultName: defaultName },
		required: true,
		description: locator.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model...',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${locator.example}`,
			},
		],
	};
}

/** Ids the locator's tables know (aliases included): any other typed id is version 1's "Other model". */
export function knownModelIds(locator: ModelLocator): string[] {
	return [...new Set(locator.tables.flatMap((table) => modelsWhere(table, () => true)))];
}

/**
 * A display rule on `model` for version 2: the "Other model" entry of version 1 becomes "any id the
 * tables do not know" (a typed id), written as hiding the known ids the rule did not list.
 */
function locatorRule(displayOptions: INodeProperties['displayOptions'], known: string[]): INodeProperties['displayOptions'] {
	const show = displayOptions?.show as IDataObject | undefined;
	const models = show?.model as unknown[] | undefined;
	if (!show || !models || !models.includes(OTHER_MODEL)) return displayOptions;
	const { model: _model, ...rest } = show;
	const hide = { ...((displayOptions?.hide as IDataObject | undefined) ?? {}), model: known.filter((id) => !models.includes(id)) };
	return { ...displayOptions, show: rest, hide } as INodeProperties['displayOptions'];
}

/** Version 2's properties, derived from version 1's by the node's spec. */
export function version2Properties(v1: INodeProperties[], spec: Version2Spec): INodeProperties[] {
	const moved: INodeProperties[] = [];
	const top: INodeProperties[] = [];
	const drop = new Set(['customModel', ...(spec.drop ?? [])]);
	const known = spec.modelLocator ? knownModelIds(spec.modelLocator) : [];
	let locatorDone = false;
	for (const original of v1) {
		if (drop.has(original.name)) continue;
		let property: INodeProperties = { ...original };
		if (spec.modelLocator && property.displayOptions) property.displayOptions = locatorRule(property.displayOptions, known);
		const move = spec.intoOptions[property.name];
		if (move) {
			moved.push(asOption(property, move));
			continue;
		}
		if (property.name === 'operation') {
			property = {
				...property,
				options: (property.options as INodePropertyOptions[]).map((o) => ({ ...o, ...OPERATIONS_V2[String(o.value)] })),
				displayOptions: { show: { resource: [VIDEO_RESOURCE] } },
			};
		}
		if (property.name === 'model') {
			if (spec.modelLocator) {
				// One locator for every list version 1 had (AI/ML API: one per image mode); the list follows the image.
				if (locatorDone) continue;
				locatorDone = true;
				const table = spec.modelLocator.tables[0];
				const defaultModel = spec.defaultModel ?? table.defaultModel;
				const name = table.models.find((m) => m.value === defaultModel)?.name ?? defaultModel;
				property = { ...modelLocatorProperty(spec.modelLocator, defaultModel, name), displayOptions: { show: { operation: (original.displayOptions?.show as IDataObject).operation } } as INodeProperties['displayOptions'] };
			} else if (spec.defaultModel) {
				property = { ...property, default: spec.defaultModel };
			}
		}
		const preferred = { ...V2_DEFAULTS, ...spec.preferredDefaults }[property.name];
		if (preferred !== undefined && property.type === 'options' && (property.options as INodePropertyOptions[]).some((o) => o.value === preferred)) property = { ...property, default: preferred };
		const rename = spec.renames?.[property.name] ?? SHARED_RENAMES[property.name];
		if (rename) property = { ...property, ...rename };
		if (property.name === 'options') {
			property = optionsV2(property, moved);
		}
		top.push(property);
	}
	const resource: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Video', value: VIDEO_RESOURCE }],
		default: VIDEO_RESOURCE,
	};
	return [resource, ...top].map((p, i) => ({ p, i })).sort((a, b) => rank(a.p.name) - rank(b.p.name) || a.i - b.i).map(({ p }) => p);
}

/** The Options collection of version 2: the engine's options renamed, the moved parameters added, sorted by display name. */
function optionsV2(property: INodeProperties, moved: INodeProperties[]): INodeProperties {
	const own = (property.options as INodeProperties[]).map((option) => {
		const rename = ENGINE_OPTION_NAMES[option.name];
		return rename ? { ...option, ...rename } : option;
	});
	const options = [...own, ...moved].sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'));
	return { ...property, options };
}

/** Where each version 1 parameter is read in version 2: the Options collection for the moved ones. */
export function version2Path(spec: Version2Spec, name: string): string {
	return spec.intoOptions[name] ? `options.${name}` : name;
}

/** The model id a version 2 node holds: the locator's value; an id its tables do not know is version 1's typed "Other model". */
function locatorModel(spec: Version2Spec, value: unknown): { model: unknown; customModel?: string } {
	if (!spec.modelLocator || typeof value !== 'string') return { model: value };
	const id = value.trim();
	if (!id || knownModelIds(spec.modelLocator).includes(id)) return { model: id };
	if (!spec.modelLocator.tables.some((table) => table.customModel)) return { model: id };
	return { model: OTHER_MODEL, customModel: id };
}

type GetParameter = IExecuteFunctions['getNodeParameter'];

/**
 * The version-aware seam: the node's context with `getNodeParameter` reading version 1 names from
 * their version 2 places, so providers, the engine and the cost options read one set of names.
 * Version 1 nodes never pass here.
 */
export function version2Context(ctx: IExecuteFunctions, spec: Version2Spec): IExecuteFunctions {
	const get = ctx.getNodeParameter.bind(ctx) as (name: string, itemIndex: number, fallback?: unknown, options?: IDataObject) => unknown;
	const read = (name: string, itemIndex: number, fallback?: unknown, options?: IDataObject): unknown => {
		if (spec.modelLocator && (name === 'model' || name === 'customModel')) {
			const value = get('model', itemIndex, undefined, { extractValue: true });
			const { model, customModel } = locatorModel(spec, value);
			if (name === 'customModel') return customModel ?? fallback;
			return model ?? fallback;
		}
		return get(version2Path(spec, name), itemIndex, fallback, options);
	};
	return new Proxy(ctx, {
		get(target, key, receiver) {
			if (key === 'getNodeParameter') return read as GetParameter;
			const value = Reflect.get(target, key, receiver) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}

/** The same seam for a webhook call (Kling's callback wait reads the node's options there). */
export function version2WebhookContext(ctx: IWebhookFunctions, spec: Version2Spec): IWebhookFunctions {
	const get = ctx.getNodeParameter.bind(ctx) as (name: string, fallback?: unknown, options?: IDataObject) => unknown;
	const read = (name: string, fallback?: unknown, options?: IDataObject): unknown => get(version2Path(spec, name), fallback, options);
	return new Proxy(ctx, {
		get(target, key, receiver) {
			if (key === 'getNodeParameter') return read;
			const value = Reflect.get(target, key, receiver) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}

/** The locator's From List: the tables' models (those of the chosen image mode first), filtered by what the user types. */
export function searchTableModels(ctx: ILoadOptionsFunctions, locator: ModelLocator, filter?: string, tableFor?: (ctx: ILoadOptionsFunctions) => CapabilityTable[]): INodeListSearchResult {
	const tables = tableFor ? tableFor(ctx) : locator.tables;
	const seen = new Set<string>();
	const needle = (filter ?? '').trim().toLowerCase();
	const results = tables
		.flatMap((table) => table.models)
		.filter((model) => model.value !== OTHER_MODEL && !seen.has(model.value) && seen.add(model.value))
		.filter((model) => !needle || model.name.toLowerCase().includes(needle) || model.value.toLowerCase().includes(needle))
		.map((model) => ({ name: model.name, value: model.value, description: model.description }));
	return { results };
}

/** Version 1 display names that version 2 renamed, as error texts use them. */
const RENAMED_IN_ERRORS: Array<[RegExp, string]> = [
	[/\bBinary Property\b/g, 'Put Output in Field'],
	[/\bImage Binary Field\b/g, 'Input Data Field Name'],
	[/\bEnable Audio\b/g, 'Audio'],
	[/\bModel ID\b/g, 'Model (By ID)'],
];

/**
 * An error text in version 2's words: renamed fields by their new names, and a parameter version 2
 * moved under Options named by its place there ("Invalid parameter seed" → "Invalid parameter Options > Seed").
 */
export function version2Wording(text: string, spec: Version2Spec, v2Properties: INodeProperties[]): string {
	const moved = (v2Properties.find((p) => p.name === 'options')?.options ?? []) as INodeProperties[];
	// "Invalid parameter seed" (older wording) and "Invalid seed" (a check run without the node's properties).
	let out = text.replace(/\bInvalid (parameter )?([A-Za-z]+)(?=[:\s])/g, (whole, parameter: string | undefined, name: string) => {
		if (!spec.intoOptions[name]) return whole;
		const option = moved.find((o) => o.name === name);
		return option ? `Invalid ${parameter ?? ''}Options > ${option.displayName}` : whole;
	});
	for (const [pattern, name] of RENAMED_IN_ERRORS) out = out.replace(pattern, name);
	return out;
}

/**
 * Runs a version 2 node: its parameters through the seam, and its errors (thrown, or items with
 * Continue On Fail) in version 2's words.
 */
export async function runVersion2(
	ctx: IExecuteFunctions,
	spec: Version2Spec,
	v2Properties: INodeProperties[],
	run: (ctx: IExecuteFunctions) => Promise<INodeExecutionData[][]>,
): Promise<INodeExecutionData[][]> {
	const reword = (text: string) => version2Wording(text, spec, v2Properties);
	try {
		const output = await run(version2Context(ctx, spec));
		for (const item of output.flat()) if (typeof item.json.error === 'string') item.json.error = reword(item.json.error);
		return output;
	} catch (error) {
		// The engine's errors are n8n's already (asNodeError keeps them as they are, with their job ID and item).
		const nodeError = asNodeError(ctx.getNode(), error);
		nodeError.message = reword(nodeError.message);
		if (typeof nodeError.description === 'string') nodeError.description = reword(nodeError.description);
		throw nodeError;
	}
}
