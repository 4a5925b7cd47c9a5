import { baseUrlRule } from '../../credentials/common';

/** A4F's API root: the Base URL with /v1, as A4F documents it (the node's paths follow it). */
export const A4F_BASE_URL = baseUrlRule('a4fApi');
