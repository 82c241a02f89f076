/**
 * Which requests Cybersource wants encrypted (request MLE), per method and path, as its Node SDK
 * 0.0.83 declares them (`inboundMLEStatus` in src/api/*.js; ../shared/CYBERSOURCE-MLE.md §2):
 * "mandatory" ones must be encrypted, "optional" ones may be. Only requests with a body (POST,
 * PUT, PATCH) are listed: a GET or DELETE has nothing to encrypt. `*` is one path segment.
 */
const MANDATORY = [
	'POST /bavs/v1/account-validations',
	'POST /icc/v1/agents',
	'POST /icc/v1/agents/*/keys',
	'POST /icc/v1/agents/*/keys/*/activate',
	'POST /icc/v1/checkout-sessions',
	'POST /icc/v1/checkout-sessions/*/cancel',
	'POST /icc/v1/checkout-sessions/*/complete',
	'POST /icc/v1/checkout_sessions',
	'POST /icc/v1/checkout_sessions/*',
	'POST /icc/v1/checkout_sessions/*/cancel',
	'POST /icc/v1/checkout_sessions/*/complete',
	'POST /icc/v1/instructions',
	'POST /icc/v1/instructions/*/confirmations',
	'POST /icc/v1/instructions/*/credentials',
	'POST /icc/v1/merchants',
	'POST /icc/v1/merchants/*/keys',
	'POST /icc/v1/merchants/*/keys/*/activate',
	'POST /icc/v1/mpp/credentials',
	'POST /icc/v1/products/feed',
	'POST /icc/v1/tokens',
	'POST /pts/v2/payouts/fx-rates',
	'POST /pts/v2/payouts/transaction-query/*',
	'POST /tms/v2/tokenize',
	'POST /unifiedrisk',
	'PUT /icc/v1/agents/*',
	'PUT /icc/v1/agents/*/keys/*',
	'PUT /icc/v1/checkout-sessions/*',
	'PUT /icc/v1/instructions/*',
	'PUT /icc/v1/instructions/*/cancel',
	'PUT /icc/v1/merchants/*',
	'PUT /icc/v1/merchants/*/keys/*',
];

const OPTIONAL = [
	'PATCH /boarding/v1/registrations/*',
	'PATCH /ipl/v2/payment-links/*',
	'PATCH /pts/v2/billing-agreements/*',
	'PATCH /pts/v2/intents/*',
	'PATCH /pts/v2/payment-references/*',
	'PATCH /pts/v2/payments/*',
	'PATCH /rbs/v1/plans/*',
	'PATCH /rbs/v1/subscriptions/*',
	'PATCH /tms/v1/instrumentidentifiers/*',
	'PATCH /tms/v1/paymentinstruments/*',
	'PATCH /tms/v2/customers/*',
	'PATCH /tms/v2/customers/*/payment-instruments/*',
	'PATCH /tms/v2/customers/*/shipping-addresses/*',
	'POST /boarding/v1/registrations',
	'POST /invoicing/v2/invoices',
	'POST /invoicing/v2/invoices/*/cancelation',
	'POST /invoicing/v2/invoices/*/delivery',
	'POST /ipl/v2/payment-links',
	'POST /pts/v1/pull-funds-transfer',
	'POST /pts/v1/pull-funds-transfer/*/refund',
	'POST /pts/v1/pull-funds-transfer/*/reversal',
	'POST /pts/v1/push-funds-transfer',
	'POST /pts/v2/billing-agreements',
	'POST /pts/v2/billing-agreements/*/intimations',
	'POST /pts/v2/captures/*/refunds',
	'POST /pts/v2/captures/*/voids',
	'POST /pts/v2/credits',
	'POST /pts/v2/credits/*/voids',
	'POST /pts/v2/intents',
	'POST /pts/v2/payment-references',
	'POST /pts/v2/payment-references/*/intents',
	'POST /pts/v2/payment-tokens',
	'POST /pts/v2/payments',
	'POST /pts/v2/payments/*/captures',
	'POST /pts/v2/payments/*/refunds',
	'POST /pts/v2/payments/*/reversals',
	'POST /pts/v2/payments/*/voids',
	'POST /pts/v2/payouts',
	'POST /pts/v2/refresh-payment-status/*',
	'POST /pts/v2/refunds/*/voids',
	'POST /pts/v2/reversals',
	'POST /pts/v2/voids',
	'POST /rbs/v1/plans',
	'POST /rbs/v1/subscriptions',
	'POST /rbs/v1/subscriptions/follow-ons/*',
	'POST /risk/v1/authentication-results',
	'POST /risk/v1/authentication-setups',
	'POST /risk/v1/authentications',
	'POST /tms/v1/instrumentidentifiers',
	'POST /tms/v1/instrumentidentifiers/*/enrollment',
	'POST /tms/v1/paymentinstruments',
	'POST /tms/v2/customers',
	'POST /tms/v2/customers/*/payment-instruments',
	'POST /tms/v2/customers/*/shipping-addresses',
	'POST /tms/v2/tokenized-cards',
	'POST /tms/v2/tokenized-cards/*/delete',
	'POST /tms/v2/tokenized-cards/*/issuer-life-cycle-event-simulations',
	'POST /tms/v2/tokens/*/payment-credentials',
	'POST /tms/v3/tokens/*/payment-credentials',
	'POST /tss/v2/searches',
	'PUT /invoicing/v2/invoiceSettings',
	'PUT /invoicing/v2/invoices/*',
	'PUT /rbs/v1/subscriptions/*/payments',
];

export type RequestEncryptionNeed = 'mandatory' | 'optional' | 'none';

function matcher(pattern: string): RegExp {
	const [method, path] = pattern.split(' ');
	const segments = path.split('/').map((segment) => (segment === '*' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	return new RegExp(`^${method} ${segments.join('/')}$`);
}

const MANDATORY_MATCHERS = MANDATORY.map(matcher);
const OPTIONAL_MATCHERS = OPTIONAL.map(matcher);

/** Whether Cybersource requires, accepts or does not take an encrypted body for `method path` (no query). */
export function requestEncryptionNeed(method: string, path: string): RequestEncryptionNeed {
	const request = `${method.toUpperCase()} ${path.replace(/\/+$/, '')}`;
	if (MANDATORY_MATCHERS.some((pattern) => pattern.test(request))) return 'mandatory';
	if (OPTIONAL_MATCHERS.some((pattern) => pattern.test(request))) return 'optional';
	return 'none';
}
