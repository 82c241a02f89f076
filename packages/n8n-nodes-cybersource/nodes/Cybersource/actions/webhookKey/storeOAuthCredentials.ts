import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';
import { nodeOrganizationIdField, organizationIdOf } from '../webhook/shared';

/**
 * POST /kms/egress/v2/keys-sym with exactly the documented STORE body (../shared/seeds/000):
 * Cybersource keeps your OAuth client's id and secret and requests a token from your OAuth
 * server (grant_type=client_credentials) before each webhook delivery.
 */
export const storeOAuthCredentials: Operation = {
	name: 'Store OAuth Credentials',
	action: 'Store OAuth credentials for webhooks',
	description: 'Give Cybersource the OAuth client it uses to call your webhook endpoint',
	fields: [
		nodeOrganizationIdField,
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'string',
			default: '',
			required: true,
			description: 'The organization ID that the requesting organization belongs to (its parent)',
		},
		{ displayName: 'OAuth Client ID', name: 'clientKeyId', type: 'string', default: '', required: true, description: "Your OAuth client's ID (username)" },
		{
			displayName: 'OAuth Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "Your OAuth client's secret; never shown in output or errors",
		},
	],
	async execute(this: IExecuteFunctions, i: number) {
		const organizationId = await organizationIdOf(this, i);
		const keyInformation = checked(this, i, () => ({
			provider: input.required(param(this, 'provider', i), 'Provider', "your organization's parent organization ID"),
			tenant: 'nrtd',
			keyType: 'oAuthClientCredentials',
			organizationId,
			clientKeyId: input.required(param(this, 'clientKeyId', i), 'OAuth Client ID', "your OAuth client's ID"),
			key: input.required(param(this, 'clientSecret', i), 'OAuth Client Secret', "your OAuth client's secret"),
			expiryDuration: '365',
		}));
		const result = (await cybersourceApiRequest.call(this, i, { method: 'POST', path: '/kms/egress/v2/keys-sym', body: { clientRequestAction: 'STORE', keyInformation } })).body as IDataObject;
		// The answer may echo the stored secret (the documented sample does): never pass it on.
		const stored = { ...((result.keyInformation ?? {}) as IDataObject) };
		delete stored.key;
		return { ...result, keyInformation: stored };
	},
};
