import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';

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
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 2500 },
			default: 50,
			description: 'Max number of results to return',
		},
		{ displayName: 'Offset', name: 'offset', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'How many results to skip' },
		{ displayName: 'Sort', name: 'sort', type: 'string', default: 'submitTimeUtc:desc', description: 'Field and direction, e.g. submitTimeUtc:desc' },
	],
	async execute(this: IExecuteFunctions, i: number) {
		const query = checked(this, i, () => input.required(param(this, 'query', i), 'Query', 'a query such as clientReferenceInformation.code:ORDER-1001'));
		const body: IDataObject = {
			save: false,
			name: 'n8n search',
			query,
			limit: param<number>(this, 'limit', i, 50),
			offset: param<number>(this, 'offset', i, 0),
			sort: param<string>(this, 'sort', i, 'submitTimeUtc:desc'),
		};
		const result = (await cybersourceApiRequest.call(this, i, { method: 'POST', path: '/tss/v2/searches', body })).body as IDataObject;
		const embedded = (result._embedded ?? {}) as IDataObject;
		return (embedded.transactionSummaries ?? []) as IDataObject[];
	},
};
