import { at, getToken } from '../tokenManagement';

/** GET /tms/v2/customers/{id}/shipping-addresses/{id}. */
export const get = getToken(at.customerAddress, "Get a customer's shipping address");
