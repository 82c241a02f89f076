import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, checked, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { invoiceIdField, invoiceOptions, invoicePath, invoiceParts } from './shared';

/**
 * PUT /invoicing/v2/invoices/{id}: Cybersource replaces the whole invoice, so the node reads it
 * first and sends it back with the fields given changed (not once PAID or CANCELED).
 */
export const update: Operation = {
	name: 'Update',
	action: 'Update an invoice',
	description: 'Change fields of an invoice that is not paid or canceled',
	fields: [
		invoiceIdField,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{ displayName: 'Amount', name: 'amount', type: 'string', default: '', placeholder: '49.95' },
				{ displayName: 'Currency', name: 'currency', type: 'string', default: '', placeholder: 'USD' },
				{ displayName: 'Customer Email', name: 'customerEmail', type: 'string', placeholder: 'name@email.com', default: '' },
				{ displayName: 'Due Date', name: 'dueDate', type: 'dateTime', default: '' },
				...invoiceOptions,
			],
		},
		additionalJsonField('invoice'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const path = invoicePath(this, i);
		const parts = checked(this, i, () => invoiceParts(param<IDataObject>(this, 'updateFields', i, {})));
		const extra = jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i);
		const current = (await cybersourceApiRequest.call(this, i, { method: 'GET', path })).body as IDataObject;
		// The invoice as sent (not the answer's id, status and links), with the changes over it.
		const invoice = { customerInformation: current.customerInformation ?? {}, invoiceInformation: withoutLink((current.invoiceInformation ?? {}) as IDataObject), orderInformation: current.orderInformation ?? {} };
		const changes = { customerInformation: parts.customerInformation, invoiceInformation: parts.invoiceInformation, orderInformation: { amountDetails: parts.amountDetails } };
		const body = deepMerge(deepMerge(invoice, changes), extra);
		return (await cybersourceApiRequest.call(this, i, { method: 'PUT', path, body })).body;
	},
};

/** What Cybersource adds to an invoice it answers with, not part of one sent. */
function withoutLink(information: IDataObject): IDataObject {
	const rest = { ...information };
	delete rest.paymentLink;
	return rest;
}
