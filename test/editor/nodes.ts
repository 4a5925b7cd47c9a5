/**
 * What the editor suite expects of each node, read from the capability tables (nodes/<Provider>/
 * capabilities.ts) and never from the node descriptions: the descriptions are what the editor renders,
 * the tables are what the editor must show. The built description (dist/) is read for texts only: which
 * notice a text belongs to, and the name of the "Other model" entry.
 */
import * as path from 'node:path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { withCustomModelOption, type CapabilityTable, type FieldSpec, type FieldValue, type ModelSpec } from '../../nodes/shared/capabilities/table';
import { OTHER_MODEL } from '../../nodes/shared/fields/customModel';
import { MAGIC_HOUR_CAPABILITIES } from '../../nodes/MagicHour/capabilities';
import { A4F_CAPABILITIES } from '../../nodes/A4F/capabilities';
import { AIML_CAPABILITIES } from '../../nodes/AimlApi/capabilities';
import { USEAPI_KLING_CAPABILITIES } from '../../nodes/UseApiKling/capabilities';
import { API_STYLES, ADDITIONAL_FIELDS } from '../../nodes/VideoGeneration/capabilities';

import * as registry from '../../scripts/providers';

const ROOT = path.resolve(__dirname, '..', '..');

/** How a field's value reads in the editor's options list: the table's own label ("5 s"). */
export function labelOf(field: FieldSpec, value: FieldValue): string {
	return field.label ? field.label(value) : String(value);
}

/** A parameter or notice whose visibility depends on the model, and the table's rule for it. */
export type ModelRule = (model: ModelSpec) => boolean;

export interface TableNode {
	/** The node's `name` (its key in providers.json). */
	key: string;
	/** What the nodes panel lists it as. */
	label: string;
	/** docs/images/<image>.png, the screenshot in the README. */
	image: string;
	/** The Model list as the editor must offer it: the table's models (and "Other model" where ids can be typed). */
	table: CapabilityTable;
	/**
	 * Parameters and notices (by property name) shown for a model only when the rule holds: the table's
	 * traits, written as the node's documentation states them.
	 */
	extras: Record<string, ModelRule>;
	/** Switches among the extras and the state each model must start in. */
	switches?: Record<string, ModelRule>;
	/**
	 * Parameters that may be shown for every model; when the editor shows one for some models only, it
	 * must follow the rule (image input: shown for the models that take an image).
	 */
	loose?: Record<string, ModelRule>;
	/** examples/<file>, run from the editor, and the node in it whose output is checked. */
	example: { file: string; node: string };
}

/** The node's description as n8n loads it: the built class in dist/. */
export function builtDescription(key: string): INodeTypeDescription {
	const provider = registry.provider(key);
	const exported = require(path.join(ROOT, registry.nodeDistPath(provider))) as Record<string, new () => { description: INodeTypeDescription }>;
	for (const NodeClass of Object.values(exported)) {
		if (typeof NodeClass !== 'function') continue;
		const description = new NodeClass().description;
		if (description?.name === key) return description;
	}
	throw new Error(`dist has no node "${key}" (run npm run build)`);
}

/** Notice texts of a node's description → the notice's property name. */
export function noticeNames(description: INodeTypeDescription): Map<string, string> {
	const names = new Map<string, string>();
	for (const property of description.properties as INodeProperties[]) {
		if (property.type === 'notice') names.set(property.displayName.trim(), property.name);
	}
	return names;
}

/** The table as the Model list shows it, with "Other model" named as the built node names it. */
function withOtherModel(key: string, table: CapabilityTable): CapabilityTable {
	if (!table.customModel) return table;
	const model = (builtDescription(key).properties as INodeProperties[]).find((p) => p.name === 'model' && p.type === 'options' && p.options?.some((o) => 'value' in o && o.value === OTHER_MODEL));
	const other = model?.options?.find((o) => 'value' in o && o.value === OTHER_MODEL) as { name: string } | undefined;
	// A node that lacks the entry fails on the Model list check, naming it.
	return withCustomModelOption(table, { value: OTHER_MODEL, name: other?.name ?? 'Other Model (Type Its ID)' });
}

const trait = (name: string) => (model: ModelSpec) => model.traits?.[name];
/** Image input is being added to every node: where a table says which models take an image, the editor follows it. */
const takesImage: ModelRule = (model) => Boolean((model as ModelSpec & { image?: unknown }).image);

export function tableNodes(): TableNode[] {
	return [
		{
			key: 'magicHour',
			label: 'Magic Hour',
			image: 'magic-hour',
			table: withOtherModel('magicHour', MAGIC_HOUR_CAPABILITIES),
			extras: {
				customModel: (m) => m.value === OTHER_MODEL,
				audio: (m) => trait('audio')(m) === 'toggle',
				audioAlwaysNotice: (m) => trait('audio')(m) === 'always',
			},
			switches: { audio: () => false },
			loose: { imageSource: takesImage },
			example: { file: 'magic-hour-text-to-video.json', node: 'Magic Hour' },
		},
		{
			key: 'a4f',
			label: 'A4F',
			image: 'a4f',
			table: withOtherModel('a4f', A4F_CAPABILITIES),
			extras: { customModel: (m) => m.value === OTHER_MODEL },
			loose: { imageSource: takesImage },
			example: { file: 'a4f-text-to-video.json', node: 'A4F' },
		},
		{
			key: 'aimlApi',
			label: 'AI/ML API',
			image: 'aiml-api',
			table: withOtherModel('aimlApi', AIML_CAPABILITIES),
			extras: {
				customModel: (m) => m.value === OTHER_MODEL,
				negativePrompt: (m) => Boolean(trait('negativePrompt')(m)),
				seed: (m) => Boolean(trait('seed')(m)),
				additionalFields: (m) => Boolean(trait('additionalFields')(m)),
				// Shown only for a long video at 1080p, never at a model's defaults (checked on its own).
				longAt1080pNotice: () => false,
			},
			loose: { imageSource: takesImage },
			example: { file: 'aiml-api-text-to-video.json', node: 'AI/ML API' },
		},
		{
			key: 'useApiKling',
			label: 'Kling (useapi.net)',
			image: 'kling-useapi',
			table: USEAPI_KLING_CAPABILITIES,
			extras: {
				negativePrompt: (m) => Boolean(trait('negativePrompt')(m)),
				cfgScale: (m) => Boolean(trait('cfgScale')(m)),
				proModeNotice: (m) => Boolean(trait('proOnly')(m)),
				enableAudio: (m) => trait('audio')(m) === 'toggle',
				audioAlwaysNotice: (m) => trait('audio')(m) === 'always',
			},
			switches: { enableAudio: (m) => Boolean(trait('audioDefault')(m)) },
			loose: { imageSource: takesImage },
			example: { file: 'kling-text-to-video.json', node: 'Kling (useapi.net)' },
		},
	];
}

/** The Video Generation API node: a gateway's own model list, API styles and image input. */
export const VIDEO_GENERATION = {
	key: 'videoGeneration',
	label: 'Video Generation API',
	image: 'video-generation-api',
	apiStyles: API_STYLES.map((style) => ({ name: style.name, value: style.value })),
	/** "Add Field" of Additional Fields, per API style: the fields that style takes. */
	additionalFields: (style: string) => ADDITIONAL_FIELDS.filter((field) => !field.styles || field.styles.includes(style as never)).map((field) => field.property.displayName),
	example: { file: 'video-generation-text-to-video.json', node: 'Video Generation API' },
};

/**
 * For each field of a table, a switch the editor cannot follow with the value kept: a model `from`
 * that allows `value`, and a model `to` that takes the field but not that value.
 */
export function unkeepableSwitches(table: CapabilityTable): Array<{ field: FieldSpec; from: ModelSpec; value: FieldValue; to: ModelSpec }> {
	const out = [];
	for (const field of table.fields) {
		const name = field.property.name;
		found: for (const from of table.models) {
			for (const to of table.models) {
				const a = from.fields[name];
				const b = to.fields[name];
				if (!a || !b || from === to) continue;
				const value = a.values.find((v) => !b.values.includes(v) && v !== a.default);
				if (value !== undefined) {
					out.push({ field, from, value, to });
					break found;
				}
			}
		}
	}
	return out;
}
