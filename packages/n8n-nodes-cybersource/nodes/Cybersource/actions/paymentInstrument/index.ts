import { create } from './create';
import { deleteInstrument } from './delete';
import { get } from './get';
import { update } from './update';

export const paymentInstrument = { create, get, update, delete: deleteInstrument };
