/** Magic Hour as the engine's shared cases meet it through the sandbox (test data, not built: test/helpers/conformance.ts). */
import type { ConformanceProfile } from '../../test/helpers/conformance';

export const conformance: ConformanceProfile[] = [
	{
		keyPrefix: 'mhk_live_',
		jobMs: 600,
		defaults: { model: 'kling-2.5', prompt: 'a red fox in the snow' },
		jobId: /^cm[a-z0-9]+$/,
		cdn: true,
		invalidThird: { parameters: { duration: '={{ $json.d }}' }, items: [{ d: 5 }, { d: 10 }, { d: 7 }], message: /^Invalid Duration \(Seconds\): 7 s is not available for Kling 2\.5 \(Legacy\) \(item 3\)$/ },
		serverError: /Magic Hour had a server error \(HTTP 503\)/,
		unauthorized: /rejected the API key \(HTTP 401\)/,
		echoed: /refused the request \(HTTP 400\) \| .*said: "Bad token \*\*\*/,
		failureReason: 'The render did not finish in time (processing_timeout)',
		failed: (jobId) =>
			`Magic Hour could not make the video | Run the node again to try once more. If it fails again, change the input: the prompt, the image, or the model and its settings. Magic Hour said: "The render did not finish in time (processing_timeout)" Job ID: ${jobId}.`,
		moderated: { message: /^Magic Hour rejected the prompt at content moderation \| Rephrase the prompt.* said: ".*content_policy_violation.*" Job ID: cm/ },
		failedGet: { error: expect.stringMatching(/processing_timeout/) },
		submitThenGet: { parameters: { duration: 5 }, submitted: { credits: 5 * 30 * 3 } },
	},
];
