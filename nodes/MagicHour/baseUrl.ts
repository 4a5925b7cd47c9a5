import { baseUrlRule } from '../../credentials/common';

/** Magic Hour's API root, as the node and the credential test read the Base URL: paths start with /v1 themselves. */
export const MAGIC_HOUR_BASE_URL = baseUrlRule('magicHourApi');
