import type { IExecuteFunctions } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { param } from '../fields';
import { cardFields } from '../payment/card';
import { at, createToken } from '../tokenManagement';

/**
 * POST /tms/v1/instrumentidentifiers: the token of a card number. The same card always gets the
 * same identifier (Cybersource answers 200 with the existing one); the answer shows the number masked.
 */
export const create = createToken(at.identifiers, 'Tokenize a card number', 'Get the token of a card number (created once per card, found again after)', [cardFields[0]], (context: IExecuteFunctions, i: number) => ({
	card: { number: input.cardNumber(param(context, 'cardNumber', i)) },
}));
