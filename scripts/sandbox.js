#!/usr/bin/env node
'use strict';
// `npm run sandbox`: the sandbox on fixed ports, for trying workflows without keys or credits.
const { startSandbox, SANDBOX_API_KEY } = require('../sandbox');

const apiPort = Number(process.env.SANDBOX_PORT ?? 5680);
const cdnPort = Number(process.env.SANDBOX_CDN_PORT ?? apiPort + 1);
const jobDurationMs = Number(process.env.SANDBOX_JOB_SECONDS ?? 3) * 1000;
// SANDBOX_CAPACITY=<n>: every provider refuses (HTTP 429) a submit beyond n unfinished jobs, as a plan's cap does.
const capacity = process.env.SANDBOX_CAPACITY ? Number(process.env.SANDBOX_CAPACITY) : undefined;

startSandbox({ apiPort, cdnPort, jobDurationMs, capacity }).then(
	(sandbox) => {
		console.log(`Sandbox listening. API key for every provider: ${SANDBOX_API_KEY}`);
		for (const [name, url] of Object.entries(sandbox.urls)) console.log(`  ${name.padEnd(16)} ${url}`);
		console.log('Put these URLs in the credentials\' Base URL fields. Ctrl-C stops the sandbox.');
		process.on('SIGINT', () => sandbox.close().then(() => process.exit(0)));
		process.on('SIGTERM', () => sandbox.close().then(() => process.exit(0)));
	},
	(error) => {
		console.error(`Sandbox could not start: ${error.message}`);
		process.exit(1);
	},
);
