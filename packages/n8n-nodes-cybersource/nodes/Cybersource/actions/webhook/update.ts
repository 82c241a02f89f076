import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, checked, deepMerge, invalidIfEmpty, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { webhookIdField, WEBHOOKS_PATH } from './shared';

/** PATCH /notification-subscriptions/v2/webhooks/{webhookId} */
export const update: Operation = {
	name: 'Update',
	action: 'Update a webhook',
	description: 'Change the name, URL or event types of a webhook subscription',
	fields: [
		webhookIdField,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{ displayName: 'Description', name: 'description', type: 'string', default: '' },
				{ displayName: 'Event Types', name: 'eventTypes', type: 'string', default: '', description: 'Comma-separated; needs Product ID' },
				{ displayName: 'Health Check URL', name: 'healthCheckUrl', type: 'string', default: '' },
				{ displayName: 'Name', name: 'name', type: 'string', default: '' },
				{ displayName: 'Product ID', name: 'productId', type: 'string', default: '' },
				{ displayName: 'Webhook URL', name: 'webhookUrl', type: 'string', default: '' },
			],
		},
		additionalJsonField('webhook update'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => input.pathId(param(this, 'webhookId', i), 'Webhook ID'));
		const body = checked(this, i, (): IDataObject => {
			const fields = param<IDataObject>(this, 'updateFields', i, {});
			const request: IDataObject = {};
			for (const key of ['name', 'description'] as const) if (fields[key]) request[key] = fields[key];
			if (fields.webhookUrl) request.webhookUrl = input.webhookUrl(fields.webhookUrl);
			if (fields.healthCheckUrl) request.healthCheckUrl = input.webhookUrl(fields.healthCheckUrl, 'Health Check URL');
			if (fields.eventTypes || fields.productId) {
				request.products = [
					{
						productId: input.required(fields.productId, 'Product ID', 'the product the event types belong to'),
						eventTypes: input.list(fields.eventTypes, 'Event Types', 'at least one event type'),
					},
				];
			}
			return request;
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		invalidIfEmpty(this, merged, 'Update Fields: nothing to update. Add at least one field.', i);
		return (await cybersourceApiRequest.call(this, i, { method: 'PATCH', path: `${WEBHOOKS_PATH}/${id}`, body: merged })).body;
	},
};
