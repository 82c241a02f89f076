import type { IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, amountField, checked, clientReferenceCodeField, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { amountBody, paymentIdField } from './capture';

/** POST /pts/v2/payments/{id}/reversals: releases the authorized amount. */
export const reverse: Operation = {
	name: 'Reverse Authorization',
	action: 'Reverse an authorization',
	description: 'Release an authorization that will not be captured',
	simplify: true,
	fields: [paymentIdField, amountField('The authorized amount to release'), currencyField, clientReferenceCodeField, additionalJsonField('reversal')],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => input.pathId(param(this, 'paymentId', i), 'Payment ID'));
		const body = deepMerge(amountBody(this, i, 'reversalInformation'), jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		return (await cybersourceApiRequest.call(this, i, { method: 'POST', path: `/pts/v2/payments/${id}/reversals`, body })).body;
	},
};
