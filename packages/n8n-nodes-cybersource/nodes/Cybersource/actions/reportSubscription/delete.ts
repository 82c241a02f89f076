import type { IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import type { Operation } from '../types';
import { reportNameField, reportNameOf, SUBSCRIPTIONS_PATH } from './shared';

/** DELETE /reporting/v3/report-subscriptions/{reportName}. */
export const deleteSubscription: Operation = {
	name: 'Delete',
	action: 'Delete a report subscription',
	description: 'Stop a subscribed report',
	fields: [reportNameField],
	async execute(this: IExecuteFunctions, i: number) {
		const name = reportNameOf(this, i);
		await cybersourceApiRequest.call(this, i, { method: 'DELETE', path: `${SUBSCRIPTIONS_PATH}/${name}` });
		return { deleted: true, reportName: decodeURIComponent(name) };
	},
};
