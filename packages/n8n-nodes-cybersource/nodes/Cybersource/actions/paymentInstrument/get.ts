import { at, getToken } from '../tokenManagement';

/** GET /tms/v1/paymentinstruments/{id} (a customer's too); the card number comes masked. */
export const get = getToken(at.instrument, 'Get a payment instrument');
