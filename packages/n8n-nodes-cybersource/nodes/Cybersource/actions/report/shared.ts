import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { utcTime } from '../../../../lib/cybersource/times';
import { fieldError } from '../../../../lib/oauth2/errors';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';

/** Cybersource's reporting API (research §1.4). */
export const REPORTING_PATH = '/reporting/v3';

export const REPORT_DEFINITIONS = [
	'AgingDetailClass',
	'ChargebackAndRetrievalDetailClass',
	'DepositDetailClass',
	'ExceptionDetailClass',
	'FeeDetailClass',
	'FundingDetailClass',
	'PaymentBatchDetailClass',
	'ProcessorEventsDetailClass',
	'ProcessorSettlementDetailClass',
	'TransactionRequestClass',
];

export const formatField: INodeProperties = {
	displayName: 'Format',
	name: 'format',
	type: 'options',
	default: 'text/csv',
	options: [
		{ name: 'CSV', value: 'text/csv' },
		{ name: 'XML', value: 'application/xml' },
	],
};

/** What a report holds: its definition, columns and file type (an on-demand report and a subscription alike). */
export const reportContentFields: INodeProperties[] = [
	{
		displayName: 'Report Definition',
		name: 'reportDefinitionName',
		type: 'options',
		default: 'TransactionRequestClass',
		options: REPORT_DEFINITIONS.map((name) => ({ name, value: name })),
		description: 'What the report lists (Cybersource report definitions)',
	},
	{
		displayName: 'Report Fields',
		name: 'reportFields',
		type: 'string',
		default: 'Request.RequestID, Request.TransactionDate, Request.MerchantID',
		required: true,
		description: "The columns, separated by commas (see the report definition in Cybersource's reporting guide)",
	},
	formatField,
];

/** `reportDefinitionName`, `reportFields` and `reportMimeType` from those fields, checked (inside `checked`). */
export function reportContentOf(context: IExecuteFunctions, i: number): IDataObject {
	return {
		reportDefinitionName: param(context, 'reportDefinitionName', i),
		reportFields: input.list(param(context, 'reportFields', i), 'Report Fields', 'the report columns'),
		reportMimeType: param(context, 'format', i, 'text/csv'),
	};
}

/** Start and end of the time window, in the workflow's time zone unless the value has one. */
export const timeRangeFields: INodeProperties[] = [
	{ displayName: 'Start Time', name: 'startTime', type: 'dateTime', default: '', required: true, description: "The window's start (in the workflow's time zone unless the value has one)" },
	{ displayName: 'End Time', name: 'endTime', type: 'dateTime', default: '', required: true, description: "The window's end" },
];

/** `startTime` and `endTime` as the reporting API takes them; the end must come after the start. */
export function timeRangeOf(context: IExecuteFunctions, i: number): { startTime: string; endTime: string } {
	return checked(context, i, () => {
		const timeZone = context.getTimezone();
		const startTime = utcTime(param(context, 'startTime', i), 'Start Time', timeZone);
		const endTime = utcTime(param(context, 'endTime', i), 'End Time', timeZone);
		if (endTime <= startTime) throw fieldError('End Time', 'must come after Start Time.');
		return { startTime, endTime };
	});
}

/**
 * A report that is a GET over a time window, each entry of `key` one output item (payment batch
 * summaries, chargebacks). Cybersource pages none of these: the window bounds them.
 */
export function windowReport(options: { name: string; action: string; description: string; path: string; key: string }): Operation {
	return {
		name: options.name,
		action: options.action,
		description: options.description,
		fields: timeRangeFields,
		async execute(this: IExecuteFunctions, i: number) {
			const answer = (await cybersourceApiRequest.call(this, i, { method: 'GET', path: `${REPORTING_PATH}/${options.path}`, qs: timeRangeOf(this, i) })).body as IDataObject;
			return (answer[options.key] ?? []) as IDataObject[];
		},
	};
}
