/**
 * Products and event types from Cybersource's "Supported Products and Event Types" table. The
 * trigger loads the live list from `GET /notification-subscriptions/v2/products/{organizationId}`
 * and falls back to this one when that call fails (the editor still offers choices).
 */
export interface WebhookProduct {
	productId: string;
	productName: string;
	eventTypes: string[];
}

export const WEBHOOK_PRODUCTS: readonly WebhookProduct[] = [
	{ productId: 'alternativePaymentMethods', productName: 'Alternative Payment Methods', eventTypes: ['payments.payments.updated'] },
	{
		// Invoicing (samples-node 801d4389, Samples/Webhooks/CreateNewWebhooks/create-invoicing-webhook.js).
		productId: 'customerInvoicing',
		productName: 'Invoicing',
		eventTypes: [
			'invoicing.customer.invoice.cancel',
			'invoicing.customer.invoice.overdue-reminder',
			'invoicing.customer.invoice.paid',
			'invoicing.customer.invoice.partial-payment',
			'invoicing.customer.invoice.partial-resend',
			'invoicing.customer.invoice.reminder',
			'invoicing.customer.invoice.send',
		],
	},
	{
		productId: 'decisionManager',
		productName: 'Decision Manager',
		eventTypes: ['risk.casemanagement.decision.accept', 'risk.casemanagement.decision.reject', 'risk.profile.decision.reject'],
	},
	{
		productId: 'eCheck',
		productName: 'eCheck',
		eventTypes: ['payments.credits.accepted', 'payments.credits.failed', 'payments.payments.accepted', 'payments.payments.failed', 'payments.voids.accepted'],
	},
	{
		productId: 'tokenManagement',
		productName: 'Token Management',
		eventTypes: ['tms.networktoken.provisioned', 'tms.networktoken.updated', 'tms.networktoken.binding', 'tms.token.created', 'tms.token.updated', 'tms.token.pan_updated'],
	},
	{
		productId: 'terminalManagement',
		productName: 'Terminal Management',
		eventTypes: ['terminalManagement.status.update', 'terminalManagement.assignment.update', 'terminalManagement.reAssignment.update'],
	},
];
