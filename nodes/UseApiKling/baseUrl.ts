import { baseUrlRule } from '../../credentials/common';

/** useapi.net's root: paths carry /v1/kling themselves, so a Base URL typed with /v1 or /v1/kling means the same root. */
export const USEAPI_BASE_URL = baseUrlRule('useApiApi', /\/v1(\/kling)?/i);
