import type { IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { calendarDate } from '../../../../lib/cybersource/times';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import { fileResult, type Operation } from '../types';
import { formatField, REPORTING_PATH } from './shared';

/**
 * GET /reporting/v3/report-downloads?reportDate&reportName: the report file as n8n binary data
 * (CSV or XML), named after the report and its date.
 */
export const download: Operation = {
	name: 'Download',
	action: 'Download a report',
	description: 'Get a report file (CSV or XML) as binary data',
	fields: [
		{ displayName: 'Report Name', name: 'reportName', type: 'string', default: '', required: true, placeholder: 'PaymentBatchDetailReport', description: 'The name of a subscribed report, or of one you created' },
		{
			displayName: 'Report Date',
			name: 'reportDate',
			type: 'dateTime',
			default: '',
			required: true,
			description: "The day the report's time frame ends: yesterday's daily report has today's date (Cybersource: a report for 2020-03-09, midnight to midnight, has the date 2020-03-10)",
		},
		formatField,
		{ displayName: 'Put Output File in Field', name: 'binaryPropertyName', type: 'string', default: 'data', required: true, hint: 'The name of the output binary field to put the file in' },
	],
	async execute(this: IExecuteFunctions, i: number) {
		const { reportName, reportDate, property } = checked(this, i, () => ({
			reportName: input.required(param(this, 'reportName', i), 'Report Name', 'the name of the report'),
			reportDate: calendarDate(param(this, 'reportDate', i), 'Report Date'),
			property: input.required(param(this, 'binaryPropertyName', i, 'data'), 'Put Output File in Field', 'a field name such as data'),
		}));
		const mimeType = param<string>(this, 'format', i, 'text/csv');
		const answer = await cybersourceApiRequest.call(this, i, { method: 'GET', path: `${REPORTING_PATH}/report-downloads`, qs: { reportDate, reportName }, file: { accept: mimeType } });
		const bytes = answer.file ?? Buffer.alloc(0);
		const fileName = `${reportName.replace(/[^A-Za-z0-9._-]+/g, '-')}-${reportDate}.${mimeType === 'text/csv' ? 'csv' : 'xml'}`;
		const binary = await this.helpers.prepareBinaryData(bytes, fileName, mimeType);
		return fileResult({ reportName, reportDate, fileName, mimeType, size: bytes.length }, { [property]: binary });
	},
};
