/**
 * Every Cybersource operation through n8n's engine against the sandbox, and how the node
 * reports bad input, declines, API errors and broken credentials.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { testCredential } from '../harness/credential-test';
import { TEST_CARDS, type Sandbox } from '../servers/cybersource/server';
import { globalOidcServer } from '../servers/oidc';
import { POST_CLIENT } from '../servers/oidc/clients';
import {
	authorizeParameters,
	credentialsHelper,
	CYBERSOURCE_NODE_TYPE,
	cybersourceCredential,
	cybersourceNode,
	merchantCredential,
	runCybersource,
	useSandbox,
} from '../support/cybersource';
import { Cybersource } from '../../packages/n8n-nodes-cybersource/nodes/Cybersource/Cybersource.node';

let sandbox: Sandbox;
useSandbox((started) => (sandbox = started));

const ORG = () => sandbox.merchantId;

/** One node, one item: returns its output items or its error. */
async function run(parameters: INodeParameters, item: IDataObject = {}, options: { continueOnFail?: boolean; data?: Record<string, string> } = {}) {
	const credential = cybersourceCredential(sandbox, options.data ?? {});
	const helper = credentialsHelper([credential]);
	const result = await runCybersource(helper, [cybersourceNode('Cybersource', parameters, credential, { continueOnFail: options.continueOnFail ?? false })], [item]);
	return { output: result.error ? [] : result.output('Cybersource'), error: result.error, helper, credential };
}

async function authorized(item: IDataObject = {}, overrides: INodeParameters = {}) {
	const { output, error } = await run(authorizeParameters(overrides), item);
	expect(error).toBeUndefined();
	return output[0];
}

describe('payments', () => {
	it('authorizes, and a sale captures at once', async () => {
		expect(await authorized()).toMatchObject({ status: 'AUTHORIZED' });
		expect(JSON.parse(sandbox.lastApiRequest()!.body).processingInformation).toEqual({ capture: false });
		const sale = await authorized({}, { capture: true });
		expect(sale.status).toBe('AUTHORIZED');
		expect(JSON.parse(sandbox.lastApiRequest()!.body).processingInformation).toEqual({ capture: true });
		// Cybersource's capture application is ics_bill.
		const details = await run({ resource: 'transaction', operation: 'get', transactionId: sale.id as string });
		const applications = (details.output[0].applicationInformation as { applications: Array<{ name: string }> }).applications;
		expect(applications.map((a) => a.name)).toEqual(['ics_auth', 'ics_bill']);
	});

	it('sends exactly the documented body, with the card only where it belongs', async () => {
		await authorized({ reference: 'ORDER-7', amount: '12.50' }, { billTo: { firstName: 'Ada', lastName: 'Lovelace', country: 'GB' } });
		const sent = JSON.parse(sandbox.lastApiRequest()!.body);
		expect(sent).toEqual({
			processingInformation: { capture: false },
			paymentInformation: { card: { number: TEST_CARDS.visa, expirationMonth: '12', expirationYear: expect.stringMatching(/^\d{4}$/), securityCode: '123' } },
			orderInformation: { amountDetails: { totalAmount: '12.50', currency: 'USD' }, billTo: { firstName: 'Ada', lastName: 'Lovelace', country: 'GB' } },
			clientReferenceInformation: { code: 'ORDER-7', transactionId: expect.stringMatching(/^n8n[0-9a-f]{27}$/) },
		});
	});

	it('returns a declined card as a result, not an error', async () => {
		const declined = await authorized({ card: TEST_CARDS.declined });
		expect(declined.status).toBe('DECLINED');
		expect(JSON.stringify(declined)).not.toContain(TEST_CARDS.declined);
	});

	it('captures, refunds the capture, and voids the refund', async () => {
		const payment = await authorized({ amount: '20.00' });
		const captured = (await run({ resource: 'payment', operation: 'capture', paymentId: payment.id as string, amount: '20.00', currency: 'USD' })).output[0];
		expect(captured.status).toBe('PENDING');
		const refunded = (await run({ resource: 'payment', operation: 'refund', refundOf: 'captures', transactionId: captured.id as string, amount: '5.00', currency: 'USD' })).output[0];
		expect(refunded.status).toBe('PENDING');
		const voided = (await run({ resource: 'payment', operation: 'void', voidOf: 'refunds', transactionId: refunded.id as string })).output[0];
		expect(voided.status).toBe('VOIDED');
	});

	it('credits a card without a prior payment (standalone credit); a lost answer is voided by its Merchant Transaction ID', async () => {
		const credit = { resource: 'payment', operation: 'credit', amount: '7.50', currency: 'USD', cardNumber: TEST_CARDS.visa, expirationMonth: '12', expirationYear: String(new Date().getFullYear() + 2), clientReferenceCode: 'REFUND-77', merchantTransactionId: 'credit-77' };
		const { output, error } = await run(credit);
		expect(error).toBeUndefined();
		expect(output[0]).toMatchObject({ status: 'PENDING', creditAmountDetails: { creditAmount: '7.50', currency: 'USD' }, clientReferenceInformation: { code: 'REFUND-77', transactionId: 'credit-77' } });
		expect(JSON.stringify(output[0])).not.toContain(TEST_CARDS.visa);
		expect(JSON.parse(sandbox.lastApiRequest()!.body)).toEqual({
			paymentInformation: { card: { number: TEST_CARDS.visa, expirationMonth: '12', expirationYear: expect.stringMatching(/^\d{4}$/) } },
			orderInformation: { amountDetails: { totalAmount: '7.50', currency: 'USD' } },
			clientReferenceInformation: { code: 'REFUND-77', transactionId: 'credit-77' },
		});
		// Sent again with the same ID: refused by Cybersource, the credit made the first time is output.
		expect((await run(credit)).output[0]).toMatchObject({ id: output[0].id, alreadySent: true });
		sandbox.dropNextApiAnswers(1);
		const lost = await run({ ...credit, merchantTransactionId: 'credit-78' });
		expect(lost.error?.description).toContain('Payment > Timeout Void with this ID');
		expect((await run({ resource: 'payment', operation: 'timeoutVoid', merchantTransactionId: 'credit-78' })).output[0]).toMatchObject({ status: 'VOIDED', voidAmountDetails: { voidAmount: '7.50' } });
		expect(sandbox.transactionsByReference().credit).toEqual({ 'REFUND-77': 2 });
	});

	it('refunds a sale and reverses an authorization', async () => {
		const sale = await authorized({ amount: '30.00' }, { capture: true });
		const refund = await run({ resource: 'payment', operation: 'refund', refundOf: 'payments', transactionId: sale.id as string, amount: '30.00', currency: 'USD' });
		expect(refund.error).toBeUndefined();
		const payment = await authorized({ amount: '40.00' });
		const reversal = await run({ resource: 'payment', operation: 'reverse', paymentId: payment.id as string, amount: '40.00', currency: 'USD' });
		expect(reversal.output[0].status).toBe('REVERSED');
	});

	it('reports Cybersource\'s field errors with the field names, and a capture beyond the authorization', async () => {
		const payment = await authorized({ amount: '10.00' });
		const { error } = await run({ resource: 'payment', operation: 'capture', paymentId: payment.id as string, amount: '99.00', currency: 'USD' });
		expect(error?.message).toMatch(/Cybersource answered HTTP 400/);
		expect(error?.message).toMatch(/EXCEEDS_AUTH_AMOUNT|INVALID/);
		const missing = await run({ resource: 'payment', operation: 'capture', paymentId: 'unknown-id', amount: '1.00', currency: 'USD' });
		expect(missing.error?.message).toMatch(/HTTP 404/);
	});

	it.each<[string, INodeParameters, RegExp]>([
		['a card number failing the Luhn check', { cardNumber: '4111111111111112' }, /^Card Number: fails the check digit/],
		['a short card number', { cardNumber: '4111' }, /^Card Number: must be 12 to 19 digits/],
		['an amount with a comma', { amount: '10,00' }, /^Amount: "10,00" is not a positive decimal amount/],
		['a currency name', { currency: 'Dollar' }, /^Currency: "DOLLAR" is not a three-letter/],
		['month 13', { expirationMonth: '13' }, /^Expiration Month: "13" is not a month/],
		['a two-digit year', { expirationYear: '31' }, /^Expiration Year: "31" is not a four-digit year/],
		['a 5-digit CVV', { securityCode: '12345' }, /^Security Code: must be 3 or 4 digits/],
	])('refuses %s before any request, naming the field', async (_what, overrides, message) => {
		const { error } = await run(authorizeParameters(overrides));
		expect(error?.message).toMatch(message);
		expect(error?.message).not.toContain('4111111111111112');
		expect(sandbox.stats().tokenRequests + sandbox.stats().apiRequests).toBe(0);
	});

	it('turns a failed item into an error item when continuing on fail, and goes on with the next', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const result = await runCybersource(
			helper,
			[cybersourceNode('Pay', authorizeParameters(), credential, { continueOnFail: true })],
			[{ amount: '1.00' }, { card: '4111111111111112' }, { amount: '3.00' }],
		);
		expect(result.error).toBeUndefined();
		const items = result.items('Pay');
		expect(items.map((item) => item.json.status ?? 'error')).toEqual(['AUTHORIZED', 'error', 'AUTHORIZED']);
		expect(items[1].json.error).toMatch(/^Card Number: fails the check digit/);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});

describe('merchant transaction ID: never charged twice, recoverable after a lost answer', () => {
	const DERIVED = /^n8n[0-9a-f]{27}$/;
	const sentIds = () => sandbox.apiRequests().filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body).clientReferenceInformation?.transactionId as string);

	it('is derived from the execution, node and item when empty: the same execution run again charges nothing and goes on with the payment made the first time', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const capture = { resource: 'payment', operation: 'capture', paymentId: '={{ $json.id }}', amount: '10.00', currency: 'USD', clientReferenceCode: "={{ $('Pay').item.json.clientReferenceInformation.code }}" };
		const nodes = [cybersourceNode('Pay', authorizeParameters(), credential), cybersourceNode('Capture', capture, credential)];
		const items = [{ reference: 'A' }, { reference: 'B' }];
		const ids = { executionId: '4711', workflowId: 'wf-1' };
		const first = await runCybersource(helper, nodes, items, ids);
		expect(first.error).toBeUndefined();
		const firstIds = sentIds();
		expect(firstIds).toHaveLength(4);
		for (const id of firstIds) expect(id).toMatch(DERIVED);
		expect(new Set(firstIds).size).toBe(4); // per item and per node
		const paid = first.output('Pay');
		expect(paid.map((item) => (item.clientReferenceInformation as IDataObject).transactionId)).toEqual(firstIds.slice(0, 2));

		// n8n runs the same execution again (a queue-mode job run twice): the same IDs, refused, found.
		const again = await runCybersource(helper, nodes, items, ids);
		expect(again.error).toBeUndefined();
		expect(sentIds().filter((id) => id !== undefined)).toEqual([...firstIds, firstIds[0], firstIds[1], firstIds[2], firstIds[3]]);
		expect(again.output('Pay')).toMatchObject(paid.map((item) => ({ id: item.id, status: 'AUTHORIZED', alreadySent: true })));
		expect(again.output('Capture')).toMatchObject(first.output('Capture').map((item) => ({ id: item.id, alreadySent: true })));
		expect(sandbox.transactionsByReference()).toMatchObject({ payment: { A: 1, B: 1 }, capture: { A: 1, B: 1 } });

		// Another execution is another payment.
		expect((await runCybersource(helper, nodes, items, { executionId: '4712', workflowId: 'wf-1' })).error).toBeUndefined();
		expect(sandbox.transactionsByReference()).toMatchObject({ payment: { A: 2, B: 2 }, capture: { A: 2, B: 2 } });
	});

	it('without a client reference code to find the earlier payment by, a refused ID is an error that names it', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const nodes = [cybersourceNode('Pay', authorizeParameters(), credential)];
		const ids = { executionId: '4713', workflowId: 'wf-1' };
		expect((await runCybersource(helper, nodes, [{}], ids)).error).toBeUndefined();
		const again = await runCybersource(helper, nodes, [{}], ids);
		expect(again.error?.message).toBe(`Cybersource refused Merchant Transaction ID ${sentIds()[0]} as already used: this request was sent before and was not processed again.`);
		expect(again.error?.description).toContain('cancel it with Payment > Timeout Reversal and this ID');
		expect(sandbox.stats().transactions).toBe(1);
	});

	it("sends the user's ID, also from Additional Fields (JSON), and refuses a bad one before any request", async () => {
		await authorized({}, { merchantTransactionId: 'order-10042' });
		expect(JSON.parse(sandbox.lastApiRequest()!.body).clientReferenceInformation).toEqual({ transactionId: 'order-10042' });
		await authorized({}, { merchantTransactionId: '', additionalJson: '{"clientReferenceInformation":{"transactionId":"order-10043"}}' });
		expect(JSON.parse(sandbox.lastApiRequest()!.body).clientReferenceInformation).toEqual({ transactionId: 'order-10043' });
		const requests = sandbox.stats().apiRequests;
		for (const [bad, why] of [
			['x'.repeat(31), 'Merchant Transaction ID: is 31 characters long; Cybersource takes at most 30.'],
			['order 1', 'Merchant Transaction ID: may hold only letters, digits and . _ : - (no spaces).'],
		]) {
			expect((await run(authorizeParameters({ merchantTransactionId: bad }))).error?.message).toBe(why);
		}
		expect((await run({ resource: 'payment', operation: 'timeoutVoid', merchantTransactionId: ' ' })).error?.message).toBe('Merchant Transaction ID: is required.');
		expect(sandbox.stats().apiRequests).toBe(requests);
	});

	it('a payment whose answer was lost names its ID, is refused when sent again, and Timeout Reversal releases it', async () => {
		sandbox.dropNextApiAnswers(1);
		const lost = await run(authorizeParameters({ merchantTransactionId: 'order-7' }), { reference: 'order-7', amount: '30.00' });
		expect(lost.error?.message).toMatch(/Merchant Transaction ID: order-7\.$/);
		expect(lost.error?.description).toContain('Payment > Timeout Reversal with this ID');
		// Sent again: refused by Cybersource, and the payment the lost answer belonged to is output.
		const resent = await run(authorizeParameters({ merchantTransactionId: 'order-7' }), { reference: 'order-7', amount: '30.00' });
		expect(resent.output[0]).toMatchObject({ status: 'AUTHORIZED', alreadySent: true, clientReferenceInformation: { code: 'order-7', transactionId: 'order-7' } });
		expect(sandbox.transactionsByReference().payment).toEqual({ 'order-7': 1 });
		// The same ID with another amount is not that payment: an error naming the ID.
		const other = await run(authorizeParameters({ merchantTransactionId: 'order-7' }), { reference: 'order-7', amount: '31.00' });
		expect(other.error?.message).toMatch(/^Cybersource refused Merchant Transaction ID order-7 as already used/);

		const wrongAmount = await run({ resource: 'payment', operation: 'timeoutReversal', merchantTransactionId: 'order-7', amount: '10.00', currency: 'USD' });
		expect(wrongAmount.error?.message).toContain('reversalInformation.amountDetails.totalAmount');
		const reversed = await run({ resource: 'payment', operation: 'timeoutReversal', merchantTransactionId: 'order-7', amount: '30.00', currency: 'USD', reason: 'no answer' });
		expect(reversed.output[0]).toMatchObject({ status: 'REVERSED', reversalAmountDetails: { reversedAmount: '30.00' } });
		expect(JSON.parse(sandbox.lastApiRequest()!.body)).toEqual({
			clientReferenceInformation: { transactionId: 'order-7' },
			reversalInformation: { amountDetails: { totalAmount: '30.00' }, reason: 'no answer' },
			orderInformation: { amountDetails: { currency: 'USD' } },
		});
		const unknown = await run({ resource: 'payment', operation: 'timeoutReversal', merchantTransactionId: 'never-sent', amount: '30.00', currency: 'USD' });
		expect(unknown.error?.message).toContain('HTTP 404');
	});

	it('a capture whose answer was lost names Timeout Void, which voids it by its ID', async () => {
		const payment = await authorized({ amount: '20.00' });
		sandbox.dropNextApiAnswers(1);
		const capture = { resource: 'payment', operation: 'capture', paymentId: payment.id as string, amount: '20.00', currency: 'USD', merchantTransactionId: 'cap-1' };
		const lost = await run(capture);
		expect(lost.error?.description).toContain('Payment > Timeout Void with this ID');
		const voided = await run({ resource: 'payment', operation: 'timeoutVoid', merchantTransactionId: 'cap-1' });
		expect(voided.output[0]).toMatchObject({ status: 'VOIDED', voidAmountDetails: { voidAmount: '20.00' } });
		expect(JSON.parse(sandbox.lastApiRequest()!.body)).toEqual({ clientReferenceInformation: { transactionId: 'cap-1' } });
		// The voided capture's amount can be captured again under a new ID.
		expect((await run({ ...capture, merchantTransactionId: 'cap-2' })).output[0]).toMatchObject({ status: 'PENDING' });
	});
});

describe('transactions', () => {
	it('searches by client reference code, one item per transaction', async () => {
		await authorized({ reference: 'FIND-ME' });
		await authorized({ reference: 'FIND-ME' });
		await authorized({ reference: 'OTHER' });
		const { output } = await run({ resource: 'transaction', operation: 'search', query: 'clientReferenceInformation.code:FIND-ME', limit: 10 });
		expect(output).toHaveLength(2);
	});

	it('Return All gives every match; Limit and Offset pick a window; a bad Limit is refused before any request', async () => {
		for (let n = 0; n < 12; n++) await authorized({ reference: 'MANY', amount: `${10 + n}.00` });
		const search = { resource: 'transaction', operation: 'search', query: 'clientReferenceInformation.code:MANY', sort: 'submitTimeUtc:asc' };
		const all = (await run({ ...search, returnAll: true })).output;
		expect(all).toHaveLength(12);
		expect(new Set(all.map((item) => item.id)).size).toBe(12);
		const window = (await run({ ...search, limit: 4, offset: 3 })).output;
		expect(window.map((item) => item.id)).toEqual(all.slice(3, 7).map((item) => item.id));
		expect(JSON.parse(sandbox.lastApiRequest()!.body)).toMatchObject({ limit: 4, offset: 3, sort: 'submitTimeUtc:asc' });
		const requests = sandbox.stats().apiRequests;
		expect((await run({ ...search, limit: 0 })).error?.message).toBe('Limit: "0" is not a whole number of 1 or more.');
		expect(sandbox.stats().apiRequests).toBe(requests);
	});
});

describe('webhook keys and webhooks', () => {
	it('stores OAuth credentials with exactly the documented body, and never outputs the secret', async () => {
		const { output, error } = await run({
			resource: 'webhookKey',
			operation: 'storeOAuthCredentials',
			organizationId: ORG(),
			provider: 'parent_org',
			clientKeyId: 'hook-client',
			clientSecret: 'hook-client-secret-value',
		});
		expect(error).toBeUndefined();
		expect(JSON.parse(sandbox.lastApiRequest()!.body)).toEqual({
			clientRequestAction: 'STORE',
			keyInformation: {
				provider: 'parent_org',
				tenant: 'nrtd',
				keyType: 'oAuthClientCredentials',
				organizationId: ORG(),
				clientKeyId: 'hook-client',
				key: 'hook-client-secret-value',
				expiryDuration: '365',
			},
		});
		expect(JSON.stringify(output)).not.toContain('hook-client-secret-value');
		expect(output[0]).toMatchObject({ status: 'SUCCESS' });
	});

	it('creates a signature key, then creates, lists, gets, updates, tests and deletes a webhook', async () => {
		const key = await run({ resource: 'webhookKey', operation: 'createSharedSecretKey', organizationId: ORG() });
		expect(key.error).toBeUndefined();
		const created = await run({
			resource: 'webhook',
			operation: 'create',
			name: 'n8n payments',
			organizationId: ORG(),
			productId: 'decisionManager',
			eventTypes: 'risk.casemanagement.decision.accept',
			webhookUrl: 'https://hooks.example.test:8443/cybersource',
			options: { healthCheckUrl: 'https://hooks.example.test/health' },
		});
		expect(created.error?.message).toBeUndefined();
		const webhookId = created.output[0].webhookId as string;
		const listed = await run({ resource: 'webhook', operation: 'list', organizationId: ORG() });
		expect(listed.output.map((w) => w.webhookId)).toEqual([webhookId]);
		expect((await run({ resource: 'webhook', operation: 'get', webhookId })).output[0].name).toBe('n8n payments');
		const updated = await run({ resource: 'webhook', operation: 'update', webhookId, updateFields: { name: 'renamed' } });
		expect(updated.error).toBeUndefined();
		expect((await run({ resource: 'webhook', operation: 'get', webhookId })).output[0].name).toBe('renamed');
		expect((await run({ resource: 'webhook', operation: 'test', webhookId })).error).toBeUndefined();
		expect((await run({ resource: 'webhook', operation: 'delete', webhookId })).output[0]).toEqual({ deleted: true, webhookId });
		expect((await run({ resource: 'webhook', operation: 'list', organizationId: ORG() })).output).toEqual([]);
	});

	it('lists products with their event types', async () => {
		const { output } = await run({ resource: 'webhook', operation: 'listProducts', organizationId: ORG() });
		expect(output.map((p) => p.productId)).toContain('decisionManager');
	});

	it('refuses a webhook URL on another port before sending', async () => {
		const { error } = await run({
			resource: 'webhook',
			operation: 'create',
			name: 'x',
			organizationId: ORG(),
			productId: 'decisionManager',
			eventTypes: 'risk.casemanagement.decision.accept',
			webhookUrl: 'https://hooks.example.test:9000/x',
		});
		expect(error?.message).toBe('Webhook URL: uses port 9000; Cybersource delivers only to port 443 or 8443.');
		expect(sandbox.stats().apiRequests).toBe(0);
	});
});

describe('custom API call', () => {
	it('calls any path with the same authentication', async () => {
		const payment = await authorized();
		const { output } = await run({ resource: 'customApiCall', operation: 'call', method: 'GET', path: `/tss/v2/transactions/${payment.id as string}` });
		expect(output[0].id).toBe(payment.id);
	});

	it('refuses a full URL, so the token never goes to another host', async () => {
		const { error } = await run({ resource: 'customApiCall', operation: 'call', method: 'GET', path: 'https://elsewhere.example.test/steal' });
		expect(error?.message).toMatch(/^Path: "https:\/\/elsewhere.example.test\/steal" must start with "\/"/);
		expect(sandbox.stats().tokenRequests).toBe(0);
	});

	it('works with the generic OAuth2 Client Credentials credential and a Base URL', async () => {
		const oidc = globalOidcServer();
		const credential = {
			id: 'generic',
			name: 'Generic',
			type: 'oAuth2ClientCredentialsApi',
			data: { tokenUrl: oidc.tokenUrl, clientId: POST_CLIENT.clientId, clientSecret: POST_CLIENT.clientSecret },
		};
		const helper = credentialsHelper([credential]);
		const node = cybersourceNode('Cybersource', { baseUrl: oidc.issuer, resource: 'customApiCall', operation: 'call', method: 'GET', path: '/api/echo' }, credential);
		const result = await runCybersource(helper, [node]);
		expect(result.error).toBeUndefined();
		expect(result.output('Cybersource')[0].clientId).toBe(POST_CLIENT.clientId);
	});
});

describe('node version 2 (what the editor creates now) beside version 1 (saved workflows)', () => {
	/** A node as the editor saves it: parameters left at their default are not stored. */
	const versioned = (typeVersion: number, parameters: INodeParameters, credential: { id: string; name: string; type: string }) => ({
		...cybersourceNode('Cybersource', parameters, credential as never, { typeVersion }),
		parameters,
	});

	it('version 2 signs with the merchant key when Authentication was left at its default; version 1 keeps the partner credential', async () => {
		const merchant = merchantCredential(sandbox);
		const partner = cybersourceCredential(sandbox);
		const helper = credentialsHelper([merchant, partner]);
		const v2 = await runCybersource(helper, [versioned(2, authorizeParameters(), merchant)]);
		expect(v2.error).toBeUndefined();
		expect(sandbox.lastApiRequest()!.headers.signature).toMatch(/keyid="/);
		expect(sandbox.stats().tokenRequests).toBe(0);
		const v1 = await runCybersource(helper, [versioned(1, authorizeParameters(), partner)]);
		expect(v1.error).toBeUndefined();
		expect(sandbox.lastApiRequest()!.headers.authorization).toMatch(/^Bearer /);
		expect(sandbox.stats().tokenRequests).toBe(1);
	});

	it('version 2 reads the timeout under Request Options', async () => {
		const merchant = merchantCredential(sandbox);
		const helper = credentialsHelper([merchant]);
		sandbox.hangNextApiAnswers(1);
		const result = await runCybersource(helper, [versioned(2, authorizeParameters({ requestOptions: { timeout: 1 } }), merchant)]);
		expect(result.error?.message).toMatch(/^Cybersource did not answer within 1 s \(the node's Timeout\)\. The request was sent and may have been processed\. Merchant Transaction ID: n8n[0-9a-f]{27}\.$/);
	});

	it("every resource's Custom API Call entry runs the package's own call", async () => {
		const merchant = merchantCredential(sandbox);
		const helper = credentialsHelper([merchant]);
		const paid = await runCybersource(helper, [versioned(2, authorizeParameters(), merchant)]);
		const id = paid.output('Cybersource')[0].id as string;
		for (const resource of ['payment', 'transaction', 'webhook', 'webhookKey']) {
			const result = await runCybersource(helper, [versioned(2, { resource, operation: 'customApiCall', method: 'GET', path: `/tss/v2/transactions/${id}` }, merchant)]);
			expect(result.error).toBeUndefined();
			expect(result.output('Cybersource')[0].id).toBe(id);
		}
	});

	it('an empty Organization ID means the merchant key credential\'s Merchant ID; with another credential it is refused before any request', async () => {
		const merchant = merchantCredential(sandbox);
		sandbox.createSignatureKey();
		const created = await runCybersource(credentialsHelper([merchant]), [
			versioned(2, { resource: 'webhook', operation: 'create', name: 'Decisions', productId: 'decisionManager', eventTypes: ['risk.casemanagement.decision.accept'], webhookUrl: 'https://hooks.example.test/decisions' }, merchant),
		]);
		expect(created.error).toBeUndefined();
		expect(sandbox.webhooks()).toMatchObject([{ organizationId: sandbox.merchantKey.merchantId }]);
		const listed = await runCybersource(credentialsHelper([merchant]), [versioned(1, { authentication: 'cybersourceApi', resource: 'webhook', operation: 'list' }, merchant)]);
		expect(listed.error).toBeUndefined();
		expect(listed.output('Cybersource')).toHaveLength(1);
		sandbox.resetStats();
		const partner = cybersourceCredential(sandbox);
		const refused = await runCybersource(credentialsHelper([partner]), [versioned(1, { resource: 'webhook', operation: 'list' }, partner)]);
		expect(refused.error?.message).toMatch(/^Organization ID: missing\. Enter the organization or merchant ID \(with the Cybersource API credential, an empty field means its Merchant ID\)/);
		expect(sandbox.stats()).toMatchObject({ apiRequests: 0, tokenRequests: 0 });
	});

	it('version 2 creates a webhook from the event types chosen in the list', async () => {
		const merchant = merchantCredential(sandbox);
		sandbox.createSignatureKey();
		const parameters = {
			resource: 'webhook',
			operation: 'create',
			name: 'Decisions',
			organizationId: ORG(),
			productId: 'decisionManager',
			eventTypes: ['risk.casemanagement.decision.accept', 'risk.casemanagement.decision.reject'],
			webhookUrl: 'https://hooks.example.test/decisions',
		};
		const result = await runCybersource(credentialsHelper([merchant]), [versioned(2, parameters, merchant)]);
		expect(result.error).toBeUndefined();
		expect(sandbox.webhooks()).toMatchObject([{ productId: 'decisionManager', eventTypes: parameters.eventTypes }]);
	});
});

describe('credentials', () => {
	it('explains each Cybersource token error code', async () => {
		sandbox.failNextTokenRequests('merchant_not_active');
		const { error } = await run(authorizeParameters());
		expect(error?.message).toMatch(/HTTP 500, merchant_not_active.*The merchant's Cybersource account is inactive/);
		sandbox.failNextTokenRequests('client_not_found');
		expect((await run(authorizeParameters())).error?.message).toMatch(/client_not_found.*Check the Client ID and the Environment/);
	});

	it('names a missing client certificate before connecting', async () => {
		const { error } = await run(authorizeParameters(), {}, { data: { clientCertificate: '' } });
		expect(error?.message).toMatch(/^Client Certificate: is empty or not a PEM certificate/);
		expect(sandbox.stats().tokenRequests).toBe(0);
	});

	it('names a private key that does not belong to the certificate', async () => {
		const { error } = await run(authorizeParameters(), {}, { data: { clientPrivateKey: sandbox.pki.foreignClientKey } });
		expect(error?.message).toMatch(/^Client Private Key: does not belong to the Client Certificate/);
	});

	it('reads an encrypted client key with its passphrase', async () => {
		const { error } = await run(authorizeParameters(), {}, { data: { clientPrivateKey: sandbox.pki.clientKeyEncrypted, clientPrivateKeyPassphrase: sandbox.pki.clientKeyPassphrase } });
		expect(error).toBeUndefined();
	});

	it('cannot connect with a certificate the server does not trust', async () => {
		const { error } = await run(authorizeParameters(), {}, { data: { clientCertificate: sandbox.pki.foreignClientCert, clientPrivateKey: sandbox.pki.foreignClientKey } });
		expect(error?.message).toMatch(/Could not reach Cybersource's token endpoint|certificate|TLS|closed the connection/i);
		expect(sandbox.stats().tokenRequests).toBe(0);
	});

	it('the credential test checks every field without a request and says what it did not check', async () => {
		const credential = cybersourceCredential(sandbox);
		const helper = credentialsHelper([credential]);
		const nodeTypes = { [CYBERSOURCE_NODE_TYPE]: new Cybersource() };
		const asTested = { id: credential.id, name: credential.name, type: credential.type, data: credential.data };
		const result = await testCredential(helper, 'cybersourceOAuth2Api', asTested, { nodeTypes });
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/^Checked without contacting Cybersource: .*client certificate is readable, not expired and matches its private key.* a refresh token is present\. n8n cannot send a client certificate from a credential test/);
		expect(sandbox.stats().tokenRequests).toBe(0);
		expect(helper.getStoredData(credential.id)).toEqual(credential.data);
		// The stored refresh token still works.
		expect((await runCybersource(helper, [cybersourceNode('Authorize', authorizeParameters(), credential)])).error).toBeUndefined();
		expect(sandbox.stats().tokenFailures).toBe(0);
	});

	it('the credential test names the field at fault, before any request', async () => {
		const nodeTypes = { [CYBERSOURCE_NODE_TYPE]: new Cybersource() };
		const test = async (data: Record<string, string>) => {
			const credential = cybersourceCredential(sandbox, data);
			return await testCredential(credentialsHelper([credential]), 'cybersourceOAuth2Api', { id: credential.id, name: credential.name, type: credential.type, data: credential.data }, { nodeTypes });
		};
		expect(await test({ clientPrivateKey: sandbox.pki.foreignClientKey })).toEqual({ status: 'Error', message: expect.stringMatching(/^Client Private Key: does not belong to the Client Certificate/) });
		expect(await test({ clientCertificate: '' })).toEqual({ status: 'Error', message: expect.stringMatching(/^Client Certificate: is empty or not a PEM certificate/) });
		expect(await test({ clientSecret: '' })).toEqual({ status: 'Error', message: expect.stringMatching(/^Client Secret: is empty/) });
		expect(await test({ refreshToken: '' })).toEqual({ status: 'Error', message: expect.stringMatching(/^Refresh Token: is empty/) });
		expect(sandbox.stats().tokenRequests).toBe(0);
	});
});
