import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as input from '../../../lib/cybersource/paymentInput';
import { asNodeError, invalidInput } from '../errors';

/** Reads a parameter; wraps the field checks of lib/ into a NodeOperationError for the item. */
export function param<T = unknown>(context: IExecuteFunctions, name: string, itemIndex: number, fallback?: T): T {
	return context.getNodeParameter(name, itemIndex, fallback) as T;
}

export function checked<T>(context: IExecuteFunctions, itemIndex: number, check: () => T): T {
	try {
		return check();
	} catch (error) {
		throw asNodeError(context.getNode(), error, itemIndex);
	}
}

/** A JSON parameter (object), or {} when empty; a clear error naming the field otherwise. */
export function jsonObject(context: IExecuteFunctions, name: string, field: string, itemIndex: number): IDataObject {
	const raw = context.getNodeParameter(name, itemIndex, '') as unknown;
	if (raw === '' || raw === undefined || raw === null) return {};
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch {
			throw invalidInput(context.getNode(), `${field}: is not valid JSON. Check quotes and commas.`, itemIndex);
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw invalidInput(context.getNode(), `${field}: must be a JSON object ({ ... }).`, itemIndex);
	}
	return value as IDataObject;
}

/** Deep merge of `extra` into `base` (extra wins), for "Additional Fields (JSON)". */
export function deepMerge(base: IDataObject, extra: IDataObject): IDataObject {
	const result: IDataObject = { ...base };
	for (const [key, value] of Object.entries(extra)) {
		const existing = result[key];
		result[key] =
			typeof value === 'object' && value !== null && !Array.isArray(value) && typeof existing === 'object' && existing !== null && !Array.isArray(existing)
				? deepMerge(existing as IDataObject, value as IDataObject)
				: value;
	}
	return result;
}

export const clientReferenceCodeField: INodeProperties = {
	displayName: 'Client Reference Code',
	name: 'clientReferenceCode',
	type: 'string',
	default: '',
	description: 'Your own reference for this transaction (order number); Transaction > Search finds it again',
};

export const amountField = (description: string): INodeProperties => ({
	displayName: 'Amount',
	name: 'amount',
	type: 'string',
	default: '',
	required: true,
	placeholder: '49.95',
	description,
});

export const currencyField: INodeProperties = {
	displayName: 'Currency',
	name: 'currency',
	type: 'string',
	default: 'USD',
	required: true,
	description: 'Three-letter ISO 4217 code',
};

export const additionalJsonField = (what: string): INodeProperties => ({
	displayName: 'Additional Fields (JSON)',
	name: 'additionalJson',
	type: 'json',
	default: '{}',
	description: `Any other fields of the ${what} request, merged into the body (see Cybersource's REST API reference)`,
});

export function invalidIfEmpty(context: IExecuteFunctions, body: IDataObject, message: string, itemIndex: number): void {
	if (Object.keys(body).length === 0) throw invalidInput(context.getNode(), message, itemIndex);
}

/** Return All and Limit, as every n8n "Get Many" has them. */
export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many items a Get Many wants: undefined for Return All. */
export function limitOf(context: IExecuteFunctions, i: number): number | undefined {
	if (param<boolean>(context, 'returnAll', i, false) === true) return undefined;
	return checked(context, i, () => input.count(param(context, 'limit', i, 50), 'Limit'));
}

/** A collection field's values without empty ones (fields the user added and left empty). */
export function filled(values: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '' && value !== undefined && value !== null));
}
