import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { collectPages, type Page } from '../../../../lib/cybersource/pager';
import { searchQuery, type SearchFilters } from '../../../../lib/cybersource/searchQuery';
import { cybersourceApiRequest } from '../../transport';
import { checked, limitOf, param, returnAllFields } from '../fields';
import type { Operation } from '../types';

/** Cybersource's largest Transaction Search page. */
export const MAX_SEARCH_PAGE = 2500;

/** One page of a Transaction Search (`POST /tss/v2/searches`): its transaction summaries and `totalCount`. */
export async function searchPage(
	context: IExecuteFunctions,
	i: number,
	search: { query: string; sort: string; offset: number; limit: number },
): Promise<Page<IDataObject>> {
	const body: IDataObject = { save: false, name: 'n8n search', ...search };
	const result = (await cybersourceApiRequest.call(context, i, { method: 'POST', path: '/tss/v2/searches', body })).body as IDataObject;
	const embedded = (result._embedded ?? {}) as IDataObject;
	const total = typeof result.totalCount === 'number' ? result.totalCount : undefined;
	return { items: (embedded.transactionSummaries ?? []) as IDataObject[], total };
}

const QUERY_FIELD = {
	displayName: 'Query',
	name: 'query',
	type: 'string' as const,
	default: '',
	placeholder: 'clientReferenceInformation.code:ORDER-1001',
	description: "Cybersource's query syntax: field:value, combined with AND / OR",
};

/** POST /tss/v2/searches; each transaction summary becomes one output item. */
export const search: Operation = {
	name: 'Search',
	action: 'Search transactions',
	description: 'Find transactions with a query, e.g. by your client reference code',
	simplify: true,
	fields: [
		{ ...QUERY_FIELD, required: true, displayOptions: { show: { '@version': [1, 2] } } },
		{
			...QUERY_FIELD,
			description: "Cybersource's query syntax (field:value, combined with AND / OR), joined with the filters by AND. Optional when a filter is set.",
			displayOptions: { show: { '@version': [{ _cnd: { gte: 3 } }] } },
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			displayOptions: { show: { '@version': [{ _cnd: { gte: 3 } }] } },
			options: [
				{ displayName: 'Client Reference Code', name: 'clientReferenceCode', type: 'string', default: '', description: 'Your reference of the transaction (order number)' },
				{ displayName: 'Merchant Customer ID', name: 'merchantCustomerId', type: 'string', default: '', description: 'Your ID of the customer (buyerInformation.merchantCustomerId)' },
				{ displayName: 'Reconciliation ID', name: 'reconciliationId', type: 'string', default: '' },
				{ displayName: 'Submitted After', name: 'submittedAfter', type: 'dateTime', default: '', description: 'Transactions submitted at or after this time (in the workflow\'s time zone unless the value has one; sent in UTC)' },
				{ displayName: 'Submitted Before', name: 'submittedBefore', type: 'dateTime', default: '', description: 'Transactions submitted before this time' },
				{ displayName: 'Successful Only', name: 'successfulOnly', type: 'boolean', default: false, description: 'Whether to return only transactions whose services succeeded (reply flag SOK)' },
			],
		},
		...returnAllFields,
		{ displayName: 'Offset', name: 'offset', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'How many results to skip' },
		{ displayName: 'Sort', name: 'sort', type: 'string', default: 'submitTimeUtc:desc', description: 'Field and direction, e.g. submitTimeUtc:desc', displayOptions: { show: { '@version': [1, 2] } } },
		{
			displayName: 'Sort By',
			name: 'sortBy',
			type: 'options',
			default: 'submitTimeUtc',
			options: [
				{ name: 'Submit Time', value: 'submitTimeUtc' },
				{ name: 'Transaction ID', value: 'id' },
			],
			displayOptions: { show: { '@version': [{ _cnd: { gte: 3 } }] } },
		},
		{
			displayName: 'Sort Direction',
			name: 'sortDirection',
			type: 'options',
			default: 'desc',
			options: [
				{ name: 'Descending (Newest First)', value: 'desc' },
				{ name: 'Ascending (Oldest First)', value: 'asc' },
			],
			displayOptions: { show: { '@version': [{ _cnd: { gte: 3 } }] } },
		},
	],
	async execute(this: IExecuteFunctions, i: number) {
		const version = this.getNode().typeVersion;
		const query = checked(this, i, () =>
			version >= 3
				? searchQuery(String(param(this, 'query', i, '') ?? ''), param<SearchFilters>(this, 'filters', i, {}), this.getTimezone())
				: input.required(param(this, 'query', i), 'Query', 'a query such as clientReferenceInformation.code:ORDER-1001'),
		);
		const sort = version >= 3 ? `${param<string>(this, 'sortBy', i, 'submitTimeUtc')}:${param<string>(this, 'sortDirection', i, 'desc')}` : param<string>(this, 'sort', i, 'submitTimeUtc:desc');
		const limit = limitOf(this, i);
		const offset = checked(this, i, () => input.count(param(this, 'offset', i, 0), 'Offset', 0));
		// Pages of up to 2,500 (Cybersource's maximum) until the limit or the end of the results.
		return await collectPages((pageOffset, pageLimit) => searchPage(this, i, { query, sort, offset: pageOffset, limit: pageLimit }), {
			offset,
			pageSize: MAX_SEARCH_PAGE,
			limit,
		});
	},
};
