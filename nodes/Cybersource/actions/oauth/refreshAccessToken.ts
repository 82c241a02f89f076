import type { IExecuteFunctions } from 'n8n-workflow';

import { refreshNow } from '../../../../lib/n8n/cybersourceOAuth';
import type { Operation } from '../types';
import { cybersourceCredentials, flowStep } from './shared';

/** Forces a refresh now; outputs the new refresh token (Cybersource rotates it on every refresh). */
export const refreshAccessToken: Operation = {
	name: 'Refresh Access Token',
	action: 'Refresh the access token',
	description: 'Fetch a new access token now and output the new refresh token',
	fields: [],
	async execute(this: IExecuteFunctions, i: number) {
		const credentials = await cybersourceCredentials(this, i);
		return await flowStep(this, i, async () => await refreshNow(this.helpers, credentials));
	},
};
