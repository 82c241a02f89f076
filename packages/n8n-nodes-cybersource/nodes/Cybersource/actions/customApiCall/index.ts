import { call } from './call';

export const customApiCall = { call };
