import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import { filled, limitOf, param, returnAllFields } from '../fields';
import type { Operation } from '../types';
import { REPORTING_PATH, timeRangeFields, timeRangeOf } from './shared';

/**
 * GET /reporting/v3/reports: the reports available in a time window. Cybersource answers 404 when
 * there are none; that is no items here, not an error.
 */
export const getMany: Operation = {
	name: 'Get Many',
	action: 'Get many reports',
	description: 'List the reports available for a time window',
	fields: [
		...timeRangeFields,
		{
			displayName: 'Window Applies To',
			name: 'timeQueryType',
			type: 'options',
			default: 'executedTime',
			options: [
				{ name: 'When the Report Ran', value: 'executedTime' },
				{ name: 'The Time the Report Covers', value: 'reportTimeFrame' },
			],
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{ displayName: 'Report Name', name: 'reportName', type: 'string', default: '' },
				{
					displayName: 'Status',
					name: 'reportStatus',
					type: 'options',
					default: 'COMPLETED',
					options: ['COMPLETED', 'ERROR', 'NO_DATA', 'PENDING', 'QUEUED', 'RERUN', 'RUNNING'].map((value) => ({ name: value.charAt(0) + value.slice(1).toLowerCase().replace('_', ' '), value })),
				},
			],
		},
		...returnAllFields,
	],
	async execute(this: IExecuteFunctions, i: number) {
		const limit = limitOf(this, i);
		const filters = filled(param<IDataObject>(this, 'filters', i, {}));
		const qs = { ...timeRangeOf(this, i), timeQueryType: param(this, 'timeQueryType', i, 'executedTime'), ...filters };
		const answer = await cybersourceApiRequest.call(this, i, { method: 'GET', path: `${REPORTING_PATH}/reports`, qs }).catch((error: { httpCode?: string }) => {
			if (error.httpCode === '404') return undefined;
			throw error;
		});
		const reports = ((answer?.body as IDataObject | undefined)?.reportSearchResults ?? []) as IDataObject[];
		return limit === undefined ? reports : reports.slice(0, limit);
	},
};
