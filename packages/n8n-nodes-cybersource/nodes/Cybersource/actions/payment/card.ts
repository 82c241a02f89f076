import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { param } from '../fields';

/** The card fields of every operation that takes a card number (Authorize, Credit, Instrument Identifier > Create). */
export const cardFields: INodeProperties[] = [
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
];

export const billToField: INodeProperties = {
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
};

/** `paymentInformation.card`, each field checked (inside `checked`: errors name the field). */
export function cardOf(context: IExecuteFunctions, i: number): IDataObject {
	const card: IDataObject = {
		number: input.cardNumber(param(context, 'cardNumber', i)),
		expirationMonth: input.expirationMonth(param(context, 'expirationMonth', i)),
		expirationYear: input.expirationYear(param(context, 'expirationYear', i)),
	};
	const cvv = input.securityCode(param(context, 'securityCode', i, ''));
	if (cvv !== undefined) card.securityCode = cvv;
	return card;
}

/** `amountDetails` from the Amount and Currency fields, checked. */
export function amountDetailsOf(context: IExecuteFunctions, i: number, allowZero = false): IDataObject {
	return { totalAmount: input.amount(param(context, 'amount', i), 'Amount', allowZero), currency: input.currency(param(context, 'currency', i)) };
}

/** `orderInformation` with the amount, and the billing address when one was given. */
export function orderOf(context: IExecuteFunctions, i: number, allowZero = false): IDataObject {
	const billTo = param<IDataObject>(context, 'billTo', i, {});
	return { amountDetails: amountDetailsOf(context, i, allowZero), ...(Object.keys(billTo).length > 0 ? { billTo } : {}) };
}
