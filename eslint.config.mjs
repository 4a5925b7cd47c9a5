// n8n's own lint rules for community packages (the recommended set that n8n's scanner applies), plus
// eslint-plugin-n8n-nodes-base's `community` set for package.json. Its `nodes` and `credentials` sets
// are written for n8n's main repository and contradict the community rules (e.g. inputs: ['main'] vs
// NodeConnectionTypes.Main). Nothing is switched off: no rule in these versions forbids several
// services in one package; if a later version adds one, that rule alone may be turned off here,
// because this package is multi-provider by design.
import { configs as communityConfigs } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';
import * as jsonParser from 'jsonc-eslint-parser';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'sandbox/**', 'scripts/**', 'bench/**', 'examples/**'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
	},
	communityConfigs.recommended,
	{
		files: ['package.json'],
		languageOptions: { parser: jsonParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...n8nNodesBase.configs.community.rules },
	},
];
