/** AI/ML API as the engine's shared cases meet it through the sandbox (test data, not built: test/helpers/conformance.ts). */
import type { ConformanceProfile } from '../../test/helpers/conformance';
import { PIXVERSE_V5 } from './capabilities';

export const conformance: ConformanceProfile[] = [
	{
		keyPrefix: 'aiml_',
		jobMs: 500,
		defaults: { prompt: 'a paper boat on a stormy sea' },
		jobId: /^[0-9a-f-]{36}:pixverse\/v5\/text-to-video$/,
		cdn: true,
		invalidThird: { parameters: { resolution: '={{ $json.r }}', duration: 8 }, items: [{ r: '720p' }, { r: '540p' }, { r: '1080p' }], message: /^Invalid Duration \(Seconds\): 8 s is not available at 1080p on PixVerse V5.* \(item 3\)$/ },
		serverError: /^AI\/ML API had a server error \(HTTP 503\) \| Run the node again later\. AI\/ML API said: "Service unavailable \(request id [0-9a-f-]{36}\)"$/,
		unauthorized: /^AI\/ML API rejected the API key \(HTTP 401\) \| Check the credential's API key\. AI\/ML API said: "This request requires a valid API key/,
		echoed: /refused the request \(HTTP 400\) \| .*said: "Bad token \*\*\*/,
		failureReason: 'GenerationError: The video generation failed on the provider side',
		failed: (jobId) =>
			`AI/ML API could not make the video | Run the node again to try once more. If it fails again, change the input: the prompt, the image, or the model and its settings. AI/ML API said: "GenerationError: The video generation failed on the provider side" Job ID: ${jobId}.`,
		moderated: { message: /^AI\/ML API rejected the prompt at content moderation \| Rephrase the prompt.* said: "ContentModerationError: .*sensitive.*" Job ID: [0-9a-f-]{36}:pixverse/ },
		failedGet: { error: 'GenerationError: The video generation failed on the provider side' },
		// The API gives the file's name and size with its URL.
		downloadOff: (sandbox, job) => ({ fileName: 'output.mp4', fileSize: sandbox.expectedVideo(job).size }),
		submitThenGet: { submitted: { model: PIXVERSE_V5, credits: 120000 }, done: { credits: 120000 } },
	},
];
