import type { IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import type { Operation } from '../types';
import { paymentLinkIdField, paymentLinkPath } from './shared';

/** GET /ipl/v2/payment-links/{id}. */
export const get: Operation = {
	name: 'Get',
	action: 'Get a payment link',
	description: 'Get a payment link with its status and URL',
	fields: [paymentLinkIdField],
	async execute(this: IExecuteFunctions, i: number) {
		return (await cybersourceApiRequest.call(this, i, { method: 'GET', path: paymentLinkPath(this, i) })).body;
	},
};
