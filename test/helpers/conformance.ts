/**
 * The conformance profile: what the engine's shared cases (test/integration/conformance.test.ts) and the
 * real-n8n provider suite (test/e2e/providers.e2e.test.ts) need to know of one provider. Each provider
 * keeps its profile in its own folder, nodes/<Provider>/conformance.ts (test data, left out of the
 * build by tsconfig.build.json), exporting `conformance: ConformanceProfile[]` (one per API style).
 * Identity (node, credential, sandbox module, label) comes from the registry, providers.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICredentialType, IDataObject, INodeType } from 'n8n-workflow';
import * as registry from '../../scripts/providers';
import type { RegistryProvider } from '../../scripts/providers';
import type { Sandbox, SandboxJob } from './sandbox';

export interface ConformanceProfile {
	/** Which API style this profile runs, for a node with more than one (the title's suffix). */
	variant?: string;
	/** The start of a key shaped like the provider's real ones; the suites append SECRET, so a leak anywhere is found. */
	keyPrefix: string;
	jobMs: number;
	/** Parameters under every run's own (the e2e workflow's node gets them too, without the prompt). */
	defaults: IDataObject;
	jobId: RegExp;
	/** One request that answers with the video (no Submit, no Get, no polls), instead of start and status. */
	synchronous?: boolean;
	/** Continue On Fail: whether the failed item says `status: 'failed'` (A4F's does not). */
	failedItemStatus?: boolean;
	/** A prompt suffix that makes the provider answer with a URL to download rather than the bytes. */
	viaUrl?: string;
	/** Whether the video comes from a CDN, another origin (false: the API's own route, which takes the key). */
	cdn: boolean;
	/** More parameter sets that reach the video another way (for the CDN and leak cases). */
	variants?: IDataObject[];
	/** Three items whose third is invalid. */
	invalidThird: { parameters: IDataObject; items: IDataObject[]; message: RegExp };
	/** The provider's words: a 503 on submit, a wrong key, a key echoed back in a 400. */
	serverError: RegExp;
	unauthorized: RegExp;
	echoed: RegExp;
	/** The sandbox's reason for a `[sandbox:fail]` job, in the provider's own words (docs/providers/*.md). */
	failureReason: string;
	/** The whole error of that job, given its job id. */
	failed: (jobId: string) => string | RegExp;
	/** A prompt moderation refuses (default `[sandbox:moderation]`), and how the node says so. */
	moderated: { prompt?: string; message: RegExp };
	/** Get of a failed job: what its item says besides jobId and status. */
	failedGet?: IDataObject;
	/** Download off: what the item says besides the URL. */
	downloadOff?: (sandbox: Sandbox, job: SandboxJob) => IDataObject;
	submitThenGet?: { parameters?: IDataObject; submitted?: IDataObject; done?: IDataObject };
}

/** The searched-for part of every profile's key. */
export const SECRET = 'tEsT5ecReT';

/** A profile with the identity the registry gives it. */
export interface Profile extends ConformanceProfile {
	/** Title: the node's label, with the variant. */
	name: string;
	/** Unique per profile, letters only (e2e workflow ids). */
	slug: string;
	entry: RegistryProvider;
	/** The sandbox module's name (`useProviderSandbox`). */
	provider: string;
	/** How the node names the provider in its messages. */
	label: string;
	node: INodeType;
	credential: ICredentialType;
	apiKey: string;
	secret: string;
}

const ROOT = path.resolve(__dirname, '..', '..');

function instanceOf<T>(file: string): T {
	const exported = require(path.join(ROOT, file)) as Record<string, unknown>;
	// A versioned node's file also exports its version classes: the one named like the file is n8n's.
	const named = exported[path.basename(file).replace(/\..*$/, '')];
	const classes = (typeof named === 'function' ? [named] : Object.values(exported).filter((value) => typeof value === 'function')) as Array<new () => T>;
	if (classes.length !== 1) throw new Error(`${file} exports ${classes.length} classes, expected 1`);
	return new classes[0]();
}

/** Version 1 of a node, as saved workflows run it (version 2 reads the same parameters through its seam: test/integration/version2.test.ts). */
function versionOne(node: INodeType): INodeType {
	const versions = (node as { nodeVersions?: Record<number, INodeType> }).nodeVersions;
	return versions?.[1] ?? node;
}

/** Every registry provider's profiles; throws naming the provider whose nodes/<Provider>/conformance.ts is missing or empty. */
export function conformanceProfiles(): Profile[] {
	return registry.PROVIDERS.flatMap((entry) => {
		const file = registry.conformancePath(entry);
		if (!fs.existsSync(path.join(ROOT, file))) {
			throw new Error(`${entry.key} (providers.json) has no conformance profile: write ${file} exporting \`conformance: ConformanceProfile[]\` (test/helpers/conformance.ts; CONTRIBUTING.md, Adding a provider)`);
		}
		const { conformance } = require(path.join(ROOT, file)) as { conformance?: ConformanceProfile[] };
		if (!conformance?.length) throw new Error(`${file} exports no \`conformance\` profiles`);
		return conformance.map((profile) => ({
			...profile,
			name: profile.variant ? `${entry.label}, ${profile.variant}` : entry.label,
			slug: `${entry.key}${(profile.variant ?? '').replace(/[^A-Za-z]/g, '')}`,
			entry,
			provider: entry.sandbox,
			label: entry.label,
			node: versionOne(instanceOf<INodeType>(registry.nodeSourcePath(entry))),
			credential: instanceOf<ICredentialType>(registry.credentialSourcePath(entry)),
			apiKey: `${profile.keyPrefix}${SECRET}0123456789`,
			secret: SECRET,
		}));
	});
}
