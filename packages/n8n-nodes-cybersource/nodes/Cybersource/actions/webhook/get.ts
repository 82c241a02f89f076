import type { IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';
import { webhookIdField, WEBHOOKS_PATH } from './shared';

/** GET /notification-subscriptions/v2/webhooks/{webhookId} */
export const get: Operation = {
	name: 'Get',
	action: 'Get a webhook',
	description: 'Retrieve one webhook subscription',
	fields: [webhookIdField],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => input.pathId(param(this, 'webhookId', i), 'Webhook ID'));
		return (await cybersourceApiRequest.call(this, i, { method: 'GET', path: `${WEBHOOKS_PATH}/${id}` })).body;
	},
};
