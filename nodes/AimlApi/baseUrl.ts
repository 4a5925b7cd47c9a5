import { baseUrlRule } from '../../credentials/common';

/** AI/ML API's root: its paths carry /v1 or /v2 themselves, so a Base URL typed with either means the same root. */
export const AIML_API_BASE_URL = baseUrlRule('aimlApiApi', /\/v[12]/);
