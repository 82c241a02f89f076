import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import { param } from '../fields';
import type { Operation } from '../types';
import { nodeOrganizationIdField, organizationIdOf, WEBHOOKS_PATH } from './shared';

/** GET /notification-subscriptions/v2/webhooks?organizationId=..; one output item per webhook. */
export const list: Operation = {
	name: 'List',
	action: 'List webhooks',
	description: 'List the webhook subscriptions of an organization',
	fields: [
		nodeOrganizationIdField,
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
		const qs: IDataObject = { organizationId: await organizationIdOf(this, i), ...param<IDataObject>(this, 'filters', i, {}) };
		const body = (await cybersourceApiRequest.call(this, i, { method: 'GET', path: WEBHOOKS_PATH, qs })).body;
		return Array.isArray(body) ? body : (((body as IDataObject).webhooks ?? []) as IDataObject[]);
	},
};
