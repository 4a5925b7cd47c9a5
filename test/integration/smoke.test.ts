import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { binaryBytes, runNode } from '../helpers/n8n';
import { startSandbox, sha256, type Sandbox } from '../helpers/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ jobDurationMs: 500 });
});
afterAll(async () => await sandbox.close());

test('smoke', async () => {
	const result = await runNode({
		nodeType: new MagicHour(),
		credentialType: new MagicHourApi(),
		credentials: { apiKey: 'sandbox-key', baseUrl: sandbox.urls.magicHour },
		parameters: { operation: 'generate', model: 'kling-2.5', prompt: 'a dog', duration: 5, options: { pollInterval: 0.2 } },
	});
	if (result.error) console.log(result.error, result.error.description);
	console.log(JSON.stringify(result.items.map((i) => i.json), null, 1), result.items[0]?.binary);
	const job = [...sandbox.jobs.values()][0];
	expect(sha256(await binaryBytes(result.items[0]))).toBe(sandbox.expectedVideo(job).sha256);
	console.log(sandbox.requests.map((r) => `${r.route} ${r.authorization ?? '-'}`));
});
