import { fileName, signatureOf } from '../../nodes/shared/transport/download';

describe('video signatures (nodes/shared/transport/download.ts)', () => {
	test('MP4/MOV boxes, EBML and GIF are videos; HTML, JSON, XML and short answers are not', () => {
		const box = (type: string) => Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from(type, 'latin1'), Buffer.alloc(8)]);
		expect(signatureOf(box('ftyp'))).toBe('isobmff');
		expect(signatureOf(box('moov'))).toBe('isobmff');
		expect(signatureOf(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]))).toBe('ebml');
		expect(signatureOf(Buffer.from('GIF89a\x01\x00', 'latin1'))).toBe('gif');
		for (const text of ['<!DOCTYPE html><html>', '{"error":"quota"}', '<?xml version="1.0"?><Error>', 'ftyp', ''])
			expect(signatureOf(Buffer.from(text))).toBeUndefined();
	});

	test('file extensions from a Content-Type are sanitised', () => {
		expect(fileName('job-1', 'video/mp4')).toBe('job-1.mp4');
		expect(fileName('job-1', 'video/quicktime')).toBe('job-1.mov');
		expect(fileName('job-1', 'video/x-flv')).toBe('job-1.flv');
		expect(fileName('job-1', 'video/../../etc/passwd')).toBe('job-1.mp4');
		expect(fileName('job-1', 'video/mp4;name=x.sh')).toBe('job-1.mp4');
		expect(fileName('../../evil', 'video/webm')).toBe('evil.webm');
	});
});
