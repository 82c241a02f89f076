import type { IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import type { Operation } from '../types';
import { invoiceIdField, invoicePath } from './shared';

/** GET /invoicing/v2/invoices/{id}: status (DRAFT, CREATED, SENT, PARTIAL, PAID, CANCELED) and payment link. */
export const get: Operation = {
	name: 'Get',
	action: 'Get an invoice',
	description: 'Get an invoice with its status and payment link',
	fields: [invoiceIdField],
	async execute(this: IExecuteFunctions, i: number) {
		return (await cybersourceApiRequest.call(this, i, { method: 'GET', path: invoicePath(this, i) })).body;
	},
};
