import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { returnAllFields } from '../fields';
import { getPages } from '../pages';
import type { Operation } from '../types';
import { REPORTING_PATH, timeRangeFields, timeRangeOf } from './shared';

/** Cybersource's largest purchase and refund details page. */
export const MAX_DETAILS_PAGE = 2000;

/**
 * GET /reporting/v3/purchase-refund-details, paged (offset, limit up to 2,000) with the one pager.
 * Cybersource answers each page as parallel lists keyed by request ID; each output item is one
 * request with its settlements and authorizations.
 */
export const getPurchaseRefundDetails: Operation = {
	name: 'Get Purchase and Refund Details',
	action: 'Get purchase and refund details',
	description: 'One item per purchase or refund of a time window, with its settlement and authorization',
	fields: [...timeRangeFields, ...returnAllFields],
	async execute(this: IExecuteFunctions, i: number) {
		return await getPages(this, i, {
			path: `${REPORTING_PATH}/purchase-refund-details`,
			qs: timeRangeOf(this, i),
			pageSize: MAX_DETAILS_PAGE,
			read: (page) => {
				const byRequest = (key: string) => {
					const entries = new Map<unknown, IDataObject[]>();
					for (const entry of (page[key] ?? []) as IDataObject[]) entries.set(entry.requestId, [...(entries.get(entry.requestId) ?? []), entry]);
					return entries;
				};
				const settlements = byRequest('settlements');
				const authorizations = byRequest('authorizations');
				const items = ((page.requestDetails ?? []) as IDataObject[]).map((detail): IDataObject => ({
					...detail,
					settlements: settlements.get(detail.requestId) ?? [],
					authorizations: authorizations.get(detail.requestId) ?? [],
				}));
				return { items };
			},
		});
	},
};
