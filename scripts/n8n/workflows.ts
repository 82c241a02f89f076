/**
 * The workflows the real-n8n suite imports: the files of examples/ exactly as they are, and
 * workflows built here from n8n's own nodes (Manual Trigger, Edit Fields, Split Out, HTTP
 * Request) and the Cybersource node, the way a user would draw them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { OidcServerHandle } from '../../test/servers/oidc';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

/** Credential ids and names the example files refer to. */
export const EXAMPLE_CREDENTIALS = { cybersource: 'cybersource-sandbox', partner: 'cybersource-partner', clientCredentials: 'oauth2-client', merchantKey: 'cybersource-merchant-jwt' };

export const EXAMPLE_IDS = { payments: 'expayments', http: 'exhttp', onboarding: 'exonboarding', storedCharges: 'exstored', settlementReport: 'exreport' };

/** The customers examples/cybersource-stored-card-charges.json charges (the sandbox stores them first), by subscription. */
export function storedChargeCustomers(): Array<{ subscriptionId: string; customerId: string; amount: string }> {
	return exampleCharges();
}

/** The trigger workflows (imported and activated by the trigger checks) and their credentials. */
export const TRIGGER_IDS = { example: 'extrigger', oauth: 'oauthtrigger' };
export const TRIGGER_CREDENTIALS = { merchantKey: 'cybersource-merchant-key', webhookKeys: 'cybersource-webhook-keys' };

/**
 * examples/cybersource-trigger.json as it is, and an OAuth-protected variant on another product
 * (Cybersource allows one subscription per product and organization).
 */
export function triggerWorkflows(): Workflow[] {
	const plain = example('cybersource-trigger.json', TRIGGER_IDS.example);
	const oauth = JSON.parse(JSON.stringify(plain)) as Workflow & { nodes: Array<Node & { webhookId?: string; parameters: Record<string, unknown> }> };
	oauth.id = TRIGGER_IDS.oauth;
	oauth.name = 'Cybersource Trigger (OAuth-protected)';
	const trigger = oauth.nodes.find((entry) => entry.name === 'Cybersource Trigger')!;
	trigger.webhookId = 'c0ffee00-0a17-4b0b-9e0e-0a0000000002';
	trigger.parameters = { ...trigger.parameters, productId: 'tokenManagement', eventTypes: ['tms.networktoken.updated'], securityType: 'oAuth' };
	return [plain, oauth];
}

export const IDS = {
	bulk: 'bulk',
	refreshOnly: 'refreshonly',
	afterRefresh: 'afterrefresh',
	revoked: 'revoked',
	cut: 'cut',
	badSecret: 'badsecret',
	shared: 'shared',
	httpClientCredentials: 'httpcc',
	httpJwt: 'httpjwt',
	httpShortLived: 'httpshort',
	hugeToken: 'hugetoken',
	cutToken: 'cuttoken',
	merchantPayments: 'mpayments',
	merchantPaymentsJwt: 'mpaymentsjwt',
	merchantPaymentsMle: 'mpaymentsmle',
	merchantHttp: 'mhttp',
	merchantBad: 'mbad',
	tokensMerchant: 'tokensmerchant',
	tokensPartner: 'tokenspartner',
	backOfficeMerchant: 'backofficemerchant',
	backOfficePartner: 'backofficepartner',
};

export const BULK_ORDERS = 200;
export const SMALL_ORDERS = 10;
export const HTTP_CALLS = 50;
export const SHORT_LIVED_CALLS = 30;
/** Milliseconds between HTTP Request calls in the 2-second-token run: 30 calls span about 5 s. */
const SHORT_LIVED_INTERVAL_MS = 160;

type Node = Record<string, unknown> & { name: string };
export type Workflow = Record<string, unknown> & { id: string };

function exampleCharges(): Array<{ subscriptionId: string; customerId: string; amount: string }> {
	const file = JSON.parse(readFileSync(join(EXAMPLES, 'cybersource-stored-card-charges.json'), 'utf8')) as Workflow & { nodes: Array<Node & { parameters: Record<string, unknown> }> };
	const due = file.nodes.find((entry) => entry.name === 'Charges Due Today')!;
	return (JSON.parse(String(due.parameters.jsonOutput)) as { charges: Array<{ subscriptionId: string; customerId: string; amount: string }> }).charges;
}

/** examples/cybersource-stored-card-charges.json with its 60-second wait shortened to 1 second (nothing else changed). */
function storedCardCharges(): Workflow {
	const workflow = example('cybersource-stored-card-charges.json', EXAMPLE_IDS.storedCharges) as Workflow & { nodes: Array<Node & { parameters: Record<string, unknown> }> };
	const wait = workflow.nodes.find((entry) => entry.name === 'Wait 60 Seconds')!;
	wait.parameters = { ...wait.parameters, amount: 1 };
	return workflow;
}

/** The folder the settlement-report example writes to in n8n's Docker image, and what stands for it here. */
export const EXAMPLE_FILES_FOLDER = '/home/node/.n8n-files';

/** examples/cybersource-settlement-report.json writing below `filesFolder` instead of the Docker image's (nothing else changed). */
export function settlementReport(filesFolder: string): Workflow {
	const workflow = example('cybersource-settlement-report.json', EXAMPLE_IDS.settlementReport) as Workflow & { nodes: Array<Node & { parameters: Record<string, unknown> }> };
	const write = workflow.nodes.find((entry) => entry.name === 'Write the File')!;
	write.parameters = { ...write.parameters, fileName: String(write.parameters.fileName).replace(EXAMPLE_FILES_FOLDER, filesFolder) };
	return workflow;
}

function example(file: string, id: string): Workflow {
	return { ...(JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, unknown>), id };
}

let position = 0;
const node = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Node => ({
	id: `00000000-0000-4000-8000-${String(++position).padStart(12, '0')}`,
	name,
	type,
	typeVersion,
	position: [position * 200, 0],
	parameters,
	...extra,
});

/** Manual Trigger -> Edit Fields (JSON) -> Split Out -> the given nodes, in a chain. */
function chain(id: string, name: string, list: unknown[], steps: Node[]): Workflow {
	const nodes = [
		node('Run', 'n8n-nodes-base.manualTrigger', 1, {}),
		node('Input', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ list }), options: {} }),
		node('One Item Each', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'list', options: {} }),
		...steps,
	];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' } };
}

const cybersource = (name: string, credentialId: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Node =>
	node(name, 'n8n-nodes-cybersource.cybersource', 1, { authentication: 'cybersourceOAuth2Api', ...parameters }, {
		credentials: { cybersourceOAuth2Api: { id: credentialId, name: credentialId } },
		...extra,
	});

const year = String(new Date().getFullYear() + 3);
const orders = (count: number, prefix: string) =>
	Array.from({ length: count }, (_, i) => ({ orderId: `${prefix}-${i + 1}`, amount: `${(10 + (i % 90)).toFixed(2)}`, card: '4111111111111111' }));

const authorize = (credentialId: string, extra: Record<string, unknown> = {}) =>
	cybersource(
		'Authorize',
		credentialId,
		{
			resource: 'payment',
			operation: 'authorize',
			amount: '={{ $json.amount }}',
			currency: 'USD',
			cardNumber: '={{ $json.card }}',
			expirationMonth: '12',
			expirationYear: year,
			securityCode: '123',
			clientReferenceCode: '={{ $json.orderId }}',
		},
		extra,
	);

const payments = (id: string, credentialId: string, count: number, extra: Record<string, unknown> = {}) =>
	chain(id, `Payments (${id})`, orders(count, id), [authorize(credentialId, extra)]);

const httpCalls = (id: string, credentialType: string, credentialId: string, urls: string[], options: Record<string, unknown> = {}) =>
	chain(
		id,
		`HTTP Request (${id})`,
		urls.map((url) => ({ url })),
		[
			node(
				'Call API',
				'n8n-nodes-base.httpRequest',
				4.2,
				{ method: 'GET', url: '={{ $json.url }}', authentication: 'predefinedCredentialType', nodeCredentialType: credentialType, options },
				{ credentials: { [credentialType]: { id: credentialId, name: credentialId } } },
			),
		],
	);

/**
 * Token Management end to end, as a user draws it (node version 3): tokenize a card, create a
 * customer, store the card for it, renew the card's expiry (If-Match read first), list the
 * customer's cards, charge the customer as a recurring sale, delete the customer.
 */
function tokens(id: string, credentialType: 'cybersourceApi' | 'cybersourceOAuth2Api', credentialId: string): Workflow {
	const step = (name: string, parameters: Record<string, unknown>) =>
		node(name, 'n8n-nodes-cybersource.cybersource', 3, { authentication: credentialType, ...parameters }, { credentials: { [credentialType]: { id: credentialId, name: credentialId } } });
	const customer = "={{ $('Create Customer').item.json.id }}";
	return chain(id, `Token Management (${id})`, [{ card: '5555555555554444', email: 'ada@example.com' }], [
		step('Tokenize Card', { resource: 'instrumentIdentifier', operation: 'create', cardNumber: '={{ $json.card }}' }),
		step('Create Customer', { resource: 'customer', operation: 'create', email: "={{ $('One Item Each').item.json.email }}", merchantCustomerId: 'crm-42' }),
		step('Store Card', { resource: 'customerPaymentInstrument', operation: 'create', customerId: '={{ $json.id }}', instrumentIdentifierId: "={{ $('Tokenize Card').item.json.id }}", expirationMonth: '10', expirationYear: year }),
		step('Renew Expiry', { resource: 'customerPaymentInstrument', operation: 'update', customerId: customer, paymentInstrumentId: '={{ $json.id }}', updateFields: { expirationYear: String(Number(year) + 2) } }),
		step('List Cards', { resource: 'customerPaymentInstrument', operation: 'getMany', customerId: customer, returnAll: true }),
		step('Charge Customer', {
			resource: 'payment',
			operation: 'authorize',
			amount: '5.00',
			currency: 'USD',
			paymentSource: 'customer',
			customerId: customer,
			capture: true,
			clientReferenceCode: `${id}-charge`,
			storedCredential: { commerceIndicator: 'recurring', initiator: 'merchant', storedCredentialUsed: true },
		}),
		step('Delete Customer', { resource: 'customer', operation: 'delete', customerId: customer }),
	]);
}

/**
 * The back office as a user draws it (node version 3): an invoice drafted, sent and canceled, a
 * payment link created and listed, today's payment batch summaries.
 */
function backOffice(id: string, credentialType: 'cybersourceApi' | 'cybersourceOAuth2Api', credentialId: string): Workflow {
	const step = (name: string, parameters: Record<string, unknown>) =>
		node(name, 'n8n-nodes-cybersource.cybersource', 3, { authentication: credentialType, ...parameters }, { credentials: { [credentialType]: { id: credentialId, name: credentialId } } });
	const invoice = "={{ $('Draft Invoice').item.json.id }}";
	return chain(id, `Back office (${id})`, [{ email: 'grace@example.com', order: `${id}-1` }], [
		step('Draft Invoice', { resource: 'invoice', operation: 'create', amount: '42.00', currency: 'USD', dueDate: "={{ $today.plus({ days: 14 }).toFormat('yyyy-MM-dd') }}", customerEmail: '={{ $json.email }}', sendImmediately: false }),
		step('Send Invoice', { resource: 'invoice', operation: 'send', invoiceId: invoice }),
		step('Cancel Invoice', { resource: 'invoice', operation: 'cancel', invoiceId: invoice }),
		step('Create Payment Link', { resource: 'paymentLink', operation: 'create', purchaseNumber: "={{ $('One Item Each').item.json.order }}", productName: 'Gift card', unitPrice: '25.00', quantity: 2, currency: 'USD' }),
		step('List Payment Links', { resource: 'paymentLink', operation: 'getMany', status: 'ACTIVE', returnAll: true }),
		step('Batch Summaries', { resource: 'report', operation: 'getPaymentBatchSummaries', startTime: "={{ $today.minus({ days: 2 }).toISO() }}", endTime: "={{ $now.plus({ hours: 1 }).toISO() }}" }),
	]);
}

/** The payments example with its Cybersource nodes switched to a merchant-key credential. */
function withMerchantKey(workflow: Workflow, id: string, credentialId: string): Workflow {
	const nodes = (workflow.nodes as Node[]).map((n) =>
		n.type === 'n8n-nodes-cybersource.cybersource'
			? { ...n, parameters: { ...(n.parameters as object), authentication: 'cybersourceApi' }, credentials: { cybersourceApi: { id: credentialId, name: credentialId } } }
			: n,
	);
	return { ...workflow, id, name: `${String(workflow.name)} (merchant key ${credentialId})`, nodes };
}

/** The HTTP Request node with the merchant credential: a POST with a JSON body and a query, then a GET of what it created. */
function merchantHttp(id: string, credentialId: string, restUrl: string): Workflow {
	const payment = {
		clientReferenceInformation: { code: 'HTTP-REQUEST-1' },
		paymentInformation: { card: { number: '4111111111111111', expirationMonth: '12', expirationYear: year, securityCode: '123' } },
		orderInformation: { amountDetails: { totalAmount: '25.00', currency: 'USD' } },
	};
	const http = (name: string, parameters: Record<string, unknown>) =>
		node(name, 'n8n-nodes-base.httpRequest', 4.2, { authentication: 'predefinedCredentialType', nodeCredentialType: 'cybersourceApi', options: {}, ...parameters }, {
			credentials: { cybersourceApi: { id: credentialId, name: credentialId } },
		});
	return chain(id, 'HTTP Request with a merchant key', [{ payment }], [
		http('Create Payment', {
			method: 'POST',
			url: `${restUrl}/pts/v2/payments`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'source', value: 'n8n' }, { name: 'run', value: '1' }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json.payment) }}',
		}),
		http('Get Transaction', { method: 'GET', url: `=${restUrl}/tss/v2/transactions/{{ $json.id }}` }),
	]);
}

export function allWorkflows(oidc: OidcServerHandle, faultUrl: (path: string) => string, restUrl = 'http://127.0.0.1:9'): Workflow[] {
	position = 0;
	const urls = (count: number) => Array.from({ length: count }, (_, i) => `${oidc.apiBaseUrl}orders/${i + 1}`);
	return [
		example('cybersource-payments.json', EXAMPLE_IDS.payments),
		example('http-request-client-credentials.json', EXAMPLE_IDS.http),
		example('cybersource-onboarding.json', EXAMPLE_IDS.onboarding),
		storedCardCharges(),
		chain(IDS.bulk, 'Authorize and capture', orders(BULK_ORDERS, 'BULK'), [
			authorize('cybsbulk'),
			cybersource('Capture', 'cybsbulk', {
				resource: 'payment',
				operation: 'capture',
				paymentId: '={{ $json.id }}',
				amount: '={{ $json.orderInformation.amountDetails.authorizedAmount }}',
				currency: 'USD',
			}),
		]),
		{
			id: IDS.refreshOnly,
			name: 'Refresh only',
			nodes: [node('Run', 'n8n-nodes-base.manualTrigger', 1, {}), cybersource('Refresh', 'cybsrefresh', { resource: 'oauth', operation: 'refreshAccessToken' })],
			connections: { Run: { main: [[{ node: 'Refresh', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		},
		payments(IDS.afterRefresh, 'cybsrefresh', 1),
		payments(IDS.revoked, 'cybsrevoked', SMALL_ORDERS),
		payments(IDS.cut, 'cybscut', SMALL_ORDERS, { continueOnFail: true }),
		payments(IDS.badSecret, 'cybsbad', 1),
		payments(IDS.shared, 'cybsshared', SMALL_ORDERS),
		httpCalls(IDS.httpClientCredentials, 'oAuth2ClientCredentialsApi', 'oauthcc', urls(HTTP_CALLS)),
		httpCalls(IDS.httpJwt, 'oAuth2JwtClientAssertionApi', 'oauthjwt', urls(HTTP_CALLS)),
		httpCalls(IDS.httpShortLived, 'oAuth2ClientCredentialsApi', 'oauthshort', urls(SHORT_LIVED_CALLS), {
			batching: { batch: { batchSize: 1, batchInterval: SHORT_LIVED_INTERVAL_MS } },
		}),
		httpCalls(IDS.hugeToken, 'oAuth2ClientCredentialsApi', 'oauthhuge', [faultUrl('/api')]),
		httpCalls(IDS.cutToken, 'oAuth2ClientCredentialsApi', 'oauthcut', [faultUrl('/api')]),
		withMerchantKey(example('cybersource-payments.json', IDS.merchantPayments), IDS.merchantPayments, 'merchantsig'),
		withMerchantKey(example('cybersource-payments.json', IDS.merchantPaymentsJwt), IDS.merchantPaymentsJwt, 'merchantjwt'),
		withMerchantKey(example('cybersource-payments.json', IDS.merchantPaymentsMle), IDS.merchantPaymentsMle, 'merchantmle'),
		merchantHttp(IDS.merchantHttp, 'merchantsig', restUrl),
		merchantHttp(IDS.merchantBad, 'merchantbad', restUrl),
		tokens(IDS.tokensMerchant, 'cybersourceApi', EXAMPLE_CREDENTIALS.merchantKey),
		tokens(IDS.tokensPartner, 'cybersourceOAuth2Api', 'cybsbulk'),
		backOffice(IDS.backOfficeMerchant, 'cybersourceApi', EXAMPLE_CREDENTIALS.merchantKey),
		backOffice(IDS.backOfficePartner, 'cybersourceOAuth2Api', 'cybsbulk'),
	];
}
