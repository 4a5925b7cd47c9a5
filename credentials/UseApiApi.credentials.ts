import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { USEAPI_BASE_URL } from '../nodes/UseApiKling/baseUrl';
import { apiKeyProperty, BASE_URL_NOTICES, baseUrlProperty, bearerAuthentication } from './common';

export class UseApiApi implements ICredentialType {
	name = 'useApiApi';

	displayName = 'useapi.net API';

	icon = { light: 'file:../icons/useapi.svg', dark: 'file:../icons/useapi.dark.svg' } as const;

	documentationUrl = 'https://useapi.net/docs/start-here/setup-useapi';

	properties: INodeProperties[] = [
		apiKeyProperty('Your useapi.net API token, the whole string including its "user:" prefix (useapi.net → Account)', 'API Token'),
		baseUrlProperty(USEAPI_BASE_URL.defaultUrl),
		...BASE_URL_NOTICES,
	];

	authenticate: IAuthenticateGeneric = bearerAuthentication;

	// GET /v1/kling/accounts lists the linked Kling accounts and costs nothing: 200 for a good token, 401
	// for a wrong one, 404 when the token is good but no Kling account is linked yet.
	test: ICredentialTestRequest = {
		request: {
			baseURL: USEAPI_BASE_URL.expression,
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
