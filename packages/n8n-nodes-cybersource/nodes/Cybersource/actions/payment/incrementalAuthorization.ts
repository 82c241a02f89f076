import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { cybersourceApiRequest } from '../../transport';
import { additionalJsonField, amountField, checked, clientReferenceCodeField, currencyField, deepMerge, jsonObject, param } from '../fields';
import type { Operation } from '../types';
import { paymentIdField } from './capture';

/**
 * PATCH /pts/v2/payments/{id}: raises an authorization that is not captured yet (a hotel stay
 * grows, a tip is added). The answer keeps the payment's ID and gives the new authorized total.
 * The body follows Cybersource's sample (research §1.6), stored credential used.
 */
export const incrementalAuthorization: Operation = {
	name: 'Incremental Authorization',
	action: 'Increase an authorization',
	description: 'Add an amount to an authorized payment that is not captured yet',
	simplify: true,
	fields: [
		paymentIdField,
		amountField('The amount to add to the authorization'),
		currencyField,
		clientReferenceCodeField,
		additionalJsonField('incremental authorization'),
	],
	async execute(this: IExecuteFunctions, i: number) {
		const id = checked(this, i, () => input.pathId(param(this, 'paymentId', i), 'Payment ID'));
		const body = checked(this, i, (): IDataObject => {
			const request: IDataObject = {
				processingInformation: { authorizationOptions: { initiator: { storedCredentialUsed: true } } },
				orderInformation: { amountDetails: { additionalAmount: input.amount(param(this, 'amount', i)), currency: input.currency(param(this, 'currency', i)) } },
			};
			const reference = String(param(this, 'clientReferenceCode', i, '')).trim();
			if (reference !== '') request.clientReferenceInformation = { code: reference };
			return request;
		});
		const merged = deepMerge(body, jsonObject(this, 'additionalJson', 'Additional Fields (JSON)', i));
		return (await cybersourceApiRequest.call(this, i, { method: 'PATCH', path: `/pts/v2/payments/${id}`, body: merged })).body;
	},
};
