import { cancel } from './cancel';
import { create } from './create';
import { get } from './get';
import { getMany } from './getMany';
import { send } from './send';
import { update } from './update';

export const invoice = { create, get, getMany, update, send, cancel };
