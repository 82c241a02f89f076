import type { IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { additionalJsonField, amountField, checked, clientReferenceCodeField, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { amountBody } from './capture';
import { merchantTransactionIdField, sendMoneyMove } from './moneyMove';

/** POST /pts/v2/payments/{id}/refunds or /pts/v2/captures/{id}/refunds */
export const refund: Operation = {
	name: 'Refund',
	action: 'Refund a payment or capture',
	description: 'Refund all or part of a captured payment',
	simplify: true,
	fields: [
		{
			displayName: 'Refund Of',
			name: 'refundOf',
			type: 'options',
			options: [
				{ name: 'Payment (Sale or Captured Authorization)', value: 'payments' },
				{ name: 'Capture', value: 'captures' },
			],
			default: 'payments',
		},
		{ displayName: 'ID', name: 'transactionId', type: 'string', default: '', required: true, description: 'The ID of the payment or capture to refund' },
		amountField('The amount to refund'),
		currencyField,
		clientReferenceCodeField,
		merchantTransactionIdField,
		additionalJsonField('refund'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const of = param<string>(this, 'refundOf', i, 'payments') === 'captures' ? 'captures' : 'payments';
		const id = checked(this, i, () => input.pathId(param(this, 'transactionId', i), 'ID'));
		const body = deepMerge(amountBody(this, i), jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		return await sendMoneyMove(this, i, { method: 'POST', path: `/pts/v2/${of}/${id}/refunds`, body }, { cancelBy: 'Timeout Void', application: 'ics_credit' });
	},
};
