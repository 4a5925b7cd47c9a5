'use strict';
// The benchmark's workflows and credentials, generated. Every workflow ends in a node named "Video"
// (ours or n8n's OpenAI node); n8n's run data of that node gives the figures. Prompts carry the
// execution id and item index, so the sandbox's jobs can be traced to the execution that made them.
const runtime = require('../scripts/n8n-runtime');
const { PROVIDERS, provider } = require('../scripts/providers');

const VIDEO_NODE = 'Video';
const PACKAGE = 'n8n-nodes-text-to-video';

const credentialId = (type) => runtime.CREDENTIALS.find((c) => c.type === type).id;
const modelId = (value) => ({ __rl: true, mode: 'id', value });

/** One of our nodes, by its registry key (providers.json): node type, credential and sandbox provider from there. */
const ours = (key, label, parameters = {}) => {
	const entry = provider(key);
	return {
		label: label ?? entry.label,
		sandbox: entry.sandbox,
		node: { type: `${PACKAGE}.${entry.key}`, typeVersion: 1 },
		credential: entry.credential.type,
		parameters: { operation: 'generate', ...parameters },
	};
};

/** What a workflow must set beyond a node's defaults, and a label that says which path is measured. */
const SETTINGS = {
	videoGeneration: { label: 'Video Generation API (Videos API style)', parameters: { apiStyle: 'videos', model: modelId('sora-2'), duration: 4 } },
	a4f: { label: 'A4F (base64 in JSON)' },
	useApiKling: { parameters: { model: 'kling-v2-5' } },
};

/**
 * What is measured: our nodes, every one of the registry (default settings but for the parameters a
 * workflow must set), and the anchor, n8n's own OpenAI node (resource Video, operation Generate), on
 * the same gateway route. `sandbox`: the sandbox provider whose requests the subject makes.
 */
const SUBJECTS = {
	...Object.fromEntries(PROVIDERS.map(({ key }) => [key, ours(key, SETTINGS[key]?.label, SETTINGS[key]?.parameters)])),
	videoGenerationTask: ours('videoGeneration', 'Video Generation API (Task API style)', { apiStyle: 'videoGenerations', model: modelId('kling-v2-5-turbo') }),
	anchor: {
		label: "n8n's OpenAI node (Video → Generate)",
		sandbox: 'videoGeneration',
		node: { type: '@n8n/n8n-nodes-langchain.openAi', typeVersion: 2.3 },
		credential: 'openAiApi',
		parameters: { resource: 'video', operation: 'generate', modelId: modelId('sora-2'), seconds: 4, size: '1280x720', options: {} },
	},
};

const ANCHOR_CREDENTIAL_ID = 'openAiSandbox';
/** The anchor's own sandbox key: a capacity set for ours (the main key) leaves its jobs alone. */
const ANCHOR_KEY = 'sandbox-key-anchor';

/** Our credentials pointing at the sandbox, and the anchor's OpenAI credential with the gateway as its Base URL. */
function credentials(sandbox) {
	const ours = runtime.credentialsFor({ urls: sandbox.urls, apiKey: sandbox.apiKey });
	const anchor = {
		id: ANCHOR_CREDENTIAL_ID,
		name: 'OpenAI (sandbox gateway)',
		type: 'openAiApi',
		data: { apiKey: ANCHOR_KEY, organizationId: '', url: `${sandbox.urls.videoGeneration}/v1`, header: false },
	};
	return [...ours, anchor];
}

/**
 * The prompt: sandbox directives, then the workflow, execution and item, which name the job in the
 * sandbox's log (execution ids restart in every copy of the user folder; workflow ids differ).
 */
function prompt({ seconds, size }) {
	const directives = `[sandbox:seconds=${seconds}]${size ? `[sandbox:size=${size}]` : ''}`;
	return `={{ "a red fox running through fresh snow ${directives} run " + $workflow.id + "/" + $execution.id + " item " + $itemIndex }}`;
}

function videoNode(subjectName, { seconds, size, options }) {
	const subject = SUBJECTS[subjectName];
	const parameters = { ...subject.parameters, prompt: prompt({ seconds, size }) };
	if (options) parameters.options = { ...parameters.options, ...options };
	const id = subject.credential === 'openAiApi' ? ANCHOR_CREDENTIAL_ID : credentialId(subject.credential);
	return {
		id: 'video',
		name: VIDEO_NODE,
		...subject.node,
		position: [440, 0],
		parameters,
		credentials: { [subject.credential]: { id, name: subject.credential } },
	};
}

const link = (from, to) => ({ [from]: { main: [[{ node: to, type: 'main', index: 0 }]] } });
const START = { id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

/** Manual Trigger → Code node making `items` items → the video node. */
function batchWorkflow(id, subjectName, items, { seconds, options }) {
	const code = {
		id: 'items',
		name: 'Items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { jsCode: `return Array.from({ length: ${items} }, (_, i) => ({ json: { i } }));` },
	};
	return {
		id,
		name: `bench ${id}`,
		nodes: [START, code, videoNode(subjectName, { seconds, options })],
		connections: { ...link('Start', 'Items'), ...link('Items', VIDEO_NODE) },
	};
}

/** Manual Trigger → the video node (one item). */
function singleWorkflow(id, subjectName, { seconds, size, options }) {
	return { id, name: `bench ${id}`, nodes: [START, videoNode(subjectName, { seconds, size, options })], connections: link('Start', VIDEO_NODE) };
}

module.exports = { SUBJECTS, VIDEO_NODE, ANCHOR_KEY, credentials, batchWorkflow, singleWorkflow };
