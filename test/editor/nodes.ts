/**
 * What the editor suite expects of each node, read from the capability tables (nodes/<Provider>/
 * capabilities.ts) and never from the node descriptions: the descriptions are what the editor renders,
 * the tables are what the editor must show. The built description (dist/) is read for texts only: which
 * notice a text belongs to, and the name of the "Other model" entry.
 */
import * as path from 'node:path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { type CapabilityTable, type FieldSpec, type FieldValue, type ModelSpec } from '../../nodes/shared/capabilities/table';
import { V2_DEFAULTS, type Version2Spec } from '../../nodes/shared/fields/version2';
import { MAGIC_HOUR_V2 } from '../../nodes/MagicHour/descriptionV2';
import { A4F_V2 } from '../../nodes/A4F/descriptionV2';
import { AIML_API_V2 } from '../../nodes/AimlApi/descriptionV2';
import { USEAPI_KLING_V2 } from '../../nodes/UseApiKling/descriptionV2';
import { VIDEO_GENERATION_V2 } from '../../nodes/VideoGeneration/descriptionV2';
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
	/** The Model list as the editor must offer it: the table's models (a typed ID goes in the locator's By ID). */
	table: CapabilityTable;
	/** Version 2's spec (nodes/<Provider>/descriptionV2.ts): a model locator or a list, defaults, what moved under Options. */
	v2: Version2Spec;
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
	/** Options entries version 2 adds for this node that a new node (its default model, Generate) offers. */
	ownOptions: string[];
}

/** The model a new version 2 node starts on. */
export const v2DefaultModel = (node: Pick<TableNode, 'table' | 'v2'>) => node.v2.defaultModel ?? node.table.defaultModel;

/** The value a version 2 field starts on for a model: version 2's shared default where the model takes it. */
export function v2Default(node: Pick<TableNode, 'v2'>, name: string, choice: { values: readonly FieldValue[]; default: FieldValue }): FieldValue {
	const preferred = { ...V2_DEFAULTS, ...node.v2.preferredDefaults }[name];
	return preferred !== undefined && choice.values.includes(preferred) ? preferred : choice.default;
}

/** The node's description as n8n loads it from dist/: the version a new node gets (2), or `version`. */
export function builtDescription(key: string, version = 2): INodeTypeDescription {
	const provider = registry.provider(key);
	const exported = require(path.join(ROOT, registry.nodeDistPath(provider))) as Record<string, new () => unknown>;
	const NodeClass = exported[registry.fileOf(provider)];
	if (typeof NodeClass !== 'function') throw new Error(`dist has no node "${key}" (run npm run build)`);
	const node = new NodeClass() as { description: INodeTypeDescription; nodeVersions?: Record<number, { description: INodeTypeDescription }> };
	const description = node.nodeVersions ? node.nodeVersions[version]?.description : node.description;
	if (description?.name !== key) throw new Error(`dist's node "${key}" has no version ${version} (run npm run build)`);
	return description;
}

/** Notice texts of a node's description → the notice's property name. */
export function noticeNames(description: INodeTypeDescription): Map<string, string> {
	const names = new Map<string, string>();
	for (const property of description.properties as INodeProperties[]) {
		if (property.type === 'notice') names.set(property.displayName.trim(), property.name);
	}
	return names;
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
			table: MAGIC_HOUR_CAPABILITIES,
			v2: MAGIC_HOUR_V2,
			extras: { audio: (m) => trait('audio')(m) === 'toggle' },
			ownOptions: ['File Name'],
			switches: { audio: () => false },
			loose: { imageSource: takesImage },
			example: { file: 'magic-hour-text-to-video.json', node: 'Magic Hour' },
		},
		{
			key: 'a4f',
			label: 'A4F',
			image: 'a4f',
			table: A4F_CAPABILITIES,
			v2: A4F_V2,
			extras: {},
			ownOptions: [],
			loose: { imageSource: takesImage },
			example: { file: 'a4f-text-to-video.json', node: 'A4F' },
		},
		{
			key: 'aimlApi',
			label: 'AI/ML API',
			image: 'aiml-api',
			table: AIML_CAPABILITIES,
			v2: AIML_API_V2,
			extras: {
				// Shown only for a long video at 1080p, never at a model's defaults (checked on its own).
				longAt1080pNotice: () => false,
			},
			// The default model (PixVerse V5) takes a style, a negative prompt and a seed.
			ownOptions: ['Negative Prompt', 'Seed', 'Style'],
			loose: { imageSource: takesImage },
			example: { file: 'aiml-api-text-to-video.json', node: 'AI/ML API' },
		},
		{
			key: 'useApiKling',
			label: 'Kling (useapi.net)',
			image: 'kling-useapi',
			table: USEAPI_KLING_CAPABILITIES,
			v2: USEAPI_KLING_V2,
			extras: { enableAudio: (m) => trait('audio')(m) === 'toggle' },
			ownOptions: ['Kling Account Email', 'Max Jobs', 'Reply Reference', 'Reply URL'],
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
	v2: VIDEO_GENERATION_V2,
};

type WorkflowNode = { type: string; typeVersion: number; parameters: Record<string, unknown> };

/**
 * A version 1 workflow as version 2 saves it: the node's type version 2, Resource "Video", the model
 * in the locator, the parameters version 2 keeps under Options moved there. The editor suite runs
 * both, so the README shows version 2 and a saved version 1 workflow is seen to run unchanged.
 */
export function toVersion2<W extends { name: string; nodes: WorkflowNode[] }>(workflow: W): W {
	const specs: Record<string, { v2: Version2Spec; table?: CapabilityTable }> = Object.fromEntries([
		...tableNodes().map((node) => [node.key, { v2: node.v2, table: node.table }]),
		[VIDEO_GENERATION.key, { v2: VIDEO_GENERATION.v2 }],
	]);
	const nodes = workflow.nodes.map((node) => {
		const key = node.type.split('.').pop() ?? '';
		const spec = specs[key];
		if (!spec) return node;
		const parameters: Record<string, unknown> = { resource: 'video', ...node.parameters };
		const options: Record<string, unknown> = { ...((parameters.options as Record<string, unknown>) ?? {}) };
		for (const name of Object.keys(spec.v2.intoOptions)) {
			if (name in parameters) options[name] = parameters[name];
			delete parameters[name];
		}
		parameters.options = options;
		if (spec.v2.modelLocator && typeof parameters.model === 'string') {
			const value = parameters.model;
			const name = spec.v2.modelLocator.tables.flatMap((t) => t.models).find((m) => m.value === value)?.name ?? value;
			parameters.model = { __rl: true, mode: 'list', value, cachedResultName: name };
		}
		return { ...node, typeVersion: 2, parameters };
	});
	// Its own id: imported beside the saved version 1 workflow, not over it.
	const id = (workflow as { id?: string }).id;
	return { ...workflow, ...(id ? { id: `${id}V2` } : {}), name: `${workflow.name} (version 2)`, nodes };
}

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
