import { windowReport } from './shared';

/** GET /reporting/v3/chargeback-details: one item per chargeback in the window. */
export const getChargebackDetails = windowReport({
	name: 'Get Chargeback Details',
	action: 'Get chargeback details',
	description: 'The chargebacks and retrievals of a time window',
	path: 'chargeback-details',
	key: 'chargebackDetails',
});
