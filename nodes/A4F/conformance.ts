/** A4F as the engine's shared cases meet it through the sandbox (test data, not built: test/helpers/conformance.ts). */
import type { ConformanceProfile } from '../../test/helpers/conformance';

export const conformance: ConformanceProfile[] = [
	{
		keyPrefix: 'ddc-a4f-',
		jobMs: 400,
		defaults: { prompt: 'a red fox in the snow' },
		// A4F's answer has no id: the node makes one.
		jobId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
		synchronous: true,
		failedItemStatus: false,
		viaUrl: ' [sandbox:answer=url]',
		cdn: true,
		invalidThird: {
			parameters: { prompt: '={{ $json.text }}', duration: '={{ $json.seconds }}' },
			items: [
				{ text: 'a', seconds: 5 },
				{ text: 'b', seconds: 4 },
				{ text: 'c', seconds: 7 },
			],
			message: /^Invalid Duration \(Seconds\): 7 s is not available for .* \(item 3\)$/,
		},
		serverError: /A4F's video provider could not make the video \(HTTP 503\)/,
		unauthorized: /A4F rejected the API key \(HTTP 401\)/,
		echoed: /refused the request \(HTTP 400\) \| .*said: "Bad token \*\*\*/,
		failureReason: 'The upstream video generation service failed to produce the video',
		// 500 provider_error: the render failed, the one request is not asked again.
		failed: (jobId) => new RegExp(`^A4F's video provider could not make the video \\(HTTP 500\\) \\| Run the node again to try once more\\. A4F said: "The upstream video generation service failed.*" Job ID: ${jobId}\\.$`),
		moderated: { message: /^A4F rejected the prompt at content moderation \(HTTP 400\) \| Rephrase the prompt, then run the node again\. A4F said: "Your prompt was flagged/ },
		downloadOff: () => ({ videoUrl: expect.stringMatching(/\.mp4$/) }),
	},
];
