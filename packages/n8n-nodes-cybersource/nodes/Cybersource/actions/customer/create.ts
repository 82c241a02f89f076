import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { param } from '../fields';
import { CUSTOMERS_PATH, createToken } from '../tokenManagement';
import { customerBody, customerOptions } from './shared';

/** POST /tms/v2/customers. Cards are added with Customer Payment Instrument > Create, or while paying (Save the Card). */
export const create = createToken(
	{ noun: 'customer', ids: [], path: () => CUSTOMERS_PATH },
	'Create a customer',
	'Create a customer in Token Management, to store cards and addresses for later charges',
	customerOptions,
	(context: IExecuteFunctions, i: number) =>
		customerBody(Object.fromEntries(customerOptions.map((field) => [field.name, param(context, field.name, i, '')])) as IDataObject),
);
