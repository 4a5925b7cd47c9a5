/**
 * Test images: valid PNG files of any size, different per seed (image-to-video tests compare the bytes a
 * provider received with these by sha256), and the ways n8n hands a binary field to a node.
 */
import { Container } from '@n8n/di';
import { deflateSync } from 'zlib';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import { initBinaryData } from './n8n';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Buffer): number {
	let c = 0xffffffff;
	for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** A `width` × `height` RGB PNG: a gradient tinted by `seed`, so two seeds give two different files. */
export function pngImage(width = 320, height = 320, seed = 1): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // RGB
	const rows: Buffer[] = [];
	for (let y = 0; y < height; y++) {
		const row = Buffer.alloc(1 + width * 3);
		for (let x = 0; x < width; x++) {
			row[1 + x * 3] = (x * 255) / width;
			row[2 + x * 3] = (y * 255) / height;
			row[3 + x * 3] = (seed * 53 + x * y) & 0xff;
		}
		rows.push(row);
	}
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** A binary field kept in the item itself, base64 (n8n's default memory mode). */
export function inlineBinary(bytes: Buffer, mimeType = 'image/png', fileName = 'still.png'): IBinaryData {
	return { data: bytes.toString('base64'), mimeType, fileName, fileExtension: fileName.split('.').pop(), fileSize: `${bytes.length} B` };
}

/** A binary field stored by n8n's binary data service on disk (filesystem mode): the item holds only its id. */
export async function storedBinary(bytes: Buffer, mimeType = 'image/png', fileName = 'still.png'): Promise<IBinaryData> {
	await initBinaryData();
	const binary: IBinaryData = { data: '', mimeType, fileName, fileExtension: fileName.split('.').pop() };
	return await Container.get(BinaryDataService).store({ type: 'execution', workflowId: 'wf-test', executionId: `images-${Date.now()}` }, bytes, binary);
}
