import { create } from './create';
import { deleteInstrument } from './delete';
import { get } from './get';
import { getMany } from './getMany';
import { setDefaultInstrument } from './setDefault';
import { update } from './update';

export const customerPaymentInstrument = { create, get, getMany, update, delete: deleteInstrument, setDefault: setDefaultInstrument };
