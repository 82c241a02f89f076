import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldError } from '../../../../lib/oauth2/errors';
import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, amountField, checked, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { INVOICES_PATH, invoiceOptions, invoiceParts } from './shared';

/** POST /invoicing/v2/invoices: a draft, or sent by email at once. */
export const create: Operation = {
	name: 'Create',
	action: 'Create an invoice',
	description: 'Create an invoice, as a draft or sent to the customer by email at once',
	fields: [
		amountField('The total of the invoice'),
		currencyField,
		{ displayName: 'Due Date', name: 'dueDate', type: 'dateTime', default: '', required: true },
		{ displayName: 'Customer Email', name: 'customerEmail', type: 'string', placeholder: 'name@email.com', default: '', description: 'Where the invoice is sent; needed to send it' },
		{ displayName: 'Send Immediately', name: 'sendImmediately', type: 'boolean', default: true, description: 'Whether to email the invoice now; off: a draft, sent later with Send' },
		{ displayName: 'Additional Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: invoiceOptions },
		additionalJsonField('invoice'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const body = checked(this, i, (): IDataObject => {
			const values: IDataObject = { ...param<IDataObject>(this, 'options', i, {}), amount: param(this, 'amount', i), currency: param(this, 'currency', i), dueDate: param(this, 'dueDate', i), customerEmail: param(this, 'customerEmail', i, '') };
			const parts = invoiceParts(values);
			const sendNow = param<boolean>(this, 'sendImmediately', i, true) === true;
			if (sendNow && parts.customerInformation.email === undefined) throw fieldError('Customer Email', 'is empty; an invoice sent at once needs the customer\'s email (or turn off Send Immediately).');
			return {
				customerInformation: parts.customerInformation,
				invoiceInformation: { ...parts.invoiceInformation, sendImmediately: sendNow, deliveryMode: sendNow ? 'email' : 'none' },
				orderInformation: { amountDetails: parts.amountDetails },
			};
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: INVOICES_PATH, body: merged })).body;
	},
};
