import { create } from './create';
import { get } from './get';
import { getMany } from './getMany';
import { update } from './update';

export const paymentLink = { create, get, getMany, update };
