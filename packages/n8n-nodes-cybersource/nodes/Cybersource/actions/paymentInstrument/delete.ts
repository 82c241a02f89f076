import { at, deleteToken } from '../tokenManagement';

/** DELETE /tms/v1/paymentinstruments/{id}. */
export const deleteInstrument = deleteToken(at.instrument, 'Delete a payment instrument', 'Delete a stored card (its instrument identifier stays)');
