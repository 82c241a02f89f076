import type { IExecuteFunctions } from 'n8n-workflow';

import { param, returnAllFields } from '../fields';
import { listPages } from '../invoice/shared';
import type { Operation } from '../types';
import { PAYMENT_LINKS_PATH } from './shared';

/** GET /ipl/v2/payment-links?offset&limit[&status], paged with the one pager (the list is `links`, not HAL's `_links`). */
export const getMany: Operation = {
	name: 'Get Many',
	action: 'Get many payment links',
	description: 'List payment links, optionally active or inactive only',
	fields: [
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: '',
			options: [
				{ name: 'Any', value: '' },
				{ name: 'Active', value: 'ACTIVE' },
				{ name: 'Inactive', value: 'INACTIVE' },
			],
		},
		...returnAllFields,
	],
	async execute(this: IExecuteFunctions, i: number) {
		const status = param<string>(this, 'status', i, '');
		return await listPages(this, i, { path: PAYMENT_LINKS_PATH, key: 'links', total: 'totalLinks', qs: status ? { status } : {} });
	},
};
