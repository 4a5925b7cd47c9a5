import { finished } from '../../nodes/shared/engine/engine';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { IDataObject } from 'n8n-workflow';
import { UseApiApi } from '../../credentials/UseApiApi.credentials';
import { USEAPI_KLING_CAPABILITIES as TABLE } from '../../nodes/UseApiKling/capabilities';
import { explainUseApiError, taskSnapshot, useApiKlingProvider, useApiRoot } from '../../nodes/UseApiKling/provider';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { UseApiKlingV1 as UseApiKling } from '../../nodes/UseApiKling/UseApiKling.node';
import { checkTableAgreement, readContextWith, readInputWith, visibleProperties } from '../helpers/capabilities';

const description = new UseApiKling().description;
const shown = (model: string, name: string) => visibleProperties(description, { operation: 'generate', model }, name);
const spec = (id: string) => TABLE.models.find((m) => m.value === id)!;
const read = (parameters: IDataObject) => readInputWith(useApiKlingProvider, { operation: 'generate', prompt: 'a fox', ...parameters });

describe('capability table, UI and validation', () => {
	test('agree for every model', () => {
		checkTableAgreement(description, TABLE, useApiKlingProvider, { prompt: 'a fox' });
	});

	test('the model list offers the issue\'s seven models, Kling 1.6 first and default', () => {
		const [model] = visibleProperties(description, { operation: 'generate' }, 'model');
		expect(model.options?.map((o) => (o as { value: string }).value)).toEqual([
			'kling-v1-6',
			'kling-v1-5',
			'kling-v2-1-master',
			'kling-v2-5',
			'kling-v2-6',
			'kling-v3-0',
			'kling-v3-0-turbo',
		]);
		expect(model.default).toBe('kling-v1-6');
	});

	test('the contract\'s rules, spot-checked', () => {
		expect(spec('kling-v1-6').fields.duration.values).toEqual([5, 10]);
		expect(spec('kling-v3-0').fields.duration.values).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
		expect(spec('kling-v3-0-turbo').fields.duration.values).toEqual(spec('kling-v3-0').fields.duration.values);
		expect(spec('kling-v3-0').fields.mode.values).toEqual(['std', 'pro', '4k']);
		expect(spec('kling-v2-6').fields.mode.values).toEqual(['std', 'pro']);
		expect(spec('kling-v2-5').fields.mode).toBeUndefined();
		expect(spec('kling-v2-1-master').fields.mode).toBeUndefined();
		for (const model of TABLE.models) expect(model.fields.aspectRatio.values).toEqual(['16:9', '9:16', '1:1']);
	});

	test('negative prompt and CFG scale: shown, read and sent for 1.x models only', () => {
		for (const model of TABLE.models) {
			const oneX = /^kling-v1-/.test(model.value);
			expect({ model: model.value, negativePrompt: shown(model.value, 'negativePrompt').length, cfgScale: shown(model.value, 'cfgScale').length }).toEqual({
				model: model.value,
				negativePrompt: oneX ? 1 : 0,
				cfgScale: oneX ? 1 : 0,
			});
			const input = read({ model: model.value, negativePrompt: 'text', cfgScale: 0.3 });
			expect({ model: model.value, negativePrompt: input.negativePrompt, cfgScale: input.cfgScale }).toEqual({
				model: model.value,
				negativePrompt: oneX ? 'text' : undefined,
				cfgScale: oneX ? 0.3 : undefined,
			});
		}
	});

	test('mode is hidden, with a notice, where the model is Pro only', () => {
		for (const model of TABLE.models) {
			const proOnly = !!model.traits?.proOnly;
			expect({ model: model.value, mode: shown(model.value, 'mode').length, notice: shown(model.value, 'proModeNotice').length }).toEqual({
				model: model.value,
				mode: proOnly ? 0 : 1,
				notice: proOnly ? 1 : 0,
			});
		}
	});

	test('Enable Audio: one toggle with the model\'s default where audio can be switched, a notice where it is always on', () => {
		for (const model of TABLE.models) {
			const toggles = shown(model.value, 'enableAudio');
			const always = model.traits?.audio === 'always';
			expect({ model: model.value, toggles: toggles.length, notice: shown(model.value, 'audioAlwaysNotice').length }).toEqual({
				model: model.value,
				toggles: always ? 0 : 1,
				notice: always ? 1 : 0,
			});
			if (!always) expect({ model: model.value, default: toggles[0].default }).toEqual({ model: model.value, default: model.value === 'kling-v3-0' });
		}
		expect(read({ model: 'kling-v3-0-turbo', enableAudio: true }).enableAudio).toBeUndefined();
		expect(read({ model: 'kling-v3-0' }).enableAudio).toBe(true);
	});

	test('Kling 2.6 makes audio in Pro mode only', () => {
		expect(() => read({ model: 'kling-v2-6', mode: 'std', enableAudio: true })).toThrow(/^Invalid enableAudio: Kling 2\.6 makes audio in Pro mode only$/);
		expect(read({ model: 'kling-v2-6', mode: 'pro', enableAudio: true })).toMatchObject({ mode: 'pro', enableAudio: true });
		expect(read({ model: 'kling-v2-6', mode: 'std', enableAudio: false })).toMatchObject({ mode: 'std', enableAudio: false });
	});

	test('the job fields: prompt up to 2500, Max Jobs 1–50 (0 = the account\'s), email, reply URL', () => {
		expect(read({ prompt: 'x'.repeat(2500) }).prompt).toHaveLength(2500);
		expect(() => read({ prompt: 'x'.repeat(2501) })).toThrow(/longer than 2500/);
		expect(read({ maxJobs: 0 }).maxJobs).toBeUndefined();
		expect(read({ maxJobs: 50 }).maxJobs).toBe(50);
		expect(() => read({ maxJobs: 51 })).toThrow(/maxJobs: Max Jobs must be 1 to 50/);
		// The account email is read once per item as the context every operation shares.
		expect(readContextWith(useApiKlingProvider, { email: '  a@b.co ' })?.email).toBe('a@b.co');
		expect(readContextWith(useApiKlingProvider, { email: '' })?.email).toBeUndefined();
		expect(read({ replyUrl: 'https://n8n.example.com/webhook-waiting/42', replyRef: 17 })).toMatchObject({
			replyUrl: 'https://n8n.example.com/webhook-waiting/42',
			replyRef: '17',
		});
	});
});

describe('task objects', () => {
	const works = [{ workId: 9, resource: { resource: 'https://cdn/v.mp4', width: 1280, height: 720, duration: 5041 }, cover: { resource: 'https://cdn/c.jpg' } }];

	test.each([
		[{ status: 5, status_name: 'submitted', status_final: false, task: { id: 1 } }, 'queued'],
		[{ status: 10, status_name: 'processing', status_final: false, task: { id: 1 } }, 'processing'],
		[{ task: { id: 1, status: 10, status_name: 'processing', status_final: false } }, 'processing'],
		[{ task: { id: 1, status: 5 } }, 'queued'],
		[{ status: 99, status_name: 'succeed', status_final: true, task: { id: 1 }, works }, 'completed'],
		[{ task: { id: 1, status: 99 }, works }, 'completed'],
		[{ status: 50, status_name: 'failed', status_final: true, task: { id: 1 } }, 'failed'],
		[{ status: 99, status_name: 'succeed', status_final: true, task: { id: 1 }, works: [] }, 'failed'],
	])('%j is %s', (body, status) => {
		// As the engine sees it: complete without a video is a failure (nodes/shared/engine/engine.ts `finished`).
		expect(finished(taskSnapshot(body as never)).status).toBe(status);
	});

	test('a finished task: its video, work id, duration in seconds, size and cover', () => {
		const snapshot = taskSnapshot({ status: 99, status_name: 'succeed', status_final: true, task: { id: 123456789 }, works } as never);
		expect(snapshot).toMatchObject({
			jobId: '123456789',
			videos: [{ url: 'https://cdn/v.mp4', mimeType: 'video/mp4' }],
			details: { taskStatus: 'succeed', workId: '9', durationSeconds: 5.041, width: 1280, height: 720, coverUrl: 'https://cdn/c.jpg', watermark: true },
		});
	});

	test('a failed task: the error and message; moderation told apart by its words', () => {
		const failed = taskSnapshot({ status: 50, status_name: 'failed', status_final: true, task: { id: 1 }, error: 'Timeout', message: 'failed' } as never);
		expect(failed.failure).toEqual({ message: 'Timeout — failed', kind: 'other' });
		const moderated = taskSnapshot({ status_name: 'failed', status_final: true, task: { id: 1 }, error: 'The content appears to violate the community guidelines.' } as never);
		expect(moderated.failure?.kind).toBe('moderation');
	});
});

describe('errors', () => {
	const explain = (statusCode: number, body: unknown, phase: 'submit' | 'poll' = 'submit') =>
		explainUseApiError({ statusCode, body, phase, providerMessage: typeof body === 'object' ? JSON.stringify(body) : String(body) });

	test('500 is moderation only when the error text says so (a lasting kind: the transport never repeats it)', () => {
		const moderation = explain(500, { error: 'The content you uploaded appears to violate the community guidelines. (CM_EXT.POther)', message: 'Service busy (CM_EXT.POther)' }, 'poll');
		expect(moderation).toMatchObject({ kind: 'moderation', message: expect.stringMatching(/rejected by Kling's content moderation/) });
		// A real fault has the same generic `message`: it keeps the shared handling (retried on polls).
		expect(explain(500, { error: 'Internal Server Error', message: 'Service busy (CM_EXT.POther)' }, 'poll')).toBeUndefined();
	});

	test('429 is busy accounts (useapi.net documents a 10 s pause); 596 is an account fault, a lasting kind (test/unit/failurePolicy.test.ts)', () => {
		expect(explain(429, { error: 'busy' })).toMatchObject({ message: expect.stringMatching(/linked to your useapi\.net token are busy/) });
		expect(useApiKlingProvider.rateLimitPauseMs).toBe(10_000);
		expect(explain(596, { error: 'Account in error state', code: 596 })).toMatchObject({ kind: 'auth', message: expect.stringMatching(/needs attention/) });
	});

	test('404 means a missing account on submit and a missing task on a poll', () => {
		expect(explain(404, { error: 'Configuration not found' }, 'submit')?.message).toMatch(/no linked Kling account/);
		expect(explain(404, { error: 'Task not found' }, 'poll')).toMatchObject({
			message: 'useapi.net has no such Kling task (HTTP 404)',
			hint: expect.stringMatching(/deleted, failed at moderation, or the Kling account ran out of credits/),
		});
	});
});

test('a Base URL with /v1 or /v1/kling means the same root', () => {
	expect(useApiRoot('https://api.useapi.net')).toBe('https://api.useapi.net');
	expect(useApiRoot('https://api.useapi.net/')).toBe('https://api.useapi.net');
	expect(useApiRoot('https://api.useapi.net/v1')).toBe('https://api.useapi.net');
	expect(useApiRoot(' https://api.useapi.net/v1/kling/ ')).toBe('https://api.useapi.net');
});

test('the credential: a password token, the documented default base URL, a test request', () => {
	const credential = new UseApiApi();
	const [apiKey, baseUrl] = credential.properties;
	expect(apiKey).toMatchObject({ name: 'apiKey', typeOptions: { password: true } });
	expect(baseUrl).toMatchObject({ name: 'baseUrl', default: 'https://api.useapi.net' });
	expect(credential.test.request).toMatchObject({ url: '/v1/kling/accounts', method: 'GET' });
});

describe('examples/kling-webhook-wait.json', () => {
	const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples/kling-webhook-wait.json'), 'utf8')) as {
		nodes: Array<{ name: string; type: string; parameters: IDataObject; credentials?: IDataObject; webhookId?: string }>;
		connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	};
	const byName = (name: string) => workflow.nodes.find((n) => n.name === name)!;
	const names = new Set(description.properties.map((p) => p.name));

	test('submits with the execution\'s resume URL and fetches the video after the Wait node', () => {
		const submit = byName('Submit Kling Job');
		const get = byName('Get Kling Video');
		const wait = byName('Wait for Kling Callback');
		expect(submit).toMatchObject({ type: 'n8n-nodes-text-to-video.useApiKling', parameters: { operation: 'submit', replyUrl: '={{ $execution.resumeUrl }}' } });
		expect(wait).toMatchObject({ type: 'n8n-nodes-base.wait', parameters: { resume: 'webhook', httpMethod: 'POST', limitWaitTime: true } });
		expect(wait.webhookId).toBeTruthy();
		expect(get.parameters).toMatchObject({ operation: 'get', jobId: "={{ $('Submit Kling Job').first().json.jobId }}" });
		// Submit → Wait → Still Running? → (yes) Wait again / (no) Get.
		expect(workflow.connections['Submit Kling Job'].main[0][0].node).toBe('Wait for Kling Callback');
		expect(workflow.connections['Still Running?'].main.map((branch) => branch[0].node)).toEqual(['Wait for Kling Callback', 'Get Kling Video']);
	});

	test('its Kling nodes use only this node\'s parameters and credential, with valid input', () => {
		for (const node of [byName('Submit Kling Job'), byName('Get Kling Video')]) {
			for (const key of Object.keys(node.parameters)) expect({ node: node.name, key, known: names.has(key) }).toEqual({ node: node.name, key, known: true });
			expect(Object.keys(node.credentials ?? {})).toEqual(['useApiApi']);
		}
		const submit = byName('Submit Kling Job').parameters;
		const input = read({ ...submit, replyUrl: 'https://n8n.example.com/webhook-waiting/1', replyRef: '1' });
		expect(input).toMatchObject({ model: submit.model, duration: submit.duration, aspectRatio: submit.aspectRatio });
	});
});
