/** Types of scripts/descriptions.js (the version-1 description snapshot). */
import type { ICredentialType, INodeType, INodeTypeDescription } from 'n8n-workflow';

export interface Descriptions {
	nodes: Record<string, Record<string, unknown>>;
	credentials: Record<string, Record<string, unknown>>;
}
export function versionDescription(instance: INodeType, version: number): INodeTypeDescription;
export function versionOneDescription(instance: INodeType): INodeTypeDescription;
export function instanceOf<T = INodeType | ICredentialType>(file: string): T;
export function descriptionsOf(nodeFiles: string[], credentialFiles: string[]): Descriptions;
export function builtDescriptions(root?: string): Descriptions;
