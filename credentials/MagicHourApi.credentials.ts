import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { apiKeyProperty, BASE_URL_NOTICES, BASE_URL_RULES, baseUrlProperty, bearerAuthentication } from './common';

export class MagicHourApi implements ICredentialType {
	name = 'magicHourApi';

	displayName = 'Magic Hour API';

	icon = { light: 'file:../icons/magichour.svg', dark: 'file:../icons/magichour.dark.svg' } as const;

	documentationUrl = 'https://docs.magichour.ai/api-reference';

	properties: INodeProperties[] = [
		apiKeyProperty('Create one in the Magic Hour Developer Hub (it starts with mhk_)'),
		baseUrlProperty('https://api.magichour.ai'),
		...BASE_URL_NOTICES,
	];

	authenticate: IAuthenticateGeneric = bearerAuthentication;

	// GET /v1/account answers 200 for a good key and 401 for a wrong one, and costs nothing.
	test: ICredentialTestRequest = {
		request: { baseURL: BASE_URL_RULES.magicHour.expression, url: '/v1/account', method: 'GET' },
	};
}
