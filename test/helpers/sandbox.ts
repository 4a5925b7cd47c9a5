import { createHash } from 'crypto';
// The sandbox is plain JavaScript so that users, tests and the real-n8n suite all run the same code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sandboxModule = require('../../sandbox');

export interface SandboxJob {
	id: string;
	videoId: string;
	createdAt: number;
	finishedAt: number;
	durationMs: number;
	polls: number;
	request: Record<string, unknown>;
}

export interface SandboxRequest {
	provider: string;
	route: string;
	method: string;
	url: string;
	authorization?: string;
	at: number;
	body?: unknown;
}

export interface Sandbox {
	urls: Record<string, string>;
	apiKey: string;
	jobDurationMs: number;
	videoBytes: number;
	requests: SandboxRequest[];
	jobs: Map<string, SandboxJob>;
	close(): Promise<void>;
	reset(): void;
	/** A plan's cap on concurrent jobs of `provider` (submits beyond it: HTTP 429); undefined lifts it. */
	setCapacity(provider: string, jobs: number | undefined): void;
	/** The most of `provider`'s jobs ever unfinished at one moment. */
	peakRunning(provider: string): number;
	fault(spec: { provider?: string; route: string; status?: number; times?: number; retryAfter?: string | number; message?: string; reset?: boolean; delayMs?: number }): void;
	requestsTo(provider: string, route?: string): SandboxRequest[];
	findJob(provider: string, id: string): SandboxJob | undefined;
	/** `index`: a job's further videos (n > 1). */
	expectedVideo(job: SandboxJob, index?: number): { sha256: string; size: number };
}

export const SANDBOX_API_KEY: string = sandboxModule.SANDBOX_API_KEY;

export async function startSandbox(options: { jobDurationMs?: number; videoBytes?: number; apiKey?: string } = {}): Promise<Sandbox> {
	return (await sandboxModule.startSandbox(options)) as Sandbox;
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
