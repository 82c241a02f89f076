import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, deepMerge, invalidIfEmpty, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { paymentLinkIdField, paymentLinkPath } from './shared';

/** PATCH /ipl/v2/payment-links/{id}: turn a link off or on; other changes in Additional Fields (JSON). */
export const update: Operation = {
	name: 'Update',
	action: 'Update a payment link',
	description: 'Deactivate or reactivate a payment link, or change its details',
	fields: [
		paymentLinkIdField,
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: '',
			options: [
				{ name: 'Keep', value: '' },
				{ name: 'Active', value: 'ACTIVE' },
				{ name: 'Inactive', value: 'INACTIVE' },
			],
			description: 'An inactive link cannot be paid',
		},
		additionalJsonField('payment link update'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const path = paymentLinkPath(this, i);
		const status = param<string>(this, 'status', i, '');
		const body = deepMerge(status ? { status } : {}, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		invalidIfEmpty(this, body as IDataObject, 'Nothing to update: choose a Status or add fields in Additional Fields (JSON).', i);
		return (await cybersourceApiRequest.call(this, i, { method: 'PATCH', path, body })).body;
	},
};
