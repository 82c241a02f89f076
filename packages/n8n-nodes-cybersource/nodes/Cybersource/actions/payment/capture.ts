import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { additionalJsonField, amountField, checked, clientReferenceCodeField, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { amountDetailsOf } from './card';
import { merchantTransactionIdField, sendMoneyMove } from './moneyMove';

/**
 * Shared by capture, refund and reversal: the amount goes in `orderInformation.amountDetails`,
 * for a reversal in `reversalInformation.amountDetails`.
 */
export function amountBody(context: IExecuteFunctions, i: number, container: 'orderInformation' | 'reversalInformation' = 'orderInformation'): IDataObject {
	return checked(context, i, () => {
		const body: IDataObject = { [container]: { amountDetails: amountDetailsOf(context, i) } };
		const reference = String(param(context, 'clientReferenceCode', i, '')).trim();
		if (reference !== '') body.clientReferenceInformation = { code: reference };
		return body;
	});
}

export const paymentIdField = {
	displayName: 'Payment ID',
	name: 'paymentId',
	type: 'string' as const,
	default: '',
	required: true,
	description: 'The payment ID Cybersource returned when it authorized the payment',
};

/** POST /pts/v2/payments/{id}/captures */
export const capture: Operation = {
	name: 'Capture',
	action: 'Capture an authorized payment',
	description: 'Capture all or part of an authorized payment',
	simplify: true,
	fields: [paymentIdField, amountField('The amount to capture; at most the authorized amount'), currencyField, clientReferenceCodeField, merchantTransactionIdField, additionalJsonField('capture')],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => input.pathId(param(this, 'paymentId', i), 'Payment ID'));
		const body = deepMerge(amountBody(this, i), jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		return await sendMoneyMove(this, i, { method: 'POST', path: `/pts/v2/payments/${id}/captures`, body }, { cancelBy: 'Timeout Void', application: 'ics_bill' });
	},
};
