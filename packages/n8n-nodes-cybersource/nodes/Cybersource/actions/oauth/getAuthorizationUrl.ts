import type { IExecuteFunctions } from 'n8n-workflow';

import { startAuthorization } from '../../../../lib/n8n/cybersourceOAuth';
import { checked, param } from '../fields';
import type { Operation } from '../types';
import { cybersourceCredentials } from './shared';

/** The URL that sends a merchant to the Business Center to grant access (../shared/seeds/002). */
export const getAuthorizationUrl: Operation = {
	name: 'Get Authorization URL',
	action: 'Get the merchant authorization URL',
	description: 'Build the URL that asks a merchant to grant your application access, with a random state',
	fields: [
		{
			displayName: 'State',
			name: 'state',
			type: 'string',
			default: '',
			description:
				'Leave empty to generate a random one (recommended). Keep the returned state: Exchange Authorization Code compares it with the one in the redirect.',
		},
	],
	async execute(this: IExecuteFunctions, i: number) {
		const credentials = await cybersourceCredentials(this, i);
		return checked(this, i, () => startAuthorization(credentials, param<string>(this, 'state', i, '')));
	},
};
