import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { checked, param } from '../fields';
import { REPORTING_PATH } from '../report/shared';

export const SUBSCRIPTIONS_PATH = `${REPORTING_PATH}/report-subscriptions`;

export const reportNameField: INodeProperties = {
	displayName: 'Report Name',
	name: 'reportName',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'PaymentBatchDetailReport',
	description: 'The name of the subscribed report',
};

/** The subscription's name, as a path segment (letters, digits, spaces, - and _). */
export function reportNameOf(context: IExecuteFunctions, i: number): string {
	return checked(context, i, () => {
		return encodeURIComponent(input.reportName(param(context, 'reportName', i)));
	});
}
