import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { A4F_BASE_URL } from '../nodes/A4F/baseUrl';
import { apiKeyProperty, BASE_URL_NOTICES, baseUrlProperty, bearerAuthentication } from './common';

export class A4FApi implements ICredentialType {
	name = 'a4fApi';

	displayName = 'A4F API';

	icon = { light: 'file:../icons/a4f.svg', dark: 'file:../icons/a4f.dark.svg' } as const;

	documentationUrl = 'https://www.a4f.co/docs/api-reference/video-generation';

	properties: INodeProperties[] = [
		apiKeyProperty('Your A4F API key (it starts with ddc-a4f-). Video generation needs a Pro or Ultra plan.'),
		baseUrlProperty(A4F_BASE_URL.defaultUrl, 'The API root, with /v1. Change it only for a proxy or the local sandbox.'),
		...BASE_URL_NOTICES,
	];

	authenticate: IAuthenticateGeneric = bearerAuthentication;

	// GET /usage (plan and rate limits) needs only the key, answers 401 for a wrong one and costs nothing.
	test: ICredentialTestRequest = {
		request: { baseURL: A4F_BASE_URL.expression, url: '/usage', method: 'GET' },
	};
}
