import type { IExecuteFunctions } from 'n8n-workflow';

import { exchangeAuthorizationCode as exchange } from '../../../../lib/n8n/cybersourceOAuth';
import { param } from '../fields';
import type { Operation } from '../types';
import { cybersourceCredentials, flowStep } from './shared';

/**
 * Trades the code from the merchant's redirect for tokens. The state must match (constant-time
 * comparison) or the code is not used: a mismatch can be a CSRF attack. A redirect without
 * parameters is the merchant's denial, reported as a result.
 */
export const exchangeAuthorizationCode: Operation = {
	name: 'Exchange Authorization Code',
	action: 'Exchange an authorization code for tokens',
	description: "Turn the merchant's redirect into a refresh token for the credential",
	fields: [
		{
			displayName: 'Redirect',
			name: 'redirect',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://partner.example.com/callback?code=...&state=...',
			description: 'The full URL (or just its query) Cybersource redirected the merchant to',
		},
		{
			displayName: 'Expected State',
			name: 'expectedState',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The state returned by Get Authorization URL for this merchant',
		},
	],
	async execute(this: IExecuteFunctions, i: number) {
		const credentials = await cybersourceCredentials(this, i);
		const redirect = param<string>(this, 'redirect', i, '');
		const expected = param<string>(this, 'expectedState', i, '');
		return await flowStep(this, i, async () => await exchange(this.helpers, credentials, redirect, expected));
	},
};
