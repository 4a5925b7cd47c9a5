/** Kling (useapi.net) as the engine's shared cases meet it through the sandbox (test data, not built: test/helpers/conformance.ts). */
import type { ConformanceProfile } from '../../test/helpers/conformance';

export const conformance: ConformanceProfile[] = [
	{
		// user:<n>-<secret>, as useapi.net's tokens are.
		keyPrefix: 'user:4242-',
		jobMs: 600,
		defaults: { model: 'kling-v2-5', prompt: 'a red fox in the snow' },
		jobId: /^\d+$/,
		cdn: true,
		// Without Watermark fetches the clean master through /assets/download first.
		variants: [{ options: { noWatermark: true } }],
		invalidThird: { parameters: { duration: '={{ $json.d }}' }, items: [{ d: 5 }, { d: 10 }, { d: 7 }], message: /^Invalid Duration \(Seconds\): 7 s is not available for Kling 2\.5.* \(item 3\)$/ },
		serverError: /Kling \(useapi\.net\) had a server error \(HTTP 503\)/,
		unauthorized: /rejected the API token \(HTTP 401\)/,
		echoed: /refused the request \(HTTP 400\) \| .*said: "Bad token \*\*\*/,
		failureReason: 'Generation failed: internal error (task 50)',
		failed: (jobId) =>
			`Kling (useapi.net) could not make the video | Run the node again to try once more. If it fails again, change the input: the prompt, the image, or the model and its settings. Kling (useapi.net) said: "Generation failed: internal error (task 50) — Task failed" Job ID: ${jobId}.`,
		// Plain [sandbox:moderation] is Kling's refusal at submit (HTTP 500), in Kling's own file; this is a task failed at moderation.
		moderated: { prompt: 'forbidden [sandbox:moderation=task]', message: /^Kling \(useapi\.net\) rejected the prompt at content moderation \| Rephrase the prompt.* said: ".*community guidelines/ },
		failedGet: { taskStatus: 'failed', error: expect.stringMatching(/Generation failed: internal error/) },
		submitThenGet: { submitted: { model: 'kling-v2-5', taskStatus: 'submitted' } },
	},
];
