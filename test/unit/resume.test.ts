import { EXPIRY_MARGIN_MS, MAX_ENTRIES, ResumeMemory, resumeMemory } from '../../nodes/shared/engine/resume';

const run = (executionId: string, node = 'node-1') => ({ executionId, node });

describe('resume memory (Retry On Fail)', () => {
	test('the same execution, node, item and input recall the job; anything else does not', () => {
		const memory = new ResumeMemory();
		const key = ResumeMemory.key(run('e1'), 0, { prompt: 'a fox', model: 'm' });
		memory.remember(key, 'job-1', 60_000);
		expect(memory.recall(ResumeMemory.key(run('e1'), 0, { prompt: 'a fox', model: 'm' }))).toBe('job-1');
		expect(memory.recall(ResumeMemory.key(run('e2'), 0, { prompt: 'a fox', model: 'm' }))).toBeUndefined();
		expect(memory.recall(ResumeMemory.key(run('e1', 'node-2'), 0, { prompt: 'a fox', model: 'm' }))).toBeUndefined();
		expect(memory.recall(ResumeMemory.key(run('e1'), 1, { prompt: 'a fox', model: 'm' }))).toBeUndefined();
		expect(memory.recall(ResumeMemory.key(run('e1'), 0, { prompt: 'a wolf', model: 'm' }))).toBeUndefined();
	});

	test('a node run that ends with every item done empties its entries, and only its own', () => {
		const memory = new ResumeMemory();
		for (let i = 0; i < 3; i++) memory.remember(ResumeMemory.key(run('e1'), i, i), `a${i}`, 60_000);
		memory.remember(ResumeMemory.key(run('e2'), 0, 0), 'b0', 60_000);
		expect(memory.size).toBe(4);
		memory.forgetRun(run('e1'));
		expect(memory.size).toBe(1);
		expect(memory.recall(ResumeMemory.key(run('e2'), 0, 0))).toBe('b0');
	});

	test('entries expire after the run\'s longest wait plus the margin', () => {
		const memory = new ResumeMemory();
		const key = ResumeMemory.key(run('e1'), 0, 'x');
		memory.remember(key, 'job', 1200_000, 0);
		expect(memory.recall(key, 1200_000 + EXPIRY_MARGIN_MS - 1)).toBe('job');
		expect(memory.recall(key, 1200_000 + EXPIRY_MARGIN_MS)).toBeUndefined();
		expect(memory.size).toBe(0);
		// Expired entries of executions that never came back are pruned by the next remember.
		for (let i = 0; i < 50; i++) memory.remember(ResumeMemory.key(run(`old-${i}`), 0, 'x'), 'j', 1000, 0);
		memory.remember(ResumeMemory.key(run('new'), 0, 'x'), 'j', 1000, 1000 + EXPIRY_MARGIN_MS);
		expect(memory.size).toBe(1);
	});

	test('never more than its bound: the oldest entries go first', () => {
		const memory = new ResumeMemory(100);
		for (let i = 0; i < 250; i++) memory.remember(ResumeMemory.key(run(`e${i}`), 0, 'x'), `job-${i}`, 60_000);
		expect(memory.size).toBe(100);
		expect(memory.recall(ResumeMemory.key(run('e149'), 0, 'x'))).toBeUndefined();
		expect(memory.recall(ResumeMemory.key(run('e150'), 0, 'x'))).toBe('job-150');
		expect(memory.recall(ResumeMemory.key(run('e249'), 0, 'x'))).toBe('job-249');
	});

	test('the process-wide memory is bounded by MAX_ENTRIES', () => {
		expect(MAX_ENTRIES).toBe(10_000);
		expect(resumeMemory).toBeInstanceOf(ResumeMemory);
	});
});
