/**
 * Errors in n8n's shape (issue 26): the title says what happened in the user's words (the field's and
 * the model's display names, the item when there are several); the description says what helps and
 * carries the provider's own words once. "Get with job ID" is offered only where Get can still bring
 * the video; the job id is in every error once a job exists.
 */
import { NodeOperationError, type ICredentialType, type IExecuteFunctions, type INodeProperties, type INodeType } from 'n8n-workflow';
import { apiKeyProperty, baseUrlProperty, bearerAuthentication } from '../../credentials/common';
import { MagicHourApi } from '../../credentials/MagicHourApi.credentials';
// Version 1: these tests run saved workflows' version; version 2 reads the same parameters through its seam (test/unit/version2.test.ts).
import { MagicHourV1 as MagicHour } from '../../nodes/MagicHour/MagicHour.node';
import { runVideoNode } from '../../nodes/shared/engine/engine';
import type { AsyncVideoProvider, JobInput, JobSnapshot } from '../../nodes/shared/engine/providerContract';
import { apiError } from '../../nodes/shared/failures/nodeErrors';
import { jobFailure } from '../../nodes/shared/failures/classify';
import { jobIdProperty, operationProperty, promptProperty } from '../../nodes/shared/fields/common';
import { optionsProperty } from '../../nodes/shared/fields/options';
import type { Transport } from '../../nodes/shared/transport/transport';
import { fieldDisplayName } from '../../nodes/shared/validation/fieldNames';
import { describeInvalid } from '../../nodes/shared/validation/input';
import { runNode } from '../helpers/n8n';

const count = (text: string | null | undefined, part: string) => (text ?? '').split(part).length - 1;

describe('field display names come from the node description, for its version', () => {
	// A field as version 1 shows it, and as a later version moves it under Options with another name.
	const properties: INodeProperties[] = [
		{ displayName: 'Duration (Seconds)', name: 'duration', type: 'options', options: [], default: 5, displayOptions: { show: { '@version': [1] } } },
		{ displayName: 'Kling Account Email', name: 'email', type: 'string', default: '', displayOptions: { show: { '@version': [{ _cnd: { lt: 2 } }] } } },
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			default: {},
			displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
			options: [
				{ displayName: 'Duration', name: 'duration', type: 'options', options: [], default: 5 },
				{ displayName: 'Account Email', name: 'email', type: 'string', default: '' },
			],
		},
		{ displayName: 'Max Wait (Seconds)', name: 'maxWait', type: 'number', default: 600, displayOptions: { hide: { '@version': [2] } } },
	];

	test.each([
		[1, 'duration', 'Duration (Seconds)'],
		[2, 'duration', 'Duration'],
		[1, 'email', 'Kling Account Email'],
		[2, 'email', 'Account Email'],
		[1, 'maxWait', 'Max Wait (Seconds)'],
		[2, 'maxWait', undefined],
		[1, 'notAParameter', undefined],
	])('version %i: %s → %s', (typeVersion, name, displayName) => {
		expect(fieldDisplayName(properties, { typeVersion, parameters: {} }, name)).toBe(displayName);
	});

	test('a list per version (VersionedNodeType) is asked for the node’s version', () => {
		const perVersion = (version: number) => (version === 2 ? [properties[2]] : [properties[0]]);
		expect(fieldDisplayName(perVersion, { typeVersion: 2, parameters: {} }, 'duration')).toBe('Duration');
		expect(fieldDisplayName(perVersion, { typeVersion: 1, parameters: {} }, 'duration')).toBe('Duration (Seconds)');
	});

	test('copies of a field shown for other values: the one shown for the node’s values wins', () => {
		const copies: INodeProperties[] = [
			{ displayName: 'Quality', name: 'resolution', type: 'options', options: [], default: '', displayOptions: { show: { model: ['a'] } } },
			{ displayName: 'Resolution', name: 'resolution', type: 'options', options: [], default: '', displayOptions: { show: { model: ['b'] } } },
		];
		expect(fieldDisplayName(copies, { typeVersion: 1, parameters: { model: 'b' } }, 'resolution')).toBe('Resolution');
		expect(fieldDisplayName(copies, { typeVersion: 1, parameters: { model: 'a' } }, 'resolution')).toBe('Quality');
	});
});

describe('invalid input: title and description', () => {
	const label = (field: string) => ({ duration: 'Duration (Seconds)', prompt: 'Prompt', maxWait: 'Max Wait (Seconds)' })[field] ?? field;

	test('the title names the field and the item; what the field allows goes to the description', () => {
		const { message, description } = describeInvalid([{ field: 'duration', problem: '7 s is not available for Kling 2.5. Allowed: 5 s, 10 s' }], label, 'item 2');
		expect(message).toBe('Invalid Duration (Seconds): 7 s is not available for Kling 2.5 (item 2)');
		expect(description).toBe('Allowed: 5 s, 10 s. Nothing was sent to the provider, so no credits were used.');
	});

	test('a problem that names its field is not named twice; further problems are listed', () => {
		const { message, description } = describeInvalid(
			[
				{ field: 'maxWait', problem: 'Max Wait must be more than 0 seconds' },
				{ field: 'prompt', problem: 'Prompt is empty: describe the video to generate' },
			],
			label,
		);
		expect(message).toBe('Max Wait must be more than 0 seconds');
		expect(description).toBe('Also: Prompt is empty: describe the video to generate. Nothing was sent to the provider, so no credits were used.');
	});
});

describe('the real Magic Hour node names fields, models and items as its editor does', () => {
	const run = (durations: number[]) =>
		runNode({
			nodeType: new MagicHour(),
			credentialType: new MagicHourApi(),
			credentials: { apiKey: 'key-that-is-long-enough', baseUrl: 'http://127.0.0.1:9' },
			parameters: { operation: 'generate', model: 'kling-2.5', prompt: 'a fox', duration: '={{ $json.d }}' },
			items: durations.map((d) => ({ d })),
		});

	test('item 2 of 2: "Duration (Seconds)", "Kling 2.5 (Legacy)", "item 2"; nothing is sent', async () => {
		const result = await run([5, 7]);
		expect(result.error?.message).toBe('Invalid Duration (Seconds): 7 s is not available for Kling 2.5 (Legacy) (item 2)');
		expect(result.error?.description).toBe('Allowed: 5 s, 10 s. Nothing was sent to the provider, so no credits were used.');
		expect(result.error?.message).not.toMatch(/duration:|kling-2\.5|Invalid parameter/);
	});

	test('one item: no item number', async () => {
		const result = await run([7]);
		expect(result.error?.message).toBe('Invalid Duration (Seconds): 7 s is not available for Kling 2.5 (Legacy)');
	});
});

// ---- the engine's errors after a job exists, with an in-memory provider ----------------------------

type Plan = { fail?: JobSnapshot['failure']; canceled?: boolean; pollError?: 'network'; jobMs?: number };

/** A provider whose jobs end as `plan` says: failed, canceled, still running, or with a broken status check. */
class ScriptedProvider implements AsyncVideoProvider<JobInput & { prompt: string }> {
	name = 'scripted';
	displayName = 'Scripted';
	credentialType = 'scriptedApi';
	defaultPollInterval = 0.1;
	submits = 0;
	constructor(private readonly plans: Record<string, Plan>) {}

	readInput(ctx: IExecuteFunctions, itemIndex: number) {
		return { model: 'scripted-1', prompt: String(ctx.getNodeParameter('prompt', itemIndex)) };
	}

	async start(_api: Transport, input: JobInput & { prompt: string }): Promise<JobSnapshot> {
		this.submits++;
		return { jobId: `job-${input.prompt}`, status: 'queued', videos: [] };
	}

	async status(api: Transport, jobId: string): Promise<JobSnapshot> {
		const plan = this.plans[jobId.replace(/^job-/, '')] ?? {};
		if (plan.pollError) throw apiError(api.node, { networkCode: 'ECONNRESET', phase: 'poll', providerMessage: 'socket hang up' }, { kind: 'network', message: 'Could not reach Scripted (ECONNRESET)' });
		if (plan.canceled) return { jobId, status: 'canceled', videos: [] };
		if (plan.fail) return { jobId, status: 'failed', videos: [], failure: plan.fail };
		return { jobId, status: 'processing', videos: [] };
	}
}

const credentialType: ICredentialType = {
	name: 'scriptedApi',
	displayName: 'Scripted API',
	properties: [apiKeyProperty('any'), baseUrlProperty('http://127.0.0.1:9')],
	authenticate: bearerAuthentication,
};

function runScripted(provider: ScriptedProvider, prompts: string[], options: Record<string, unknown> = {}, continueOnFail = false) {
	const nodeType = {
		description: {
			displayName: 'Scripted',
			name: 'scripted',
			group: ['transform'],
			version: 1,
			description: 'scripted provider',
			defaults: { name: 'Scripted' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'scriptedApi', required: true }],
			properties: [operationProperty(['generate', 'submit', 'get']), promptProperty(1000), jobIdProperty, optionsProperty({ defaultPollInterval: 0.1, hasGet: true })],
		},
		async execute(this: IExecuteFunctions) {
			return await runVideoNode(this, provider);
		},
	} as INodeType;
	return runNode({
		nodeType,
		credentialType,
		credentials: { apiKey: 'key-that-is-long-enough', baseUrl: 'http://127.0.0.1:9' },
		parameters: { operation: 'generate', prompt: '={{ $json.p }}', options },
		items: prompts.map((p) => ({ p })),
		continueOnFail,
	});
}

const GET_OFFER = /Run this node with the Get operation and this Job ID/;

describe('a failed job says what happened and what helps, and offers no Get', () => {
	test('moderation: rephrase the prompt; the provider’s words once; the job id; no Get', async () => {
		const provider = new ScriptedProvider({ fox: { fail: jobFailure('Your prompt violates our content policy', 'content_policy') } });
		const { error } = await runScripted(provider, ['fox']);
		expect(error?.message).toBe('Scripted rejected the prompt at content moderation');
		expect(error?.description).toMatch(/^Rephrase the prompt/);
		expect(count(error?.description, 'Your prompt violates our content policy')).toBe(1);
		expect(error?.message).not.toContain('Your prompt violates');
		expect(error?.description).toContain('Job ID: job-fox.');
		expect(error?.description).not.toMatch(GET_OFFER);
		expect(error?.context?.jobId).toBe('job-fox');
		expect(provider.submits).toBe(1);
	});

	test('out of credits: add credits; a render error: try again or change the input', async () => {
		const credits = await runScripted(new ScriptedProvider({ a: { fail: { message: 'insufficient balance', kind: 'credits' } } }), ['a']);
		expect(credits.error?.message).toBe('Your Scripted account is out of credits');
		expect(credits.error?.description).toMatch(/^Add credits to your Scripted account/);
		expect(credits.error?.description).not.toMatch(GET_OFFER);
		const render = await runScripted(new ScriptedProvider({ b: { fail: { message: 'render node crashed', kind: 'other' } } }), ['b']);
		expect(render.error?.message).toBe('Scripted could not make the video');
		expect(render.error?.description).toMatch(/^Run the node again to try once more\. If it fails again, change the input/);
		expect(render.error?.description).toContain('Scripted said: "render node crashed"');
		expect(render.error?.description).not.toMatch(GET_OFFER);
	});

	test('a job canceled at the provider: no Get offer, the job id kept', async () => {
		const { error } = await runScripted(new ScriptedProvider({ c: { canceled: true } }), ['c']);
		expect(error?.message).toBe('The Scripted job was canceled');
		expect(error?.description).not.toMatch(GET_OFFER);
		expect(error?.description).toContain('job-c');
		expect(error?.context?.jobId).toBe('job-c');
	});

	test('with Continue On Fail the item says what helps in errorDescription', async () => {
		const { items, error } = await runScripted(new ScriptedProvider({ d: { fail: { message: 'nsfw', kind: 'moderation' } } }), ['d'], {}, true);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'failed', jobId: 'job-d', jobStatus: 'failed', error: 'Scripted rejected the prompt at content moderation' });
		expect(items[0].json.errorDescription).toMatch(/Rephrase the prompt.*Scripted said: "nsfw"/);
	});
});

describe('a job Get can still fetch: the Get offer, with its id', () => {
	test('still running at Max Wait: the title says so, the description offers Get', async () => {
		const { error } = await runScripted(new ScriptedProvider({}), ['slow'], { maxWait: 0.5, pollInterval: 0.1 });
		expect(error?.message).toBe('The Scripted job did not finish within Max Wait (0.5 s)');
		expect(error?.description).toMatch(/last status was (queued|processing)/);
		expect(error?.description).toMatch(GET_OFFER);
		expect(error?.description).toContain('with ID job-slow');
		expect(error?.context?.jobId).toBe('job-slow');
	});

	test('a network error while polling: the Get offer; the error text once, in the description', async () => {
		const { error } = await runScripted(new ScriptedProvider({ net: { pollError: 'network' } }), ['net']);
		expect(error?.message).toBe('Could not reach Scripted (ECONNRESET)');
		expect(count(error?.description, 'socket hang up')).toBe(1);
		expect(error?.description).toMatch(GET_OFFER);
		expect(error?.context?.jobId).toBe('job-net');
	});

	test('the item that failed is named when there are several; the paid jobs of the others are listed', async () => {
		const { error } = await runScripted(new ScriptedProvider({ two: { fail: { message: 'bad frame', kind: 'other' } } }), ['one', 'two'], { maxWait: 2 });
		expect(error?.message).toBe('Scripted could not make the video (item 2)');
		expect(error?.description).toContain('item 1: job-one');
	});
});

describe('HTTP errors: the provider’s words once, in the description', () => {
	test('apiError keeps the title free of the provider text and quotes it once after the hint', () => {
		const node = { id: '1', name: 'N', type: 't', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const error = apiError(
			node,
			{ statusCode: 403, phase: 'submit', providerMessage: 'plan does not include veo3' },
			{ kind: 'auth', message: 'Your plan does not include this model (HTTP 403)', hint: 'Choose another model.' },
			undefined,
			'Magic Hour',
		);
		expect(error.message).toBe('Your plan does not include this model (HTTP 403)');
		expect(error.description).toBe('Choose another model. Magic Hour said: "plan does not include veo3"');
		expect(error).not.toBeInstanceOf(NodeOperationError);
	});
});
