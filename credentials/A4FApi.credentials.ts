import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class A4FApi implements ICredentialType {
	name = 'a4fApi';

	displayName = 'A4F API';

	icon = { light: 'file:../icons/a4f.svg', dark: 'file:../icons/a4f.dark.svg' } as const;

	documentationUrl = 'https://www.a4f.co/docs/api-reference/video-generation';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your A4F API key (it starts with ddc-a4f-). Video generation needs a Pro or Ultra plan.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.a4f.co/v1',
			description: 'The API root, with /v1. Change it only for a proxy or the local sandbox.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	// GET /usage (plan and rate limits) needs only the key, answers 401 for a wrong one and costs nothing.
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}', url: '/usage', method: 'GET' },
	};
}
