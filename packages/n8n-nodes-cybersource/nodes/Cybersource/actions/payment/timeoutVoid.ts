import type { IExecuteFunctions } from 'n8n-workflow';

import { merchantTransactionId } from '../../../../lib/cybersource/merchantTransactionId';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';
import { cancelledIdField } from './timeoutReversal';

/** POST /pts/v2/voids: voids a sale, capture, refund or credit whose answer never came, by its merchant transaction ID. */
export const timeoutVoid: Operation = {
	name: 'Timeout Void',
	action: 'Void a transaction whose answer was lost',
	description: 'Cancel a sale, capture, refund or credit that got no answer, by its Merchant Transaction ID',
	simplify: true,
	fields: [cancelledIdField('sale, capture, refund or credit')],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => merchantTransactionId(param(this, 'merchantTransactionId', i)));
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: '/pts/v2/voids', body: { clientReferenceInformation: { transactionId: id } } })).body;
	},
};
