import { at, getToken } from '../tokenManagement';

/** GET /tms/v2/customers/{id}, with its default payment instrument and shipping address embedded (card numbers masked). */
export const get = getToken(at.customer, 'Get a customer');
