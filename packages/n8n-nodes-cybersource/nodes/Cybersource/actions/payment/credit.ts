import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { additionalJsonField, amountField, checked, clientReferenceCodeField, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { billToField, orderOf } from './card';
import { merchantTransactionIdField, sendMoneyMove } from './moneyMove';
import { paymentSourceFields, paymentSourceOf } from './source';

/** POST /pts/v2/credits: money to a card without a prior payment (standalone credit). */
export const credit: Operation = {
	name: 'Credit',
	action: 'Credit a card',
	description: 'Send money to a card or a stored card without a prior payment (standalone credit)',
	simplify: true,
	fields: [
		amountField('The amount to credit'),
		currencyField,
		...paymentSourceFields(['card', 'customer', 'paymentInstrument', 'instrumentIdentifier']),
		clientReferenceCodeField,
		merchantTransactionIdField,
		billToField,
		additionalJsonField('credit'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const body = checked(this, i, (): IDataObject => {
			const request: IDataObject = { paymentInformation: paymentSourceOf(this, i).paymentInformation, orderInformation: orderOf(this, i) };
			const reference = String(param(this, 'clientReferenceCode', i, '')).trim();
			if (reference !== '') request.clientReferenceInformation = { code: reference };
			return request;
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		// A credit whose answer was lost is cancelled by a timeout void.
		return await sendMoneyMove(this, i, { method: 'POST', path: '/pts/v2/credits', body: merged }, { cancelBy: 'Timeout Void', application: 'ics_credit' });
	},
};
