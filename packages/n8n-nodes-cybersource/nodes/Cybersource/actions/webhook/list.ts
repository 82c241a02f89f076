import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';
import { organizationIdField, WEBHOOKS_PATH } from './shared';

/** GET /notification-subscriptions/v2/webhooks?organizationId=..; one output item per webhook. */
export const list: Operation = {
	name: 'List',
	action: 'List webhooks',
	description: 'List the webhook subscriptions of an organization',
	fields: [
		organizationIdField,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{ displayName: 'Product ID', name: 'productId', type: 'string', default: '' },
				{ displayName: 'Event Type', name: 'eventType', type: 'string', default: '' },
			],
		},
	],
	async execute(this: IExecuteFunctions, i: number) {
		const qs = checked(this, i, (): IDataObject => ({
			organizationId: input.required(param(this, 'organizationId', i), 'Organization ID', 'the organization or merchant ID'),
			...param<IDataObject>(this, 'filters', i, {}),
		}));
		const body = (await cybersourceApiRequest.call(this, i, { method: 'GET', path: WEBHOOKS_PATH, qs })).body;
		return Array.isArray(body) ? body : (((body as IDataObject).webhooks ?? []) as IDataObject[]);
	},
};
