import { at, deleteToken } from '../tokenManagement';

/** DELETE /tms/v1/instrumentidentifiers/{id}: refused (409) while payment instruments use it. */
export const deleteIdentifier = deleteToken(at.identifier, 'Delete an instrument identifier', 'Delete the token of a card number; its payment instruments must be deleted first');
