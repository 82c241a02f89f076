import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldError } from '../../../../lib/oauth2/errors';
import { filled, param } from '../fields';
import { at, createToken, makeDefaultField, shipToField } from '../tokenManagement';

/** POST /tms/v2/customers/{id}/shipping-addresses. */
export const create = createToken(
	at.customerAddresses,
	'Add a shipping address to a customer',
	'Store a shipping address for a customer',
	[{ ...shipToField, required: true }, makeDefaultField('shipping address')],
	(context: IExecuteFunctions, i: number) => {
		const shipTo = filled(param<IDataObject>(context, 'shipTo', i, {}));
		if (Object.keys(shipTo).length === 0) throw fieldError('Shipping Address', 'is empty; add at least one address field.');
		return { ...(param<boolean>(context, 'makeDefault', i, false) === true ? { default: true } : {}), shipTo };
	},
);
