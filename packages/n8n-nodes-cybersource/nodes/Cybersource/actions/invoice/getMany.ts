import type { IExecuteFunctions } from 'n8n-workflow';

import { param, returnAllFields } from '../fields';
import type { Operation } from '../types';
import { INVOICES_PATH, listPages } from './shared';

/** GET /invoicing/v2/invoices?offset&limit[&status], paged with the one pager. */
export const getMany: Operation = {
	name: 'Get Many',
	action: 'Get many invoices',
	description: 'List invoices, optionally of one status',
	fields: [
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: '',
			options: [{ name: 'Any', value: '' }, ...['CANCELED', 'CREATED', 'DRAFT', 'PAID', 'PARTIAL', 'PENDING', 'SENT'].map((value) => ({ name: value.charAt(0) + value.slice(1).toLowerCase(), value }))],
		},
		...returnAllFields,
	],
	async execute(this: IExecuteFunctions, i: number) {
		const status = param<string>(this, 'status', i, '');
		return await listPages(this, i, { path: INVOICES_PATH, key: 'invoices', total: 'totalInvoices', qs: status ? { status } : {} });
	},
};
