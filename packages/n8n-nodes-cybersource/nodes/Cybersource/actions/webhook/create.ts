import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, checked, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { eventTypesField, productIdField } from './products';
import { nodeOrganizationIdField, notificationScopeField, organizationIdOf, WEBHOOKS_PATH } from './shared';

/** POST /notification-subscriptions/v2/webhooks */
export const create: Operation = {
	name: 'Create',
	action: 'Create a webhook',
	description: 'Subscribe an https endpoint to event types of a product',
	fields: [
		{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true },
		nodeOrganizationIdField,
		// Version 1: typed in; version 2: chosen from the lists the trigger shows too.
		{
			displayName: 'Product ID',
			name: 'productId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'decisionManager',
			description: 'From Webhook > List Products',
			displayOptions: { show: { '@version': [1] } },
		},
		{
			displayName: 'Event Types',
			name: 'eventTypes',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'risk.casemanagement.decision.accept, risk.casemanagement.decision.reject',
			description: 'Comma-separated event types of the product (Webhook > List Products shows them)',
			displayOptions: { show: { '@version': [1] } },
		},
		{ ...productIdField, displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } } },
		{ ...eventTypesField, displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } } },
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/webhook',
			description: 'Your https endpoint, on port 443 or 8443',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{ displayName: 'Description', name: 'description', type: 'string', default: '' },
				{ displayName: 'Health Check URL', name: 'healthCheckUrl', type: 'string', default: '', description: 'An https URL Cybersource checks before delivering' },
				notificationScopeField,
			],
		},
		additionalJsonField('webhook'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const organizationId = await organizationIdOf(this, i);
		const body = checked(this, i, (): IDataObject => {
			const options = param<IDataObject>(this, 'options', i, {});
			const request: IDataObject = {
				name: input.required(param(this, 'name', i), 'Name', 'a name for the webhook'),
				organizationId,
				products: [
					{
						productId: input.required(param(this, 'productId', i), 'Product ID', 'a product ID from Webhook > List Products'),
						eventTypes: input.list(param(this, 'eventTypes', i), 'Event Types', 'at least one event type'),
					},
				],
				webhookUrl: input.webhookUrl(param(this, 'webhookUrl', i)),
			};
			if (options.description) request.description = options.description;
			if (options.healthCheckUrl) request.healthCheckUrl = input.webhookUrl(options.healthCheckUrl, 'Health Check URL');
			if (options.notificationScope) request.notificationScope = options.notificationScope;
			return request;
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: WEBHOOKS_PATH, body: merged })).body;
	},
};
