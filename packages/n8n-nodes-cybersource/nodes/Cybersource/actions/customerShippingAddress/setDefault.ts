import { at, setDefault } from '../tokenManagement';

/** PATCH /tms/v2/customers/{id} `{ defaultShippingAddress: { id } }` with the customer's If-Match. */
export const setDefaultAddress = setDefault(at.customerAddress, 'defaultShippingAddress', "Set a customer's default shipping address", 'Make this the address a payment by customer uses');
