import type { IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';

/** GET /tss/v2/transactions/{id} */
export const get: Operation = {
	name: 'Get',
	action: 'Get a transaction',
	description: 'Retrieve the details of one transaction',
	simplify: true,
	fields: [{ displayName: 'Transaction ID', name: 'transactionId', type: 'string', default: '', required: true }],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => input.pathId(param(this, 'transactionId', i), 'Transaction ID'));
		return (await cybersourceApiRequest.call(this, i, { method: 'GET', path: `/tss/v2/transactions/${id}` })).body;
	},
};
