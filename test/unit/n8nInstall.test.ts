/** scripts/n8n.js: which npm failures are a dropped registry connection (tried again) and which are final. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { NETWORK_FAILURE } = require('../../scripts/n8n') as { NETWORK_FAILURE: RegExp };

test.each([
	// The cold CI run that failed on n8n 1.123.81's install.
	['npm error code ECONNABORTED\nnpm error syscall read\nnpm error errno -103\nnpm error read ECONNABORTED'],
	['npm error code ECONNRESET\nnpm error network aborted'],
	['npm error code ETIMEDOUT'],
	['npm error code EAI_AGAIN'],
])('a dropped connection is tried again: %s', (tail) => {
	expect(NETWORK_FAILURE.test(tail)).toBe(true);
});

test.each([
	['npm error code ETARGET\nnpm error notarget No matching version found for n8n@9.9.9.'],
	['npm error code E404\nnpm error 404 Not Found - GET https://registry.example/n8n-nope'],
	['npm error code EINTEGRITY'],
])('a final failure is not: %s', (tail) => {
	expect(NETWORK_FAILURE.test(tail)).toBe(false);
});
