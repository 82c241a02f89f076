import { at, deleteToken } from '../tokenManagement';

/** DELETE /tms/v2/customers/{id}/shipping-addresses/{id}; the default goes last. */
export const deleteAddress = deleteToken(at.customerAddress, "Delete a customer's shipping address", "Delete a customer's shipping address; the default one can only go when it is the last one");
