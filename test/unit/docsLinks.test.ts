/**
 * Every node's Docs link (`primaryDocumentation` in its codex file, nodes/*\/*.node.json) opens a page
 * that exists: a file of this repository on GitHub, and, when the link names an anchor, a heading of
 * that file under GitHub's slug rules. A renamed heading or moved page fails here, not in the editor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { homepage: string; repository: { url: string } };
const REPOSITORY = PACKAGE.homepage.replace(/\/+$/, '');
/** The branch GitHub shows by default: the links name it, as GitHub's own "copy link" does. */
const BRANCH = 'main';

/** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, `_`, `-` and spaces kept), spaces as `-`; repeats get `-1`, `-2`. */
export function githubSlug(heading: string): string {
	const text = heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link shows its text
		.replace(/<[^>]+>/g, '') // inline HTML shows nothing of its tags
		.replace(/[`*]/g, '') // code and emphasis marks are not text
		.trim();
	return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** The anchors GitHub gives a Markdown file's headings (fenced code skipped), repeats numbered as GitHub does. */
export function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
		const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const slug = githubSlug(heading[1]);
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count ? `${slug}-${count}` : slug);
	}
	return anchors;
}

/** Why a link into this repository does not open what it names; undefined when it does. */
export function linkProblem(url: string): string | undefined {
	if (!url.startsWith(REPOSITORY)) return `${url} is not in this repository (${REPOSITORY})`;
	const [location, anchor] = url.slice(REPOSITORY.length).split('#');
	let file = 'README.md';
	if (location && location !== '/') {
		const blob = new RegExp(`^/blob/${BRANCH}/(.+)$`).exec(location);
		if (!blob) return `${url}: expected ${REPOSITORY}/blob/${BRANCH}/<file>`;
		file = decodeURIComponent(blob[1]);
	}
	const full = path.join(ROOT, file);
	if (!fs.existsSync(full) || !fs.statSync(full).isFile()) return `${url}: ${file} does not exist`;
	if (anchor === undefined) return undefined;
	const anchors = anchorsOf(fs.readFileSync(full, 'utf8'));
	return anchors.has(decodeURIComponent(anchor)) ? undefined : `${url}: ${file} has no heading with anchor #${anchor} (it has: ${[...anchors].join(', ')})`;
}

const codexFiles = fs
	.readdirSync(path.join(ROOT, 'nodes'), { withFileTypes: true })
	.filter((entry) => entry.isDirectory() && entry.name !== 'shared')
	.flatMap((dir) =>
		fs
			.readdirSync(path.join(ROOT, 'nodes', dir.name))
			.filter((name) => name.endsWith('.node.json'))
			.map((name) => path.join('nodes', dir.name, name)),
	);

describe('GitHub heading anchors', () => {
	test.each([
		['Kling (useapi.net)', 'kling-useapinet'],
		['AI/ML API', 'aiml-api'],
		['What `npm test` runs', 'what-npm-test-runs'],
		['Long jobs, restarts and queue mode: Submit → Wait → Get', 'long-jobs-restarts-and-queue-mode-submit--wait--get'],
		['Wait for Callback: Generate without holding a worker', 'wait-for-callback-generate-without-holding-a-worker'],
		['Provider URLs and Base URLs: what the node refuses', 'provider-urls-and-base-urls-what-the-node-refuses'],
	])('%s → #%s', (heading, slug) => {
		expect(githubSlug(heading)).toBe(slug);
	});

	test('a repeated heading gets -1, and fenced code is no heading', () => {
		expect([...anchorsOf('# Models\n## Options\n```\n# not a heading\n```\n## Options\n')]).toEqual(['models', 'options', 'options-1']);
	});

	test('the old links fail: the README has no section per provider', () => {
		for (const anchor of ['magic-hour', 'a4f', 'ai-ml-api', 'kling-useapinet', 'video-generation-api'])
			expect(linkProblem(`${REPOSITORY}#${anchor}`)).toMatch(/has no heading with anchor/);
		expect(linkProblem(`${REPOSITORY}/blob/${BRANCH}/docs/providers/nothing.md`)).toMatch(/does not exist/);
		expect(linkProblem(`${REPOSITORY}/blob/${BRANCH}/docs/providers/magic-hour.md#models`)).toBeUndefined();
		expect(linkProblem(`${REPOSITORY}/blob/${BRANCH}/docs/providers/magic-hour.md#no-such-heading`)).toMatch(/no heading/);
	});
});

describe("every node's Docs link", () => {
	test('the package names its GitHub repository, and every node has a codex file', () => {
		expect(REPOSITORY).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
		expect(PACKAGE.repository.url).toContain(REPOSITORY.replace(/^https:\/\//, ''));
		expect(codexFiles.length).toBeGreaterThanOrEqual(5);
	});

	test.each(codexFiles)('%s: opens a page of this repository that exists', (file) => {
		const codex = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { resources?: { primaryDocumentation?: Array<{ url: string }> } };
		const links = codex.resources?.primaryDocumentation ?? [];
		expect(links.length).toBeGreaterThan(0);
		for (const { url } of links) expect(linkProblem(url)).toBeUndefined();
	});

	test.each(codexFiles)("%s: opens the provider's own page under docs/providers/", (file) => {
		const codex = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { resources: { primaryDocumentation: Array<{ url: string }> } };
		const [{ url }] = codex.resources.primaryDocumentation;
		expect(url).toMatch(new RegExp(`/blob/${BRANCH}/docs/providers/[a-z0-9-]+\\.md(#.*)?$`));
		// The page is this node's: each node's link is its own (no two nodes share a page).
		const pages = codexFiles.map((other) => (JSON.parse(fs.readFileSync(path.join(ROOT, other), 'utf8')) as typeof codex).resources.primaryDocumentation[0].url);
		expect(pages.filter((page) => page === url)).toHaveLength(1);
		// Its title is the node's name as the editor shows it.
		const source = fs.readFileSync(path.join(ROOT, file.replace(/\.json$/, '.ts')), 'utf8');
		const nodeName = /displayName:\s*'([^']+)'/.exec(source)?.[1];
		const page = fs.readFileSync(path.join(ROOT, decodeURIComponent(url.split(`/blob/${BRANCH}/`)[1].split('#')[0])), 'utf8');
		expect(/^# (.+)$/m.exec(page)?.[1]).toBe(nodeName);
	});
});
