import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { filled, param } from '../fields';
import { billToField } from '../payment/card';
import { cardTypeField, instrumentIdentifierId } from '../tokenManagement';

/** A stored card: its instrument identifier (the card number's token), expiry, type, billing address. */
export const instrumentFields: INodeProperties[] = [
	{ ...instrumentIdentifierId.field, description: 'The token of the card number (Instrument Identifier > Create returns it)' },
	{ displayName: 'Expiration Month', name: 'expirationMonth', type: 'string', default: '', required: true, placeholder: '12' },
	{ displayName: 'Expiration Year', name: 'expirationYear', type: 'string', default: '', required: true, placeholder: '2031' },
	cardTypeField,
	billToField,
];

export function instrumentBody(context: IExecuteFunctions, i: number): IDataObject {
	const card: IDataObject = {
		expirationMonth: input.expirationMonth(param(context, 'expirationMonth', i)),
		expirationYear: input.expirationYear(param(context, 'expirationYear', i)),
	};
	const type = String(param(context, 'cardType', i, '') ?? '');
	if (type !== '') card.type = type;
	const billTo = filled(param<IDataObject>(context, 'billTo', i, {}));
	return {
		card,
		instrumentIdentifier: { id: input.tokenId(param(context, 'instrumentIdentifierId', i), 'Instrument Identifier ID') },
		...(Object.keys(billTo).length > 0 ? { billTo } : {}),
	};
}

/** What Update may change: the expiry and the billing address (the card number never changes). */
export const instrumentUpdateFields: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Expiration Month', name: 'expirationMonth', type: 'string', default: '', placeholder: '12' },
			{ displayName: 'Expiration Year', name: 'expirationYear', type: 'string', default: '', placeholder: '2031' },
		],
	},
	billToField,
];

export function instrumentUpdateBody(context: IExecuteFunctions, i: number): IDataObject {
	const values = filled(param<IDataObject>(context, 'updateFields', i, {}));
	const card: IDataObject = {};
	if (values.expirationMonth !== undefined) card.expirationMonth = input.expirationMonth(values.expirationMonth);
	if (values.expirationYear !== undefined) card.expirationYear = input.expirationYear(values.expirationYear);
	const billTo = filled(param<IDataObject>(context, 'billTo', i, {}));
	return { ...(Object.keys(card).length > 0 ? { card } : {}), ...(Object.keys(billTo).length > 0 ? { billTo } : {}) };
}
