import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';
import { apiError, isCanceled } from './errors';
import type { Transport } from './transport';
import type { VideoRef } from './types';

const EXTENSIONS: Record<string, string> = {
	'video/mp4': 'mp4',
	'video/webm': 'webm',
	'video/quicktime': 'mov',
	'video/x-matroska': 'mkv',
	'image/gif': 'gif',
};
const DOWNLOAD_ATTEMPTS = 3;

/**
 * Streams a video into n8n's binary storage: the bytes go from the socket to the store without being
 * held whole here (n8n's filesystem and S3 modes keep them out of memory altogether).
 */
export async function storeVideo(ctx: IExecuteFunctions, api: Transport, video: VideoRef, fileBase: string): Promise<IBinaryData> {
	if (video.data) return await ctx.helpers.prepareBinaryData(video.data, fileName(fileBase, mimeTypeOf(video)), mimeTypeOf(video));
	if (!video.url) throw new NodeOperationError(ctx.getNode(), 'The provider reported the video as done but gave no URL for it');
	// A connection that breaks mid-stream is retried from the start; the status code was fine.
	for (let attempt = 1; ; attempt++) {
		const download = await api.download(video.url);
		const mimeType = mimeTypeOf(video, download.mimeType);
		try {
			return await ctx.helpers.prepareBinaryData(download.stream, fileName(fileBase, mimeType), mimeType);
		} catch (error) {
			download.stream.destroy();
			if (isCanceled(error) || attempt >= DOWNLOAD_ATTEMPTS)
				throw apiError(
					ctx.getNode(),
					{ phase: 'download', networkCode: 'ECONNRESET', providerMessage: error.message },
					{ kind: 'network', message: `The video download broke off ${attempt} times: ${error.message}` },
				);
		}
	}
}

/** The response's video type, else what the provider said, else the URL's extension, else MP4. */
function mimeTypeOf(video: VideoRef, responseType?: string): string {
	for (const candidate of [responseType, video.mimeType]) {
		if (candidate && (candidate.startsWith('video/') || candidate === 'image/gif')) return candidate;
	}
	const extension = /\.([a-z0-9]+)(?:$|[?#])/i.exec(video.url ?? video.fileName ?? '')?.[1]?.toLowerCase();
	const byExtension = Object.entries(EXTENSIONS).find(([, ext]) => ext === extension)?.[0];
	return byExtension ?? 'video/mp4';
}

function fileName(fileBase: string, mimeType: string): string {
	const extension = EXTENSIONS[mimeType] ?? mimeType.split('/')[1] ?? 'mp4';
	const base = (fileBase || 'video').replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120) || 'video';
	return base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
}
