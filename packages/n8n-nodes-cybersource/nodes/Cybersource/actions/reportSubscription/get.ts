import type { IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import type { Operation } from '../types';
import { reportNameField, reportNameOf, SUBSCRIPTIONS_PATH } from './shared';

/** GET /reporting/v3/report-subscriptions/{reportName}. */
export const get: Operation = {
	name: 'Get',
	action: 'Get a report subscription',
	description: 'Get the settings of a subscribed report',
	fields: [reportNameField],
	async execute(this: IExecuteFunctions, i: number) {
		return (await cybersourceApiRequest.call(this, i, { method: 'GET', path: `${SUBSCRIPTIONS_PATH}/${reportNameOf(this, i)}` })).body;
	},
};
