import { at, createToken } from '../tokenManagement';
import { instrumentBody, instrumentFields } from './shared';

/** POST /tms/v1/paymentinstruments: a stored card that belongs to no customer. */
export const create = createToken(at.instruments, 'Create a payment instrument', 'Store a card (by its instrument identifier) without a customer', instrumentFields, instrumentBody);
