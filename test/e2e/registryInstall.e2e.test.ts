/**
 * The package installed into real n8n the way users install it: published to an npm registry, then
 * Settings → Community Nodes → Install in the editor, then used in a workflow, with no restart.
 *
 * 1. `npm pack` of this repository (built), exactly the tarball `npm publish` would upload.
 * 2. A real local npm registry, verdaccio (tools/registry, installed from its committed lockfile by
 *    this test when missing), on 127.0.0.1, with NO uplinks: only our package exists there, so if
 *    installing it needed anything else from a registry (a dependency, a peer such as n8n-workflow)
 *    the install would fail here. The tarball is published to it with a throwaway user's token.
 * 3. n8n 2.x (`n8n start`, owner signed in) with no copy of our package, pointed at that registry with
 *    N8N_COMMUNITY_PACKAGES_REGISTRY, and the editor's install call: POST /rest/community-packages
 *    { name } (what Settings → Community Nodes → Install sends for an unverified package).
 * 4. A Magic Hour credential (sandbox) and a workflow created over REST on the same running n8n, run as
 *    "Execute workflow" does: the video written by Read/Write Files must be the sandbox's bytes.
 *
 * What n8n 2.41's installer does (read from its source, modules/community-packages/):
 * - Unverified installs are allowed by default (N8N_UNVERIFIED_PACKAGES_ENABLED, default true); the
 *   registry comes from N8N_COMMUNITY_PACKAGES_REGISTRY (default https://registry.npmjs.org), and a
 *   registry other than the default is an Enterprise licence feature
 *   (`feat:communityNodes:customRegistry`; without it the install answers FeatureNotLicensedError).
 *   This test grants exactly that feature with n8n's own end-to-end testing switch (E2E_TESTS=true,
 *   PATCH /rest/e2e/feature), as a licensed instance would have it; every other licence check stays off.
 * - It asks https://api.n8n.io/api/package whether the name is banned (any failure counts as "not
 *   banned"), then GETs <registry>/<name>/<version> to check the version exists, then in
 *   <userFolder>/.n8n/nodes runs `npm pack <name>@latest --quiet --registry=<registry>`, untars the
 *   tarball into node_modules/<name>, DELETES devDependencies, peerDependencies and
 *   optionalDependencies from its package.json, and runs `npm install --audit=false --fund=false
 *   --bin-links=false --install-strategy=shallow --ignore-scripts=true --package-lock=false
 *   --registry=<registry>` inside that folder: only `dependencies` are ever fetched, peers never (our
 *   `require('n8n-workflow')` resolves to n8n's own copy through the NODE_PATH n8n sets).
 * - It then loads the package into the running process (no restart) and records it with its nodes.
 *
 * Nothing leaves the machine: n8n's own outbound HTTP(S) (the ban check above, and whatever else it
 * tries) goes through HTTP(S)_PROXY to a local proxy that refuses everything; npm reaches only the local
 * registry (NO_PROXY covers 127.0.0.1).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, SANDBOX_API_KEY, type Sandbox } from '../helpers/sandbox';
import {
	assertBuilt,
	chain,
	credentialsFor,
	describeEachN8n,
	itemsNodes,
	N8nInstance,
	ROOT,
	sha256File,
	n8nV2Version,
	writeFileNode,
	type N8nInstall,
	type N8nServer,
} from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/n8n.js') as {
	cleanNpmEnv(): Record<string, string>;
	ensureNode24(): { nodeBin: string };
};

interface Verdaccio {
	url: string;
	pid: number;
	output(): string;
	requests(): Array<{ method: string; url: string; status: number; bytesOut: number }>;
	stop(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const registry = require('../../tools/registry/registry.js') as {
	startVerdaccio(options: { dir: string; publishable: string[] }): Promise<Verdaccio>;
	addUser(url: string): Promise<string>;
	publish(options: { tarball: string; url: string; token: string; workDir: string }): string;
};

const TITLE = 'Installed from an npm registry through Settings → Community Nodes';
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	n8n: { nodes: string[]; credentials: string[] };
};
/** The licence feature n8n 2.x requires for N8N_COMMUNITY_PACKAGES_REGISTRY other than npmjs.org. */
const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';

/** n8n's type names for the nodes the built package declares: `<package>.<description.name>`. */
function declaredNodeTypes(): string[] {
	const types: string[] = [];
	for (const file of PACKAGE.n8n.nodes) {
		// n8n loads the class named like the file (a versioned node's file also exports its version classes).
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const NodeClass = (require(path.join(ROOT, file)) as Record<string, new () => { description: { name: string } }>)[path.basename(file, '.node.js')];
		if (typeof NodeClass === 'function') types.push(`${PACKAGE.name}.${new NodeClass().description.name}`);
	}
	return types.sort();
}

interface Packed {
	tarball: string;
	integrity: string;
	files: string[];
	/** The tarball unpacked (its `package/` folder), to compare with what n8n installed. */
	unpackedDir: string;
}

/** `npm pack` of the repository (as `npm publish` would pack it) into `dest`. */
function packRepository(dest: string): Packed {
	assertBuilt();
	fs.mkdirSync(dest, { recursive: true });
	// cleanNpmEnv: an outer `npm run`'s npm_config_* (ignore-scripts, prefix, ...) must not change the pack.
	const result = spawnSync('npm', ['pack', '--json', `--pack-destination=${dest}`, '--loglevel=warn'], {
		cwd: ROOT,
		env: { ...setup.cleanNpmEnv(), npm_config_update_notifier: 'false' },
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.error || result.status !== 0) {
		throw new Error(`npm pack failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}):\n${`${result.stdout}\n${result.stderr}`.slice(-4000)}`);
	}
	const [info] = JSON.parse(result.stdout) as Array<{ filename: string; integrity: string; files: Array<{ path: string }> }>;
	const tarball = path.join(dest, info.filename);
	if (!fs.existsSync(tarball)) throw new Error(`npm pack reported ${info.filename} but ${tarball} does not exist`);
	const unpacked = path.join(dest, 'unpacked');
	fs.mkdirSync(unpacked);
	const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`tar -xzf ${tarball} failed: ${tar.error?.message ?? tar.stderr}`);
	return { tarball, integrity: info.integrity, files: info.files.map((f) => f.path).sort(), unpackedDir: path.join(unpacked, 'package') };
}

/**
 * An HTTP proxy on 127.0.0.1 that forwards nothing: every request and CONNECT is answered 403 and
 * recorded. n8n gets it as HTTP_PROXY / HTTPS_PROXY, so its outbound calls never leave the machine.
 */
async function startRefusingProxy(): Promise<{ url: string; attempts: string[]; close(): Promise<void> }> {
	const attempts: string[] = [];
	const server = http.createServer((req, res) => {
		attempts.push(`${req.method} ${req.url}`);
		res.writeHead(403, { 'content-type': 'text/plain' }).end('refused: the end-to-end test allows no outbound traffic');
	});
	server.on('connect', (req, socket) => {
		attempts.push(`CONNECT ${req.url}`);
		socket.on('error', () => undefined);
		socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
	});
	await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		attempts,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** The package a registry request is about (`/<name>`, `/@scope%2fname/...`), or undefined for `/-/...`. */
function packageOf(url: string): string | undefined {
	const pathname = decodeURIComponent(new URL(url, 'http://registry').pathname);
	const parts = pathname.split('/').filter(Boolean);
	if (parts.length === 0 || parts[0] === '-') return undefined;
	return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function listFiles(dir: string, base = dir): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
	});
}

function registryInstallSuite(version: string, install: N8nInstall) {
	let temp: string;
	let packed: Packed;
	let verdaccio: Verdaccio | undefined;
	let tarballPath: string;
	let proxy: Awaited<ReturnType<typeof startRefusingProxy>> | undefined;
	let sandbox: Sandbox | undefined;
	let n8n: N8nInstance | undefined;
	let server: N8nServer | undefined;
	const timings: Record<string, number> = {};
	const suiteStartedAt = Date.now();

	const timed = async <T>(label: string, step: () => Promise<T> | T): Promise<T> => {
		const startedAt = Date.now();
		try {
			return await step();
		} finally {
			timings[label] = (Date.now() - startedAt) / 1000;
		}
	};

	beforeAll(async () => {
		temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-registry-e2e-')));
		packed = await timed('npm pack', () => packRepository(path.join(temp, 'pack')));

		// verdaccio on Node 24 (it needs Node >= 22), installed into tools/registry when missing.
		setup.ensureNode24();
		verdaccio = await timed('verdaccio install + start', () => registry.startVerdaccio({ dir: path.join(temp, 'verdaccio'), publishable: [PACKAGE.name] }));
		const token = await registry.addUser(verdaccio.url);
		await timed('npm publish', () => registry.publish({ tarball: packed.tarball, url: verdaccio!.url, token, workDir: path.join(temp, 'publish') }));
		const packument: any = await (await fetch(`${verdaccio.url}/${encodeURIComponent(PACKAGE.name)}`)).json();
		const published = packument?.versions?.[PACKAGE.version];
		if (published?.dist?.integrity !== packed.integrity || packument['dist-tags']?.latest !== PACKAGE.version) {
			throw new Error(`the registry does not serve what was published: ${JSON.stringify(packument).slice(0, 1500)}`);
		}
		tarballPath = new URL(published.dist.tarball).pathname;

		proxy = await startRefusingProxy();
		sandbox = await startSandbox({ jobDurationMs: 1000 });
		n8n = await N8nInstance.create(install, {
			installPackage: false,
			env: {
				N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
				N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
				N8N_COMMUNITY_PACKAGES_REGISTRY: verdaccio.url,
				// n8n's own end-to-end testing switch: adds /rest/e2e/* routes (this n8n listens on 127.0.0.1), through which
				// the test grants the one licence feature a custom registry needs (below); every other licence
				// feature stays off, as on an unlicensed instance. It also turns diagnostics off.
				E2E_TESTS: 'true',
				HTTP_PROXY: proxy.url,
				HTTPS_PROXY: proxy.url,
				// The npm n8n runs: its own empty cache (nothing comes from an earlier download), no update
				// check. npm_config_registry only matters to `npm outdated`, which the installed-packages
				// list runs without --registry; install and pack get --registry from n8n.
				npm_config_cache: path.join(temp, 'n8n-npm-cache'),
				npm_config_update_notifier: 'false',
				npm_config_registry: verdaccio.url,
			},
		});
		server = await timed('n8n start', () => n8n!.startServer());
		await server.request('PATCH', '/e2e/feature', { feature: CUSTOM_REGISTRY_FEATURE, enabled: true });
	}, 15 * 60_000);

	afterAll(async () => {
		await server?.stop();
		await verdaccio?.stop();
		await proxy?.close();
		await sandbox?.close();
		n8n?.dispose();
		if (temp && !process.env.N8N_E2E_KEEP) fs.rmSync(temp, { recursive: true, force: true });
		const total = ((Date.now() - suiteStartedAt) / 1000).toFixed(1);
		console.log(
			`[registry e2e] n8n ${version}: ${Object.entries(timings)
				.map(([label, s]) => `${label} ${s.toFixed(1)}s`)
				.join(', ')}; suite ${total}s. n8n's outbound attempts (refused by the local proxy): ${proxy?.attempts.length ? proxy.attempts.join(', ') : 'none'}`,
		);
	}, 2 * 60_000);

	test('Install (POST /rest/community-packages) fetches the package from the registry and loads its 5 nodes', async () => {
		const packageDir = path.join(n8n!.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE.name);
		// Nothing of ours is there before the install.
		expect(fs.existsSync(packageDir)).toBe(false);
		expect(await server!.request('GET', '/community-packages')).toEqual([]);

		const expectedTypes = declaredNodeTypes();
		expect(expectedTypes).toHaveLength(5);
		const before = verdaccio!.requests().length;
		const installed = await timed('install', () => server!.request('POST', '/community-packages', { name: PACKAGE.name }));
		expect(installed).toMatchObject({ packageName: PACKAGE.name, installedVersion: PACKAGE.version });
		expect(installed.installedNodes).toHaveLength(5);
		expect(installed.installedNodes.map((node: { type: string }) => node.type).sort()).toEqual(expectedTypes);

		// The files n8n unpacked are the published ones: every file of the tarball but package.json (which
		// n8n rewrites without dev/peer/optional dependencies) is byte for byte the tarball's.
		expect(JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'))).toMatchObject({ name: PACKAGE.name, version: PACKAGE.version, n8n: PACKAGE.n8n });
		const unpacked = listFiles(packageDir).filter((file) => !file.startsWith('node_modules/'));
		expect(unpacked.sort()).toEqual(packed.files);
		for (const file of packed.files.filter((f) => f !== 'package.json')) {
			expect(`${file} ${sha256(path.join(packageDir, file))}`).toBe(`${file} ${sha256(path.join(packed.unpackedDir, file))}`);
		}
		// Installing it fetched nothing besides the package itself.
		expect(listFiles(path.join(packageDir, 'node_modules'))).toEqual([]);
		const traffic = verdaccio!.requests().slice(before);
		expect([...new Set(traffic.map((r) => packageOf(r.url)).filter(Boolean))]).toEqual([PACKAGE.name]);
		expect(traffic.some((r) => r.method === 'GET' && r.url === tarballPath && r.status === 200 && r.bytesOut > 0)).toBe(true);
		expect(traffic.filter((r) => r.status >= 400 && r.bytesOut > 0)).toEqual([]);

		// Settings → Community Nodes lists it, loaded.
		const listed = await server!.request('GET', '/community-packages');
		expect(listed).toHaveLength(1);
		expect(listed[0]).toMatchObject({ packageName: PACKAGE.name, installedVersion: PACKAGE.version, failedLoading: false });
		expect(listed[0].installedNodes.map((node: { type: string }) => node.type).sort()).toEqual(expectedTypes);
	}, 5 * 60_000);

	test('without a restart, a Magic Hour workflow runs and writes the bytes the API served', async () => {
		const spec = credentialsFor({ urls: sandbox!.urls, apiKey: SANDBOX_API_KEY }).find((c) => c.type === 'magicHourApi');
		if (!spec) throw new Error('credentialsFor gave no magicHourApi credential: the built package declares none');
		// The credential type exists only if n8n loaded the package it just installed.
		const credential = await server!.request('POST', '/credentials', { name: spec.name, type: spec.type, data: spec.data });
		expect(credential).toMatchObject({ id: expect.any(String), type: 'magicHourApi' });
		const workflow = await server!.request('POST', '/workflows', {
			name: 'Registry install: Magic Hour',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				...itemsNodes([{ prompt: 'a lighthouse at dawn, waves below' }]),
				{
					id: 'magic-hour',
					name: 'Magic Hour',
					type: `${PACKAGE.name}.magicHour`,
					typeVersion: 1,
					position: [440, 0],
					parameters: { operation: 'generate', model: 'kling-2.5', prompt: '={{ $json.prompt }}', duration: 5, options: { pollInterval: 0.2 } },
					credentials: { magicHourApi: { id: credential.id, name: credential.name } },
				},
				writeFileNode('Write File', '{{ $json.jobId }}.mp4'),
			],
			connections: chain('Start', 'Items', 'Magic Hour', 'Write File'),
		});

		const result = await timed('workflow run', () => server!.run(workflow.id));
		if (result.status !== 'success') throw new Error(`workflow did not succeed on n8n ${version}: ${result.describe()}`);
		expect(result.executedNodes).toEqual(['Start', 'Items', 'Magic Hour', 'Write File']);
		const [video] = result.items('Magic Hour');
		expect(video.json).toMatchObject({ status: 'completed', provider: 'magicHour', model: 'kling-2.5', jobId: expect.any(String) });
		expect(video.binary?.data).toMatchObject({ mimeType: 'video/mp4' });

		const written = result.items('Write File');
		expect(written).toHaveLength(1);
		const job = sandbox!.findJob('magicHour', written[0].json.jobId);
		if (!job) throw new Error(`the sandbox has no Magic Hour job ${written[0].json.jobId}`);
		const file = path.resolve(n8n!.userFolder, written[0].json.fileName);
		expect(file.startsWith(n8n!.filesDir + path.sep)).toBe(true);
		const expected = sandbox!.expectedVideo(job);
		expect(fs.statSync(file).size).toBe(expected.size);
		expect(await sha256File(file)).toBe(expected.sha256);
		expect(sandbox!.requestsTo('magicHour', 'submit')).toHaveLength(1);
	}, 5 * 60_000);
}

// n8n 2.x even when N8N_E2E_VERSIONS names only 1.x: this install path is 2.x's (harness n8nV2Version).
describeEachN8n(TITLE, registryInstallSuite, [n8nV2Version()]);
