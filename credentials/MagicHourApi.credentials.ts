import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class MagicHourApi implements ICredentialType {
	name = 'magicHourApi';

	displayName = 'Magic Hour API';

	icon = { light: 'file:../icons/magichour.svg', dark: 'file:../icons/magichour.dark.svg' } as const;

	documentationUrl = 'https://docs.magichour.ai/api-reference';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Create one in the Magic Hour Developer Hub (it starts with mhk_)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.magichour.ai',
			description: 'The API root. Change it only for a proxy or the local sandbox.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	// GET /v1/account answers 200 for a good key and 401 for a wrong one, and costs nothing.
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: '/v1/account', method: 'GET' },
	};
}
