/**
 * The editor, tested in a real browser (Debian's Chromium over the DevTools protocol), in n8n 2.x and
 * 1.x, as `npm start` sets n8n up: the package installed as a community package, a sandbox credential
 * per node, the example workflows imported, the owner account. The browser signs in and, for every
 * node, does what a user does:
 *
 * - a new workflow, the node added from the nodes panel by searching its name;
 * - every model picked in turn from the Model list: the parameters and notices shown, the values each
 *   option list offers (read from the listbox its select renders: what opening it shows) and the value
 *   it starts on must be the capability table's (nodes/<Provider>/capabilities.ts), model by model,
 *   switches included; parameters that do not depend on the model stay the same throughout;
 * - per field, a switch to a model that cannot keep the value just picked: the editor must move the
 *   value to one the model takes, or mark the parameter with the reason;
 * - Video Generation API: the model list loaded from the gateway, the fallback when the gateway serves
 *   none, the API styles' Additional Fields, and the image input's two modes;
 * - each node's example workflow run with "Execute workflow": the node's output panel must show the
 *   video, play it (the preview's <video> loads) and download the bytes the sandbox served.
 *
 * The screenshots in the README (docs/images/<node>.png) are taken here, in n8n 2.x, on each run.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { startSandbox, SANDBOX_API_KEY, type Sandbox } from '../helpers/sandbox';
import { credentialsFor, describeEachN8n, exampleWorkflows, N8nInstance, n8nV2Version, ROOT, withCredentials, type CredentialSpec, type N8nServer } from '../e2e/harness';
import type { FieldValue, ModelSpec } from '../../nodes/shared/capabilities/table';
import { Editor, launchChromium } from './browser';
import { builtDescription, labelOf, noticeNames, tableNodes, toVersion2, unkeepableSwitches, v2Default, v2DefaultModel, VIDEO_GENERATION, type TableNode } from './nodes';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { OWNER } = require('../../scripts/n8n-runtime.js') as { OWNER: { email: string; password: string } };

const IMAGES = path.join(ROOT, 'docs', 'images');
/** Version 1's screenshots (saved workflows), beside version 2's in docs/images/ (issue 26's side-by-side). */
const IMAGES_V1 = path.join(IMAGES, 'v1');
/** The README's screenshots come from n8n 2.x, the version `npm start` runs. */
const SCREENSHOT_VERSION = n8nV2Version();
const NODES = tableNodes();
const EXAMPLES = [...NODES.map((node) => ({ label: node.label, image: node.image, ...node.example })), { label: VIDEO_GENERATION.label, image: VIDEO_GENERATION.image, ...VIDEO_GENERATION.example }];
const NO_MODEL_LIST = 'Video Generation API (no model list)';
const SANDBOX_GATEWAY = 'Video Generation API (sandbox)';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describeEachN8n('The editor in a real browser', (version, install) => {
	let sandbox: Sandbox | undefined;
	let n8n: N8nInstance | undefined;
	let server: N8nServer | undefined;
	let browser: Browser | undefined;
	let editor: Editor;
	const timings: string[] = [];
	let startedAt = Date.now();

	async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
		const since = Date.now();
		try {
			return await run();
		} finally {
			timings.push(`${what}: ${seconds(Date.now() - since)}`);
		}
	}

	beforeAll(async () => {
		startedAt = Date.now();
		// Chromium first: without it nothing here can run, and the error says how to install it.
		browser = await timed('Chromium launch', () => launchChromium());
		sandbox = await startSandbox({ jobDurationMs: 500, videoBytes: 64 * 1024 });
		// Two settings differ from a stock n8n, and neither can hide a user's failure:
		// - the session cookie is allowed over plain HTTP, because this browser talks to n8n on
		//   http://127.0.0.1 without TLS (a user on plain HTTP sets the same);
		// - binary data in files (2.x's default; 1.x keeps it in memory and the editor then plays a data
		//   URI), because these tests check the player streams from n8n's binary-data endpoint. The same
		//   examples run on a fully stock n8n 2.x and 1.x in test/e2e/examples.e2e.test.ts.
		n8n = await N8nInstance.create(install, { env: { N8N_SECURE_COOKIE: 'false' } });
		const credentials = credentialsFor({ urls: sandbox.urls, apiKey: SANDBOX_API_KEY });
		// A gateway that serves no model list (the sandbox's `nomodels` dialect), for the fallback.
		const gateway = credentials.find((c) => c.type === 'videoGenerationApi');
		if (!gateway) throw new Error('credentialsFor gave no Video Generation API credential');
		const noList: CredentialSpec = { ...gateway, id: 'videoGenerationNoList', name: NO_MODEL_LIST, data: { ...gateway.data, baseUrl: `${sandbox.urls.videoGeneration}/nomodels` } };
		const examples = exampleWorkflows().filter((e) => EXAMPLES.some((x) => x.file === e.file));
		await timed('credentials and example workflows imported', async () => {
			await n8n!.importCredentials([...credentials, noList]);
			// Each example as saved (version 1) and as version 2 saves it.
			await n8n!.importWorkflows([...examples.map((e) => withCredentials(e.workflow, credentials)), ...examples.map((e) => withCredentials(toVersion2(e.workflow as never), credentials))]);
		});
		server = await timed('n8n start', () => n8n!.startServer());
		editor = await Editor.open(browser, server.baseUrl);
		await timed('sign-in and first load of the editor', () => editor.signIn(OWNER.email, OWNER.password));
	}, 10 * 60_000);

	afterAll(async () => {
		await editor?.close().catch(() => undefined);
		await browser?.close();
		await server?.stop();
		await sandbox?.close();
		n8n?.dispose();
		console.log(`editor suite on n8n ${version}: ${seconds(Date.now() - startedAt)} in all\n  ${timings.join('\n  ')}`);
	});

	/** Picks a model as a user does: from the locator's From List (version 2), or from the Model list (Kling). */
	async function pickModel(node: TableNode, model: ModelSpec): Promise<void> {
		if (!node.v2.modelLocator) return await editor.pick('model', model.name);
		let list = await editor.locatorList('model');
		// A long list renders as it scrolls: search the model as a user does.
		if (!list.items.includes(model.name)) list = await editor.locatorSearch('model', model.name);
		if (!list.items.includes(model.name)) throw new Error(`the Model list, searched for "${model.name}", offers [${list.items.join(', ')}]`);
		await editor.locatorPick(model.name);
	}

	/** The Model list's entries and the model it shows. */
	async function modelShown(node: TableNode, state: Awaited<ReturnType<Editor['state']>>): Promise<{ options?: string[]; value?: string }> {
		if (!node.v2.modelLocator) return state.find((item) => item.name === 'model') ?? {};
		const value = await editor.locatorValue('model');
		const list = await editor.locatorList('model');
		await editor.page.keyboard.press('Escape');
		return { options: list.items, value };
	}

	/** Every model in turn: what the editor shows against the table. Returns the differences, one line each. */
	async function sweepModels(node: TableNode): Promise<string[]> {
		const problems: string[] = [];
		const notices = noticeNames(builtDescription(node.key));
		// Model-dependent fields version 2 keeps under Options (AI/ML API's Style) are checked there, not on the panel.
		const fieldNames = node.table.fields.map((field) => field.property.name).filter((name) => !node.v2.intoOptions[name]);
		const dependent = new Set([...fieldNames, ...Object.keys(node.extras)]);
		const loose = node.loose ?? {};
		const first = node.table.models.find((model) => model.value === v2DefaultModel(node));
		if (!first) throw new Error(`version 2's default model ${v2DefaultModel(node)} is none of the table's models`);

		let base: { model: string; names: string[] } | undefined;
		const looseShown = new Map<string, string[]>(Object.keys(loose).map((name) => [name, []]));
		for (const model of [first, ...node.table.models.filter((m) => m !== first)]) {
			if (model !== first) await pickModel(node, model);
			const at = `${model.name}:`;
			const state = await editor.state();
			const named = state.map((item) => ({ ...item, name: item.name ?? notices.get(item.notice ?? '') ?? `notice "${item.notice}"` }));
			const shown = named.map((item) => item.name);
			const param = (name: string) => named.find((item) => item.name === name);

			const modelList = await modelShown(node, state);
			const names = node.table.models.map((m) => m.name);
			if (node.v2.modelLocator) {
				// The locator's list puts the chosen model first and renders long lists as they scroll: what it shows must be
				// the table's models only (no "Other model"), and each model is found by searching it (pickModel).
				const offered = modelList?.options ?? [];
				if (!offered.length || offered.some((name) => !names.includes(name)) || offered[0] !== model.name)
					problems.push(`${at} the Model list offers [${offered.join(', ')}], the table has [${names.join(', ')}]`);
			} else if (JSON.stringify(modelList?.options) !== JSON.stringify(names)) problems.push(`${at} the Model list offers [${modelList?.options?.join(', ')}], the table has [${names.join(', ')}]`);
			if (modelList?.value !== model.name) problems.push(`${at} Model shows "${modelList?.value}"${model === first ? ` on a new node, the table's default is ${first.name}` : ''}`);

			for (const name of dependent) {
				const expected = fieldNames.includes(name) ? Boolean(model.fields[name]) : node.extras[name](model);
				const count = shown.filter((n) => n === name).length;
				if (count !== (expected ? 1 : 0)) problems.push(`${at} "${name}" shown ${count} time(s), the table says ${expected ? 'once' : 'never'}`);
			}
			for (const name of Object.keys(loose)) if (shown.includes(name)) looseShown.get(name)!.push(model.value);
			const rest = shown.filter((name) => !dependent.has(name) && !(name in loose));
			if (!base) base = { model: model.name, names: rest };
			else if (JSON.stringify(rest) !== JSON.stringify(base.names)) problems.push(`${at} shows [${rest.join(', ')}] besides the model's fields, ${base.model} shows [${base.names.join(', ')}]`);

			for (const field of node.table.fields) {
				const name = field.property.name;
				if (node.v2.intoOptions[name]) continue;
				const choice = model.fields[name];
				const shownField = param(name);
				if (!choice || !shownField) continue;
				const expected = choice.values.map((value) => labelOf(field, value));
				if (JSON.stringify(shownField.options) !== JSON.stringify(expected)) problems.push(`${at} "${name}" offers [${shownField.options?.join(', ')}], the table allows [${expected.join(', ')}]`);
				const wanted = labelOf(field, v2Default(node, name, choice));
				if (shownField.value !== wanted) problems.push(`${at} "${name}" starts on "${shownField.value}", the table's default is "${wanted}"`);
				if (!expected.includes(shownField.value ?? '')) problems.push(`${at} "${name}" starts on "${shownField.value}", which the model does not take`);
				if (shownField.issues) problems.push(`${at} "${name}" is marked as having issues at the model's default`);
			}
			for (const [name, rule] of Object.entries(node.switches ?? {})) {
				const toggle = param(name);
				if (!toggle) continue;
				if (toggle.on !== rule(model)) problems.push(`${at} switch "${name}" starts ${toggle.on ? 'on' : 'off'}, the table says ${rule(model) ? 'on' : 'off'}`);
			}
		}
		for (const [name, models] of looseShown) {
			if (models.length === 0 || models.length === node.table.models.length) continue;
			const expected = node.table.models.filter(loose[name]).map((m) => m.value);
			if (JSON.stringify(models) !== JSON.stringify(expected)) problems.push(`"${name}" is shown for [${models.join(', ')}], the table says [${expected.join(', ')}]`);
		}
		return problems;
	}

	/** Per field: a value picked, then a model that cannot take it. The editor moves it or says why. */
	async function switchAway(node: TableNode): Promise<string[]> {
		const problems: string[] = [];
		for (const { field, from, value, to } of unkeepableSwitches(node.table)) {
			const name = field.property.name;
			if (node.v2.intoOptions[name]) continue;
			const label = labelOf(field, value);
			await pickModel(node, from);
			await editor.pick(name, label);
			await pickModel(node, to);
			const allowed = to.fields[name]!.values.map((v: FieldValue) => labelOf(field, v));
			const now = await editor.value(name);
			const issue = await editor.issue(name);
			const what = `${from.name} → ${to.name} with "${name}" = ${label}`;
			if (allowed.includes(now)) {
				if (issue) problems.push(`${what}: moved to ${now}, yet marked "${issue}"`);
			} else if (!issue || !/not supported|not valid|invalid/i.test(issue)) {
				problems.push(`${what}: keeps "${now}" (${to.name} takes ${allowed.join(', ')}) ${issue ? `marked only "${issue}"` : 'with no mark at all'}`);
			}
			timings.push(`  ${node.label}, ${what}: ${allowed.includes(now) ? `moved to ${now}` : `kept, marked "${issue}"`}`);
			// Back to a value the model takes (its default: the parameter is then unset again).
			if (!allowed.includes(now)) await editor.pick(name, labelOf(field, v2Default(node, name, to.fields[name]!)));
		}
		return problems;
	}

	for (const node of NODES) {
		test(`${node.label}: every model shows exactly its table's fields, values, defaults and switches`, async () => {
			await timed(`${node.label}: models`, async () => {
				await editor.newWorkflowWith(node.label);
				const problems = [...(await sweepModels(node)), ...(await switchAway(node))];
				expect(problems).toEqual([]);
			});
		}, 6 * 60_000);
	}

	for (const node of [...NODES, { ...VIDEO_GENERATION, ownOptions: ['Duration (Seconds)'] }]) {
		test(`${node.label}: a new node is version 2, in the five nodes' order, with its optional fields under Options, sorted`, async () => {
			await editor.newWorkflowWith(node.label);
			const shown = (await editor.shown()).flatMap((item) => (item.name ? [item.name] : []));
			const description = builtDescription(node.key);
			expect(description.version).toBe(2);
			// Resource "Video", its operations named as n8n names them.
			// n8n adds "Custom API Call" to nodes whose credential can sign any request.
			expect((await editor.options('resource')).labels.filter((l) => l !== 'Custom API Call')).toEqual(['Video']);
			const operations = (await editor.options('operation')).labels;
			expect(operations[0]).toBe('Generate Video');
			expect(operations).toContain('Estimate Cost');
			// Model and Prompt first; image input after Prompt; Duration, Aspect Ratio, Resolution in that order where shown; Options last.
			const order = ['resource', 'operation', 'model', 'prompt', 'imageSource', 'duration', 'aspectRatio', 'resolution', 'options'].filter((name) => shown.includes(name));
			expect(shown.filter((name) => order.includes(name))).toEqual(order);
			expect(shown.slice(0, 4)).toEqual(['resource', 'operation', 'model', 'prompt']);
			expect(shown[shown.length - 1]).toBe('options');
			// No field whose 0 means "not set" is shown, and none of version 1's moved fields is outside Options.
			for (const moved of Object.keys(node.v2.intoOptions)) expect({ moved, shown: shown.includes(moved) }).toEqual({ moved, shown: false });
			expect(shown).not.toContain('customModel');
			const choices = await editor.collectionChoices('options');
			expect(choices).toEqual([...choices].sort((a, b) => a.localeCompare(b, 'en')));
			for (const name of ['Put Output in Field', ...node.ownOptions]) expect({ option: name, offered: choices.includes(name) }).toEqual({ option: name, offered: true });
			expect(choices).not.toContain('Binary Property');
			// Shared defaults where the model takes them.
			for (const [name, wanted] of Object.entries({ aspectRatio: '16:9', resolution: '720p' })) {
				if (!shown.includes(name)) continue;
				const options = await editor.options(name);
				if (options.labels.includes(wanted)) expect({ name, value: await editor.value(name) }).toEqual({ name, value: wanted });
			}
			if (node.key === 'useApiKling') expect(await editor.value('model')).toBe('Kling 2.6');
		}, 3 * 60_000);
	}

	test('Magic Hour: the model picker takes a model ID the list does not have (By ID), in place of "Other model"', async () => {
		await editor.newWorkflowWith('Magic Hour');
		await editor.locatorMode('model', 'By ID');
		await editor.locatorType('model', 'veo-9-preview');
		expect(await editor.locatorValue('model')).toBe('veo-9-preview');
		expect(await editor.issue('model')).toBeUndefined();
		// A typed model gets the fields version 1 gave "Other model".
		const shown = (await editor.shown()).map((item) => item.name);
		expect(shown).toContain('duration');
	}, 3 * 60_000);

	test("AI/ML API: PixVerse's 1080p notice shows exactly for a video longer than the model makes at 1080p", async () => {
		const node = NODES.find((n) => n.key === 'aimlApi')!;
		const notice = [...noticeNames(builtDescription(node.key))].find(([, name]) => name === 'longAt1080pNotice')?.[0];
		expect(notice).toBeDefined();
		const models = node.table.models.filter((m): m is ModelSpec => typeof m.traits?.longestAt1080p === 'number');
		expect(models.length).toBeGreaterThan(0);
		const duration = node.table.fields.find((f) => f.property.name === 'duration')!;
		const resolution = node.table.fields.find((f) => f.property.name === 'resolution')!;
		await editor.newWorkflowWith(node.label);
		for (const model of models) {
			const longest = Number(model.traits!.longestAt1080p);
			const long = model.fields.duration.values.find((d) => Number(d) > longest)!;
			const short = model.fields.duration.values.find((d) => Number(d) <= longest)!;
			await pickModel(node, model);
			const noticeShown = async () => (await editor.shown()).some((item) => item.notice === notice);
			await editor.pick('resolution', labelOf(resolution, '1080p'));
			await editor.pick('duration', labelOf(duration, long));
			expect({ model: model.name, at: `1080p, ${long} s`, notice: await noticeShown() }).toEqual({ model: model.name, at: `1080p, ${long} s`, notice: true });
			await editor.pick('duration', labelOf(duration, short));
			expect({ model: model.name, at: `1080p, ${short} s`, notice: await noticeShown() }).toEqual({ model: model.name, at: `1080p, ${short} s`, notice: false });
			await editor.pick('resolution', labelOf(resolution, model.fields.resolution.values.find((r) => r !== '1080p')!));
			await editor.pick('duration', labelOf(duration, long));
			expect({ model: model.name, at: `below 1080p, ${long} s`, notice: await noticeShown() }).toEqual({ model: model.name, at: `below 1080p, ${long} s`, notice: false });
		}
	}, 3 * 60_000);

	test('Video Generation API: the model list from the gateway, the fallback without one, the API styles and the image input', async () => {
		await timed('Video Generation API: editor', async () => {
			await editor.newWorkflowWith(VIDEO_GENERATION.label);
			await editor.pickCredential(SANDBOX_GATEWAY);

			const styles = await editor.options('apiStyle');
			expect(styles.labels).toEqual(VIDEO_GENERATION.apiStyles.map((s) => s.name));
			expect(styles.selected).toEqual([VIDEO_GENERATION.apiStyles[0].name]);

			// The gateway's own list, as GET /v1/models serves it.
			const response = await fetch(`${sandbox!.urls.videoGeneration}/v1/models`, { headers: { authorization: `Bearer ${SANDBOX_API_KEY}` } });
			const served = ((await response.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
			expect(served.length).toBeGreaterThan(0);
			const list = await editor.locatorList('model');
			expect(list.error).toBeUndefined();
			expect([...list.items].sort()).toEqual([...served].sort());
			const chosen = served[served.length - 1];
			await editor.locatorPick(chosen);
			expect(await editor.locatorValue('model')).toBe(chosen);

			// Additional Fields offers what the API style takes.
			for (const style of VIDEO_GENERATION.apiStyles) {
				await editor.pick('apiStyle', style.name);
				expect({ style: style.value, fields: await editor.collectionChoices('additionalFields') }).toEqual({ style: style.value, fields: VIDEO_GENERATION.additionalFields(style.value) });
			}
			await editor.pick('apiStyle', VIDEO_GENERATION.apiStyles[0].name);

			// Image input: none, from a binary field (the field's name, "data" by default), or a URL.
			const description = builtDescription(VIDEO_GENERATION.key);
			const imageSource = description.properties.find((p) => p.name === 'imageSource');
			const byValue = new Map((imageSource?.options ?? []).map((o) => [(o as { value: string }).value, o.name]));
			const image = await editor.options('imageSource');
			expect(image.labels).toEqual(['none', 'binary', 'url'].map((v) => byValue.get(v)));
			expect(image.selected).toEqual([byValue.get('none')]);
			const imageFields = async () => (await editor.shown()).map((s) => s.name).filter((n) => n === 'imageBinaryProperty' || n === 'imageUrl');
			expect(await imageFields()).toEqual([]);
			await editor.pick('imageSource', byValue.get('binary')!);
			expect(await imageFields()).toEqual(['imageBinaryProperty']);
			expect(await editor.value('imageBinaryProperty')).toBe('data');
			await editor.pick('imageSource', byValue.get('url')!);
			expect(await imageFields()).toEqual(['imageUrl']);
			await editor.pick('imageSource', byValue.get('none')!);
			expect(await imageFields()).toEqual([]);

			// A gateway without a model list: the list says so and points at typing the ID, which works.
			await editor.pickCredential(NO_MODEL_LIST);
			const none = await editor.locatorList('model');
			expect(none.items).toEqual([]);
			expect(none.error).toMatch(/no model list/i);
			expect(none.error).toMatch(/\bID\b/);
			await editor.page.keyboard.press('Escape');
			await editor.locatorMode('model', 'By ID');
			await editor.locatorType('model', 'my-own-model');
			expect(await editor.locatorValue('model')).toBe('my-own-model');
			expect(await editor.issue('model')).toBeUndefined();
		});
	}, 5 * 60_000);

	for (const example of EXAMPLES) {
		for (const version2 of [false, true]) {
			const kind = version2 ? 'version 2' : 'version 1, as saved';
			test(`${example.label}: examples/${example.file} (${kind}) runs from the editor, and the output panel plays and downloads the video`, async () => {
				await timed(`${example.label}: example run (${kind})`, async () => {
					const saved = exampleWorkflows().find((e) => e.file === example.file)?.workflow;
					if (!saved) throw new Error(`examples/${example.file} is missing`);
					const workflow = version2 ? toVersion2(saved as never) : saved;
					const before = new Set(sandbox!.jobs.keys());
					await editor.openWorkflow((workflow as { name: string }).name);
					await editor.executeWorkflow(example.node);
					await editor.openNode(example.node);
					const output = await editor.outputBinary();
					expect(output.details).toMatch(/Mime Type: video\/mp4/i);
					expect(output.details).toMatch(/File Name: \S+\.mp4\b/i);
					// Version 2's file names read as provider, model and job; version 1 keeps the job ID.
					if (version2) expect(output.details).toMatch(/File Name: [a-z0-9-]+-[a-z0-9.-]+-[a-z0-9]{1,8}\.mp4\b/);
					// The preview plays: n8n's binary-data URL, loaded by the browser's own <video>.
					expect(output.preview).toMatchObject({ error: null, src: expect.stringContaining('/rest/binary-data') });
					expect(output.preview.readyState).toBeGreaterThanOrEqual(1);
					expect(output.preview.duration).toBeGreaterThan(0);
					expect(output.preview.width).toBeGreaterThan(0);
					// The download is the video the provider (the sandbox) served for this run.
					const jobs = [...sandbox!.jobs.values()].filter((job) => !before.has(job.id));
					expect(jobs.length).toBeGreaterThan(0);
					const size = fs.statSync(output.download).size;
					const digest = sha256(output.download);
					expect(jobs.map((job) => sandbox!.expectedVideo(job))).toContainEqual({ sha256: digest, size });
					const json = await editor.outputJson();
					// The size is there where n8n reports the stored bytes (2.x); its name is the version's.
					if (version2) expect(json).toMatch(/providerName/);
					if (version2) expect(json).not.toMatch(/"fileSize"/);
					if (!version2) expect(json).not.toMatch(/providerName|fileSizeBytes/);
					if (version === SCREENSHOT_VERSION) expect(json).toMatch(version2 ? /"fileSizeBytes"/ : /"fileSize"/);
					if (version === SCREENSHOT_VERSION) {
						const folder = version2 ? IMAGES : IMAGES_V1;
						fs.mkdirSync(folder, { recursive: true });
						await editor.screenshotPanel(path.join(folder, `${example.image}-json.png`));
						await editor.outputTab('binary');
						await editor.screenshotPanel(path.join(folder, `${example.image}.png`));
					}
				});
			}, 5 * 60_000);
		}
	}
});
