/**
 * The provider registry (providers.json, read by scripts/providers.js) as TypeScript sees it.
 * One line per provider:
 *   key        the node's `name` (n8n's node type without the package prefix); the node file is
 *              nodes/<folder>/<Key>.node.ts, the key with a capital first letter
 *   label      the node's display name (node defaults, README, test titles, error messages)
 *   folder     nodes/<folder>/: node, provider, capabilities, baseUrl.ts, conformance.ts (test profile)
 *   sandbox    sandbox/providers/<sandbox>.js, the module that plays the API (its `name`)
 *   docs       docs/providers/<docs>.md and the README screenshot docs/images/<docs>.png
 *   credential type        the credential class's `name`
 *              file        credentials/<file>.credentials.ts
 *              id          the id of the local credential that example workflows refer to
 *              label       the credential's name in n8n ("<label> (sandbox)" / "<label> (real API)")
 *              keyEnv      the environment variable that can hold a real key (`npm start`, `npm run demo`)
 *              baseUrl     the credential form's default Base URL, the real API root ("" for a gateway:
 *                          the user gives it, and baseUrlEnv names the variable that holds it)
 */
export interface RegistryCredential {
	type: string;
	file: string;
	id: string;
	label: string;
	keyEnv: string;
	baseUrl: string;
	baseUrlEnv?: string;
}

export interface RegistryProvider {
	key: string;
	label: string;
	folder: string;
	sandbox: string;
	docs: string;
	credential: RegistryCredential;
}

export const PROVIDERS: RegistryProvider[];
export function provider(key: string): RegistryProvider;
export function credentials(): Array<Omit<RegistryCredential, 'baseUrl' | 'baseUrlEnv'> & { realBaseUrl?: string; realBaseUrlEnv?: string; sandbox: string }>;
export function packageLists(): { nodes: string[]; credentials: string[] };
export function syncPackageJson(file?: string): boolean;
export function fileOf(provider: RegistryProvider): string;
export function nodeDistPath(provider: RegistryProvider): string;
export function credentialDistPath(provider: RegistryProvider): string;
export function nodeSourcePath(provider: RegistryProvider): string;
export function credentialSourcePath(provider: RegistryProvider): string;
export function conformancePath(provider: RegistryProvider): string;
export function sandboxPath(provider: RegistryProvider): string;
export function docsPath(provider: RegistryProvider): string;
export function screenshotPath(provider: RegistryProvider): string;
