import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { AIML_API_BASE_URL } from '../nodes/AimlApi/baseUrl';
import { apiKeyProperty, BASE_URL_NOTICES, baseUrlProperty, bearerAuthentication } from './common';

export class AimlApiApi implements ICredentialType {
	name = 'aimlApiApi';

	displayName = 'AI/ML API';

	icon = { light: 'file:../icons/aimlapi.svg', dark: 'file:../icons/aimlapi.dark.svg' } as const;

	documentationUrl = 'https://docs.aimlapi.com/quickstart/setting-up';

	properties: INodeProperties[] = [
		apiKeyProperty('Create one at aimlapi.com/app/keys'),
		baseUrlProperty(AIML_API_BASE_URL.defaultUrl),
		...BASE_URL_NOTICES,
	];

	authenticate: IAuthenticateGeneric = bearerAuthentication;

	// GET /v2/billing (the balance) needs only an API key, answers 401 for a wrong one and costs nothing.
	test: ICredentialTestRequest = {
		request: { baseURL: AIML_API_BASE_URL.expression, url: '/v2/billing', method: 'GET' },
	};
}
