import { NodeOperationError, type INode } from 'n8n-workflow';

/**
 * Which addresses the node may fetch or upload to when a provider names them (a video URL, a CDN, a
 * presigned upload URL), and which Base URLs a credential may have. A provider, a gateway or a CDN
 * that turned hostile must not make n8n fetch its own network (SSRF, with the answer stored as the video).
 *
 * The rule (README "Provider URLs"):
 * - https only, unless the credential's Base URL is itself on a local address (the sandbox, a gateway on
 *   the LAN or a Docker network): then http is accepted too;
 * - no loopback, private (LAN, Docker) or link-local (cloud metadata) address, unless the Base URL is on
 *   an address of the same kind (a sandbox on 127.0.0.1 serves its CDN on 127.0.0.1; a LAN gateway its
 *   /content route on the LAN). Link-local never: no gateway lives on the metadata service;
 * - Options → "Allow Private Network URLs" lifts both for one node.
 *
 * Only what the URL says can be checked here: the scanner allows no `dns` or `net` import, so a public
 * name whose DNS answer is a private address (or changes to one: DNS rebinding) passes this guard.
 * n8n's own egress filter (N8N_SSRF_PROTECTION_ENABLED=true, n8n 2.x) resolves every name at connect
 * time and covers that case, because every request goes through n8n's helpers.
 */

export type HostKind = 'public' | 'private' | 'loopback' | 'link-local';

/** What a policy decision needs of the node's account. */
export interface UrlPolicy {
	/** The API root (the credential's Base URL). */
	baseUrl: string;
	/** The user's opt-in (Options → Allow Private Network URLs). */
	allowPrivate?: boolean;
}

const LOOPBACK_NAMES = /^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)$|\.localhost$/;
/** Cloud metadata services by name (AWS, GCP, Azure, Alibaba, Oracle): the same as their link-local address. */
const METADATA_NAMES = /^(metadata|metadata\.google\.internal|metadata\.goog|instance-data|instance-data\.ec2\.internal|metadata\.azure\.com)$/;
/** Names that only a local resolver answers: single labels (Docker services), mDNS and private-use suffixes. */
const LOCAL_SUFFIXES = /\.(local|lan|internal|intranet|corp|home|home\.arpa|localdomain|docker)$/;

/** The kind of address a host name is, from its text (WHATWG URL has already normalised IPv4 forms). */
export function hostKind(hostname: string): HostKind {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
	const v4 = ipv4(host);
	if (v4) return ipv4Kind(v4);
	if (host.includes(':')) return ipv6Kind(host);
	if (LOOPBACK_NAMES.test(host)) return 'loopback';
	if (METADATA_NAMES.test(host)) return 'link-local';
	if (!host.includes('.') || LOCAL_SUFFIXES.test(host)) return 'private';
	return 'public';
}

function ipv4(host: string): number[] | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (!match) return undefined;
	const parts = match.slice(1).map(Number);
	return parts.every((part) => part <= 255) ? parts : undefined;
}

function ipv4Kind([a, b, c]: number[]): HostKind {
	// 0.0.0.0/8 reaches the local host on Linux.
	if (a === 127 || a === 0) return 'loopback';
	if (a === 169 && b === 254) return 'link-local';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
	// Benchmarking, documentation (TEST-NET-1..3, also in n8n's default SSRF list) and reserved ranges never hold a provider's CDN.
	if ((a === 198 && (b === 18 || b === 19)) || a >= 224) return 'private';
	if ((a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'private';
	return 'public';
}

function ipv6Kind(host: string): HostKind {
	const groups = expandIpv6(host);
	if (!groups) return 'private';
	if (groups.slice(0, 7).every((g) => g === 0) && groups[7] <= 1) return 'loopback'; // ::1 and ::
	// IPv4-mapped (::ffff:a.b.c.d, which URL writes as ::ffff:7f00:1) and IPv4-compatible forms: the IPv4 address decides.
	if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0)) {
		return ipv4Kind([groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff]);
	}
	if ((groups[0] & 0xffc0) === 0xfe80) return 'link-local';
	if ((groups[0] & 0xfe00) === 0xfc00) return 'private';
	// fec0::/10 (site-local, deprecated) and NAT64 of a private address are local too.
	if ((groups[0] & 0xffc0) === 0xfec0) return 'private';
	if (groups[0] === 0x64 && groups[1] === 0xff9b) return ipv4Kind([groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff]);
	return 'public';
}

function expandIpv6(host: string): number[] | undefined {
	let text = host.split('%')[0];
	// A trailing dotted IPv4 part becomes two groups.
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const v4 = ipv4(dotted[1]);
		if (!v4) return undefined;
		text = text.slice(0, -dotted[1].length) + `${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
	}
	const [head, tail, extra] = text.split('::');
	if (extra !== undefined) return undefined;
	const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
	const left = parse(head);
	const right = tail === undefined ? [] : parse(tail);
	const missing = 8 - left.length - right.length;
	if (missing < 0 || (tail === undefined && missing !== 0) || [...left, ...right].some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
	return [...left, ...new Array<number>(missing).fill(0), ...right];
}

/** Why a provider-given URL may not be fetched under the policy, or undefined when it may. */
export function refusalOf(url: string, policy: UrlPolicy): string | undefined {
	let target: URL;
	try {
		target = new URL(url, policy.baseUrl);
	} catch {
		return 'it is not a valid URL';
	}
	if (target.protocol !== 'https:' && target.protocol !== 'http:') return `only https addresses are fetched, and this one is ${target.protocol.replace(':', '')}`;
	if (target.username || target.password) return 'it carries a user name or password';
	if (policy.allowPrivate) return undefined;
	const baseKind = hostKind(new URL(policy.baseUrl).hostname);
	const kind = hostKind(target.hostname);
	if (target.protocol === 'http:' && baseKind === 'public')
		return 'it is plain http, and the credential\'s Base URL is a public https address (http is accepted only when the Base URL is on a local network)';
	if (kind === 'public') return undefined;
	const what = kind === 'link-local' ? 'a link-local address (cloud metadata)' : kind === 'loopback' ? 'a loopback address (this machine)' : 'a private network address';
	if (kind === 'link-local') return `it points to ${what}`;
	if (kind !== baseKind) return `it points to ${what}, and the credential's Base URL is not on one`;
	return undefined;
}

/** A provider-given URL (video, CDN, upload) before it is fetched: throws, saying why, when the policy refuses it. */
export function guardProviderUrl(node: INode, url: string, policy: UrlPolicy, displayName: string): void {
	const reason = refusalOf(url, policy);
	if (!reason) return;
	// The hint is in the message: the engine's description of a submitted job (how to pick it up) replaces any other.
	const error = new NodeOperationError(node, `Refused to use the address ${displayName} gave (${shownUrl(url)}): ${reason}. If you trust this provider, turn on Options → Allow Private Network URLs`);
	// A policy refusal: asking again gives the same answer, so a download does not retry it.
	error.context.urlRefused = true;
	throw error;
}

/**
 * A credential's Base URL as the node accepts it: no user name or password (it would end up in
 * `videoUrl` and in errors), and https unless the host is on a local network (http on a LAN, Docker
 * or the sandbox keeps working). The same words as the credential test.
 */
export function baseUrlRefusal(baseUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		return 'Base URL is not a valid URL';
	}
	if (url.username || url.password) return 'Base URL must not contain a user name or password (user:password@); put the key in the API Key field';
	if (url.protocol === 'http:' && hostKind(url.hostname) === 'public')
		return 'Base URL uses plain http on a public host, which would send the API key unencrypted; use https (http is accepted only on a local network, Docker or the sandbox)';
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Base URL must start with https://';
	return undefined;
}

/** Throws, naming the credential, when the Base URL is refused (before any request). */
export function guardBaseUrl(node: INode, baseUrl: string, credentialName: string): void {
	const reason = baseUrlRefusal(baseUrl);
	if (reason) throw new NodeOperationError(node, `Credential "${credentialName}": ${reason}`, { description: 'Nothing was sent, so no credits were used.' });
}

/** A URL as errors show it: no user info, no query (presigned URLs carry signatures), at most 200 characters. */
export function shownUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.slice(0, 200);
	} catch {
		return url.split(/[?#]/)[0].replace(/\/\/[^/@]*@/, '//').slice(0, 200);
	}
}
