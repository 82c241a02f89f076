import { at, listTokens } from '../tokenManagement';

/** GET /tms/v2/customers/{id}/shipping-addresses, paged. */
export const getMany = listTokens({ ...at.customerAddresses, key: 'shippingAddresses' }, "Get many of a customer's shipping addresses", "List a customer's shipping addresses");
