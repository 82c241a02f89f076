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
		eventTypes: ['tms.networktoken.provisioned', 'tms.networktoken.updated', 'tms.networktoken.binding'],
	},
	{
		productId: 'terminalManagement',
		productName: 'Terminal Management',
		eventTypes: ['terminalManagement.status.update', 'terminalManagement.assignment.update', 'terminalManagement.reAssignment.update'],
	},
];
