import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeProperties } from 'n8n-workflow';
import type { Transport } from '../transport/transport';
import type { JobSnapshot } from '../engine/providerContract';

/**
 * Cost: one shape on every output item, estimates from each provider's price table, a budget per node
 * run and a balance floor (docs/cost.md). Figures are in the provider's own unit; nothing here converts.
 */

/** What one item would cost, from a price table (or the user's own price) and where that came from. */
export interface PriceQuote {
	amount: number;
	unit: string;
	/** The table or page and its date, e.g. `price table: docs.magichour.ai/api-reference/models (2026-08-16)`. */
	source: string;
}

/** `cost` on every output item. `amount` is null where nothing is known: never a made-up number. */
export interface Cost extends IDataObject {
	amount: number | null;
	unit: string | null;
	/** False only when the provider confirmed the amount (a completed job's reported charge). */
	estimated: boolean;
	source: string;
}

/** What the estimate of one item may read: its parameters (a user's own price) and, free of charge, the API. */
export interface EstimateContext {
	ctx: IExecuteFunctions;
	itemIndex: number;
	/** For a free price lookup (AI/ML API's model catalogue); never a paid request. */
	api: Transport;
}

/** A provider's account balance read from a free endpoint, in `unit`. */
export interface BalanceSupport<Context> {
	/** The endpoint's words for the docs and errors, e.g. `GET /v1/billing/balance`. */
	endpoint: string;
	/** The root the endpoint lives under when it is not the API's own (AI/ML API's billing host). */
	root?(apiRoot: string): string;
	/** Undefined when the answer has no balance (the floor then refuses: it cannot be checked). */
	read(api: Transport, context: Context): Promise<number | undefined>;
}

/** A provider's cost facts: its unit, its prices, what its answers report and its balance endpoint. */
export interface CostSupport<Input, Context> {
	/** The provider's own unit; none where prices are the user's (a gateway's): each quote names its own. */
	unit?: string;
	/** The field of the provider's answer that `JobSnapshot.credits` holds, e.g. `credits_charged`. */
	reportedField?: string;
	estimate?(input: Input, from: EstimateContext): PriceQuote | undefined | Promise<PriceQuote | undefined>;
	balance?: BalanceSupport<Context>;
}

export const NO_PRICE = 'none: no public price for this model, and the API has reported no charge';

/** The one `cost` shape: the provider's reported charge first, then the price table, else nothing. */
export function costOf(support: CostSupport<unknown, unknown> | undefined, snapshot: JobSnapshot | undefined, quote: PriceQuote | undefined): Cost {
	if (snapshot?.credits !== undefined && support) {
		// A charge is final only once the job is complete (Magic Hour's credits_charged is an estimate
		// until then, and a failure refunds it).
		return { amount: snapshot.credits, unit: support.unit ?? null, estimated: snapshot.status !== 'completed', source: `provider: ${support.reportedField ?? 'reported charge'}` };
	}
	if (quote) return { amount: tidy(quote.amount), unit: quote.unit, estimated: true, source: quote.source };
	return { amount: null, unit: support?.unit ?? null, estimated: true, source: NO_PRICE };
}

/** Rounds away float noise (0.1 + 0.2) for display and comparison, keeping 6 decimals. */
export const tidy = (n: number) => Math.round(n * 1e6) / 1e6;

// ---- options -------------------------------------------------------------------------------------

export type UnknownCostPolicy = 'refuse' | 'reported';

export interface CostOptions {
	/** 0: no budget. */
	maxCost: number;
	whenUnknown: UnknownCostPolicy;
	/** Undefined: no floor. */
	keepBalanceAbove?: number;
}

/** The cost options of the shared Options collection; Keep Balance Above only where a free balance endpoint exists. */
export function costOptionProperties(hasBalance: boolean): INodeProperties[] {
	const jobs = { '/operation': ['generate', 'submit'] };
	return [
		{
			displayName: 'Max Cost per Run',
			name: 'maxCost',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 4 },
			default: 0,
			displayOptions: { show: jobs },
			description:
				"Most this node may spend in one run, in the provider's unit (see the Estimate operation). Before the first submit the estimates of all items are added up; over the budget, nothing is submitted. 0: no limit.",
		},
		{
			displayName: 'When Cost Is Unknown',
			name: 'whenUnknownCost',
			type: 'options',
			options: [
				{ name: 'Refuse the Item', value: 'refuse', description: 'An item without an estimate is not submitted while Max Cost is set' },
				{ name: 'Submit and Count the Reported Charge', value: 'reported', description: "Submit it and count the provider's reported charge against Max Cost once it comes" },
			],
			default: 'refuse',
			displayOptions: { show: jobs },
			description: 'What Max Cost and Keep Balance Above do with an item whose model has no known price',
		},
		...(hasBalance
			? [
					{
						displayName: 'Keep Balance Above',
						name: 'keepBalanceAbove',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 4 },
						default: 0,
						displayOptions: { show: jobs },
						description:
							"Reads the account balance (a free request) before each submit and refuses a job that would take it below this floor, in the provider's unit. 0: no floor. Runs checking at the same moment can each pass: see the provider's docs.",
					} as INodeProperties,
				]
			: []),
	];
}

export function readCostOptions(ctx: IExecuteFunctions, itemIndex: number): CostOptions {
	const raw = (ctx.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
	const number = (name: string, label: string): number => {
		const value = raw[name];
		if (value === undefined || value === '' || value === null) return 0;
		const n = Number(value);
		if (!Number.isFinite(n) || n < 0)
			throw new NodeOperationError(ctx.getNode(), `Invalid option ${label}: must be a number of 0 or more`, { itemIndex, description: `Got ${JSON.stringify(value)}.` });
		return n;
	};
	const whenUnknown = raw.whenUnknownCost === 'reported' ? 'reported' : 'refuse';
	const floor = number('keepBalanceAbove', 'Keep Balance Above');
	return { maxCost: number('maxCost', 'Max Cost per Run'), whenUnknown, keepBalanceAbove: floor > 0 ? floor : undefined };
}

// ---- budget --------------------------------------------------------------------------------------

const fmt = (n: number, unit: string) => `${tidy(n)} ${unit}`;

/**
 * The running total of one node run. Each submitted item counts at its estimate until the provider
 * reports its charge, then at that charge. An item is admitted only if its estimate keeps the total
 * within the budget; one without an estimate is admitted only under "Submit and Count the Reported
 * Charge", and only while the total is still under the budget.
 */
export class Budget {
	private readonly counted = new Map<number, number>();
	/** Items whose estimate is reserved but whose charge the provider has not reported yet. */
	private readonly pending = new Set<number>();

	constructor(
		readonly max: number,
		readonly unit: string,
		readonly whenUnknown: UnknownCostPolicy,
	) {}

	get total(): number {
		let sum = 0;
		for (const value of this.counted.values()) sum += value;
		return tidy(sum);
	}

	/** The charges reserved for submitted items the provider has not yet charged (the balance floor subtracts them). */
	get uncharged(): number {
		let sum = 0;
		for (const index of this.pending) sum += this.counted.get(index) ?? 0;
		return tidy(sum);
	}

	/** Reserves an item's estimate before its submit, or throws why it may not be submitted. */
	admit(node: INode, itemIndex: number, estimate: number | undefined): void {
		const total = this.total;
		if (estimate === undefined) {
			if (this.max > 0 && this.whenUnknown === 'refuse') throw unknownCostError(node, itemIndex, 'Max Cost per Run');
			if (this.max > 0 && total >= this.max)
				throw new NodeOperationError(node, `Not submitted: this run has already spent ${fmt(total, this.unit)} of its Max Cost per Run of ${fmt(this.max, this.unit)}`, {
					itemIndex,
					description: 'The item has no estimate, and the budget is used up. Raise Max Cost per Run or run the item again later.',
				});
			this.counted.set(itemIndex, 0);
		} else {
			if (this.max > 0 && tidy(total + estimate) > this.max)
				throw new NodeOperationError(
					node,
					`Not submitted: item ${itemIndex + 1} would cost about ${fmt(estimate, this.unit)}, and this run has spent ${fmt(total, this.unit)} of its Max Cost per Run of ${fmt(this.max, this.unit)}`,
					{ itemIndex, description: 'Earlier items were charged more than estimated, or the estimate grew. Raise Max Cost per Run to go on.' },
				);
			this.counted.set(itemIndex, estimate);
		}
		this.pending.add(itemIndex);
	}

	/**
	 * The provider's reported charge replaces the estimate (a later report replaces an earlier one). The
	 * item stays "not yet charged" for the balance floor until its job is final: a charge reported at
	 * submit (Magic Hour) may not be in the balance yet, and counting it twice errs on the safe side.
	 */
	report(itemIndex: number, charge: number | undefined, final = false): void {
		if (!this.counted.has(itemIndex)) return;
		if (charge !== undefined) this.counted.set(itemIndex, charge);
		if (final) this.pending.delete(itemIndex);
	}

	/** A submit that failed made no job: its reservation goes. */
	release(itemIndex: number): void {
		this.counted.delete(itemIndex);
		this.pending.delete(itemIndex);
	}
}

export function unknownCostError(node: INode, itemIndex: number, option: string): NodeOperationError {
	return new NodeOperationError(node, `Not submitted: item ${itemIndex + 1} has no cost estimate, and ${option} is set`, {
		itemIndex,
		description:
			"This model has no public price, so the node cannot tell what it costs. Set the option When Cost Is Unknown to 'Submit and Count the Reported Charge' to go on, or remove the limit.",
	});
}

/**
 * The check before the first submit: the estimates of every item against the budget. Over it, the
 * error names the total, the budget, each item's figure and how many items (in order) would fit.
 */
export function checkBatch(node: INode, max: number, unit: string, estimates: Array<{ itemIndex: number; amount: number | undefined }>, whenUnknown: UnknownCostPolicy): void {
	if (!(max > 0)) return;
	const unknown = estimates.filter((e) => e.amount === undefined);
	if (unknown.length && whenUnknown === 'refuse') {
		const error = unknownCostError(node, unknown[0].itemIndex, 'Max Cost per Run');
		error.message = `Nothing submitted: ${unknown.length} item(s) have no cost estimate (item ${unknown.map((e) => e.itemIndex + 1).join(', ')}), and Max Cost per Run is set`;
		throw error;
	}
	const total = tidy(estimates.reduce((sum, e) => sum + (e.amount ?? 0), 0));
	if (total <= max) return;
	let fit = 0;
	let running = 0;
	for (const e of estimates) {
		running = tidy(running + (e.amount ?? 0));
		if (running > max) break;
		fit++;
	}
	const perItem = estimates.map((e) => `item ${e.itemIndex + 1}: ${e.amount === undefined ? 'unknown' : tidy(e.amount)}`).join(', ');
	throw new NodeOperationError(node, `Nothing submitted: the estimate for this run is ${fmt(total, unit)}, over the Max Cost per Run of ${fmt(max, unit)}`, {
		description: `Per item (${unit}): ${perItem}. The first ${fit} of ${estimates.length} item(s) would fit. Raise Max Cost per Run, or send fewer or cheaper items.`,
	});
}

/** The balance floor: refuses when balance − (reserved, not yet charged) − this estimate would fall below it. */
export function checkFloor(node: INode, itemIndex: number, floor: number, unit: string, balance: number | undefined, uncharged: number, estimate: number | undefined, endpoint: string): void {
	if (balance === undefined)
		throw new NodeOperationError(node, `Not submitted: Keep Balance Above is set, but the balance could not be read (${endpoint} gave none)`, { itemIndex });
	const after = tidy(balance - uncharged - (estimate ?? 0));
	if (after >= floor) return;
	const pending = uncharged > 0 ? `, minus ${fmt(uncharged, unit)} for jobs of this run not yet charged` : '';
	throw new NodeOperationError(
		node,
		`Not submitted: the balance is ${fmt(balance, unit)}${pending}; this job's estimate of ${estimate === undefined ? 'unknown' : fmt(estimate, unit)} would leave ${fmt(after, unit)}, below Keep Balance Above (${fmt(floor, unit)})`,
		{ itemIndex, description: 'Top up the account or lower Keep Balance Above. No job was made.' },
	);
}

// ---- one node run --------------------------------------------------------------------------------

/** What RunSpend needs of an item: its validated input (none for Get) and the provider's context. */
export interface SpendItem<Input> {
	itemIndex: number;
	input?: Input;
	context?: unknown;
}

/** Each item's estimate, or undefined where none is known (a failed free lookup counts as none). */
export async function estimateItems<Input>(support: CostSupport<Input, unknown> | undefined, ctx: IExecuteFunctions, items: Array<SpendItem<Input>>, api: Transport): Promise<Map<number, PriceQuote | undefined>> {
	const quotes = new Map<number, PriceQuote | undefined>();
	await Promise.all(
		items.map(async ({ itemIndex, input }) => {
			quotes.set(itemIndex, input && support?.estimate ? await support.estimate(input, { ctx, itemIndex, api }) : undefined);
		}),
	);
	return quotes;
}

/**
 * The cost side of one Generate or Submit run: the items' estimates, the budget check before the first
 * submit, and before each submit the running total and the balance floor, one item at a time (so two
 * items of this run never both pass on the same balance).
 */
export class RunSpend<Input> {
	private gate: Promise<unknown> = Promise.resolve();

	private constructor(
		private readonly node: INode,
		private readonly support: CostSupport<Input, unknown> | undefined,
		readonly quotes: Map<number, PriceQuote | undefined>,
		private readonly budget: Budget,
		private readonly floor: number | undefined,
		private readonly balanceApi: Transport | undefined,
	) {}

	/**
	 * Reads the cost options and the estimates, and refuses the whole run, before any submit, when the
	 * estimates are over Max Cost per Run. Items of one run share one budget: the smallest set wins.
	 */
	static async prepare<Input>(
		ctx: IExecuteFunctions,
		support: CostSupport<Input, unknown> | undefined,
		items: Array<SpendItem<Input>>,
		api: Transport,
		balanceApi: (root: (apiRoot: string) => string) => Transport,
	): Promise<RunSpend<Input>> {
		const node = ctx.getNode();
		const options = items.map(({ itemIndex }) => readCostOptions(ctx, itemIndex));
		const budgets = options.map((o) => o.maxCost).filter((m) => m > 0);
		const max = budgets.length ? Math.min(...budgets) : 0;
		const floors = options.map((o) => o.keepBalanceAbove).filter((f): f is number => f !== undefined);
		const floor = floors.length ? Math.max(...floors) : undefined;
		const whenUnknown: UnknownCostPolicy = options.some((o) => o.whenUnknown === 'refuse') ? 'refuse' : 'reported';
		// The free lookups are made only when something reads them: a limit, or items whose charge the API never reports.
		const needed = max > 0 || floor !== undefined || !support?.reportedField;
		const quotes = needed ? await estimateItems(support, ctx, items, api) : new Map<number, PriceQuote | undefined>();
		const unit = [...quotes.values()].find((q) => q)?.unit ?? support?.unit ?? 'units';
		checkBatch(node, max, unit, items.map(({ itemIndex }) => ({ itemIndex, amount: quotes.get(itemIndex)?.amount })), whenUnknown);
		if (floor !== undefined && !support?.balance)
			throw new NodeOperationError(node, 'Keep Balance Above is set, but this API has no balance endpoint the node can read');
		const balance = floor !== undefined && support?.balance ? balanceApi(support.balance.root ?? ((root) => root)) : undefined;
		return new RunSpend(node, support, quotes, new Budget(max, unit, whenUnknown), floor, balance);
	}

	quote(itemIndex: number): PriceQuote | undefined {
		return this.quotes.get(itemIndex);
	}

	/** Before an item's paid request: throws when the budget or the floor refuses it. One item at a time. */
	async beforeSubmit(itemIndex: number, context: unknown): Promise<void> {
		const turn = this.gate.then(async () => {
			const estimate = this.quotes.get(itemIndex)?.amount;
			if (this.floor !== undefined && this.balanceApi && this.support?.balance) {
				if (estimate === undefined && this.budget.whenUnknown === 'refuse') throw unknownCostError(this.node, itemIndex, 'Keep Balance Above');
				const balance = await this.support.balance.read(this.balanceApi, context);
				checkFloor(this.node, itemIndex, this.floor, this.budget.unit, balance, this.budget.uncharged, estimate, this.support.balance.endpoint);
			}
			this.budget.admit(this.node, itemIndex, estimate);
		});
		this.gate = turn.catch(() => undefined);
		await turn;
	}

	/** Every answer about a submitted job: a reported charge replaces the estimate; a final job is charged. */
	onAnswer(itemIndex: number, snapshot: JobSnapshot): void {
		this.budget.report(itemIndex, snapshot.credits, snapshot.status === 'completed' || snapshot.status === 'failed' || snapshot.status === 'canceled');
	}

	/** A submit that made no job frees its reservation. */
	onSubmitFailed(itemIndex: number): void {
		this.budget.release(itemIndex);
	}

	get total(): number {
		return this.budget.total;
	}
}
