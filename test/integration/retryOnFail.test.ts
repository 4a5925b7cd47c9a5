/**
 * n8n's Retry On Fail runs the node's execute() again, in the same execution, for every item. Each
 * asynchronous provider, through its sandbox over HTTP: a try that failed after submitting leaves its
 * jobs to the next try, which picks them up instead of paying again (a run with the same execution id
 * is such a try, as in n8n-core's WorkflowExecute).
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { ICredentialType, IDataObject, INodeType } from 'n8n-workflow';
import { AimlApiApi } from '../../credentials/AimlApiApi.credentials';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
import { VideoGenerationApi } from '../../credentials/VideoGenerationApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { AimlApiV1 as AimlApi } from '../../nodes/AimlApi/AimlApi.node';
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { resumeMemory } from '../../nodes/shared/engine/resume';
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { VideoGenerationV1 as VideoGeneration } from '../../nodes/VideoGeneration/VideoGeneration.node';
import { expectNoError, useProviderSandbox } from '../helpers/provider';

interface AsyncProvider {
	provider: string;
	node: INodeType;
	credential: ICredentialType;
	apiKey: string;
	defaults: IDataObject;
}

const PROVIDERS: AsyncProvider[] = [
	{ provider: 'magicHour', node: new MagicHour(), credential: new MagicHourApi(), apiKey: 'mhk_live_retry', defaults: { model: 'kling-2.5' } },
	{ provider: 'aimlApi', node: new AimlApi(), credential: new AimlApiApi(), apiKey: 'aiml_retry', defaults: {} },
	{ provider: 'useApiKling', node: new UseApiKling(), credential: new UseApiApi(), apiKey: 'user:1-retry', defaults: { model: 'kling-v2-5' } },
	{
		provider: 'videoGeneration',
		node: new VideoGeneration(),
		credential: new VideoGenerationApi(),
		apiKey: 'sk-retry',
		defaults: { apiStyle: 'videos', model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' } },
	},
];

/** The second job's first 7 status checks fail (503): one more than the transport's 6 attempts. */
const PROMPTS = [{ p: 'one' }, { p: 'two [sandbox:pollfail=7]' }, { p: 'three' }];

describe.each(PROVIDERS)('Retry On Fail: $provider', ({ provider, node, credential, apiKey, defaults }) => {
	const api = useProviderSandbox(provider, { apiKey, jobDurationMs: 400 });
	const run = (executionId: string, items = PROMPTS) =>
		api.runner(node, credential, { ...defaults, prompt: '={{ $json.p }}' })({}, { items, executionId });

	/** The first try: every item is submitted, then one job's status checks outlast the retries. */
	async function failedTry(executionId: string) {
		const first = await run(executionId);
		expect(first.error?.message).toMatch(/503|on purpose|unavailable/i);
		expect(api.submits()).toHaveLength(3);
		return first;
	}

	test('the next try picks up the 3 paid jobs: 3 videos, 3 submits in all, and nothing left remembered', async () => {
		const before = resumeMemory.size;
		// n8n's logger, recording: nodes reach it through Container.get(Logger) on every call.
		const real = Container.get(Logger);
		const info: Array<[string, Record<string, unknown> | undefined]> = [];
		Container.set(Logger, Object.create(real, { info: { value: (message: string, meta?: Record<string, unknown>) => info.push([message, meta]) } }));
		try {
			await failedTry('exec-retry-1');
		} finally {
			Container.set(Logger, real);
		}
		expect(resumeMemory.size).toBe(before + 3);
		// Each paid job left a trace in n8n's log: its id, provider, execution, node; no prompt, no key.
		const traces = info.filter(([message]) => /job submitted$/.test(message));
		expect(traces.map(([, meta]) => meta?.jobId).sort()).toEqual(api.jobs().map((job) => job.id).sort());
		expect(traces[0][1]).toMatchObject({ provider, executionId: 'exec-retry-1', node: expect.any(String), itemIndex: expect.any(Number) });
		expect(JSON.stringify(info)).not.toMatch(new RegExp(`three|${apiKey}`));
		const second = await run('exec-retry-1');
		expectNoError(second);
		expect(second.items).toHaveLength(3);
		for (const index of [0, 1, 2]) await api.expectVideoOf(second, index);
		expect(api.submits()).toHaveLength(3);
		expect(new Set(second.items.map((item) => item.json.jobId))).toEqual(new Set(api.jobs().map((job) => job.id)));
		expect(resumeMemory.size).toBe(before);
	});

	test('another execution (n8n\'s "Retry execution") and a changed prompt are new jobs', async () => {
		await failedTry('exec-retry-2');
		const changed = await run('exec-retry-2', [{ p: 'one' }, { p: 'two, reworded' }, { p: 'three' }]);
		expectNoError(changed);
		expect(api.submits()).toHaveLength(4);
		// The same prompts in another execution: all new jobs, none picked up from exec-retry-2.
		const other = await run('exec-retry-3', [{ p: 'one' }, { p: 'two, reworded' }, { p: 'three' }]);
		expectNoError(other);
		expect(api.submits()).toHaveLength(7);
	});
});
