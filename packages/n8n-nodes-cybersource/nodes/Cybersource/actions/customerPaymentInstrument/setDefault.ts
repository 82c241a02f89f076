import { at, setDefault } from '../tokenManagement';

/** PATCH /tms/v2/customers/{id} `{ defaultPaymentInstrument: { id } }` with the customer's If-Match. */
export const setDefaultInstrument = setDefault(at.customerInstrument, 'defaultPaymentInstrument', "Set a customer's default card", 'Make this card the one a payment by customer uses');
