import { at, updateToken } from '../tokenManagement';
import { instrumentUpdateBody, instrumentUpdateFields } from './shared';

/** PATCH /tms/v1/paymentinstruments/{id} with If-Match. */
export const update = updateToken(at.instrument, 'Update a payment instrument', 'Change a stored card\'s expiry or billing address', instrumentUpdateFields, instrumentUpdateBody);
