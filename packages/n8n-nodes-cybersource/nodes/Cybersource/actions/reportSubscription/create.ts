import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { fieldError } from '../../../../lib/oauth2/errors';
import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, checked, deepMerge, jsonObject, param } from '../fields';
import { reportContentFields, reportContentOf } from '../report/shared';
import type { Operation } from '../types';
import { reportNameField, SUBSCRIPTIONS_PATH } from './shared';

/** PUT /reporting/v3/report-subscriptions: subscribes a report, or changes the subscription of that name. */
export const create: Operation = {
	name: 'Create or Update',
	action: 'Create or update a report subscription',
	description: 'Subscribe to a report that Cybersource then makes every day, week or month',
	fields: [
		reportNameField,
		...reportContentFields,
		{
			displayName: 'Frequency',
			name: 'reportFrequency',
			type: 'options',
			default: 'DAILY',
			options: [
				{ name: 'Daily', value: 'DAILY' },
				{ name: 'Monthly', value: 'MONTHLY' },
				{ name: 'Weekly', value: 'WEEKLY' },
			],
		},
		{ displayName: 'Start Time', name: 'startTime', type: 'string', default: '0000', placeholder: '0900', description: 'When the report period starts each day, hhmm in the time zone' },
		{ displayName: 'Time Zone', name: 'timezone', type: 'string', default: 'GMT', placeholder: 'America/Chicago' },
		additionalJsonField('report subscription'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const body = checked(this, i, (): IDataObject => {
			const startTime = String(param(this, 'startTime', i, '0000')).trim();
			if (!/^([01]\d|2[0-3])[0-5]\d$/.test(startTime)) throw fieldError('Start Time', `"${startTime.slice(0, 10)}" is not a time of day as hhmm, such as 0900.`);
			return {
				reportName: input.reportName(param(this, 'reportName', i)),
				...reportContentOf(this, i),
				reportFrequency: param(this, 'reportFrequency', i, 'DAILY'),
				timezone: input.required(param(this, 'timezone', i, 'GMT'), 'Time Zone', 'a time zone such as GMT or America/Chicago'),
				startTime,
			};
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		await cybersourceApiRequest.call(this, i, { method: 'PUT', path: SUBSCRIPTIONS_PATH, body: merged });
		return { subscribed: true, ...merged };
	},
};
