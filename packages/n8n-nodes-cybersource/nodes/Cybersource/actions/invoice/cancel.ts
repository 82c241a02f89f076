import type { IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import type { Operation } from '../types';
import { invoiceIdField, invoicePath } from './shared';

/** POST /invoicing/v2/invoices/{id}/cancelation: not once paid. */
export const cancel: Operation = {
	name: 'Cancel',
	action: 'Cancel an invoice',
	description: 'Cancel an invoice that is not paid',
	fields: [invoiceIdField],
	async execute(this: IExecuteFunctions, i: number) {
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: `${invoicePath(this, i)}/cancelation` })).body;
	},
};
