import { at, getToken } from '../tokenManagement';

/** GET /tms/v1/instrumentidentifiers/{id}; the card number comes masked. */
export const get = getToken(at.identifier, 'Get an instrument identifier');
