import type { IDataObject, INodeProperties } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { fieldError } from '../../../../lib/oauth2/errors';

/** The customer's own fields (Create shows them, Update has them under Update Fields). */
export const customerOptions: INodeProperties[] = [
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
	{ displayName: 'Merchant Customer ID', name: 'merchantCustomerId', type: 'string', default: '', description: 'Your own ID for the customer (up to 100 characters), e.g. from your shop or CRM' },
	{ displayName: 'Reference Code', name: 'referenceCode', type: 'string', default: '', description: 'A reference of your own for this record (clientReferenceInformation.code)' },
];

/** `buyerInformation` and `clientReferenceInformation` from those fields, checked. */
export function customerBody(values: IDataObject): IDataObject {
	const body: IDataObject = {};
	const buyer: IDataObject = {};
	const email = input.email(values.email);
	if (email !== undefined) buyer.email = email;
	const merchantCustomerId = String(values.merchantCustomerId ?? '').trim();
	if (merchantCustomerId.length > 100) throw fieldError('Merchant Customer ID', 'is longer than 100 characters.');
	if (merchantCustomerId !== '') buyer.merchantCustomerID = merchantCustomerId;
	if (Object.keys(buyer).length > 0) body.buyerInformation = buyer;
	const reference = String(values.referenceCode ?? '').trim();
	if (reference !== '') body.clientReferenceInformation = { code: reference };
	return body;
}
