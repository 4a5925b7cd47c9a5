import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';
import { tidy, type EstimateContext, type PriceQuote } from '../shared/cost/cost';

/**
 * A gateway's prices are its own (each new-api or OpenAI-compatible deployment sets them), so the node
 * keeps no table: the user gives the price per second and/or per video in the Options, in the unit
 * they choose. Without one there is no estimate (docs/providers/video-generation-api.md, "What it costs").
 */

export const USER_PRICE_SOURCE = 'your price (Options: Price per Second, Price per Video)';

export const userPriceOptions: INodeProperties[] = [
	{
		displayName: 'Price per Second',
		name: 'pricePerSecond',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 6 },
		default: 0,
		displayOptions: { show: { '/operation': ['generate', 'submit', 'estimate'] } },
		description: "What one second of video costs on this gateway, in Price Unit, for Estimate and Max Cost per Run. 0: not priced by the second.",
	},
	{
		displayName: 'Price per Video',
		name: 'pricePerVideo',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 6 },
		default: 0,
		displayOptions: { show: { '/operation': ['generate', 'submit', 'estimate'] } },
		description: 'What one video costs on this gateway besides any per-second price, in Price Unit. 0: none.',
	},
	{
		displayName: 'Price Unit',
		name: 'priceUnit',
		type: 'string',
		default: 'USD',
		displayOptions: { show: { '/operation': ['generate', 'submit', 'estimate'] } },
		description: "The unit of your prices and of Max Cost per Run, e.g. USD or the gateway's quota",
	},
];

/** The user's price for one item; undefined when none is set, or it is per second and the duration is the model's default. */
export function userPrice(duration: number | undefined, { ctx, itemIndex }: EstimateContext): PriceQuote | undefined {
	const options = (ctx.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
	const read = (name: string, label: string) => {
		const value = options[name];
		if (value === undefined || value === '' || value === null) return 0;
		const n = Number(value);
		if (!Number.isFinite(n) || n < 0) throw new NodeOperationError(ctx.getNode(), `Invalid option ${label}: must be a number of 0 or more`, { itemIndex });
		return n;
	};
	const perSecond = read('pricePerSecond', 'Price per Second');
	const perVideo = read('pricePerVideo', 'Price per Video');
	if (!perSecond && !perVideo) return undefined;
	if (perSecond && duration === undefined) return undefined;
	const unit = String(options.priceUnit ?? '').trim() || 'USD';
	return { amount: tidy(perVideo + perSecond * (duration ?? 0)), unit, source: USER_PRICE_SOURCE };
}
