import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { collectPages, type Page } from '../../../../lib/cybersource/pager';
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

/** POST /tss/v2/searches; each transaction summary becomes one output item. */
export const search: Operation = {
	name: 'Search',
	action: 'Search transactions',
	description: 'Find transactions with a query, e.g. by your client reference code',
	fields: [
		{
			displayName: 'Query',
			name: 'query',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'clientReferenceInformation.code:ORDER-1001',
			description: "Cybersource's query syntax: field:value, combined with AND / OR",
		},
		...returnAllFields,
		{ displayName: 'Offset', name: 'offset', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'How many results to skip' },
		{ displayName: 'Sort', name: 'sort', type: 'string', default: 'submitTimeUtc:desc', description: 'Field and direction, e.g. submitTimeUtc:desc' },
	],
	async execute(this: IExecuteFunctions, i: number) {
		const query = checked(this, i, () => input.required(param(this, 'query', i), 'Query', 'a query such as clientReferenceInformation.code:ORDER-1001'));
		const sort = param<string>(this, 'sort', i, 'submitTimeUtc:desc');
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
