import { create } from './create';
import { deleteWebhook } from './delete';
import { get } from './get';
import { list } from './list';
import { listProducts } from './listProducts';
import { sendTest } from './sendTest';
import { update } from './update';

export const webhook = { create, get, list, update, delete: deleteWebhook, test: sendTest, listProducts };
