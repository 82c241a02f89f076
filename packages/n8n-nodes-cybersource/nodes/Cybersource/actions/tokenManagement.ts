import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as input from '../../../lib/cybersource/paymentInput';
import { invalidInput } from '../errors';
import { cybersourceApiRequest } from '../transport';
import { additionalJsonField, checked, deepMerge, jsonObject, param, returnAllFields } from './fields';
import { getPages, totalOf } from './pages';
import type { Operation } from './types';

/**
 * Token Management (TMS) operations, written once: every token (customer, payment instrument,
 * shipping address, instrument identifier) is read, updated, deleted and listed the same way
 * (research §1.2). An operation file says which token and which fields; this file does the rest.
 *
 * - Update sends the token's ETag in `If-Match`, as Cybersource requires: the one the user gives,
 *   else the current one, read first (then the update applies to the token as it is now).
 * - Delete outputs `{ deleted: true }` (Cybersource answers 204 without a body).
 * - Lists page through Cybersource's limit of 100 with the one pager (Return All / Limit).
 */

/** Cybersource's largest Token Management page. */
export const MAX_TMS_PAGE = 100;

export const CUSTOMERS_PATH = '/tms/v2/customers';
export const PAYMENT_INSTRUMENTS_PATH = '/tms/v1/paymentinstruments';
export const INSTRUMENT_IDENTIFIERS_PATH = '/tms/v1/instrumentidentifiers';

/** One token ID field: required, checked as a token ID (a card number is refused without being repeated). */
export interface TokenIdField {
	name: string;
	displayName: string;
	field: INodeProperties;
	read(context: IExecuteFunctions, i: number): string;
}

export function tokenIdField(name: string, displayName: string, description: string): TokenIdField {
	return {
		name,
		displayName,
		field: { displayName, name, type: 'string', default: '', required: true, description },
		read: (context, i) => checked(context, i, () => input.tokenId(param(context, name, i), displayName)),
	};
}

export const customerId = tokenIdField('customerId', 'Customer ID', 'The ID Token Management returned for the customer');
export const paymentInstrumentId = tokenIdField('paymentInstrumentId', 'Payment Instrument ID', 'The ID Token Management returned for the payment instrument (a stored card)');
export const shippingAddressId = tokenIdField('shippingAddressId', 'Shipping Address ID', 'The ID Token Management returned for the shipping address');
export const instrumentIdentifierId = tokenIdField('instrumentIdentifierId', 'Instrument Identifier ID', 'The ID Token Management returned for the card number (instrument identifier)');

/** Where one token lives, from the item's ID fields. */
export interface TokenAt {
	/** "customer", "payment instrument", ... (in descriptions) */
	noun: string;
	ids: TokenIdField[];
	path(ids: string[]): string;
}

const idsOf = (at: TokenAt, context: IExecuteFunctions, i: number) => at.ids.map((id) => id.read(context, i));

export const etagField: INodeProperties = {
	displayName: 'ETag',
	name: 'etag',
	type: 'string',
	default: '',
	description: 'The ETag header of the token as you read it (sent as If-Match): the update is refused if the token changed since. Empty: the node reads the current ETag first.',
};

export function getToken(at: TokenAt, action: string): Operation {
	return {
		name: 'Get',
		action,
		description: `Retrieve a ${at.noun}`,
		fields: at.ids.map((id) => id.field),
		async execute(this: IExecuteFunctions, i: number) {
			return (await cybersourceApiRequest.call(this, i, { method: 'GET', path: at.path(idsOf(at, this, i)) })).body;
		},
	};
}

export function deleteToken(at: TokenAt, action: string, description: string): Operation {
	return {
		name: 'Delete',
		action,
		description,
		fields: at.ids.map((id) => id.field),
		async execute(this: IExecuteFunctions, i: number) {
			const ids = idsOf(at, this, i);
			await cybersourceApiRequest.call(this, i, { method: 'DELETE', path: at.path(ids) });
			return { deleted: true, id: ids[ids.length - 1] };
		},
	};
}

/** POST to a collection; `bodyOf` builds the body from the fields (checked), Additional Fields (JSON) merged in. */
export function createToken(
	collection: { noun: string; ids: TokenIdField[]; path(ids: string[]): string },
	action: string,
	description: string,
	fields: INodeProperties[],
	bodyOf: (context: IExecuteFunctions, i: number) => IDataObject,
): Operation {
	return {
		name: 'Create',
		action,
		description,
		fields: [...collection.ids.map((id) => id.field), ...fields, additionalJsonField(collection.noun)],
		async execute(this: IExecuteFunctions, i: number) {
			const ids = idsOf(collection, this, i);
			const body = deepMerge(checked(this, i, () => bodyOf(this, i)), jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
			return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: collection.path(ids), body })).body;
		},
	};
}

/**
 * PATCH with `If-Match`. The ETag given, else the token's current one (one GET first). A body
 * with nothing to change is refused before anything is sent.
 */
export async function patchToken(context: IExecuteFunctions, i: number, path: string, body: IDataObject, noun: string): Promise<IDataObject> {
	if (Object.keys(body).length === 0) throw invalidInput(context.getNode(), `Nothing to update: add a field to change the ${noun}.`, i);
	let etag = String(param(context, 'etag', i, '') ?? '').trim();
	if (etag === '') {
		const read = await cybersourceApiRequest.call(context, i, { method: 'GET', path });
		etag = read.headers.etag ?? '';
		if (etag === '') throw invalidInput(context.getNode(), `Cybersource sent no ETag with the ${noun}; enter the ETag field to update it.`, i);
	}
	return (await cybersourceApiRequest.call(context, i, { method: 'PATCH', path, body, headers: { 'If-Match': etag } })).body as IDataObject;
}

export function updateToken(at: TokenAt, action: string, description: string, fields: INodeProperties[], bodyOf: (context: IExecuteFunctions, i: number) => IDataObject): Operation {
	return {
		name: 'Update',
		action,
		description,
		fields: [...at.ids.map((id) => id.field), ...fields, etagField, additionalJsonField(at.noun)],
		async execute(this: IExecuteFunctions, i: number) {
			const ids = idsOf(at, this, i);
			const body = deepMerge(checked(this, i, () => bodyOf(this, i)), jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
			return await patchToken(this, i, at.path(ids), body, at.noun);
		},
	};
}

/** GET a list (`offset`, `limit` up to 100), every item of `_embedded[key]` one output item. */
export function listTokens(list: { noun: string; ids: TokenIdField[]; path(ids: string[]): string; key: string }, action: string, description: string, name = 'Get Many'): Operation {
	return {
		name,
		action,
		description,
		fields: [...list.ids.map((id) => id.field), ...returnAllFields],
		async execute(this: IExecuteFunctions, i: number) {
			return await getPages(this, i, {
				path: list.path(idsOf(list, this, i)),
				pageSize: MAX_TMS_PAGE,
				read: (page) => ({ items: (((page._embedded ?? {}) as IDataObject)[list.key] ?? []) as IDataObject[], total: totalOf(page, 'total') }),
			});
		},
	};
}

/** Make a customer's instrument or address its default: PATCH the customer with If-Match. */
export function setDefault(at: TokenAt, key: 'defaultPaymentInstrument' | 'defaultShippingAddress', action: string, description: string): Operation {
	return {
		name: 'Set as Default',
		action,
		description,
		fields: [...at.ids.map((id) => id.field), etagField],
		async execute(this: IExecuteFunctions, i: number) {
			const [customer, token] = idsOf(at, this, i);
			return await patchToken(this, i, `${CUSTOMERS_PATH}/${customer}`, { [key]: { id: token } }, 'customer');
		},
	};
}

export const cardTypeField: INodeProperties = {
	displayName: 'Card Type',
	name: 'cardType',
	type: 'options',
	default: '',
	description: 'The card brand; from the card number when left to detect',
	options: [
		{ name: 'American Express', value: '003' },
		{ name: 'Detect From the Card Number', value: '' },
		{ name: 'Diners Club', value: '005' },
		{ name: 'Discover', value: '004' },
		{ name: 'JCB', value: '007' },
		{ name: 'Mastercard', value: '002' },
		{ name: 'Visa', value: '001' },
	],
};

export const makeDefaultField = (what: string): INodeProperties => ({
	displayName: 'Make Default',
	name: 'makeDefault',
	type: 'boolean',
	default: false,
	description: `Whether this becomes the customer's default ${what} (the first one always does)`,
});

export const shipToField: INodeProperties = {
	displayName: 'Shipping Address',
	name: 'shipTo',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{ displayName: 'Address Line 1', name: 'address1', type: 'string', default: '' },
		{ displayName: 'Address Line 2', name: 'address2', type: 'string', default: '' },
		{ displayName: 'City', name: 'locality', type: 'string', default: '' },
		{ displayName: 'Company', name: 'company', type: 'string', default: '' },
		{ displayName: 'Country', name: 'country', type: 'string', default: '', description: 'Two-letter ISO country code' },
		{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
		{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
		{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
		{ displayName: 'Phone Number', name: 'phoneNumber', type: 'string', default: '' },
		{ displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '' },
		{ displayName: 'State or Province', name: 'administrativeArea', type: 'string', default: '' },
	],
};

/** The paths of each token kind. */
export const at = {
	customer: { noun: 'customer', ids: [customerId], path: ([c]: string[]) => `${CUSTOMERS_PATH}/${c}` },
	customerInstruments: { noun: 'payment instrument', ids: [customerId], path: ([c]: string[]) => `${CUSTOMERS_PATH}/${c}/payment-instruments` },
	customerInstrument: { noun: 'payment instrument', ids: [customerId, paymentInstrumentId], path: ([c, p]: string[]) => `${CUSTOMERS_PATH}/${c}/payment-instruments/${p}` },
	customerAddresses: { noun: 'shipping address', ids: [customerId], path: ([c]: string[]) => `${CUSTOMERS_PATH}/${c}/shipping-addresses` },
	customerAddress: { noun: 'shipping address', ids: [customerId, shippingAddressId], path: ([c, a]: string[]) => `${CUSTOMERS_PATH}/${c}/shipping-addresses/${a}` },
	instruments: { noun: 'payment instrument', ids: [], path: () => PAYMENT_INSTRUMENTS_PATH },
	instrument: { noun: 'payment instrument', ids: [paymentInstrumentId], path: ([p]: string[]) => `${PAYMENT_INSTRUMENTS_PATH}/${p}` },
	identifiers: { noun: 'instrument identifier', ids: [], path: () => INSTRUMENT_IDENTIFIERS_PATH },
	identifier: { noun: 'instrument identifier', ids: [instrumentIdentifierId], path: ([i]: string[]) => `${INSTRUMENT_IDENTIFIERS_PATH}/${i}` },
} satisfies Record<string, TokenAt>;
