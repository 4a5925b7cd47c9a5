import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { GATEWAY_BASE_URL } from '../nodes/VideoGeneration/baseUrl';
import { apiKeyProperty, BASE_URL_NOTICES, baseUrlProperty, bearerAuthentication } from './common';

export class VideoGenerationApi implements ICredentialType {
	name = 'videoGenerationApi';

	displayName = 'Video Generation API';

	icon = { light: 'file:../icons/videogeneration.svg', dark: 'file:../icons/videogeneration.dark.svg' } as const;

	documentationUrl = 'https://docs.newapi.pro/en/docs/api/ai-model/videos/createvideogeneration';

	properties: INodeProperties[] = [
		apiKeyProperty("The gateway's API key or token (often starts with sk-), sent as a Bearer token"),
		baseUrlProperty(GATEWAY_BASE_URL.defaultUrl, "The gateway's root URL. /v1/... paths are added to it; a URL ending in /v1 works too."),
		...BASE_URL_NOTICES,
	];

	authenticate: IAuthenticateGeneric = bearerAuthentication;

	// GET /v1/models costs nothing and needs the key. Not every gateway serves it: a 404 says so.
	test: ICredentialTestRequest = {
		request: { baseURL: GATEWAY_BASE_URL.expression, url: '/v1/models', method: 'GET' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The gateway rejected the API key (HTTP 401). Check the key, and that Base URL is the gateway it belongs to.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The gateway answered, but serves no model list at /v1/models, so the key could not be checked. If Base URL is right, save the credential and run the node: a wrong key shows there as HTTP 401.',
				},
			},
		],
	};
}
