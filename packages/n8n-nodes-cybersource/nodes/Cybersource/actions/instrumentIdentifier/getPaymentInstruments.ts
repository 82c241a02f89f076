import { at, listTokens } from '../tokenManagement';

/** GET /tms/v1/instrumentidentifiers/{id}/paymentinstruments, paged: every stored card with this number. */
export const getPaymentInstruments = listTokens(
	{ ...at.identifier, path: (ids) => `${at.identifier.path(ids)}/paymentinstruments`, key: 'paymentInstruments' },
	'Get payment instruments of an instrument identifier',
	'List the stored cards (payment instruments) that use this card number',
	'Get Payment Instruments',
);
