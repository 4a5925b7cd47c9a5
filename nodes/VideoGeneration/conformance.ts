/** The Video Generation API node, in each API style, as the engine's shared cases meet it through the sandbox (test data, not built: test/helpers/conformance.ts). */
import type { ConformanceProfile } from '../../test/helpers/conformance';

const profile = (style: 'videoGenerations' | 'videos', variant: string): ConformanceProfile => ({
	variant,
	keyPrefix: 'sk-gw',
	jobMs: 500,
	defaults: { apiStyle: style, model: { __rl: true, mode: 'id', value: 'kling-v2-5-turbo' }, prompt: 'a red fox in the snow' },
	jobId: /^task_[A-Za-z0-9]{32}$/,
	// The Videos API serves the video at /v1/videos/{id}/content on the gateway itself (the key goes along).
	cdn: style === 'videoGenerations',
	invalidThird: { parameters: { duration: '={{ $json.d }}' }, items: [{ d: 5 }, { d: 10 }, { d: 7.5 }], message: /^Duration \(Seconds\) must be a whole number.* \(item 3\)$/ },
	serverError: /Video Generation API had a server error \(HTTP 503\)/,
	unauthorized: /rejected the API key \(HTTP 401\) \| .*said: "无效的令牌/,
	echoed: /\(HTTP 400\).*Bad token \*\*\*/,
	failureReason: 'upstream task failed: the render did not finish in time',
	failed: (jobId) => new RegExp(`^Video Generation API could not make the video \\| Run the node again.* Video Generation API said: "upstream task failed: the render did not finish in time.*" Job ID: ${jobId}\\.$`),
	moderated: { message: /^Video Generation API rejected the prompt at content moderation \| Rephrase the prompt.* said: ".*" Job ID: task_/ },
	failedGet: { error: expect.stringMatching(/upstream task failed/) },
	submitThenGet: { done: { progress: 100 } },
});

export const conformance: ConformanceProfile[] = [profile('videoGenerations', 'Task API'), profile('videos', 'Videos API')];
