import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, checked, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { reportContentFields, reportContentOf, REPORTING_PATH, timeRangeFields, timeRangeOf } from './shared';

/**
 * POST /reporting/v3/reports: an on-demand report. Cybersource answers without a body; the node
 * then finds the report by its name and time frame and outputs it (its ID and status), so that
 * Get and Download can follow.
 */
export const create: Operation = {
	name: 'Create',
	action: 'Create a report',
	description: 'Request an on-demand report for a time window',
	fields: [
		{ displayName: 'Report Name', name: 'reportName', type: 'string', default: '', required: true, placeholder: 'daily-transactions', description: 'A name of your own (letters, digits, spaces, - and _); Download finds the report by it' },
		...reportContentFields,
		...timeRangeFields,
		additionalJsonField('report'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const window = timeRangeOf(this, i);
		const body = checked(this, i, (): IDataObject => {
			return {
				...reportContentOf(this, i),
				reportName: input.reportName(param(this, 'reportName', i)),
				timezone: 'GMT',
				reportStartTime: window.startTime,
				reportEndTime: window.endTime,
			};
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		await cybersourceApiRequest.call(this, i, { method: 'POST', path: `${REPORTING_PATH}/reports`, body: merged });
		// Found again by name and time frame (Cybersource lists a report without results as 404).
		const found = await cybersourceApiRequest
			.call(this, i, {
				method: 'GET',
				path: `${REPORTING_PATH}/reports`,
				qs: { startTime: window.startTime, endTime: window.endTime, timeQueryType: 'reportTimeFrame', reportName: merged.reportName as string },
			})
			.then((answer) => ((answer.body as IDataObject).reportSearchResults ?? []) as IDataObject[])
			.catch(() => [] as IDataObject[]);
		return found.at(-1) ?? { reportName: merged.reportName, status: 'QUEUED', reportStartTime: window.startTime, reportEndTime: window.endTime };
	},
};
