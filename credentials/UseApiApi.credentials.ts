import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { apiKeyProperty, BASE_URL_NOTICES, BASE_URL_RULES, baseUrlProperty, bearerAuthentication } from './common';

export class UseApiApi implements ICredentialType {
	name = 'useApiApi';

	displayName = 'useapi.net API';

	icon = { light: 'file:../icons/useapi.svg', dark: 'file:../icons/useapi.dark.svg' } as const;

	documentationUrl = 'https://useapi.net/docs/start-here/setup-useapi';

	properties: INodeProperties[] = [
		apiKeyProperty('Your useapi.net API token, the whole string including its "user:" prefix (useapi.net → Account)', 'API Token'),
		baseUrlProperty('https://api.useapi.net'),
		...BASE_URL_NOTICES,
	];

	authenticate: IAuthenticateGeneric = bearerAuthentication;

	// GET /v1/kling/accounts lists the linked Kling accounts and costs nothing: 200 for a good token, 401
	// for a wrong one, 404 when the token is good but no Kling account is linked yet.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_RULES.useApi.expression,
			url: '/v1/kling/accounts',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'The token works, but no Kling account is linked to it yet. Link one at useapi.net (POST /v1/kling/accounts), then test again.',
				},
			},
		],
	};
}
