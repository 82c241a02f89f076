import type { IDataObject } from 'n8n-workflow';

import { filled, param } from '../fields';
import { at, shipToField, updateToken } from '../tokenManagement';

/** PATCH /tms/v2/customers/{id}/shipping-addresses/{id} with If-Match: the fields given replace those stored. */
export const update = updateToken(at.customerAddress, "Update a customer's shipping address", 'Change fields of a stored shipping address', [shipToField], (context, i) => {
	const shipTo = filled(param<IDataObject>(context, 'shipTo', i, {}));
	return Object.keys(shipTo).length > 0 ? { shipTo } : {};
});
