/**
 * The job engine (`runVideoNode`) on its own, inside n8n-core's real execution context, with an
 * in-memory job API (test/helpers/memoryProvider.ts): no HTTP, no sandbox, so every rule tested here is
 * the engine's and no provider's. Waits use fractions of a second (Max Wait may be one).
 */
import { resumeMemory } from '../../nodes/shared/engine/resume';
import { fakeVideo, MemoryProvider, runMemory } from '../helpers/memoryProvider';
import { binaryBytes } from '../helpers/n8n';

/** A job that outlasts every test (the test ends it by Max Wait or cancel). */
const LONG = '[ms=600000]';
const GET_HINT = /Run this node with the Get operation and this Job ID/;

describe('validation: every item is checked before anything is paid', () => {
	test('a bad third item means no submit at all', async () => {
		const provider = new MemoryProvider();
		const result = await runMemory(provider, ['one', 'two', 'bad three']);
		expect(result.error?.message).toMatch(/Invalid parameter prompt/);
		expect(result.error?.context?.itemIndex).toBe(2);
		expect(provider.calls).toHaveLength(0);
	});

	test('a bad option of any item stops the run before the first request', async () => {
		const provider = new MemoryProvider();
		const result = await runMemory(provider, ['one', 'two'], { options: { pollInterval: 0.01 } });
		expect(result.error?.message).toMatch(/Poll Interval must be at least 0.1 seconds/);
		expect(provider.calls).toHaveLength(0);
	});

	test('with Continue On Fail the bad item becomes its error item; the others are made', async () => {
		const provider = new MemoryProvider(0);
		const result = await runMemory(provider, ['one', 'bad two', 'three'], { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[1].json).toEqual({ error: expect.stringMatching(/Invalid parameter prompt/), status: 'failed' });
		expect(result.items[1].binary).toBeUndefined();
		expect(provider.jobs.map((job) => job.prompt)).toEqual(['one', 'three']);
		expect(await binaryBytes(result.items[2])).toEqual(fakeVideo('three'));
	});

	test('Get: an empty or path-walking job ID fails before any request', async () => {
		const provider = new MemoryProvider();
		const empty = await runMemory(provider, ['x'], { operation: 'get', jobId: '  ' });
		expect(empty.error?.message).toBe('Invalid jobId: Job ID is empty');
		const dots = await runMemory(provider, ['x'], { operation: 'get', jobId: '..' });
		expect(dots.error?.message).toBe('Invalid jobId: Job ID ".." is made only of dots');
		const slash = await runMemory(provider, ['x'], { operation: 'get', jobId: 'job-1/../../accounts' });
		expect(slash.error?.message).toMatch(/^Invalid jobId: Job ID "job-1\/..\/..\/accounts" contains a slash/);
		expect(slash.error?.description).toMatch(/Nothing was sent/);
		expect(provider.calls).toHaveLength(0);
	});
});

describe('order and completion', () => {
	test('items run at once, come back in order, each with its video', async () => {
		const provider = new MemoryProvider(200);
		const result = await runMemory(provider, ['one', 'two', 'three']);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(await binaryBytes(result.items[1])).toEqual(fakeVideo('two'));
		expect(provider.peak).toBe(3);
	});

	test('outputs keep the input order when later items finish first', async () => {
		const provider = new MemoryProvider();
		const result = await runMemory(provider, ['slow [ms=500]', 'middle [ms=250]', 'fast [ms=0]']);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
		for (const [index, prompt] of ['slow [ms=500]', 'middle [ms=250]', 'fast [ms=0]'].entries()) expect(await binaryBytes(result.items[index])).toEqual(fakeVideo(prompt));
		// The fast one was seen done long before the slow one: items did not wait for each other.
		const doneAt = (jobId: string) => Math.max(...provider.statusChecks(jobId).map((call) => call.at));
		expect(doneAt('job-3')).toBeLessThan(doneAt('job-1'));
	});

	test('a finished job: its fields, its video stored under the binary property, and no check after the final status', async () => {
		const provider = new MemoryProvider(0);
		const result = await runMemory(provider, ['a fox'], { options: { binaryPropertyName: 'clip' } });
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toMatchObject({ jobId: 'job-1', status: 'completed', provider: 'memory', model: 'memory-1', fileName: 'job-1.mp4', mimeType: 'video/mp4', fileSize: fakeVideo('a fox').length });
		expect(await binaryBytes(item, 'clip')).toEqual(fakeVideo('a fox'));
		// Submitted (queued), one check found it done: nothing more.
		expect(provider.calls.map((call) => call.kind)).toEqual(['start', 'status']);
	});

	test('Download off still stores bytes the provider handed over (nothing else keeps them)', async () => {
		const provider = new MemoryProvider(0);
		const result = await runMemory(provider, ['a fox'], { options: { download: false } });
		expect(result.error).toBeUndefined();
		expect(await binaryBytes(result.items[0])).toEqual(fakeVideo('a fox'));
	});

	test('a job the provider calls complete without a video fails, naming the job', async () => {
		const provider = new MemoryProvider();
		const result = await runMemory(provider, ['a fox [empty]']);
		expect(result.error?.message).toBe('Memory reported the job complete but gave no video');
		expect(result.error?.description).toContain('Job ID: job-1.');
		// Get would only report the job as failed: no offer of it.
		expect(result.error?.description).not.toMatch(/Get operation/);
		expect(result.error?.context?.jobId).toBe('job-1');
	});

	test('a failed job: the provider\'s words and the job id once, and no Get offer (Get would only say failed)', async () => {
		const provider = new MemoryProvider(0);
		const result = await runMemory(provider, ['a fox [fail]']);
		expect(result.error?.message).toBe('Memory could not make the video');
		expect(result.error?.context).toMatchObject({ jobId: 'job-1', itemIndex: 0 });
		expect(result.error?.description).toContain('Memory said: "render failed"');
		expect(result.error?.description?.split('render failed')).toHaveLength(2);
		expect(result.error?.description).toContain('Job ID: job-1.');
		expect(result.error?.description).not.toMatch(/Get operation/);
		expect(provider.submits).toBe(1);
	});

	test('a moderated job says so', async () => {
		const provider = new MemoryProvider(0);
		const result = await runMemory(provider, ['a fox [moderation]']);
		expect(result.error?.message).toBe('Memory rejected the prompt at content moderation');
		expect(result.error?.description).toMatch(/^Rephrase the prompt/);
		expect(result.error?.description).toContain('Memory said: "the prompt was flagged"');
		expect(result.error?.description).toContain('Job ID: job-1.');
		expect(result.error?.description).not.toMatch(/Get operation/);
		expect(result.error?.context?.jobId).toBe('job-1');
	});

	test('Submit returns the queued job at once: no status check, no video', async () => {
		const provider = new MemoryProvider();
		const result = await runMemory(provider, ['one', 'two'], { operation: 'submit' });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ jobId: 'job-1', status: 'queued', provider: 'memory', model: 'memory-1' }),
			expect.objectContaining({ jobId: 'job-2', status: 'queued', provider: 'memory', model: 'memory-1' }),
		]);
		expect(result.items.every((item) => item.binary === undefined)).toBe(true);
		expect(provider.calls.map((call) => call.kind)).toEqual(['start', 'start']);
	});

	test('without Continue On Fail one failure stops the batch: nothing more is submitted, the other jobs are named', async () => {
		const provider = new MemoryProvider();
		const result = await runMemory(provider, [`one ${LONG}`, 'two [fail] [ms=0]', 'three'], { options: { concurrency: 2 } });
		expect(result.error?.message).toBe('Memory could not make the video (item 2)');
		expect(result.error?.context).toMatchObject({ jobId: 'job-2', itemIndex: 1 });
		expect(result.error?.description).toContain('Memory said: "render failed" Job ID: job-2.');
		expect(result.error?.description).toContain('Jobs of other items, already paid for: item 1: job-1');
		expect(provider.jobs.map((job) => job.prompt)).toEqual([`one ${LONG}`, 'two [fail] [ms=0]']);
	});
});

describe('Max Wait', () => {
	test('a job still running at Max Wait fails, naming its id and its last status, soon after Max Wait', async () => {
		const provider = new MemoryProvider();
		const started = Date.now();
		const result = await runMemory(provider, [`a fox ${LONG}`], { options: { maxWait: 0.3 } });
		const took = Date.now() - started;
		expect(result.error?.message).toBe('The Memory job did not finish within Max Wait (0.3 s)');
		expect(result.error?.context?.jobId).toBe('job-1');
		expect(result.error?.description).toMatch(/^Its last status was processing/);
		expect(result.error?.description).toContain('The job was submitted to Memory with ID job-1.');
		expect(result.error?.description).toMatch(GET_HINT);
		expect(took).toBeGreaterThanOrEqual(290);
		expect(took).toBeLessThan(3000);
		expect(provider.submits).toBe(1);
	});

	test('with Continue On Fail the late item says failed, with its job id and the job\'s own status; the others bring their videos', async () => {
		const provider = new MemoryProvider(0);
		const result = await runMemory(provider, ['one', `two ${LONG}`, 'three'], { options: { maxWait: 0.3 }, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items[1].json).toEqual({
			error: 'The Memory job did not finish within Max Wait (0.3 s) (item 2)',
			errorDescription: expect.stringMatching(/^Its last status was processing/),
			status: 'failed',
			jobId: 'job-2',
			jobStatus: 'processing',
		});
		expect(result.items[1].json.errorDescription).toContain('The job was submitted to Memory with ID job-2.');
		expect(result.items[1].json.errorDescription).toMatch(GET_HINT);
		expect(await binaryBytes(result.items[0])).toEqual(fakeVideo('one'));
		expect(await binaryBytes(result.items[2])).toEqual(fakeVideo('three'));
	});
});

describe('cancel (the execution\'s cancel signal)', () => {
	test('cancel while waiting ends the run at once, naming the job; nothing is asked afterwards', async () => {
		const provider = new MemoryProvider();
		const controller = new AbortController();
		const running = runMemory(provider, [`a fox ${LONG}`], { abortSignal: controller.signal });
		await new Promise((resolve) => setTimeout(resolve, 250));
		const canceledAt = Date.now();
		controller.abort();
		const result = await running;
		expect(Date.now() - canceledAt).toBeLessThan(1000);
		expect(result.error?.message).toBe('The execution was canceled while the Memory job was running');
		expect(result.error?.context?.jobId).toBe('job-1');
		expect(result.error?.description).toContain('The job was submitted to Memory with ID job-1.');
		expect(result.error?.description).toMatch(GET_HINT);
		const asked = provider.calls.length;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(provider.calls).toHaveLength(asked);
		expect(provider.calls.every((call) => call.at <= canceledAt)).toBe(true);
	});

	test('Continue On Fail does not turn a cancel into output items', async () => {
		const provider = new MemoryProvider();
		const controller = new AbortController();
		const running = runMemory(provider, [`one ${LONG}`, `two ${LONG}`], { abortSignal: controller.signal, continueOnFail: true });
		await new Promise((resolve) => setTimeout(resolve, 150));
		controller.abort();
		const result = await running;
		expect(result.error?.message).toMatch(/^The execution was canceled while the Memory job was running \(item [12]\)$/);
		expect(result.error?.context?.jobId).toMatch(/^job-[12]$/);
		expect(result.error?.description).toContain(`The job was submitted to Memory with ID ${String(result.error?.context?.jobId)}.`);
		expect(result.items).toHaveLength(0);
	});

	test('an execution canceled before the node runs submits nothing', async () => {
		const provider = new MemoryProvider();
		const controller = new AbortController();
		controller.abort();
		const result = await runMemory(provider, ['one', 'two'], { abortSignal: controller.signal });
		expect(result.items).toHaveLength(0);
		expect(provider.calls).toHaveLength(0);
	});
});

describe('Continue On Fail', () => {
	test('a failed job becomes {error, status: failed, jobId}; the others arrive with their videos, each paired', async () => {
		const provider = new MemoryProvider(0);
		const result = await runMemory(provider, ['one', 'two [fail]', 'three'], { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[1].json).toEqual({
			error: 'Memory could not make the video (item 2)',
			errorDescription: expect.stringContaining('Memory said: "render failed" Job ID: job-2.'),
			status: 'failed',
			jobId: 'job-2',
			jobStatus: 'failed',
		});
		expect(result.items[1].json.errorDescription).not.toMatch(/Get operation/);
		expect(result.items[1].binary).toBeUndefined();
		expect(await binaryBytes(result.items[0])).toEqual(fakeVideo('one'));
		expect(await binaryBytes(result.items[2])).toEqual(fakeVideo('three'));
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('a status check that fails after submission: the item names its job', async () => {
		const provider = new MemoryProvider(0);
		provider.failingPolls.set('job-1', 1);
		const result = await runMemory(provider, ['one'], { continueOnFail: true });
		expect(result.items[0].json).toEqual({
			error: 'the status check failed (HTTP 503)',
			errorDescription: expect.stringContaining('The job was submitted to Memory with ID job-1.'),
			status: 'failed',
			jobId: 'job-1',
			jobStatus: 'queued',
		});
		expect(result.items[0].json.errorDescription).toMatch(GET_HINT);
	});
});

describe('Get', () => {
	test('a running job: its status at once, no video; Wait for Completion: the video; never a submit', async () => {
		const provider = new MemoryProvider(300);
		const submitted = await runMemory(provider, ['a fox'], { operation: 'submit' });
		const jobId = String(submitted.items[0].json.jobId);
		const early = await runMemory(provider, ['ignored'], { operation: 'get', jobId });
		expect(early.error).toBeUndefined();
		expect(early.items[0].json).toMatchObject({ jobId, status: 'processing', provider: 'memory' });
		expect(early.items[0].binary).toBeUndefined();
		expect(provider.statusChecks(jobId)).toHaveLength(1);
		const done = await runMemory(provider, ['ignored'], { operation: 'get', jobId, options: { waitForCompletion: true } });
		expect(done.error).toBeUndefined();
		expect(done.items[0].json).toMatchObject({ jobId, status: 'completed' });
		expect(await binaryBytes(done.items[0])).toEqual(fakeVideo('a fox'));
		expect(provider.submits).toBe(1);
	});

	test('a failed job is returned as its status, not thrown: the job is what was asked for', async () => {
		const provider = new MemoryProvider(0);
		await runMemory(provider, ['a fox [fail]'], { operation: 'submit' });
		for (const waitForCompletion of [false, true]) {
			const result = await runMemory(provider, ['ignored'], { operation: 'get', jobId: 'job-1', options: { waitForCompletion } });
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({ jobId: 'job-1', status: 'failed', error: 'render failed' });
			expect(result.items[0].binary).toBeUndefined();
		}
	});

	test('Wait for Completion obeys Max Wait, naming the job', async () => {
		const provider = new MemoryProvider();
		await runMemory(provider, [`a fox ${LONG}`], { operation: 'submit' });
		const result = await runMemory(provider, ['ignored'], { operation: 'get', jobId: 'job-1', options: { waitForCompletion: true, maxWait: 0.3 } });
		expect(result.error?.message).toBe('The Memory job did not finish within Max Wait (0.3 s)');
		expect(result.error?.context?.jobId).toBe('job-1');
		expect(result.error?.description).toMatch(/^Its last status was processing/);
		// Already a Get: the id is named, and the remedy is a longer Max Wait, not another operation.
		expect(result.error?.description).toContain('Job ID: job-1.');
	});

	test('a status that cannot be read names the job asked for', async () => {
		const provider = new MemoryProvider();
		const result = await runMemory(provider, ['ignored'], { operation: 'get', jobId: 'job-404' });
		expect(result.error?.message).toBe('no such job (HTTP 404)');
		expect(result.error?.description).toContain('Job ID: job-404.');
		expect(result.error?.context?.jobId).toBe('job-404');
		expect(provider.submits).toBe(0);
	});
});

describe('capacity (a submit refused with HTTP 429 made no job)', () => {
	test('automatic concurrency against a cap of 2: all 5 items, never more than 2 at once, refused ones made no job', async () => {
		const provider = new MemoryProvider(150);
		provider.capacity = 2;
		const result = await runMemory(provider, ['1', '2', '3', '4', '5']);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(provider.peak).toBe(2);
		expect(provider.jobs).toHaveLength(5);
		expect(provider.submits).toBeGreaterThan(5);
	});

	test('a fixed Concurrency of 1 runs one job at a time and asks no more than once per item', async () => {
		const provider = new MemoryProvider(80);
		const result = await runMemory(provider, ['1', '2', '3'], { options: { concurrency: 1 } });
		expect(result.error).toBeUndefined();
		expect(provider.peak).toBe(1);
		expect(provider.submits).toBe(3);
	});

	test('a refusal while none of ours runs is waited out until Max Wait, then fails saying how long and how often it asked; no job', async () => {
		const provider = new MemoryProvider();
		provider.capacity = 0;
		const result = await runMemory(provider, ['a fox'], { options: { maxWait: 1.3 } });
		// Asked at once, then after the 1 s backoff; the next pause (2 s) passes Max Wait (a timer may
		// end a millisecond early, leaving time for one more ask: the message counts whatever happened).
		expect([2, 3]).toContain(provider.submits);
		expect(result.error?.message).toBe('Memory is busy (HTTP 429)');
		expect(result.error?.description).toContain(`The node waited up to Max Wait (1.3 s) for capacity and asked ${provider.submits} time(s); no job was made.`);
		expect(result.error?.context?.jobId).toBeUndefined();
		expect(provider.jobs).toHaveLength(0);
		const [first, second] = provider.calls;
		expect(second.at - first.at).toBeGreaterThanOrEqual(950);
	});

	test('a refused item waits for one of the batch\'s own jobs to end, then is asked again at once', async () => {
		const provider = new MemoryProvider();
		provider.capacity = 1;
		const result = await runMemory(provider, ['first [ms=300]', 'second [ms=0]']);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.status)).toEqual(['completed', 'completed']);
		const starts = provider.calls.filter((call) => call.kind === 'start');
		expect(starts.map((call) => !!call.refused)).toEqual([false, true, false]);
		// The second was asked again when the first job was seen done (and its video stored), not after the 1 s backoff.
		const firstDone = Math.max(...provider.statusChecks('job-1').map((call) => call.at));
		expect(starts[2].at - firstDone).toBeLessThan(900);
		expect(provider.peak).toBe(1);
	});
});

describe('Retry On Fail: a try of the same execution and node picks its jobs up', () => {
	test('after a status failure: the jobs are picked up, not bought again; another execution submits anew', async () => {
		const provider = new MemoryProvider();
		provider.failingPolls.set('job-2', 1);
		const first = await runMemory(provider, ['one', 'two', 'three'], { executionId: 'exec-mem-1' });
		expect(first.error?.message).toBe('the status check failed (HTTP 503) (item 2)');
		expect(first.error?.context).toMatchObject({ jobId: 'job-2', itemIndex: 1 });
		expect(first.error?.description).toContain('The job was submitted to Memory with ID job-2.');
		expect(first.error?.description).toMatch(/item 1: job-1, item 3: job-3/);
		expect(provider.submits).toBe(3);
		const second = await runMemory(provider, ['one', 'two', 'three'], { executionId: 'exec-mem-1' });
		expect(second.error).toBeUndefined();
		expect(second.items.map((item) => item.json.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
		expect(provider.submits).toBe(3);
		await runMemory(provider, ['one', 'two', 'three'], { executionId: 'exec-mem-2' });
		expect(provider.submits).toBe(6);
	});

	test('after Max Wait: the next try waits on for the same job and brings its video', async () => {
		const provider = new MemoryProvider();
		const first = await runMemory(provider, ['a fox [ms=600]'], { executionId: 'exec-mem-wait', options: { maxWait: 0.2 } });
		expect(first.error?.message).toBe('The Memory job did not finish within Max Wait (0.2 s)');
		expect(first.error?.context?.jobId).toBe('job-1');
		expect(first.error?.description).toContain('The job was submitted to Memory with ID job-1.');
		const second = await runMemory(provider, ['a fox [ms=600]'], { executionId: 'exec-mem-wait', options: { maxWait: 5 } });
		expect(second.error).toBeUndefined();
		expect(second.items[0].json).toMatchObject({ jobId: 'job-1', status: 'completed' });
		expect(await binaryBytes(second.items[0])).toEqual(fakeVideo('a fox [ms=600]'));
		expect(provider.submits).toBe(1);
	});

	test('a job that failed at the provider is read again, never submitted twice', async () => {
		const provider = new MemoryProvider(0);
		const first = await runMemory(provider, ['a fox [fail]'], { executionId: 'exec-mem-failed' });
		const second = await runMemory(provider, ['a fox [fail]'], { executionId: 'exec-mem-failed' });
		expect(first.error?.message).toBe('Memory could not make the video');
		expect(first.error?.description).toContain('Memory said: "render failed" Job ID: job-1.');
		expect(second.error?.message).toBe(first.error?.message);
		expect(second.error?.description).toBe(first.error?.description);
		expect(second.error?.context?.jobId).toBe('job-1');
		expect(provider.submits).toBe(1);
	});

	test('an item whose input changed between tries is a new job; the unchanged ones are picked up', async () => {
		const provider = new MemoryProvider();
		provider.failingPolls.set('job-1', 1);
		await runMemory(provider, ['one', 'two'], { executionId: 'exec-mem-changed' });
		const second = await runMemory(provider, ['one', 'two, reworded'], { executionId: 'exec-mem-changed' });
		expect(second.error).toBeUndefined();
		expect(second.items.map((item) => item.json.jobId)).toEqual(['job-1', 'job-3']);
		expect(provider.submits).toBe(3);
	});

	test('a run that ends with every item done forgets its jobs: a later run of that execution pays again', async () => {
		const provider = new MemoryProvider(0);
		const before = resumeMemory.size;
		await runMemory(provider, ['one', 'two'], { executionId: 'exec-mem-done' });
		expect(resumeMemory.size).toBe(before);
		await runMemory(provider, ['one', 'two'], { executionId: 'exec-mem-done' });
		expect(provider.submits).toBe(4);
	});
});
