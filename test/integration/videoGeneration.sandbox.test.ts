/**
 * The sandbox gateway's OpenAI Videos API, driven as n8n's built-in OpenAI node drives it (resource
 * video, operation generate: a multipart POST /videos with model, prompt, seconds, size and an
 * optional input_reference file, polls of GET /videos/{id} that stop at the first truthy `error`,
 * then GET /videos/{id}/content), so the benchmark can point that node at this sandbox.
 */
import axios from 'axios';
import FormData from 'form-data';
import { sha256, startSandbox, type Sandbox, type SandboxJob } from '../helpers/sandbox';

const API_KEY = 'sk-sandbox-openai-compat';
let sandbox: Sandbox;
let v1: string;
beforeAll(async () => {
	// A job stays queued for its first fifth: 200 ms, room for the multipart submit's answer on a busy machine.
	sandbox = await startSandbox({ apiKey: API_KEY, jobDurationMs: 1000 });
	v1 = `${sandbox.urls.videoGeneration}/v1`;
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const auth = { Authorization: `Bearer ${API_KEY}` };
const http = axios.create({ validateStatus: () => true });

function openAiForm(fields: Record<string, string>, reference?: Buffer) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	if (reference) form.append('input_reference', reference, { filename: 'reference.png', contentType: 'image/png' });
	return form;
}

async function waitForVideo(id: string) {
	for (let i = 0; i < 50; i++) {
		const { data } = await http.get(`${v1}/videos/${id}`, { headers: auth });
		// The built-in node throws on the first truthy `error`, and stops at status "completed".
		expect(data.error).toBeNull();
		if (data.status === 'completed') return data;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error('the video did not complete');
}

test('multipart submit, polls and /content work as the built-in OpenAI node uses them', async () => {
	const form = openAiForm({ model: 'sora-2', prompt: 'a paper boat on a lake', seconds: '4', size: '1280x720' }, Buffer.from('fake png bytes'));
	const created = await http.post(`${v1}/videos`, form, { headers: { ...form.getHeaders(), ...auth } });
	expect(created.status).toBe(200);
	expect(created.data).toMatchObject({ object: 'video', model: 'sora-2', status: 'queued', progress: 0, seconds: '4', size: '1280x720', error: null });
	const submitted = sandbox.requestsTo('videoGeneration', 'submit')[0];
	expect(submitted.body).toMatchObject({ multipart: true, prompt: 'a paper boat on a lake', input_reference: { filename: 'reference.png', contentType: 'image/png', size: 14 } });

	const done = await waitForVideo(created.data.id);
	expect(done).toMatchObject({ id: created.data.id, status: 'completed', progress: 100 });
	expect(done.expires_at).toBeGreaterThan(done.completed_at);

	const content = await http.get(`${v1}/videos/${created.data.id}/content`, { headers: auth, responseType: 'arraybuffer' });
	expect(content.status).toBe(200);
	expect(content.headers['content-type']).toBe('video/mp4');
	const job = sandbox.findJob('videoGeneration', created.data.id) as SandboxJob;
	expect(sha256(Buffer.from(content.data))).toBe(sandbox.expectedVideo(job).sha256);
});

test('the OpenAI node\'s credential test (GET /models) and a JSON submit work too', async () => {
	const models = await http.get(`${v1}/models`, { headers: auth });
	expect(models.status).toBe(200);
	expect(models.data.object).toBe('list');
	expect(models.data.data[0]).toEqual(expect.objectContaining({ id: expect.any(String), object: 'model' }));
	const created = await http.post(`${v1}/videos`, { model: 'sora-2-pro', prompt: 'json body', seconds: 8, size: '1920x1080' }, { headers: auth });
	expect(created.status).toBe(200);
	expect(created.data).toMatchObject({ model: 'sora-2-pro', seconds: '8', size: '1920x1080' });
});

test('OpenAI\'s checks: Sora sizes and seconds, a prompt, a model', async () => {
	const post = async (fields: Record<string, string>) => {
		const form = openAiForm(fields);
		return await http.post(`${v1}/videos`, form, { headers: { ...form.getHeaders(), ...auth } });
	};
	const badSize = await post({ model: 'sora-2', prompt: 'x', seconds: '4', size: '1792x1024' });
	expect(badSize.status).toBe(400);
	expect(badSize.data.error).toMatchObject({ code: 'invalid_size', param: 'size', type: 'invalid_request_error' });
	const badSeconds = await post({ model: 'sora-2', prompt: 'x', seconds: '5', size: '1280x720' });
	expect(badSeconds.data.error).toMatchObject({ code: 'invalid_value', param: 'seconds' });
	expect((await post({ model: 'sora-2', prompt: ' ' })).data.error.param).toBe('prompt');
	expect((await post({ prompt: 'x' })).data.error.code).toBe('missing_model');
	expect(sandbox.jobs.size).toBe(0);
});

test('/content needs the token and a finished video; unknown ids are 404; delete and list', async () => {
	const created = await http.post(`${v1}/videos`, { model: 'sora-2', prompt: 'slow [sandbox:seconds=5]' }, { headers: auth });
	const id = created.data.id as string;
	const anonymous = await http.get(`${v1}/videos/${id}/content`);
	expect(anonymous.status).toBe(401);
	expect(anonymous.data.error.type).toBe('new_api_error');
	const early = await http.get(`${v1}/videos/${id}/content`, { headers: auth });
	expect(early.status).toBe(400);
	expect(early.data.error.message).toMatch(/^Task is not completed yet, current status: (queued|in_progress)$/);
	expect((await http.get(`${v1}/videos/video_nope`, { headers: auth })).status).toBe(404);
	expect((await http.get(`${v1}/videos/video_nope/content`, { headers: auth })).data.error.message).toBe('Task not found');
	expect((await http.get(`${v1}/videos`, { headers: auth })).data.data.map((v: { id: string }) => v.id)).toEqual([id]);
	expect((await http.delete(`${v1}/videos/${id}`, { headers: auth })).data).toEqual({ id, deleted: true, object: 'video.deleted' });
	expect((await http.get(`${v1}/videos/${id}`, { headers: auth })).status).toBe(404);
});

test('the task API refuses what new-api\'s relay refuses, with {code, message, data}', async () => {
	const post = async (body: unknown) => await http.post(`${v1}/video/generations`, body, { headers: auth });
	expect((await post({ model: 'kling-v2-5-turbo', prompt: '' })).data).toEqual({ code: 'invalid_request', message: 'prompt is required', data: null });
	expect((await post({ model: 'kling-v2-5-turbo', prompt: 'x', duration: 5.5 })).data.code).toBe('invalid_json');
	expect((await post({ model: 'kling-v2-5-turbo', prompt: 'x', metadata: [1] })).data.code).toBe('invalid_json');
	// metadata may also come JSON-encoded, and duration as a string.
	expect((await post({ model: 'kling-v2-5-turbo', prompt: 'x', duration: '5', metadata: '{"style":"anime"}' })).status).toBe(200);
	expect((await http.get(`${v1}/video/generations/task_nope`, { headers: auth })).data).toEqual({ code: 'task_not_exist', message: 'task_not_exist', data: null });
});
