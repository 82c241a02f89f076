import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked } from '../fields';
import type { Operation } from '../types';
import { nodeOrganizationIdField, organizationIdOf } from './shared';

/** GET /notification-subscriptions/v2/products/{organizationId}; one item per product. */
export const listProducts: Operation = {
	name: 'List Products',
	action: 'List webhook products and event types',
	description: 'List the products and event types an organization can subscribe to',
	fields: [nodeOrganizationIdField],
	async execute(this: IExecuteFunctions, i: number) {
		const typed = await organizationIdOf(this, i);
		const organizationId = checked(this, i, () => input.pathId(typed, 'Organization ID'));
		const body = (await cybersourceApiRequest.call(this, i, { method: 'GET', path: `/notification-subscriptions/v2/products/${organizationId}` })).body;
		return Array.isArray(body) ? body : (((body as IDataObject).products ?? [body]) as IDataObject[]);
	},
};
