import type { IAuthenticateGeneric, INodeProperties } from 'n8n-workflow';

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
