/**
 * Every image the README shows exists in the repository: a screenshot that the editor suite
 * (test/editor/) stopped taking, or a path typed wrong, fails here instead of showing a broken image.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { PROVIDERS, screenshotPath } from '../../scripts/providers';

/** What takes the README's screenshots: the editor suite, in real n8n 2.x (README, What `npm test` runs). */
const SCREENSHOT_COMMAND = 'npm run build && N8N_E2E_VERSIONS=2.41.1 npx jest --runInBand --selectProjects editor';

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Image paths of a Markdown text: `![alt](path "title")` and `<img src="path">`, local ones only. */
function localImages(markdown: string): string[] {
	const found = [
		...[...markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
		...[...markdown.matchAll(/<img\b[^>]*\bsrc=["']([^"']+)["']/gi)].map((m) => m[1]),
	];
	return found.filter((src) => !/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(src)).map((src) => decodeURIComponent(src.split(/[?#]/)[0]));
}

describe('README images', () => {
	const images = localImages(README);

	test('the README shows images', () => {
		expect(images.length).toBeGreaterThan(0);
	});

	test.each(images.map((image) => [image]))('%s exists', (image) => {
		const file = path.resolve(ROOT, image);
		expect(file.startsWith(ROOT + path.sep)).toBe(true);
		expect({ image, exists: fs.existsSync(file) && fs.statSync(file).isFile() }).toEqual({ image, exists: true });
		const bytes = fs.readFileSync(file);
		expect(bytes.length).toBeGreaterThan(0);
		if (image.toLowerCase().endsWith('.png')) expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
	});

	test('"The nodes in the editor" shows two screenshots per node: the Binary and the JSON output', () => {
		const section = README.split(/^### The nodes in the editor$/m)[1]?.split(/^#{1,3} /m)[0];
		expect(section).toBeDefined();
		const screenshots = new Set(localImages(section!).filter((image) => image.startsWith('docs/images/')));
		for (const provider of PROVIDERS) {
			const image = screenshotPath(provider);
			const state = { node: provider.label, named: section!.includes(`**${provider.label}**`), shown: screenshots.has(image) };
			expect(state).toEqual({ node: provider.label, named: true, shown: true });
			// The file itself: made by the editor suite, not by hand.
			const taken = fs.existsSync(path.join(ROOT, image));
			expect({ image, taken, make: SCREENSHOT_COMMAND }).toEqual({ image, taken: true, make: SCREENSHOT_COMMAND });
		}
		// Version 2, with its Binary and its JSON output.
		expect(screenshots.size).toBe(PROVIDERS.length * 2);
		expect([...screenshots].filter((image) => image.endsWith('-json.png'))).toHaveLength(PROVIDERS.length);
	});
});
