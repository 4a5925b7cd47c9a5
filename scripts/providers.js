'use strict';
/**
 * The provider registry, providers.json (one line per provider), with the paths and lists derived
 * from it. Plain CommonJS without dependencies: scripts run on Node 20 without a build. TypeScript
 * reads the same functions typed (scripts/providers.d.ts). Nothing else names the providers: every
 * list of them (package.json's `n8n` section, the suites, the bench, the README) is read from here or
 * checked against it by test/unit/registry.test.ts, which names what is missing.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const { providers: PROVIDERS } = require('../providers.json');

/** The node's file name: its `name` with a capital first letter (n8n's linter requires it: a4f → A4f.node.ts). */
const fileOf = (provider) => provider.key.charAt(0).toUpperCase() + provider.key.slice(1);
/** dist/ path of a provider's node, as package.json's `n8n.nodes` lists it. */
const nodeDistPath = (provider) => `dist/nodes/${provider.folder}/${fileOf(provider)}.node.js`;
/** dist/ path of a provider's credential, as package.json's `n8n.credentials` lists it. */
const credentialDistPath = (provider) => `dist/credentials/${provider.credential.file}.credentials.js`;
/** Source of a provider's node, relative to the repository root. */
const nodeSourcePath = (provider) => `nodes/${provider.folder}/${fileOf(provider)}.node.ts`;
/** Source of a provider's credential, relative to the repository root. */
const credentialSourcePath = (provider) => `credentials/${provider.credential.file}.credentials.ts`;
/** The provider's conformance profile (test data, not shipped), relative to the repository root. */
const conformancePath = (provider) => `nodes/${provider.folder}/conformance.ts`;
/** The sandbox module that plays the provider's API. */
const sandboxPath = (provider) => `sandbox/providers/${provider.sandbox}.js`;
/** The provider's documentation page and its README screenshot. */
const docsPath = (provider) => `docs/providers/${provider.docs}.md`;
const screenshotPath = (provider) => `docs/images/${provider.docs}.png`;

/** Every credential once (two nodes may share one), in registry order, with the sandbox key of its first node. */
function credentials() {
	const byType = new Map();
	for (const provider of PROVIDERS) {
		const { baseUrl, baseUrlEnv, ...rest } = provider.credential;
		// realBaseUrl: the real API root (`npm start` with a real key); a gateway's comes from baseUrlEnv.
		if (!byType.has(rest.type)) byType.set(rest.type, { ...rest, ...(baseUrl ? { realBaseUrl: baseUrl } : { realBaseUrlEnv: baseUrlEnv }), sandbox: provider.sandbox });
	}
	return [...byType.values()];
}

/** What package.json's `n8n` section must list: { nodes, credentials } (dist paths, registry order, no duplicates). */
function packageLists() {
	return {
		nodes: [...new Set(PROVIDERS.map(nodeDistPath))],
		credentials: [...new Set(PROVIDERS.map(credentialDistPath))],
	};
}

/** The provider whose node `key` is given; throws when there is none. */
function provider(key) {
	const found = PROVIDERS.find((p) => p.key === key);
	if (!found) throw new Error(`no provider "${key}" in providers.json (has ${PROVIDERS.map((p) => p.key).join(', ')})`);
	return found;
}

/** Rewrites package.json's `n8n.nodes` and `n8n.credentials` from the registry; true when it changed. */
function syncPackageJson(file = path.join(ROOT, 'package.json')) {
	const text = fs.readFileSync(file, 'utf8');
	const pkg = JSON.parse(text);
	pkg.n8n = { ...pkg.n8n, ...packageLists() };
	const next = `${JSON.stringify(pkg, null, 2)}\n`;
	if (next === text) return false;
	fs.writeFileSync(file, next);
	return true;
}

module.exports = {
	PROVIDERS,
	provider,
	credentials,
	packageLists,
	syncPackageJson,
	fileOf,
	nodeDistPath,
	credentialDistPath,
	nodeSourcePath,
	credentialSourcePath,
	conformancePath,
	sandboxPath,
	docsPath,
	screenshotPath,
};

// `node scripts/providers.js --sync`: package.json's `n8n` lists follow the registry (the registry test names this command).
if (require.main === module) {
	if (process.argv[2] !== '--sync') {
		process.stderr.write('usage: node scripts/providers.js --sync   (rewrites package.json n8n.nodes and n8n.credentials from providers.json)\n');
		process.exit(2);
	}
	process.stdout.write(syncPackageJson() ? 'package.json: n8n lists rewritten from providers.json\n' : 'package.json: n8n lists already follow providers.json\n');
}
