import { windowReport } from './shared';

/** GET /reporting/v3/chargeback-summaries: counts per period in the window. */
export const getChargebackSummaries = windowReport({
	name: 'Get Chargeback Summaries',
	action: 'Get chargeback summaries',
	description: 'Chargeback and retrieval counts for a time window',
	path: 'chargeback-summaries',
	key: 'chargebackSummaries',
});
