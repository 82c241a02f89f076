import { create } from './create';
import { deleteAddress } from './delete';
import { get } from './get';
import { getMany } from './getMany';
import { setDefaultAddress } from './setDefault';
import { update } from './update';

export const customerShippingAddress = { create, get, getMany, update, delete: deleteAddress, setDefault: setDefaultAddress };
