import { instrumentUpdateBody, instrumentUpdateFields } from '../paymentInstrument/shared';
import { at, updateToken } from '../tokenManagement';

/** PATCH /tms/v2/customers/{id}/payment-instruments/{id} with If-Match. */
export const update = updateToken(at.customerInstrument, "Update a customer's card", "Change a stored card's expiry or billing address", instrumentUpdateFields, instrumentUpdateBody);
