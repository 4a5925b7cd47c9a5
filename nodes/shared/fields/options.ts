import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';
import { costOptionProperties } from '../cost/cost';
import { parseOrThrow } from '../validation/input';
import { DEFAULT_DOWNLOAD_TIMEOUT_SECONDS, DEFAULT_MAX_DOWNLOAD_MB, DEFAULT_STALL_TIMEOUT_SECONDS } from '../transport/download';
import { isSynchronous, type JobInput, type VideoProvider } from '../engine/providerContract';

/** The `options` collection every node shares (its option names: contract/public-names.v1.json), read and checked in one place. */

export interface EngineOptions {
	pollInterval: number;
	maxWait: number;
	concurrency: number;
	download: boolean;
	binaryPropertyName: string;
	waitForCompletion: boolean;
	/** Seconds one request may take; synchronous APIs hold it for the whole render. */
	requestTimeout?: number;
	/** Provider-given addresses on a local network may be fetched (nodes/shared/transport/urlGuard.ts); absent in older saved states. */
	allowPrivateUrls?: boolean;
	/** Seconds without a byte that end a download attempt. */
	stallTimeout: number;
	/** Seconds the whole download phase of one video may take. */
	downloadTimeout: number;
	/** MB a video may have (a download, or a synchronous API's decoded answer). */
	maxDownloadSize: number;
}

export const DEFAULT_MAX_WAIT_SECONDS = 20 * 60;
/** 0: automatic (nodes/shared/engine/pool.ts). */
export const DEFAULT_CONCURRENCY = 0;

export interface OptionsSpec {
	/** Asynchronous APIs: seconds between status checks when the user sets none. */
	defaultPollInterval?: number;
	/** Synchronous APIs have no polling; they get a request timeout instead. */
	synchronous?: boolean;
	defaultRequestTimeout?: number;
	/** Whether `get` exists, and so "Wait for Completion" with it. */
	hasGet: boolean;
	/** The provider's own options, added to the collection; the provider reads them itself. */
	extra?: INodeProperties[];
	/** A free balance endpoint exists: Keep Balance Above is offered (nodes/shared/cost/cost.ts). */
	balance?: boolean;
}

/** The options a provider's kind calls for: polling and Get for jobs, a request timeout for one-request APIs. */
export function optionsSpecOf<Input extends JobInput, Context>(provider: VideoProvider<Input, Context>, extra?: INodeProperties[]): OptionsSpec {
	const balance = !!provider.cost?.balance;
	if (isSynchronous(provider)) return { synchronous: true, defaultRequestTimeout: provider.defaultRequestTimeout, hasGet: false, extra, balance };
	return { defaultPollInterval: provider.defaultPollInterval, defaultRequestTimeout: provider.defaultRequestTimeout, hasGet: true, extra, balance };
}

export function optionsProperty(spec: OptionsSpec): INodeProperties {
	// Plain identifiers: n8n's linter cannot read `default: spec.defaultPollInterval` as a default.
	const { defaultPollInterval, defaultRequestTimeout } = spec;
	const polling: INodeProperties[] = spec.synchronous
		? []
		: [
				{
					displayName: 'Poll Interval (Seconds)',
					name: 'pollInterval',
					type: 'number',
					typeOptions: { minValue: 0.1, numberPrecision: 1 },
					default: defaultPollInterval,
					description:
						'Shortest time between two status checks. Checks start at this interval and space out as a long job goes on, so a long job costs few requests.',
				},
				{
					displayName: 'Max Wait (Seconds)',
					name: 'maxWait',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: DEFAULT_MAX_WAIT_SECONDS,
					description:
						'Give up waiting after this long. The error names the job ID, so the Get operation can pick the job up later without paying again.',
				},
			];
	const timeout: INodeProperties[] =
		defaultRequestTimeout !== undefined
			? [
					{
						displayName: 'Request Timeout (Seconds)',
						name: 'requestTimeout',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: defaultRequestTimeout,
						description: 'How long one request may take. This API answers only once the video is made, often after minutes.',
					},
				]
			: [];
	const waitOption: INodeProperties[] = spec.hasGet
		? [
				{
					displayName: 'Wait for Completion',
					name: 'waitForCompletion',
					type: 'boolean',
					default: false,
					displayOptions: { show: { '/operation': ['get'] } },
					description: 'Whether to wait until the job has finished instead of returning its current status',
				},
			]
		: [];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Private Network URLs',
				name: 'allowPrivateUrls',
				type: 'boolean',
				default: false,
				description:
					'Whether to fetch video and upload addresses the provider gives even when they are plain http or on this machine, a private network or a cloud metadata service. Off (the default) protects n8n\'s network from a hostile or compromised provider; a Base URL on a local network already allows its own kind of address.',
			},
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Name of the binary field that receives the video',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 50 },
				default: DEFAULT_CONCURRENCY,
				description:
					'How many input items are generated at the same time. 0 (the default) is automatic: every item at once (up to 20), fewer as soon as the provider answers that it is busy, and more again when it accepts. A number sets a fixed upper bound, e.g. what your plan allows.',
			},
			{
				displayName: 'Download Stall Timeout (Seconds)',
				name: 'stallTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_STALL_TIMEOUT_SECONDS,
				description: 'End a download that receives no data for this long, and try again. A slow download that keeps moving is not ended.',
			},
			{
				displayName: 'Download Timeout (Seconds)',
				name: 'downloadTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_DOWNLOAD_TIMEOUT_SECONDS,
				description: 'Longest time for downloading one video, all tries and pauses included. The error names the job ID so the video can be fetched later.',
			},
			{
				displayName: 'Download Video',
				name: 'download',
				type: 'boolean',
				default: true,
				description: 'Whether to download the video into a binary field. Off: return the video URL only.',
			},
			{
				displayName: 'Max Download Size (MB)',
				name: 'maxDownloadSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_DOWNLOAD_MB,
				description: 'Largest video the node stores. A larger one fails the item, naming the job ID, before n8n stores it.',
			},
			...polling,
			...timeout,
			...waitOption,
			...costOptionProperties(!!spec.balance),
			...(spec.extra ?? []),
		],
	};
}

const optionsSchema = z.object({
	pollInterval: z.number({ invalid_type_error: 'Poll Interval must be a number of seconds' }).min(0.1, 'Poll Interval must be at least 0.1 seconds'),
	maxWait: z.number({ invalid_type_error: 'Max Wait must be a number of seconds' }).positive('Max Wait must be more than 0 seconds'),
	concurrency: z
		.number({ invalid_type_error: 'Concurrency must be a whole number' })
		.int('Concurrency must be a whole number')
		.min(0, 'Concurrency must be 0 (automatic) to 50')
		.max(50, 'Concurrency must be 0 (automatic) to 50'),
	download: z.boolean(),
	binaryPropertyName: z.string().trim().min(1, 'Binary Property must not be empty'),
	waitForCompletion: z.boolean(),
	requestTimeout: z.number().min(1, 'Request Timeout must be at least 1 second').optional(),
	allowPrivateUrls: z.boolean(),
	stallTimeout: z.number({ invalid_type_error: 'Download Stall Timeout must be a number of seconds' }).min(1, 'Download Stall Timeout must be at least 1 second'),
	downloadTimeout: z.number({ invalid_type_error: 'Download Timeout must be a number of seconds' }).min(1, 'Download Timeout must be at least 1 second'),
	maxDownloadSize: z.number({ invalid_type_error: 'Max Download Size must be a number of MB' }).positive('Max Download Size must be more than 0 MB'),
});

export function readOptions(ctx: IExecuteFunctions, itemIndex: number, spec: OptionsSpec): EngineOptions {
	const raw = ctx.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
	return parseOrThrow(
		ctx,
		itemIndex,
		optionsSchema,
		{
			// A one-request API never polls; the schema still wants a number.
			pollInterval: spec.defaultPollInterval ?? 1,
			maxWait: DEFAULT_MAX_WAIT_SECONDS,
			concurrency: DEFAULT_CONCURRENCY,
			download: true,
			binaryPropertyName: 'data',
			waitForCompletion: false,
			requestTimeout: spec.defaultRequestTimeout,
			allowPrivateUrls: false,
			stallTimeout: DEFAULT_STALL_TIMEOUT_SECONDS,
			downloadTimeout: DEFAULT_DOWNLOAD_TIMEOUT_SECONDS,
			maxDownloadSize: DEFAULT_MAX_DOWNLOAD_MB,
			...Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== '')),
		},
	);
}
