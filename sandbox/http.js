'use strict';
// Response helpers shared by the sandbox's provider modules.

function sendJson(res, status, body, headers = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

function parseJson(body) {
	if (!body) return undefined;
	try {
		return JSON.parse(body.toString('utf8'));
	} catch {
		return null;
	}
}

/**
 * Parses a multipart/form-data body (what `form-data` and browsers send): text parts into `fields`,
 * file parts into `files` as { filename, contentType, size, data }. null when it is not multipart.
 */
function parseMultipart(body, contentType) {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	if (!match || !/^multipart\/form-data/i.test(contentType) || !body) return null;
	const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
	const fields = {};
	const files = {};
	for (let start = body.indexOf(delimiter); start !== -1; ) {
		const partStart = start + delimiter.length;
		if (body.subarray(partStart, partStart + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, partStart);
		if (next === -1) break;
		// Each part: CRLF, headers, blank line, content, CRLF before the next delimiter.
		const part = body.subarray(partStart + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		const headers = part.subarray(0, headerEnd).toString('utf8');
		const data = part.subarray(headerEnd + 4);
		const name = /;\s*name="([^"]*)"/i.exec(headers)?.[1];
		const filename = /;\s*filename="([^"]*)"/i.exec(headers)?.[1];
		if (name !== undefined && filename !== undefined)
			files[name] = { filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1], size: data.length, data };
		else if (name !== undefined) fields[name] = data.toString('utf8');
		start = next;
	}
	return { fields, files };
}

module.exports = { sendJson, parseJson, parseMultipart };
