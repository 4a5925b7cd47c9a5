import { baseUrlRule } from '../../credentials/common';

/** A gateway's root: paths carry /v1 themselves, so a Base URL ending in /v1 means the same root. No default: the user names the gateway. */
export const GATEWAY_BASE_URL = baseUrlRule('videoGenerationApi', /\/v1/i);
