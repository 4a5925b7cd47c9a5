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

module.exports = { sendJson, parseJson };
