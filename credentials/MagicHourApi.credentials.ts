import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { MAGIC_HOUR_BASE_URL } from '../nodes/MagicHour/baseUrl';
import { apiKeyProperty, BASE_URL_NOTICES, baseUrlProperty, bearerAuthentication } from './common';

export class MagicHourApi implements ICredentialType {
	name = 'magicHourApi';

	displayName = 'Magic Hour API';

	icon = { light: 'file:../icons/magichour.svg', dark: 'file:../icons/magichour.dark.svg' } as const;

	documentationUrl = 'https://docs.magichour.ai/api-reference';

	properties: INodeProperties[] = [
		apiKeyProperty('Create one in the Magic Hour Developer Hub (it starts with mhk_)'),
		baseUrlProperty(MAGIC_HOUR_BASE_URL.defaultUrl),
		...BASE_URL_NOTICES,
	];

	authenticate: IAuthenticateGeneric = bearerAuthentication;

	// GET /v1/account answers 200 for a good key and 401 for a wrong one, and costs nothing.
	test: ICredentialTestRequest = {
		request: { baseURL: MAGIC_HOUR_BASE_URL.expression, url: '/v1/account', method: 'GET' },
	};
}
