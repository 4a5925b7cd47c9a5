/**
 * Downloads from a misbehaving CDN (test/integration/downloads.cases.ts): the job APIs Magic Hour,
 * AI/ML API and Kling (useapi.net). downloads.gateways.test.ts runs the same cases for the others.
 */
import { downloadSuite, profilesOf, PROFILES, SPLIT } from './downloads.cases';

downloadSuite(profilesOf('jobs'));

test('the two download test files together run every profile, each once', () => {
	expect([...SPLIT.jobs, ...SPLIT.gateways].sort()).toEqual(PROFILES.map((profile) => profile.name).sort());
});
