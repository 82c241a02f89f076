import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { additionalJsonField, amountField, checked, clientReferenceCodeField, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { merchantTransactionIdField, sendMoneyMove } from './moneyMove';

/** POST /pts/v2/payments; `processingInformation.capture: true` makes it a sale. */
export const authorize: Operation = {
	name: 'Authorize',
	action: 'Authorize a card payment',
	description: 'Authorize a card payment, optionally capturing it at once (sale)',
	fields: [
		amountField('The amount to authorize'),
		currencyField,
		{
			displayName: 'Card Number',
			name: 'cardNumber',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Primary account number; never shown in output or errors',
			hint: 'Map it from the input (drag the field here or use an expression): a number typed in is saved in clear text in the workflow, its exports and its history',
		},
		{ displayName: 'Expiration Month', name: 'expirationMonth', type: 'string', default: '', required: true, placeholder: '12' },
		{ displayName: 'Expiration Year', name: 'expirationYear', type: 'string', default: '', required: true, placeholder: '2031' },
		{
			displayName: 'Security Code',
			name: 'securityCode',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'CVV/CVC, 3 or 4 digits (optional)',
		},
		{
			displayName: 'Capture (Sale)',
			name: 'capture',
			type: 'boolean',
			default: false,
			description: 'Whether to capture the payment together with the authorization',
		},
		clientReferenceCodeField,
		merchantTransactionIdField,
		{
			displayName: 'Billing Address',
			name: 'billTo',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{ displayName: 'Address Line 1', name: 'address1', type: 'string', default: '' },
				{ displayName: 'City', name: 'locality', type: 'string', default: '' },
				{ displayName: 'Country', name: 'country', type: 'string', default: '', description: 'Two-letter ISO country code' },
				{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
				{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
				{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
				{ displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '' },
				{ displayName: 'State or Province', name: 'administrativeArea', type: 'string', default: '' },
			],
		},
		additionalJsonField('payment'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const body = checked(this, i, (): IDataObject => {
			const card: IDataObject = {
				number: input.cardNumber(param(this, 'cardNumber', i)),
				expirationMonth: input.expirationMonth(param(this, 'expirationMonth', i)),
				expirationYear: input.expirationYear(param(this, 'expirationYear', i)),
			};
			const cvv = input.securityCode(param(this, 'securityCode', i, ''));
			if (cvv !== undefined) card.securityCode = cvv;
			const billTo = param<IDataObject>(this, 'billTo', i, {});
			const request: IDataObject = {
				processingInformation: { capture: param<boolean>(this, 'capture', i, false) === true },
				paymentInformation: { card },
				orderInformation: {
					amountDetails: { totalAmount: input.amount(param(this, 'amount', i)), currency: input.currency(param(this, 'currency', i)) },
					...(Object.keys(billTo).length > 0 ? { billTo } : {}),
				},
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
