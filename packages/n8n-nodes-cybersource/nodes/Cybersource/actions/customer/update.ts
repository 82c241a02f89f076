import type { IDataObject } from 'n8n-workflow';

import { param } from '../fields';
import { at, updateToken } from '../tokenManagement';
import { customerBody, customerOptions } from './shared';

/** PATCH /tms/v2/customers/{id} with If-Match. */
export const update = updateToken(
	at.customer,
	'Update a customer',
	'Change a customer\'s email, own ID or reference',
	[{ displayName: 'Update Fields', name: 'updateFields', type: 'collection', placeholder: 'Add Field', default: {}, options: customerOptions }],
	(context, i) => customerBody(param<IDataObject>(context, 'updateFields', i, {})),
);
