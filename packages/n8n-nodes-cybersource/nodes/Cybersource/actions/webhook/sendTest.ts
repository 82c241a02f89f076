import type { IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';
import { webhookIdField } from './shared';

/** POST /notification-subscriptions/v1/webhooks/{webhookId}: sends a sample notification. */
export const sendTest: Operation = {
	name: 'Test',
	action: 'Send a test notification',
	description: "Send a sample notification to the webhook's URL",
	fields: [webhookIdField],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => input.pathId(param(this, 'webhookId', i), 'Webhook ID'));
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: `/notification-subscriptions/v1/webhooks/${id}` })).body;
	},
};
