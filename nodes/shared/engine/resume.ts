import { createHash } from 'crypto';

/**
 * Jobs this process submitted, so that n8n's Retry On Fail does not buy them again.
 *
 * Retry On Fail re-runs the node's whole `execute()` for every item, in the same execution (n8n-core's
 * WorkflowExecute: up to 5 tries, at most 5 s apart, same execution id). Each submitted job is
 * remembered under its execution, node, item and a hash of the validated input; a retry that reaches
 * the same item with the same input picks the job up (status, wait, download) instead of submitting.
 * Changed input (an expression that now yields another prompt) hashes differently: a new job.
 *
 * Bounded: entries of a node run are dropped as soon as the run ends with every item done (no retry
 * can follow), otherwise they expire after the longest wait the run allowed plus a margin, and the map
 * never holds more than MAX_ENTRIES (oldest first out). A queue worker running for weeks keeps nothing.
 */

export const MAX_ENTRIES = 10_000;
/** Beyond Max Wait: n8n's tries (5, 5 s apart) plus the time a try spends before it reaches an item. */
export const EXPIRY_MARGIN_MS = 10 * 60 * 1000;

export interface RunKey {
	executionId: string;
	/** The node's id (stable across renames within an execution) or its name. */
	node: string;
}

interface Entry {
	jobId: string;
	expiresAt: number;
}

export class ResumeMemory {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly maxEntries = MAX_ENTRIES) {}

	get size(): number {
		return this.entries.size;
	}

	/** The key of one item's job; `input` is the validated input (prompt, model, fields). */
	static key(run: RunKey, itemIndex: number, input: unknown): string {
		const digest = createHash('sha256').update(JSON.stringify(input ?? null)).digest('hex').slice(0, 32);
		return `${ResumeMemory.prefix(run)}${itemIndex}\u0000${digest}`;
	}

	private static prefix(run: RunKey): string {
		return `${run.executionId}\u0000${run.node}\u0000`;
	}

	/** The job an earlier try of this run submitted for this key, if it is still remembered. */
	recall(key: string, now = Date.now()): string | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (entry.expiresAt <= now) {
			this.entries.delete(key);
			return undefined;
		}
		return entry.jobId;
	}

	remember(key: string, jobId: string, keepMs: number, now = Date.now()): void {
		this.prune(now);
		this.entries.delete(key); // re-inserted last: Map order is age order
		this.entries.set(key, { jobId, expiresAt: now + keepMs + EXPIRY_MARGIN_MS });
		while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
	}

	/** Drops every entry of a node run (it ended with every item done: no retry follows). */
	forgetRun(run: RunKey): void {
		const prefix = ResumeMemory.prefix(run);
		for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
	}

	prune(now = Date.now()): void {
		for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
	}
}

/** One per process: n8n runs every execution of a main process or a worker in the same process. */
export const resumeMemory = new ResumeMemory();
