import { create } from './create';
import { deleteSubscription } from './delete';
import { get } from './get';
import { getMany } from './getMany';

export const reportSubscription = { create, get, getMany, delete: deleteSubscription };
