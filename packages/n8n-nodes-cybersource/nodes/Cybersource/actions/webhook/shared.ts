import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { MERCHANT_TYPE } from '../../../../lib/n8n/merchantAuth';
import { invalidInput } from '../../errors';
import { authenticationOf } from '../../transport';
import { param } from '../fields';

export const WEBHOOKS_PATH = '/notification-subscriptions/v2/webhooks';

export const webhookIdField: INodeProperties = {
	displayName: 'Webhook ID',
	name: 'webhookId',
	type: 'string',
	default: '',
	required: true,
	description: 'The webhookId Cybersource returned when the webhook was created',
};

/** The trigger's Organization ID (its activation hooks read it as it is). */
export const organizationIdField: INodeProperties = {
	displayName: 'Organization ID',
	name: 'organizationId',
	type: 'string',
	default: '',
	required: true,
	description: 'The organization or merchant ID',
};

/** The node's Organization ID: may stay empty with a merchant key, which names its merchant. */
export const nodeOrganizationIdField: INodeProperties = {
	...organizationIdField,
	required: false,
	placeholder: 'The Merchant ID of a Cybersource API credential',
	description: 'The organization or merchant ID. Empty with the Cybersource API (merchant key) credential: its Merchant ID.',
};

/** The Organization ID of an item: the field, or the merchant key credential's Merchant ID. */
export async function organizationIdOf(context: IExecuteFunctions, itemIndex: number): Promise<string> {
	const typed = String(param(context, 'organizationId', itemIndex, '') ?? '').trim();
	if (typed !== '') return typed;
	if (authenticationOf(context) === MERCHANT_TYPE) {
		const merchantId = String((await context.getCredentials(MERCHANT_TYPE, itemIndex)).merchantId ?? '').trim();
		if (merchantId !== '') return merchantId;
	}
	throw invalidInput(
		context.getNode(),
		'Organization ID: missing. Enter the organization or merchant ID (with the Cybersource API credential, an empty field means its Merchant ID).',
		itemIndex,
	);
}

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
