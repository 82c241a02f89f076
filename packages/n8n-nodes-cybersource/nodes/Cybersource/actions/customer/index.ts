import { create } from './create';
import { deleteCustomer } from './delete';
import { get } from './get';
import { update } from './update';

export const customer = { create, get, update, delete: deleteCustomer };
