import { NodeOperationError } from 'n8n-workflow';
import type { BalanceSupport } from '../shared/cost/cost';

/**
 * Kling through useapi.net: useapi.net charges a flat subscription, and each video spends credits of
 * your own Kling account. Neither publishes a per-model credit table for this API, so no model has an
 * estimate and the task answer reports no charge (docs/providers/kling-useapi.md, "What it costs").
 * The Kling account's credits are readable for free: `GET /v1/kling/accounts/{email}` → `balance.total`.
 */

export const useApiKlingBalance: BalanceSupport<{ email?: string }> = {
	endpoint: 'GET /v1/kling/accounts/{email} (balance.total)',
	async read(api, context) {
		// The balance is per linked Kling account; which one is used is known only from the email.
		if (!context?.email)
			throw new NodeOperationError(api.node, 'Keep Balance Above needs the Kling Account Email: the balance is per linked Kling account', {
				description: 'Set Kling Account Email to the account the jobs run on, or remove Keep Balance Above.',
			});
		const { body } = await api.request<{ balance?: { total?: number } }>({ method: 'GET', path: `/v1/kling/accounts/${encodeURIComponent(context.email)}`, phase: 'poll' });
		return typeof body?.balance?.total === 'number' ? body.balance.total : undefined;
	},
};
