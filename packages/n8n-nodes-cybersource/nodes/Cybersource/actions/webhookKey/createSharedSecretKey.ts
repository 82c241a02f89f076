import type { IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import type { Operation } from '../types';
import { nodeOrganizationIdField, organizationIdOf } from '../webhook/shared';

/**
 * POST /kms/egress/v2/keys-sym, CREATE with keyType sharedSecret: the key Cybersource signs
 * webhook notifications with (v-c-signature, HMAC-SHA256). The answer holds the new key: it is
 * what this operation is for, so it is in the output; store it where your webhook receiver can
 * read it, and keep the execution log private.
 */
export const createSharedSecretKey: Operation = {
	name: 'Create Shared Secret Key',
	action: 'Create a webhook signature key',
	description: 'Create the key that signs webhook notifications; the output holds the new key',
	fields: [
		nodeOrganizationIdField,
	],
	async execute(this: IExecuteFunctions, i: number) {
		const organizationId = await organizationIdOf(this, i);
		const body = {
			clientRequestAction: 'CREATE',
			keyInformation: { provider: 'nrtd', tenant: organizationId, keyType: 'sharedSecret', organizationId },
		};
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: '/kms/egress/v2/keys-sym', body })).body;
	},
};
