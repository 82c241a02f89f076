import type { IExecuteFunctions } from 'n8n-workflow';

import { refreshNow } from '../../../../lib/n8n/cybersourceOAuth';
import { CYBERSOURCE_TYPE } from '../../../../lib/n8n/cybersourceSource';
import { ownCredentials } from '../../transport';
import type { Operation } from '../types';
import { cybersourceCredentials, flowStep } from './shared';

/**
 * Forces a refresh now; outputs the new refresh token (Cybersource rotates it on every refresh).
 * The refresh runs inside n8n's auth helper, so n8n stores the new refresh token in the
 * credential before this execution ends (nothing is sent besides the token request).
 */
export const refreshAccessToken: Operation = {
	name: 'Refresh Access Token',
	action: 'Refresh the access token',
	description: 'Fetch a new access token now, store the new refresh token in the credential and output it',
	fields: [],
	async execute(this: IExecuteFunctions, i: number) {
		const credentials = await cybersourceCredentials(this, i);
		const own = ownCredentials(this, CYBERSOURCE_TYPE, credentials);
		return await flowStep(this, i, async () =>
			await refreshNow(credentials, async () =>
				await this.helpers.httpRequestWithAuthentication.call(this, CYBERSOURCE_TYPE, { method: 'POST', url: 'https://refresh-only.invalid/' }, own),
			),
		);
	},
};
