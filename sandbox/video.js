'use strict';
// Deterministic, playable videos of any size. A small real MP4 (sample.mp4) is followed, for larger
// sizes, by an MP4 `free` box of filler bytes: players skip it, so every size stays a valid file,
// and it is generated chunk by chunk so a 300 MB video never sits in the sandbox's memory.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');

const SAMPLE = fs.readFileSync(path.join(__dirname, 'sample.mp4'));
const FREE_BOX_HEADER = 8;
const CHUNK = 64 * 1024;

/** Smallest size a video can have: the sample itself. */
const MIN_SIZE = SAMPLE.length;

function fillerChunk(seed, index, length) {
	// Cheap, deterministic and different per video: a repeated 32-byte hash of (seed, chunk index).
	const block = crypto.createHash('sha256').update(`${seed}:${index}`).digest();
	const out = Buffer.allocUnsafe(length);
	for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i));
	return out;
}

function freeBoxHeader(size) {
	const header = Buffer.alloc(FREE_BOX_HEADER);
	header.writeUInt32BE(size, 0);
	header.write('free', 4, 'latin1');
	return header;
}

/** Yields the bytes of the video `seed` of `size` bytes, in chunks. */
function* videoChunks(seed, size) {
	const target = Math.max(size, MIN_SIZE);
	yield SAMPLE;
	let remaining = target - SAMPLE.length;
	if (remaining <= 0) return;
	// A box needs at least its 8-byte header; below that, pad the sample's size up to it.
	if (remaining < FREE_BOX_HEADER) remaining = FREE_BOX_HEADER;
	yield freeBoxHeader(remaining);
	remaining -= FREE_BOX_HEADER;
	for (let index = 0; remaining > 0; index++) {
		const length = Math.min(CHUNK, remaining);
		yield fillerChunk(seed, index, length);
		remaining -= length;
	}
}

/** A body without end: the sample, then a `free` box of size 0 ("to the end of the file") that never ends. */
function* endlessChunks(seed) {
	yield SAMPLE;
	yield freeBoxHeader(0);
	for (let index = 0; ; index++) yield fillerChunk(seed, index, CHUNK);
}

const endlessStream = (seed) => Readable.from(endlessChunks(seed), { objectMode: false });

function videoSize(size) {
	const target = Math.max(size, MIN_SIZE);
	const rest = target - SAMPLE.length;
	return rest > 0 && rest < FREE_BOX_HEADER ? SAMPLE.length + FREE_BOX_HEADER : target;
}

function videoStream(seed, size) {
	return Readable.from(videoChunks(seed, size), { objectMode: false });
}

function videoSha256(seed, size) {
	const hash = crypto.createHash('sha256');
	for (const chunk of videoChunks(seed, size)) hash.update(chunk);
	return hash.digest('hex');
}

function videoBuffer(seed, size) {
	return Buffer.concat([...videoChunks(seed, size)]);
}

module.exports = { endlessStream, MIN_SIZE, videoChunks, videoStream, videoSha256, videoBuffer, videoSize };
