import { at, getToken } from '../tokenManagement';

/** GET /tms/v2/customers/{id}/payment-instruments/{id}. */
export const get = getToken(at.customerInstrument, "Get a customer's card");
