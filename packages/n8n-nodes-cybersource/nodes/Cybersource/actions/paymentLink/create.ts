import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, checked, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { PAYMENT_LINKS_PATH } from './shared';

/**
 * POST /ipl/v2/payment-links: a link a customer pays by (research §1.7): one line item from the
 * fields (more in Additional Fields JSON, `orderInformation.lineItems`). A donation link takes
 * any amount, so it has none.
 */
export const create: Operation = {
	name: 'Create',
	action: 'Create a payment link',
	description: 'Create a link a customer opens to pay (a purchase or a donation)',
	fields: [
		{
			displayName: 'Link Type',
			name: 'linkType',
			type: 'options',
			default: 'PURCHASE',
			options: [
				{ name: 'Purchase', value: 'PURCHASE' },
				{ name: 'Donation', value: 'DONATION' },
			],
		},
		{ displayName: 'Purchase Number', name: 'purchaseNumber', type: 'string', default: '', required: true, placeholder: 'ORDER-1001', description: 'Your reference for what is paid (at most 60 characters)' },
		{ displayName: 'Product Name', name: 'productName', type: 'string', default: '', required: true },
		{ displayName: 'Unit Price', name: 'unitPrice', type: 'string', default: '', required: true, placeholder: '25.00', displayOptions: { show: { linkType: ['PURCHASE'] } } },
		{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { minValue: 1 }, default: 1, displayOptions: { show: { linkType: ['PURCHASE'] } } },
		currencyField,
		additionalJsonField('payment link'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const body = checked(this, i, (): IDataObject => {
			const linkType = param<string>(this, 'linkType', i, 'PURCHASE');
			const purchaseNumber = input.required(param(this, 'purchaseNumber', i), 'Purchase Number', 'your reference, such as an order number');
			const productName = input.required(param(this, 'productName', i), 'Product Name', 'what the customer pays for');
			const currency = input.currency(param(this, 'currency', i));
			if (linkType === 'DONATION') {
				return {
					processingInformation: { linkType },
					purchaseInformation: { purchaseNumber },
					orderInformation: { amountDetails: { currency }, lineItems: [{ productName, quantity: 1, unitPrice: '0' }] },
				};
			}
			const unitPrice = input.amount(param(this, 'unitPrice', i), 'Unit Price');
			const quantity = input.count(param(this, 'quantity', i, 1), 'Quantity');
			const total = ((Math.round(Number(unitPrice) * 100) * quantity) / 100).toFixed(2);
			return {
				processingInformation: { linkType },
				purchaseInformation: { purchaseNumber },
				orderInformation: { amountDetails: { totalAmount: total, currency }, lineItems: [{ productName, quantity, unitPrice }] },
			};
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: PAYMENT_LINKS_PATH, body: merged })).body;
	},
};
