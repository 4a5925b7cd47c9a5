#!/usr/bin/env node
'use strict';
// What streaming a video costs any Node process, whoever writes the code: `pipeline(http response,
// file)` and nothing else, RSS sampled every 5 ms. Run on n8n's own Node, it is the floor that the
// memory figures of n8n nodes are read against. Usage: node bench/stream-floor.js <video URL>
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');

async function main(url) {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ttv-floor-')), 'video.mp4');
	const response = await new Promise((resolve, reject) => http.get(url, resolve).once('error', reject));
	const before = process.memoryUsage().rss;
	let peak = before;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
	const started = Date.now();
	await pipeline(response, fs.createWriteStream(file));
	clearInterval(timer);
	const bytes = fs.statSync(file).size;
	fs.rmSync(path.dirname(file), { recursive: true, force: true });
	process.stdout.write(`${JSON.stringify({ node: process.version, bytes, ms: Date.now() - started, beforeMB: before / 1e6, peakMB: peak / 1e6, growthMB: (peak - before) / 1e6 })}\n`);
}

main(process.argv[2]).catch((error) => {
	console.error(error?.stack ?? error);
	process.exit(1);
});
