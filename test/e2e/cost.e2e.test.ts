/**
 * Cost in real n8n (each pinned version), every node, one workflow each, run once with `n8n execute`:
 *
 *   y=0    Estimate Items (2) → <node> Estimate           per-item `cost`, no paid request
 *   y=200  Generate Items (1) → <node> Generate           `cost` on the output item, in the one shape
 *   y=400  Budget Items (2)   → <node> Generate, Max Cost per Run below the estimate (or items without
 *          an estimate under a budget): the run stops with the node's error, and nothing is submitted
 *
 * Branches run top to bottom; the last stops the workflow, and the first two have run by then.
 */
import { startSandbox, SANDBOX_API_KEY, type Sandbox } from '../helpers/sandbox';
import { BUILTIN, credentialsFor, describeEachN8n, N8nInstance, withCredentials, type WorkflowSpec } from './harness';

interface Spec {
	label: string;
	workflowId: string;
	node: string;
	credential: string;
	provider: string;
	parameters: Record<string, unknown>;
	options: Record<string, unknown>;
	/** The per-item estimate, or null where no public price exists. */
	estimate: { amount: number | null; unit: string | null };
	/** Max Cost per Run for the refused branch, and the error it gives. */
	budget: number;
	refusal: RegExp;
}

const SPECS: Spec[] = [
	{
		label: 'Magic Hour',
		workflowId: 'e2eCostMagicHour',
		node: 'magicHour',
		credential: 'magicHourApi',
		provider: 'magicHour',
		parameters: { model: 'kling-3.0', duration: 5, resolution: '720p', aspectRatio: '16:9' },
		options: {},
		estimate: { amount: 240, unit: 'credits' },
		budget: 300,
		refusal: /^Nothing submitted: the estimate for this run is 480 credits, over the Max Cost per Run of 300 credits$/,
	},
	{
		label: 'AI/ML API',
		workflowId: 'e2eCostAimlApi',
		node: 'aimlApi',
		credential: 'aimlApiApi',
		provider: 'aimlApi',
		parameters: { model: 'pixverse/v5/text-to-video', resolution: '720p', duration: 5, aspectRatio: '16:9' },
		options: {},
		estimate: { amount: 120000, unit: 'credits' },
		budget: 200000,
		refusal: /^Nothing submitted: the estimate for this run is 240000 credits, over the Max Cost per Run of 200000 credits$/,
	},
	{
		label: 'Kling (useapi.net)',
		workflowId: 'e2eCostKling',
		node: 'useApiKling',
		credential: 'useApiApi',
		provider: 'useApiKling',
		parameters: { model: 'kling-v2-5', duration: 5, aspectRatio: '16:9' },
		options: {},
		estimate: { amount: null, unit: 'Kling credits' },
		budget: 1000,
		refusal: /^Nothing submitted: 2 item\(s\) have no cost estimate \(item 1, 2\), and Max Cost per Run is set$/,
	},
	{
		label: 'A4F',
		workflowId: 'e2eCostA4f',
		node: 'a4f',
		credential: 'a4fApi',
		provider: 'a4f',
		parameters: { model: 'provider-2/kling-v2.1', duration: 5, resolution: '720p', aspectRatio: '16:9' },
		options: {},
		estimate: { amount: null, unit: null },
		budget: 1,
		refusal: /^Nothing submitted: 2 item\(s\) have no cost estimate/,
	},
	{
		label: 'Video Generation API',
		workflowId: 'e2eCostVideoGeneration',
		node: 'videoGeneration',
		credential: 'videoGenerationApi',
		provider: 'videoGeneration',
		parameters: { apiStyle: 'videoGenerations', model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' }, duration: 5 },
		options: { pricePerSecond: 0.05, priceUnit: 'USD' },
		estimate: { amount: 0.25, unit: 'USD' },
		budget: 0.3,
		refusal: /^Nothing submitted: the estimate for this run is 0\.5 USD, over the Max Cost per Run of 0\.3 USD$/,
	},
];

const BRANCHES = { estimate: 0, generate: 200, budget: 400 } as const;

function workflowFor(spec: Spec): WorkflowSpec {
	const credentials = { [spec.credential]: { id: spec.credential, name: spec.label } };
	const items = (name: string, count: number, y: number) => ({
		id: name.replace(/\W+/g, '-').toLowerCase(),
		name,
		...BUILTIN.code,
		position: [220, y],
		parameters: { jsCode: `return ${JSON.stringify(Array.from({ length: count }, (_, i) => ({ json: { prompt: `${spec.label} clip ${i + 1}` } })))};` },
	});
	const ours = (name: string, operation: string, y: number, options: Record<string, unknown> = {}) => ({
		id: name.replace(/\W+/g, '-').toLowerCase(),
		name,
		type: `n8n-nodes-text-to-video.${spec.node}`,
		typeVersion: 1,
		position: [440, y],
		parameters: { operation, ...spec.parameters, prompt: '={{ $json.prompt }}', options: { ...(spec.provider === 'a4f' ? {} : { pollInterval: 0.2 }), ...spec.options, ...options } },
		credentials,
	});
	const nodes = [
		{ id: 'start', name: 'Start', ...BUILTIN.manualTrigger, position: [0, 200], parameters: {} },
		items('Estimate Items', 2, BRANCHES.estimate),
		ours('Estimate', 'estimate', BRANCHES.estimate),
		items('Generate Items', 1, BRANCHES.generate),
		ours('Generate', 'generate', BRANCHES.generate),
		items('Budget Items', 2, BRANCHES.budget),
		ours('Budget', 'generate', BRANCHES.budget, { maxCost: spec.budget }),
	];
	const links: Array<[string, string]> = [
		['Start', 'Estimate Items'],
		['Estimate Items', 'Estimate'],
		['Start', 'Generate Items'],
		['Generate Items', 'Generate'],
		['Start', 'Budget Items'],
		['Budget Items', 'Budget'],
	];
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	for (const [from, to] of links) {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	}
	return { id: spec.workflowId, name: `e2e cost: ${spec.label}`, nodes, connections };
}

describeEachN8n('Cost in real n8n', (_version, install) => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;

	beforeAll(async () => {
		sandbox = await startSandbox({ jobDurationMs: 600 });
		n8n = await N8nInstance.create(install);
		const credentials = credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY });
		await n8n.importCredentials(credentials);
		await n8n.importWorkflows(SPECS.map((spec) => withCredentials(workflowFor(spec), credentials)));
	}, 5 * 60_000);

	afterAll(async () => {
		await sandbox?.close();
		n8n?.dispose();
	});

	beforeEach(() => sandbox.reset());

	test.each(SPECS.map((spec) => [spec.label, spec] as const))('%s: Estimate pays nothing, Generate carries cost, a budget below the estimate submits nothing', async (_, spec) => {
		const result = await n8n.execute(spec.workflowId);
		// The budget branch stops the run with the node's error, after the other branches ran.
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(spec.refusal);
		expect(result.executedNodes).toEqual(expect.arrayContaining(['Estimate', 'Generate', 'Budget']));

		const estimates = result.items('Estimate');
		expect(estimates).toHaveLength(2);
		for (const item of estimates) expect(item.json.cost).toEqual({ ...spec.estimate, estimated: true, source: expect.any(String) });

		const [generated] = result.items('Generate');
		expect(generated.json).toMatchObject({ status: 'completed', provider: spec.provider });
		const cost = generated.json.cost as Record<string, unknown>;
		expect(Object.keys(cost).sort()).toEqual(['amount', 'estimated', 'source', 'unit']);
		expect(typeof cost.estimated).toBe('boolean');
		expect(typeof cost.source).toBe('string');
		if (spec.estimate.amount === null) expect(cost).toMatchObject({ amount: null, unit: spec.estimate.unit });
		else expect(cost).toMatchObject({ amount: expect.any(Number), unit: spec.estimate.unit });

		// Exactly one paid job in the whole run: Generate's. Estimate and the refused budget made none.
		const submits = sandbox.requestsTo(spec.provider, 'submit');
		expect(submits).toHaveLength(1);
		expect(JSON.stringify(submits[0].body)).toContain(`${spec.label} clip 1`);
		expect([...sandbox.jobs.values()]).toHaveLength(1);
	}, 5 * 60_000);
});
