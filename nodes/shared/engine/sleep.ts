import * as workflow from 'n8n-workflow';

type SleepWithAbort = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * n8n 1.x exports `sleepWithAbort(ms, signal)` and a `sleep(ms)` that ignores signals; n8n 2.x
 * dropped `sleepWithAbort` and gave `sleep` the signal instead. Both reject when the signal fires.
 */
const sleepWithAbort: SleepWithAbort =
	(workflow as unknown as { sleepWithAbort?: SleepWithAbort }).sleepWithAbort ??
	(workflow.sleep as unknown as SleepWithAbort);

export async function cancellableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (ms <= 0) return;
	if (!signal) return await workflow.sleep(ms);
	return await sleepWithAbort(ms, signal);
}
