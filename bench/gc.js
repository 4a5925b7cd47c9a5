#!/usr/bin/env node
'use strict';
// Runs a full garbage collection in a Node process started with --inspect, through the inspector
// protocol (HeapProfiler.collectGarbage), so that memory runs start from the same collected heap.
// Needs Node ≥ 22 (global WebSocket): the bench runs it on n8n's Node. Usage: node bench/gc.js <port>
async function main(port) {
	const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
	const socket = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => {
		socket.onopen = resolve;
		socket.onerror = () => reject(new Error(`cannot reach the inspector on port ${port}`));
	});
	const started = Date.now();
	await new Promise((resolve, reject) => {
		socket.onmessage = (event) => {
			const message = JSON.parse(String(event.data));
			if (message.id !== 1) return;
			if (message.error) reject(new Error(message.error.message));
			else resolve();
		};
		socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
	});
	socket.close();
	process.stdout.write(`${JSON.stringify({ ms: Date.now() - started })}\n`);
}

main(process.argv[2]).catch((error) => {
	console.error(error?.stack ?? error);
	process.exit(1);
});
