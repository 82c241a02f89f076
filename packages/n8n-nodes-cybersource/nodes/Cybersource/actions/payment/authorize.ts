import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { additionalJsonField, amountField, checked, clientReferenceCodeField, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { billToField, cardFields, cardOf, orderOf } from './card';
import { merchantTransactionIdField, sendMoneyMove } from './moneyMove';

/** POST /pts/v2/payments; `processingInformation.capture: true` makes it a sale. */
export const authorize: Operation = {
	name: 'Authorize',
	action: 'Authorize a card payment',
	description: 'Authorize a card payment, optionally capturing it at once (sale)',
	fields: [
		amountField('The amount to authorize'),
		currencyField,
		...cardFields,
		{
			displayName: 'Capture (Sale)',
			name: 'capture',
			type: 'boolean',
			default: false,
			description: 'Whether to capture the payment together with the authorization',
		},
		clientReferenceCodeField,
		merchantTransactionIdField,
		billToField,
		additionalJsonField('payment'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const body = checked(this, i, (): IDataObject => {
			const request: IDataObject = {
				processingInformation: { capture: param<boolean>(this, 'capture', i, false) === true },
				paymentInformation: { card: cardOf(this, i) },
				orderInformation: orderOf(this, i),
			};
			const reference = String(param(this, 'clientReferenceCode', i, '')).trim();
			if (reference !== '') request.clientReferenceInformation = { code: reference };
			return request;
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		// A sale (captured at once) is cancelled by a timeout void, an authorization by a timeout reversal.
		const sale = (merged.processingInformation as IDataObject | undefined)?.capture === true;
		return await sendMoneyMove(this, i, { method: 'POST', path: '/pts/v2/payments', body: merged }, { cancelBy: sale ? 'Timeout Void' : 'Timeout Reversal', application: 'ics_auth' });
	},
};
