import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked, clientReferenceCodeField, param } from '../fields';
import type { Operation } from '../types';

const VOIDABLE = ['payments', 'captures', 'refunds', 'credits'] as const;

/** POST /pts/v2/{payments|captures|refunds|credits}/{id}/voids: cancels before settlement. */
export const voidTransaction: Operation = {
	name: 'Void',
	action: 'Void a transaction',
	description: 'Cancel a payment, capture, refund or credit before it settles',
	simplify: true,
	fields: [
		{
			displayName: 'Void Of',
			name: 'voidOf',
			type: 'options',
			options: [
				{ name: 'Capture', value: 'captures' },
				{ name: 'Credit', value: 'credits' },
				{ name: 'Payment (Sale)', value: 'payments' },
				{ name: 'Refund', value: 'refunds' },
			],
			default: 'payments',
		},
		{ displayName: 'ID', name: 'transactionId', type: 'string', default: '', required: true, description: 'The ID of the transaction to void' },
		clientReferenceCodeField,
	],
	async execute(this: IExecuteFunctions, i: number) {
		const kind = param<string>(this, 'voidOf', i, 'payments');
		const of = (VOIDABLE as readonly string[]).includes(kind) ? kind : 'payments';
		const id = checked(this, i, () => input.pathId(param(this, 'transactionId', i), 'ID'));
		const body: IDataObject = {};
		const reference = String(param(this, 'clientReferenceCode', i, '')).trim();
		if (reference !== '') body.clientReferenceInformation = { code: reference };
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: `/pts/v2/${of}/${id}/voids`, body })).body;
	},
};
