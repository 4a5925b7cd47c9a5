import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { apiKeyProperty, BASE_URL_NOTICES, BASE_URL_RULES, baseUrlProperty, bearerAuthentication } from './common';

export class AimlApiApi implements ICredentialType {
	name = 'aimlApiApi';

	displayName = 'AI/ML API';

	icon = { light: 'file:../icons/aimlapi.svg', dark: 'file:../icons/aimlapi.dark.svg' } as const;

	documentationUrl = 'https://docs.aimlapi.com/quickstart/setting-up';

	properties: INodeProperties[] = [
		apiKeyProperty('Create one at aimlapi.com/app/keys'),
		baseUrlProperty('https://api.aimlapi.com'),
		...BASE_URL_NOTICES,
	];

	authenticate: IAuthenticateGeneric = bearerAuthentication;

	// GET /v2/billing (the balance) needs only an API key, answers 401 for a wrong one and costs nothing.
	test: ICredentialTestRequest = {
		request: { baseURL: BASE_URL_RULES.aimlApi.expression, url: '/v2/billing', method: 'GET' },
	};
}
