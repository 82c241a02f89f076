import { get } from './get';
import { search } from './search';

export const transaction = { get, search };
