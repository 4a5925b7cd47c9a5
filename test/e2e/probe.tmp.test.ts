import * as fs from 'node:fs';
import { describeEachN8n, N8nInstance, itemsNodes, writeFileNode, chain } from './harness';

describeEachN8n('probe loader', (_version, install) => {
	let n8n: N8nInstance;
	beforeAll(async () => {
		n8n = await N8nInstance.create(install, { packageDir: '/tmp/ttv/pkg' });
		await n8n.importCredentials([{ id: 'cred1', name: 'Hello sandbox', type: 'helloApi', data: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9' } }]);
		const hello = (prompts: string[], id: string) => ({
			id, name: id,
			nodes: [...itemsNodes(prompts.map((prompt) => ({ prompt }))),
				{ id: 'h', name: 'Hello', type: 'n8n-nodes-ttv-probe.hello', typeVersion: 1, position: [440, 0], parameters: { prompt: '={{ $json.prompt }}' }, credentials: { helloApi: { id: 'cred1', name: 'Hello sandbox' } } },
				writeFileNode('Write', n8n.filesDir, '{{ $json.prompt }}.mp4')],
			connections: chain('Start', 'Items', 'Hello', 'Write'),
		});
		await n8n.importWorkflows([hello(['one', 'two'], 'wfok'), hello(['fail'], 'wffail')]);
	}, 120_000);
	afterAll(() => n8n?.dispose());
	test('runs', async () => {
		const r = await n8n.execute('wfok');
		expect(r.status).toBe('success');
		const items = r.items('Hello');
		console.log(JSON.stringify(items[0].json), r.executedNodes);
		expect(fs.readFileSync(n8n.file('two.mp4'), 'utf8')).toBe('video:two');
	}, 120_000);
	test('fails', async () => {
		const r = await n8n.execute('wffail');
		expect(r.status).toBe('error');
		expect(r.error?.message).toContain('j-2');
		expect(r.cli.code).toBe(1);
	}, 120_000);
});
