import { create } from './create';
import { deleteIdentifier } from './delete';
import { get } from './get';
import { getPaymentInstruments } from './getPaymentInstruments';
import { update } from './update';

export const instrumentIdentifier = { create, get, update, delete: deleteIdentifier, getPaymentInstruments };
