/**
 * n8n's editor in a real browser: the machine's Chromium or Google Chrome, found as `npm test`'s preflight
 * finds it (scripts/preflight.js: EDITOR_CHROMIUM, /usr/bin/chromium, CHROME_BIN, google-chrome(-stable),
 * chromium-browser unless it is Ubuntu's snap stub), driven over the DevTools protocol by playwright-core.
 * Never a downloaded browser.
 *
 * `Editor` does what a user does, with selectors that hold in n8n 2.41.x and 1.123.x alike (both read
 * from their rendered DOM): parameters carry `data-test-id="parameter-input-<name>"` and a
 * `label[for=<name>]`; option lists are element-plus selects whose input names its listbox in
 * `aria-controls`, each option an `li[role=option]` with its text in `.option-headline`; notices are
 * `.notice` blocks inside a parameter item; a value n8n cannot accept marks its parameter `has-issues`
 * with the reason in the issues icon's tooltip.
 */
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const preflight = require('../../scripts/preflight.js') as { findBrowser(env: NodeJS.ProcessEnv): string | undefined; browserCandidates(env: NodeJS.ProcessEnv): string[] };

export const CHROMIUM = preflight.findBrowser(process.env);

// What functions run inside the page see; the project compiles without TypeScript's DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Element = any;
type HTMLInputElement = any;
type HTMLVideoElement = any;
declare const document: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Flags that work on a headless build machine (no GPU, no sandbox, nothing phoned home). */
const FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
	'--disable-breakpad',
];

/** Chromium, headless, with a fresh profile (playwright makes a new user-data-dir per launch). */
export async function launchChromium(): Promise<Browser> {
	if (!CHROMIUM || !fs.existsSync(CHROMIUM)) {
		throw new Error(
			`No browser: none of ${preflight.browserCandidates(process.env).join(', ')} runs. \`node scripts/preflight.js\` installs Chromium where it can, or names the command to run (on Debian: \`sudo apt-get install -y chromium\`); or set EDITOR_CHROMIUM.`,
		);
	}
	return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 120_000 });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (text: string) => new RegExp(`^\\s*${escape(text)}\\s*$`);

/** A parameter the editor shows (by its property name) or a notice (by its text). */
export interface Shown {
	name?: string;
	notice?: string;
}

/** A parameter as the panel shows it (`options` and `selected` for option lists, `on` for switches). */
export interface ParamState {
	name?: string;
	notice?: string;
	value?: string;
	options?: string[];
	selected?: string[];
	on?: boolean;
	issues?: boolean;
}

export interface OptionList {
	labels: string[];
	selected: string[];
}

export class Editor {
	private constructor(
		readonly context: BrowserContext,
		readonly page: Page,
		readonly baseUrl: string,
	) {}

	static async open(browser: Browser, baseUrl: string): Promise<Editor> {
		const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
		const page = await context.newPage();
		// The machine is shared and slow: the editor's first load parses every node type n8n has.
		page.setDefaultTimeout(60_000);
		return new Editor(context, page, baseUrl);
	}

	async close(): Promise<void> {
		await this.context.close();
	}

	/** The sign-in page, as a user fills it in; resolves on the workflows list. */
	async signIn(email: string, password: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`, { timeout: 180_000 });
		await this.page.locator('input[name="emailOrLdapLoginId"]').fill(email, { timeout: 180_000 });
		await this.page.locator('input[name="password"]').fill(password);
		await this.page.locator('[data-test-id="form-submit-button"]').click();
		await this.page.waitForURL((url) => !url.pathname.includes('/signin'), { timeout: 120_000 });
		await this.page.locator('[data-test-id="resources-list-item-workflow"]').first().waitFor({ timeout: 180_000 });
	}

	/** Back to the workflows list from wherever the last step left off (leaving unsaved changes behind). */
	async home(): Promise<void> {
		const page = this.page;
		// The node's panel: its close button (2.x) or "Back to canvas" (1.x); it may be closing already.
		const ndv = page.locator('[data-test-id="node-parameters"]').filter({ visible: true });
		for (let attempt = 0; attempt < 5 && (await ndv.count()); attempt++) {
			const close = page.locator('[data-test-id="ndv-close-button"], [data-test-id="back-to-canvas"]').filter({ visible: true });
			if (await close.count()) await close.first().click({ timeout: 3_000 }).catch(() => undefined);
			await sleep(300);
		}
		const list = page.locator('[data-test-id="resources-list-item-workflow"]').first();
		if (await list.isVisible()) return;
		await page.locator('[data-test-id="project-home-menu-item"]').filter({ visible: true }).first().click();
		// 1.x asks before leaving a changed workflow; 2.x saves on its own.
		const leave = page.locator('.el-message-box').filter({ hasText: 'Save changes before leaving?' }).getByRole('button', { name: 'Leave without saving' });
		const deadline = Date.now() + 60_000;
		while (!(await list.isVisible())) {
			if (await leave.isVisible()) await leave.click();
			if (Date.now() > deadline) throw new Error('the workflows list did not come back');
			await sleep(200);
		}
	}

	/**
	 * A new workflow with a Manual Trigger and the node `label`, added through the nodes panel by searching
	 * its name; `action` picks the operation when the panel lists them. Resolves with the node's panel open.
	 */
	async newWorkflowWith(label: string, action = /^Generate/): Promise<void> {
		const page = this.page;
		await this.home();
		await page.locator('[data-test-id="add-resource-workflow"]').first().click();
		await page.locator('[data-test-id="canvas-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"]').fill('Manual Trigger');
		await page.locator('[data-test-id="node-creator-item-name"]', { hasText: exactly('Manual Trigger') }).first().click();
		await page.locator('[data-test-id="canvas-handle-plus"]').first().click();
		await page.locator('[data-test-id="node-creator-search-bar"]').fill(label);
		const item = page.locator('[data-test-id="node-creator-item-name"]', { hasText: exactly(label) }).first();
		try {
			await item.waitFor({ timeout: 15_000 });
		} catch {
			const shown = await page.locator('[data-test-id="node-creator-item-name"]').allTextContents();
			throw new Error(`searching "${label}" in the nodes panel does not list the node (lists: ${shown.join(', ') || 'nothing'})`);
		}
		await item.click();
		const parameters = page.locator('[data-test-id="node-parameters"]');
		const actions = page.locator('[data-test-id="node-creator-item-name"]', { hasText: action });
		await Promise.race([parameters.waitFor(), actions.first().waitFor()]);
		if (!(await parameters.isVisible())) await actions.first().click();
		await parameters.waitFor();
	}

	/** Opens a saved workflow from the list, as a user clicks its card. */
	async openWorkflow(name: string): Promise<void> {
		await this.home();
		await this.page.locator('[data-test-id="workflow-card-name"]', { hasText: exactly(name) }).first().click();
		await this.page.locator('[data-test-id="execute-workflow-button"]').first().waitFor();
	}

	/**
	 * Everything the node's panel shows now, top level only, in order, read from the rendered DOM in one go:
	 * each parameter with the value it shows, the options its list holds (the listbox the select renders,
	 * exactly what opening it shows) and whether n8n marks it; and each notice's text.
	 */
	async state(): Promise<ParamState[]> {
		return await this.page.locator('[data-test-id="node-parameters"]').first().evaluate((root) => {
			const visible = (el: Element) => el.getClientRects().length > 0;
			const text = (el: Element | null | undefined) => (el?.textContent ?? '').trim();
			const out: ParamState[] = [];
			for (const item of root.querySelectorAll('[data-test-id="parameter-item"]')) {
				if (!visible(item) || item.parentElement?.closest('[data-test-id="parameter-item"]')) continue;
				const own = (el: Element) => visible(el) && el.closest('[data-test-id="parameter-item"]') === item;
				for (const label of [...item.querySelectorAll('label[for]')].filter(own)) {
					const name = label.getAttribute('for') ?? '';
					const state: ParamState = { name };
					const container = [...item.querySelectorAll(`[data-test-id="parameter-input-${name}"]`)].find(visible);
					if (container) {
						state.issues = container.classList.contains('has-issues');
						const toggle = container.querySelector('[role="switch"]');
						if (toggle) state.on = toggle.getAttribute('aria-checked') === 'true';
						const input = container.querySelector('input, textarea') as HTMLInputElement | null;
						if (input && !toggle) state.value = input.value;
						const listId = input?.getAttribute('aria-controls');
						const list = listId ? document.getElementById(listId) : null;
						if (list) {
							const options = [...list.querySelectorAll('li[role="option"]')];
							const headline = (li: Element) => text(li.querySelector('.option-headline') ?? li);
							state.options = options.map(headline);
							state.selected = options.filter((li) => li.getAttribute('aria-selected') === 'true').map(headline);
						}
					}
					out.push(state);
				}
				for (const notice of [...item.querySelectorAll('.notice')].filter(own)) out.push({ notice: text(notice) });
			}
			return out;
		});
	}

	/** The parameters and notices the node's panel shows now, top level only, in order. */
	async shown(): Promise<Shown[]> {
		return (await this.state()).map(({ name, notice }) => (name !== undefined ? { name } : { notice }));
	}

	/** The visible input of parameter `name`. */
	private input(name: string): Locator {
		return this.page.locator(`[data-test-id="parameter-input-${name}"]`).filter({ visible: true }).first();
	}

	/** Opens an element-plus select and returns its listbox. */
	private async openSelect(input: Locator): Promise<Locator> {
		const handle = await input.elementHandle();
		for (let attempt = 0; attempt < 4; attempt++) {
			if ((await input.getAttribute('aria-expanded')) === 'true') break;
			await input.click();
			try {
				await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', handle, { timeout: 2_000, polling: 50 });
				break;
			} catch {
				/* a click that closed it, or a slow render: again */
			}
		}
		const id = await input.getAttribute('aria-controls');
		if (!id) throw new Error('the select names no listbox');
		const list = this.page.locator(`[id="${id}"]`);
		await list.locator('li[role="option"]').first().waitFor();
		return list;
	}

	private async closeSelect(input: Locator): Promise<void> {
		for (let attempt = 0; attempt < 3 && (await input.getAttribute('aria-expanded')) === 'true'; attempt++) {
			await input.click();
			await sleep(150);
		}
	}

	private async readList(list: Locator, headline = '.option-headline'): Promise<OptionList> {
		return await list.locator('li[role="option"]').evaluateAll(
			(items, selector) => {
				const text = (li: Element) => ((selector ? li.querySelector(selector)?.textContent : null) ?? li.textContent ?? '').trim();
				return {
					labels: items.map(text),
					selected: items.filter((li) => li.getAttribute('aria-selected') === 'true').map(text),
				};
			},
			headline,
		);
	}

	/** The values an options parameter offers (their labels, in order) and the one selected. */
	async options(name: string): Promise<OptionList> {
		const input = this.input(name).locator('input').first();
		const list = await this.openSelect(input);
		const options = await this.readList(list);
		await this.closeSelect(input);
		return options;
	}

	/** Picks the option labelled `label` of parameter `name`. */
	async pick(name: string, label: string): Promise<void> {
		await this.pickIn(this.input(name).locator('input').first(), label, `parameter "${name}"`);
	}

	private async pickIn(input: Locator, label: string, what: string, headline = true): Promise<void> {
		const list = await this.openSelect(input);
		const option = headline
			? list.locator('li[role="option"]', { has: this.page.locator('.option-headline', { hasText: exactly(label) }) })
			: list.locator('li[role="option"]', { hasText: label });
		if ((await option.count()) === 0) {
			const { labels } = await this.readList(list, headline ? '.option-headline' : '');
			await this.closeSelect(input);
			throw new Error(`${what} offers no "${label}" (offers: ${labels.join(', ')})`);
		}
		await option.first().click();
		// Done when the select shows the choice and has closed (n8n then re-renders what depends on it).
		const handle = await input.elementHandle();
		await this.page
			.waitForFunction(
				([el, wanted]) => !!el && el.getAttribute('aria-expanded') !== 'true' && (!wanted || (el as HTMLInputElement).value.trim() === wanted),
				[handle, headline ? label : ''] as const,
				{ timeout: 5_000, polling: 50 },
			)
			.catch(() => undefined);
		await sleep(120);
	}

	/** What parameter `name` shows: the selected option's label, or the text typed in. */
	async value(name: string): Promise<string> {
		return await this.input(name).locator('input, textarea').first().inputValue();
	}

	/** n8n's own verdict on a parameter's value: undefined when it has none, else the issue it shows on hover. */
	async issue(name: string): Promise<string | undefined> {
		const container = this.input(name);
		if (!((await container.getAttribute('class')) ?? '').includes('has-issues')) return undefined;
		const icon = container.locator('[data-test-id="parameter-issues"]').first();
		await icon.hover();
		try {
			// The open tooltip: reka's content (2.x) or the element-plus popper its trigger names (1.x).
			const tip = await this.page.waitForFunction(
				(root) => {
					const visible = (el: Element) => !!el && el.getClientRects().length > 0;
					const trigger = root?.matches('[aria-describedby]') ? root : root?.querySelector('[aria-describedby]');
					const id = trigger?.getAttribute('aria-describedby');
					const candidates = [
						id ? document.getElementById(id) : null,
						...document.querySelectorAll('[data-test-id="tooltip-content"][data-state$="open"]'),
						...[...document.querySelectorAll('.el-popper')].filter((el: Element) => /Issues/.test(el.textContent ?? '')),
					];
					const shown = candidates.find((el: Element) => visible(el) && (el.textContent ?? '').trim());
					return shown ? shown.textContent.trim() : null;
				},
				await icon.elementHandle(),
				{ timeout: 5_000, polling: 100 },
			);
			return (await tip.jsonValue()) as string;
		} catch {
			return 'marked as having issues (tooltip not readable)';
		} finally {
			await this.page.mouse.move(0, 0);
		}
	}

	/** Picks credential `name` in the node's Credential select. */
	async pickCredential(name: string): Promise<void> {
		await this.pickIn(this.page.locator('[data-test-id="node-credentials-select"] input').first(), name, 'the Credential select', false);
	}

	/** The "Add Field" / "Add Option" choices of collection parameter `name`. */
	async collectionChoices(name: string): Promise<string[]> {
		const item = this.page.locator('[data-test-id="parameter-item"]', { has: this.page.locator(`label[for="${name}"]`) }).first();
		// 2.x marks the "Add ..." select with a test id; 1.x has it as the collection's .add-option select.
		const input = item.locator(':is([data-test-id="collection-parameter-add"], .add-option) input').first();
		const list = await this.openSelect(input);
		const { labels } = await this.readList(list, '');
		await this.closeSelect(input);
		return labels;
	}

	/** Resource locator `name`: picks a mode ("From list", "By ID"). */
	async locatorMode(name: string, mode: string): Promise<void> {
		await this.pickIn(this.page.locator(`[data-test-id="resource-locator-${name}"] [data-test-id="rlc-mode-selector"] input`).first(), mode, `the mode of "${name}"`, false);
	}

	/** Resource locator `name` in list mode: opens the list and returns its entries, or the error it shows. */
	async locatorList(name: string, open = true): Promise<{ items: string[]; error?: string }> {
		const page = this.page;
		const root = page.locator(`[data-test-id="resource-locator-${name}"]`).first();
		if (open) await root.locator('[data-test-id="rlc-input"]').click();
		const items = page.locator('[data-test-id="rlc-item"]').filter({ visible: true });
		const error = page.locator('[data-test-id="rlc-error-container"]').filter({ visible: true });
		const deadline = Date.now() + 60_000;
		while (!(await items.count()) && !(await error.count())) {
			if (Date.now() > deadline) throw new Error(`the list of "${name}" showed neither entries nor an error`);
			await sleep(200);
		}
		await sleep(300);
		const result = (await error.count()) ? { items: [], error: ((await error.first().textContent()) ?? '').trim() } : { items: (await items.allTextContents()).map((t) => t.trim()) };
		return result;
	}

	/** Resource locator `name` in list mode: opens the list, types `text` in its search box (as a user narrows it) and returns the entries. */
	async locatorSearch(name: string, text: string): Promise<{ items: string[]; error?: string }> {
		const page = this.page;
		await page.locator(`[data-test-id="resource-locator-${name}"] [data-test-id="rlc-input"]`).first().click();
		await sleep(300);
		// The list's own search box where the version renders one; else the focused input filters the list.
		const search = page.locator(':is([data-test-id="rlc-search"] input, input[data-test-id="rlc-search"])').filter({ visible: true }).first();
		if (await search.count()) await search.fill(text);
		else {
			await page.keyboard.press('Control+A');
			if (text) await page.keyboard.type(text);
			else await page.keyboard.press('Backspace');
		}
		// The list asks the node again after a pause in typing.
		await sleep(1_000);
		return await this.locatorList(name, false);
	}

	/** Clicks entry `entry` of the open resource locator list. */
	async locatorPick(entry: string): Promise<void> {
		await this.page.locator('[data-test-id="rlc-item"]', { hasText: exactly(entry) }).filter({ visible: true }).first().click();
		await sleep(250);
	}

	/** Types `text` into resource locator `name` (ID mode). */
	async locatorType(name: string, text: string): Promise<void> {
		const input = this.page.locator(`[data-test-id="resource-locator-${name}"] [data-test-id="rlc-input"]`).first();
		await input.fill(text);
		await this.page.locator('[data-test-id="node-parameters"] label[for="operation"]').first().click();
		await sleep(250);
	}

	async locatorValue(name: string): Promise<string> {
		return await this.page.locator(`[data-test-id="resource-locator-${name}"] [data-test-id="rlc-input"]`).first().inputValue();
	}

	/** "Execute workflow", then waits until node `node` has run (success) or something failed. */
	async executeWorkflow(node: string, timeoutMs = 150_000): Promise<void> {
		const page = this.page;
		await page.locator('[data-test-id="execute-workflow-button"]').filter({ visible: true }).first().click();
		const done = page.locator(`[data-test-id="canvas-node"][data-node-name="${node}"] [data-test-id="canvas-node-status-success"]`);
		const failed = page.locator('[data-test-id="canvas-node"]', { has: page.locator('[data-test-id="canvas-node-status-error"]') });
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (await done.count()) return;
			if (await failed.count()) {
				const names = await failed.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-name')));
				throw new Error(`the workflow failed in the editor at ${names.join(', ')}`);
			}
			if (Date.now() > deadline) throw new Error(`node "${node}" had not finished ${timeoutMs / 1000} s after Execute workflow`);
			await sleep(300);
		}
	}

	/** Opens node `node`'s panel from the canvas, as a double-click does. */
	async openNode(node: string): Promise<void> {
		await this.page.locator(`[data-test-id="canvas-node"][data-node-name="${node}"]`).dblclick();
		await this.page.locator('[data-test-id="node-parameters"]').first().waitFor();
	}

	/** The first binary item of the output panel: its details, the preview's state and the downloaded file. */
	async outputBinary(): Promise<{ details: string; preview: { readyState: number; duration: number; width: number; error: number | null; src: string }; download: string }> {
		const page = this.page;
		const panel = page.locator('[data-test-id="output-panel"]');
		const binaryTab = panel.locator('[data-test-id="radio-button-binary"]');
		await binaryTab.waitFor();
		await binaryTab.click();
		const card = panel.locator('[data-test-id="ndv-binary-data_0"]');
		await card.waitFor();
		const details = (await card.innerText()).replace(/\s+/g, ' ').trim();

		await card.locator('[data-test-id="ndv-view-binary-data"]').click();
		const video = panel.locator('video').first();
		await video.waitFor({ state: 'attached' });
		const preview = await video.evaluate(
			async (element: HTMLVideoElement) => {
				const deadline = Date.now() + 20_000;
				while (element.readyState < 1 && !element.error && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
				return { readyState: element.readyState, duration: element.duration, width: element.videoWidth, error: element.error?.code ?? null, src: element.currentSrc };
			},
		);
		await panel.getByRole('button', { name: 'Back to list' }).click();

		const [download] = await Promise.all([page.waitForEvent('download'), panel.locator('[data-test-id="ndv-download-binary-data"]').first().click()]);
		const file = await download.path();
		return { details, preview, download: file };
	}

	/** The output panel in another view (binary, json, table, schema). */
	async outputTab(view: 'binary' | 'json'): Promise<void> {
		const tab = this.page.locator('[data-test-id="output-panel"]').locator(`[data-test-id="radio-button-${view}"]`);
		await tab.waitFor();
		await tab.click();
		await sleep(400);
	}

	/** The output panel's JSON view, as text (the first item's fields, as a user reads them). */
	async outputJson(): Promise<string> {
		await this.outputTab('json');
		const panel = this.page.locator('[data-test-id="output-panel"]');
		return (await panel.innerText()).replace(/\s+/g, ' ');
	}

	/** A PNG of the node's panel. */
	async screenshotPanel(file: string): Promise<void> {
		await this.page.mouse.move(0, 0);
		await sleep(500);
		// Without the "Workflow executed successfully" toast over the output panel.
		await this.page
			.locator('[data-test-id="ndv"]')
			.filter({ visible: true })
			.first()
			.screenshot({ path: file, animations: 'disabled', style: '.el-notification { visibility: hidden !important; }' });
	}
}
