import { at, listTokens } from '../tokenManagement';

/** GET /tms/v2/customers/{id}/payment-instruments, paged. */
export const getMany = listTokens({ ...at.customerInstruments, key: 'paymentInstruments' }, "Get many of a customer's cards", "List a customer's stored cards");
