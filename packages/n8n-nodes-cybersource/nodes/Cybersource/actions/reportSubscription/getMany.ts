import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import { limitOf, returnAllFields } from '../fields';
import type { Operation } from '../types';
import { SUBSCRIPTIONS_PATH } from './shared';

/** GET /reporting/v3/report-subscriptions: every subscribed report, one item each. */
export const getMany: Operation = {
	name: 'Get Many',
	action: 'Get many report subscriptions',
	description: 'List the reports the organization is subscribed to',
	fields: [...returnAllFields],
	async execute(this: IExecuteFunctions, i: number) {
		const limit = limitOf(this, i);
		const subscriptions = ((await cybersourceApiRequest.call(this, i, { method: 'GET', path: SUBSCRIPTIONS_PATH })).body as IDataObject).subscriptions as IDataObject[] | undefined;
		return limit === undefined ? (subscriptions ?? []) : (subscriptions ?? []).slice(0, limit);
	},
};
