import { at, deleteToken } from '../tokenManagement';

/** DELETE /tms/v2/customers/{id}/payment-instruments/{id}; the default goes last (set another default first). */
export const deleteInstrument = deleteToken(at.customerInstrument, "Delete a customer's card", "Delete a customer's stored card; the default card can only go when it is the last one");
