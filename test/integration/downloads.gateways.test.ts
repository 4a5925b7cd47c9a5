/**
 * Downloads from a misbehaving CDN (test/integration/downloads.cases.ts): Video Generation API in both
 * API styles and A4F (its URL answer and its base64 answer). downloads.test.ts runs the job APIs.
 */
import { a4fBase64Suite, downloadSuite, profilesOf } from './downloads.cases';

downloadSuite(profilesOf('gateways'));
a4fBase64Suite();
