import type { IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';
import { webhookIdField, WEBHOOKS_PATH } from './shared';

/** DELETE /notification-subscriptions/v2/webhooks/{webhookId} (the notification history stays). */
export const deleteWebhook: Operation = {
	name: 'Delete',
	action: 'Delete a webhook',
	description: 'Delete a webhook subscription',
	fields: [webhookIdField],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => input.pathId(param(this, 'webhookId', i), 'Webhook ID'));
		await cybersourceApiRequest.call(this, i, { method: 'DELETE', path: `${WEBHOOKS_PATH}/${id}` });
		return { deleted: true, webhookId: id };
	},
};
