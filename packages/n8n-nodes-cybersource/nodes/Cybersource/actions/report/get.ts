import type { IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { checked, param } from '../fields';
import type { Operation } from '../types';
import { REPORTING_PATH } from './shared';

/** GET /reporting/v3/reports/{reportId}: its status (QUEUED, RUNNING, COMPLETED, NO_DATA, ERROR) and settings. */
export const get: Operation = {
	name: 'Get',
	action: 'Get a report',
	description: 'Get the status and settings of a report',
	fields: [{ displayName: 'Report ID', name: 'reportId', type: 'string', default: '', required: true, description: 'The ID Create or Get Many returned' }],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => input.pathId(param(this, 'reportId', i), 'Report ID'));
		return (await cybersourceApiRequest.call(this, i, { method: 'GET', path: `${REPORTING_PATH}/reports/${id}` })).body;
	},
};
