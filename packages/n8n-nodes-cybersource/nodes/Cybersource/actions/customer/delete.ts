import { at, deleteToken } from '../tokenManagement';

/** DELETE /tms/v2/customers/{id}: its payment instruments and shipping addresses go with it. */
export const deleteCustomer = deleteToken(at.customer, 'Delete a customer', 'Delete a customer with its stored payment instruments and shipping addresses');
