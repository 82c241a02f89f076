import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { merchantTransactionId } from '../../../../lib/cybersource/merchantTransactionId';
import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, amountField, checked, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { merchantTransactionIdField } from './moneyMove';

export const cancelledIdField = (what: string) => ({
	...merchantTransactionIdField,
	required: true,
	placeholder: '',
	description: `The Merchant Transaction ID the ${what} was sent with (the error of a request without an answer names it)`,
	hint: 'Wait 60 seconds after the request whose answer was lost, as Cybersource asks',
});

/**
 * POST /pts/v2/reversals: reverses an authorization whose answer never came, found by the merchant
 * transaction ID it was sent with. Cybersource asks to wait 60 seconds and to reverse the full amount.
 */
export const timeoutReversal: Operation = {
	name: 'Timeout Reversal',
	action: 'Reverse an authorization whose answer was lost',
	description: 'Release an authorization that got no answer, by its Merchant Transaction ID',
	simplify: true,
	fields: [
		cancelledIdField('authorization'),
		amountField('The full amount of the authorization (Cybersource reverses only the whole amount)'),
		currencyField,
		{ displayName: 'Reason', name: 'reason', type: 'string', default: '', placeholder: 'No answer from Cybersource', description: 'Why the authorization is reversed (optional)' },
		additionalJsonField('reversal'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const body = checked(this, i, (): IDataObject => {
			const reason = String(param(this, 'reason', i, '')).trim();
			return {
				clientReferenceInformation: { transactionId: merchantTransactionId(param(this, 'merchantTransactionId', i)) },
				reversalInformation: { amountDetails: { totalAmount: input.amount(param(this, 'amount', i)) }, ...(reason !== '' ? { reason } : {}) },
				orderInformation: { amountDetails: { currency: input.currency(param(this, 'currency', i)) } },
			};
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: '/pts/v2/reversals', body: merged })).body;
	},
};
