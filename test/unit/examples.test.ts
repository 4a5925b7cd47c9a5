/**
 * The shape every example must have to run as imported on a stock n8n 2.x and 1.x (examples/README.md):
 * no disk step (stock n8n 2.x lets Read/Write Files use only ~/.n8n-files, which a workflow cannot name),
 * no `$env` (blocked in nodes on 2.x), node versions both versions know, and a sticky note that names the
 * last node whose output holds the video. test/e2e/examples.e2e.test.ts runs them in real n8n; this is the
 * quick check that names the rule an example breaks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROVIDERS } from '../../scripts/providers';

const DIR = path.join(__dirname, '..', '..', 'examples');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

/** Built-in node types and the versions n8n 1.123.x and 2.41.x both have. */
const BUILTIN_VERSIONS: Record<string, number[]> = {
	'n8n-nodes-base.manualTrigger': [1],
	'n8n-nodes-base.set': [3.4],
	'n8n-nodes-base.code': [2],
	'n8n-nodes-base.wait': [1.1],
	'n8n-nodes-base.if': [2.2],
	'n8n-nodes-base.noOp': [1],
	'n8n-nodes-base.stopAndError': [1],
	'n8n-nodes-base.stickyNote': [1],
};

interface Node {
	name: string;
	type: string;
	typeVersion: number;
	disabled?: boolean;
	parameters: Record<string, unknown>;
}

function load(file: string): { nodes: Node[]; connections: Record<string, { main: Array<Array<{ node: string }> | null> }> } {
	return JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
}

test.each(PROVIDERS.map((provider) => [provider.key, provider] as const))('%s (providers.json) has an example that uses its node', (_key, provider) => {
	const own = files.filter((file) => load(file).nodes.some((node) => node.type === `n8n-nodes-text-to-video.${provider.key}`));
	expect({ provider: provider.key, examples: own.length > 0 }).toEqual({ provider: provider.key, examples: true });
});

describe.each(files)('examples/%s', (file) => {
	const workflow = load(file);

	test('no Read/Write Files step and no $env: nothing that stock n8n 2.x refuses', () => {
		expect(workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.readWriteFile').map((n) => n.name)).toEqual([]);
		expect(JSON.stringify(workflow.nodes)).not.toMatch(/\$env\b/);
	});

	test('built-in nodes at versions n8n 1.123 and 2.41 both know', () => {
		for (const node of workflow.nodes.filter((n) => n.type.startsWith('n8n-nodes-base.'))) {
			expect({ node: node.name, type: node.type, ok: BUILTIN_VERSIONS[node.type]?.includes(node.typeVersion) ?? false }).toEqual({ node: node.name, type: node.type, ok: true });
		}
	});

	test("the sticky note names the last node that holds the video, and that node is one of ours or collects our node's items", () => {
		const feeding = new Set(Object.entries(workflow.connections).filter(([, o]) => o.main.some((t) => (t ?? []).length > 0)).map(([name]) => name));
		const last = workflow.nodes.filter((n) => !n.disabled && !feeding.has(n.name) && !['n8n-nodes-base.stickyNote', 'n8n-nodes-base.stopAndError'].includes(n.type));
		expect(last).toHaveLength(1);
		const [result] = last;
		expect(result.type.startsWith('n8n-nodes-text-to-video.') || result.type === 'n8n-nodes-base.noOp').toBe(true);
		const note = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.stickyNote')?.parameters.content as string;
		expect(note).toContain(`in the output of **${result.name}**`);
		expect(note).not.toMatch(/output\/|N8N_RESTRICT_FILE_ACCESS_TO allows/);
	});
});
