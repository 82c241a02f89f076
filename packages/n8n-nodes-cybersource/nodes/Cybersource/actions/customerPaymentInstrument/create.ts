import type { IExecuteFunctions } from 'n8n-workflow';

import { param } from '../fields';
import { instrumentBody, instrumentFields } from '../paymentInstrument/shared';
import { at, createToken, makeDefaultField } from '../tokenManagement';

/** POST /tms/v2/customers/{id}/payment-instruments. */
export const create = createToken(
	at.customerInstruments,
	'Add a card to a customer',
	'Store a card (by its instrument identifier) for a customer',
	[...instrumentFields, makeDefaultField('payment instrument')],
	(context: IExecuteFunctions, i: number) => ({ ...(param<boolean>(context, 'makeDefault', i, false) === true ? { default: true } : {}), ...instrumentBody(context, i) }),
);
