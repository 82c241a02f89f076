import type { IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import type { Operation } from '../types';
import { invoiceIdField, invoicePath } from './shared';

/** POST /invoicing/v2/invoices/{id}/delivery: emails the invoice (again) to the customer. */
export const send: Operation = {
	name: 'Send',
	action: 'Send an invoice',
	description: 'Email the invoice to the customer (a draft is sent; a sent one is sent again)',
	fields: [invoiceIdField],
	async execute(this: IExecuteFunctions, i: number) {
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: `${invoicePath(this, i)}/delivery` })).body;
	},
};
