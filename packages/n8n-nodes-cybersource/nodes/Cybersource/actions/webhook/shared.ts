import type { INodeProperties } from 'n8n-workflow';

export const WEBHOOKS_PATH = '/notification-subscriptions/v2/webhooks';

export const webhookIdField: INodeProperties = {
	displayName: 'Webhook ID',
	name: 'webhookId',
	type: 'string',
	default: '',
	required: true,
	description: 'The webhookId Cybersource returned when the webhook was created',
};

export const organizationIdField: INodeProperties = {
	displayName: 'Organization ID',
	name: 'organizationId',
	type: 'string',
	default: '',
	required: true,
	description: 'The organization or merchant ID',
};

export const notificationScopeField: INodeProperties = {
	displayName: 'Notification Scope',
	name: 'notificationScope',
	type: 'options',
	options: [
		{ name: 'Descendants', value: 'DESCENDANTS', description: 'This organization and the merchants under it' },
		{ name: 'Self', value: 'SELF', description: 'Only this organization' },
	],
	default: 'DESCENDANTS',
};
