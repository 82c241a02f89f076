import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { additionalJsonField, amountField, checked, clientReferenceCodeField, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { billToField, orderOf } from './card';
import { merchantTransactionIdField, sendMoneyMove } from './moneyMove';
import { paymentSourceFields, paymentSourceOf, saveCardFields, saveCardOf, storedCredentialField, storedCredentialOf } from './source';

/** POST /pts/v2/payments; `processingInformation.capture: true` makes it a sale. */
export const authorize: Operation = {
	name: 'Authorize',
	action: 'Authorize a card payment',
	description: 'Authorize a card payment (a card number or a stored card), optionally capturing it at once (sale)',
	simplify: true,
	fields: [
		amountField('The amount to authorize (zero with Save the Card: verify and store the card without charging)'),
		currencyField,
		...paymentSourceFields(['card', 'customer', 'paymentInstrument', 'instrumentIdentifier', 'transientToken']),
		...saveCardFields,
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
		storedCredentialField,
		additionalJsonField('payment'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const body = checked(this, i, (): IDataObject => {
			const source = paymentSourceOf(this, i);
			const save = saveCardOf(this, i);
			const request: IDataObject = deepMerge(
				{
					processingInformation: { capture: param<boolean>(this, 'capture', i, false) === true, ...storedCredentialOf(this, i), ...save?.processingInformation },
					paymentInformation: { ...source.paymentInformation, ...save?.paymentInformation },
					orderInformation: orderOf(this, i, save !== undefined),
				},
				source.tokenInformation === undefined ? {} : { tokenInformation: source.tokenInformation },
			);
			if (Object.keys(request.paymentInformation as IDataObject).length === 0) delete request.paymentInformation;
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
