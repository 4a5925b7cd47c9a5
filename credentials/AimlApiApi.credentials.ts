import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class AimlApiApi implements ICredentialType {
	name = 'aimlApiApi';

	displayName = 'AI/ML API';

	icon = { light: 'file:../icons/aimlapi.svg', dark: 'file:../icons/aimlapi.dark.svg' } as const;

	documentationUrl = 'https://docs.aimlapi.com/quickstart/setting-up';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Create one at aimlapi.com/app/keys',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.aimlapi.com',
			description: 'The API root. Change it only for a proxy or the local sandbox.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	// GET /v2/billing (the balance) needs only an API key, answers 401 for a wrong one and costs nothing.
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/v[12]$/, "")}}', url: '/v2/billing', method: 'GET' },
	};
}
