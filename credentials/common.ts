import type { IAuthenticateGeneric, INodeProperties } from 'n8n-workflow';
import registry from '../providers.json';

/** What every credential of this package shares: a secret key sent as a Bearer token, and the API root. */

export const bearerAuthentication: IAuthenticateGeneric = {
	type: 'generic',
	properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
};

export function apiKeyProperty(description: string, displayName = 'API Key'): INodeProperties {
	return {
		displayName,
		name: 'apiKey',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description,
	};
}

/** The API root; `defaultUrl` empty means the user must give one (gateways). */
export function baseUrlProperty(defaultUrl: string, description = 'The API root. Change it only for a proxy or the local sandbox.'): INodeProperties {
	return {
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: defaultUrl,
		description,
		...(defaultUrl ? {} : { required: true, placeholder: 'e.g. https://gateway.example.com' }),
	};
}

/**
 * What the node refuses of a Base URL at run time (nodes/shared/transport/urlGuard.ts baseUrlRefusal), said in the
 * credential form next to the field: a credential test cannot run package code, and n8n turns an error
 * thrown in its request's expression into an empty value, so the form's notices are where it is said.
 */
export const BASE_URL_NOTICES: INodeProperties[] = [
	{
		displayName:
			'This Base URL holds a user name or password (user:password@): the node refuses it, as it would end up in video URLs and error messages. Put the key in API Key.',
		name: 'baseUrlUserInfoNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { baseUrl: [{ _cnd: { regex: '^\\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@' } }] } },
	},
	{
		displayName:
			'Plain http is accepted only on a local network, Docker or the sandbox (localhost, 127.x, 10.x, 172.16-31.x, 192.168.x, a name without dots, .local, .lan, .internal). On a public host the node refuses it, as the key would travel unencrypted: use https.',
		name: 'baseUrlHttpNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { baseUrl: [{ _cnd: { startsWith: 'http://' } }] } },
	},
];

/** The registry's credentials (providers.json): where each credential form's Base URL default is written, once. */
const REGISTRY_CREDENTIALS: ReadonlyArray<{ type: string; baseUrl: string }> = registry.providers.map((provider) => provider.credential);

/**
 * How a credential's Base URL becomes the API root, written once for both places that need it: the
 * node (`normalize`, a provider's `baseUrl`) and the credential test (`expression`, an n8n expression,
 * which cannot call package code). Always: surrounding spaces and trailing slashes dropped; then, when
 * given, a trailing `suffix` (e.g. `/v1`, which means the same root), matched at the end. Each provider
 * keeps its own rule in its folder (nodes/<Provider>/baseUrl.ts).
 */
export interface BaseUrlRule {
	/** The credential form's default (providers.json); empty: the user must give one (gateways). */
	defaultUrl: string;
	normalize(credentialBaseUrl: string): string;
	/** The same rule as an n8n expression for `ICredentialTestRequest.request.baseURL`. */
	expression: string;
}

/** The Base URL rule of the registry credential `credentialType`; throws naming providers.json when it has none. */
export function baseUrlRule(credentialType: string, suffix?: RegExp): BaseUrlRule {
	const credential = REGISTRY_CREDENTIALS.find((entry) => entry.type === credentialType);
	if (!credential) throw new Error(`providers.json has no credential "${credentialType}"`);
	// `suffix` + `$`: keep the suffix one sequence (no top-level `|`), as n8n's expression then reads it unchanged.
	const end = suffix ? new RegExp(`${suffix.source}$`, suffix.flags) : undefined;
	return {
		defaultUrl: credential.baseUrl,
		normalize: (credentialBaseUrl) => {
			const root = credentialBaseUrl.trim().replace(/\/+$/, '');
			return end ? root.replace(end, '') : root;
		},
		expression: `={{$credentials.baseUrl.trim().replace(/\\/+$/, "")${end ? `.replace(/${end.source}/${end.flags}, "")` : ''}}}`,
	};
}
