import { windowReport } from './shared';

/** GET /reporting/v3/payment-batch-summaries: sales and credits per currency for a window. */
export const getPaymentBatchSummaries = windowReport({
	name: 'Get Payment Batch Summaries',
	action: 'Get payment batch summaries',
	description: 'Sales and credits per currency and payment type for a time window (settlement totals)',
	path: 'payment-batch-summaries',
	key: 'paymentBatchSummaries',
});
