'use strict';
/**
 * The package's providers, each listed once. Read by scripts/n8n-runtime.js (the credentials `npm start`,
 * `npm run demo`, the benchmark and the end-to-end suites import), scripts/start.js, scripts/demo.js and
 * test/e2e/providers.e2e.test.ts; test/unit/registry.test.ts checks package.json's `n8n` lists, the
 * source files, the sandbox modules and each node's `name` against it.
 *
 * One entry per node:
 *   key           the node's `name` in its description (n8n's node type, without the package prefix)
 *   label         the name people see (node defaults, test titles)
 *   folder, file  nodes/<folder>/<file>.node.ts, built to dist/nodes/<folder>/<file>.node.js
 *   sandbox       the sandbox module that plays its API: sandbox/providers/<sandbox>.js (its `name`)
 *   credential    type        the credential class's `name`
 *                 file        credentials/<file>.credentials.ts, built to dist/credentials/<file>.credentials.js
 *                 id          the id of the local credential example workflows refer to
 *                 label       the credential's name in n8n ("<label> (sandbox)" / "<label> (real API)")
 *                 keyEnv      the environment variable that can hold a real key (`npm start`, `npm run demo`)
 *                 realBaseUrl the real API root, or realBaseUrlEnv: the variable that names it (gateways)
 *
 * Plain CommonJS, no dependencies: scripts run on Node 20 without a build.
 */
const PROVIDERS = [
	{
		key: 'magicHour',
		label: 'Magic Hour',
		folder: 'MagicHour',
		file: 'MagicHour',
		sandbox: 'magicHour',
		credential: { type: 'magicHourApi', file: 'MagicHourApi', id: 'magicHourSandbox', label: 'Magic Hour', keyEnv: 'MAGIC_HOUR_API_KEY', realBaseUrl: 'https://api.magichour.ai' },
	},
	{
		key: 'a4f',
		label: 'A4F',
		folder: 'A4F',
		file: 'A4f',
		sandbox: 'a4f',
		credential: { type: 'a4fApi', file: 'A4FApi', id: 'a4fSandbox', label: 'A4F', keyEnv: 'A4F_API_KEY', realBaseUrl: 'https://api.a4f.co/v1' },
	},
	{
		key: 'aimlApi',
		label: 'AI/ML API',
		folder: 'AimlApi',
		file: 'AimlApi',
		sandbox: 'aimlApi',
		credential: { type: 'aimlApiApi', file: 'AimlApiApi', id: 'aimlApiSandbox', label: 'AI/ML API', keyEnv: 'AIML_API_KEY', realBaseUrl: 'https://api.aimlapi.com' },
	},
	{
		key: 'useApiKling',
		label: 'Kling (useapi.net)',
		folder: 'UseApiKling',
		file: 'UseApiKling',
		sandbox: 'useApiKling',
		credential: { type: 'useApiApi', file: 'UseApiApi', id: 'useApiSandbox', label: 'useapi.net', keyEnv: 'USEAPI_API_KEY', realBaseUrl: 'https://api.useapi.net' },
	},
	{
		key: 'videoGeneration',
		label: 'Video Generation API',
		folder: 'VideoGeneration',
		file: 'VideoGeneration',
		sandbox: 'videoGeneration',
		credential: { type: 'videoGenerationApi', file: 'VideoGenerationApi', id: 'videoGenerationSandbox', label: 'Video Generation API', keyEnv: 'VIDEO_GENERATION_API_KEY', realBaseUrlEnv: 'VIDEO_GENERATION_BASE_URL' },
	},
];

/** dist/ path of a provider's node, as package.json's `n8n.nodes` lists it. */
const nodeDistPath = (provider) => `dist/nodes/${provider.folder}/${provider.file}.node.js`;
/** dist/ path of a provider's credential, as package.json's `n8n.credentials` lists it. */
const credentialDistPath = (provider) => `dist/credentials/${provider.credential.file}.credentials.js`;
/** Source of a provider's node, relative to the repository root. */
const nodeSourcePath = (provider) => `nodes/${provider.folder}/${provider.file}.node.ts`;
/** Source of a provider's credential, relative to the repository root. */
const credentialSourcePath = (provider) => `credentials/${provider.credential.file}.credentials.ts`;

/** Every credential once (two nodes may share one), in registry order, with the sandbox key of its first node. */
function credentials() {
	const byType = new Map();
	for (const provider of PROVIDERS) {
		if (!byType.has(provider.credential.type)) byType.set(provider.credential.type, { ...provider.credential, sandbox: provider.sandbox });
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
	if (!found) throw new Error(`no provider "${key}" in scripts/providers.js (has ${PROVIDERS.map((p) => p.key).join(', ')})`);
	return found;
}

module.exports = { PROVIDERS, provider, credentials, packageLists, nodeDistPath, credentialDistPath, nodeSourcePath, credentialSourcePath };
