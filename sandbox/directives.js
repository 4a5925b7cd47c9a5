'use strict';

/**
 * Prompt directives let a workflow ask the sandbox for a behaviour without any control call:
 * `[sandbox:fail]`, `[sandbox:moderation]`, `[sandbox:seconds=2.5]`, `[sandbox:size=300MB]`,
 * `[sandbox:pollfail=7]` (the job's first 7 status checks answer 503, enough to outlast a client's
 * own retries: for Retry On Fail and restart tests).
 * `[sandbox:cdn=FAULT]` or `[sandbox:cdn=FAULT*N]` (only the job's first N downloads) makes the
 * CDN (and a gateway's /content route) misbehave for this job's video, as real CDNs do:
 *   cut      sends half the video, then drops the connection
 *   html     answers 200 text/html with an error page
 *   fakemp4  answers 200 with the error page labelled video/mp4
 *   short    announces the whole length, sends half and ends cleanly
 *   403      refuses (403 AccessDenied, an expired signed link) until the job's status was checked
 *            again, which hands out a fresh link (a new `sig`)
 *   gone     always 403 (the link never works again)
 *   stall    sends the headers and 16 KB (at most half the video), then nothing (the connection stays open)
 *   endless  sends video bytes without end and without a Content-Length
 */
function parseDirectives(prompt) {
	const directives = {};
	for (const match of String(prompt ?? '').matchAll(/\[sandbox:([a-z]+)(?:=([^\]]+))?\]/gi)) {
		const key = match[1].toLowerCase();
		const value = match[2];
		if (key === 'fail' || key === 'moderation') directives.outcome = key === 'fail' ? 'failed' : 'moderated';
		if (key === 'seconds') directives.durationMs = Number(value) * 1000;
		if (key === 'size') directives.videoBytes = parseSize(value);
		if (key === 'pollfail') directives.pollFailures = Number(value);
		if (key === 'cdn') {
			const [fault, times] = String(value ?? '').toLowerCase().split('*');
			directives.cdnFault = fault.trim();
			directives.cdnFaultTimes = times === undefined ? Infinity : Number(times);
		}
	}
	return directives;
}

function parseSize(text) {
	const match = /^([\d.]+)\s*(b|kb|mb|gb)?$/i.exec(String(text).trim());
	if (!match) return undefined;
	const unit = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9 }[(match[2] || 'b').toLowerCase()];
	return Math.round(Number(match[1]) * unit);
}

/** Every `[sandbox:key=value]` directive of a prompt (providers' own variants), values lowercased. */
function directiveValues(prompt) {
	const values = {};
	for (const match of String(prompt ?? '').matchAll(/\[sandbox:([a-z]+)=([^\]]+)\]/gi)) values[match[1].toLowerCase()] = match[2].trim().toLowerCase();
	return values;
}

const directiveValue = (prompt, key) => directiveValues(prompt)[key];

module.exports = { parseDirectives, parseSize, directiveValues, directiveValue };
