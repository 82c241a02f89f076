/**
 * Token Management (customers, payment instruments, shipping addresses, instrument identifiers),
 * paying and crediting with what is stored, Save the Card, repeat-charge fields and incremental
 * authorization, through n8n's engine against the sandbox, with every authentication choice.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TEST_CARDS, RESPONSE_MLE_KEY_ID, type Sandbox } from '../servers/cybersource/server';
import { credentialsHelper, cybersourceCredential, cybersourceNode, FUTURE_YEAR, merchantCredential, runCybersource, useSandbox } from '../support/cybersource';

let sandbox: Sandbox;
useSandbox((started) => (sandbox = started));

type Credential = ReturnType<typeof cybersourceCredential>;

/** The credentials a user may choose: the partner OAuth2 credential and each merchant-key scheme (JWT with MLE both ways). */
const CREDENTIALS: Array<[string, () => Credential]> = [
	['Cybersource OAuth2 (partner)', () => cybersourceCredential(sandbox)],
	['merchant key, HTTP Signature', () => merchantCredential(sandbox, 'httpSignature')],
	['merchant key, JWT RS256', () => merchantCredential(sandbox, 'jwtRs256')],
	[
		'merchant key, JWT HS256 with MLE both ways',
		() =>
			merchantCredential(sandbox, 'jwtHs256', {
				requestEncryption: 'whereAccepted',
				mleCertificate: sandbox.pki.mleCert,
				responseEncryption: true,
				responseMleKeyId: RESPONSE_MLE_KEY_ID,
				responseMlePrivateKey: sandbox.pki.responseMleKey,
			} as IDataObject as Record<string, string>),
	],
];

let credential: Credential = undefined as never;

/** One node, the given items: its output items or its error. */
async function run(parameters: INodeParameters, items: IDataObject[] = [{}], using: Credential = credential ?? cybersourceCredential(sandbox)) {
	const result = await runCybersource(credentialsHelper([using]), [cybersourceNode('Cybersource', parameters, using)], items);
	return { output: result.error ? [] : result.output('Cybersource'), error: result.error };
}

/** Output items; Cybersource's token and transaction answers carry a string `id`. */
type Answer = IDataObject & { id: string };

async function ok(parameters: INodeParameters, items: IDataObject[] = [{}]): Promise<Answer[]> {
	const { output, error } = await run(parameters, items);
	expect(error).toBeUndefined();
	return output as Answer[];
}

const expiry = { expirationMonth: '11', expirationYear: FUTURE_YEAR };

async function identifierOf(card: string = TEST_CARDS.visa): Promise<string> {
	const [identifier] = await ok({ resource: 'instrumentIdentifier', operation: 'create', cardNumber: card });
	return identifier.id;
}

/** A customer with one stored card (its default). */
async function customerWithCard(card: string = TEST_CARDS.visa) {
	const [customer] = await ok({ resource: 'customer', operation: 'create', email: 'ada@example.com', merchantCustomerId: 'crm-7' });
	const identifier = await identifierOf(card);
	const [instrument] = await ok({ resource: 'customerPaymentInstrument', operation: 'create', customerId: customer.id, instrumentIdentifierId: identifier, ...expiry });
	return { customerId: customer.id, instrumentId: instrument.id, identifierId: identifier };
}

const authorizeWith = (source: INodeParameters, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'payment',
	operation: 'authorize',
	amount: '25.00',
	currency: 'USD',
	...source,
	...extra,
});

const lastBody = () => JSON.parse(sandbox.lastApiRequest()!.decryptedBody ?? sandbox.lastApiRequest()!.body) as IDataObject;

describe.each(CREDENTIALS)('Token Management and stored-card payments with %s', (name, make) => {
	beforeEach(() => {
		credential = make();
	});

	it('stores a card, charges the customer by its default card and by a named card, updates with If-Match, lists and deletes', async () => {
		const { customerId, instrumentId, identifierId } = await customerWithCard();
		expect(identifierId).toMatch(/^701\d{16}$/);
		const [customer] = await ok({ resource: 'customer', operation: 'get', customerId });
		expect(customer).toMatchObject({ id: customerId, buyerInformation: { email: 'ada@example.com', merchantCustomerID: 'crm-7' }, defaultPaymentInstrument: { id: instrumentId } });
		expect(JSON.stringify(customer)).not.toContain(TEST_CARDS.visa);

		const [byCustomer] = await ok(authorizeWith({ paymentSource: 'customer', customerId }));
		expect(byCustomer.status).toBe('AUTHORIZED');
		expect(lastBody().paymentInformation).toEqual({ customer: { id: customerId } });
		const [second] = await ok({ resource: 'customerPaymentInstrument', operation: 'create', customerId, instrumentIdentifierId: await identifierOf(TEST_CARDS.declined), ...expiry });
		const [declined] = await ok(authorizeWith({ paymentSource: 'customer', customerId, customerPaymentInstrumentId: second.id }));
		expect(declined.status).toBe('DECLINED');
		const [byInstrument] = await ok(authorizeWith({ paymentSource: 'paymentInstrument', paymentInstrumentId: instrumentId }));
		expect(byInstrument.status).toBe('AUTHORIZED');

		// Update without an ETag: the node reads the current one first and sends it as If-Match.
		sandbox.resetStats();
		const [updated] = await ok({ resource: 'customerPaymentInstrument', operation: 'update', customerId, paymentInstrumentId: instrumentId, updateFields: { expirationYear: String(Number(FUTURE_YEAR) + 1) } });
		expect((updated.card as IDataObject).expirationYear).toBe(String(Number(FUTURE_YEAR) + 1));
		const [read, patch] = sandbox.apiRequests();
		expect([read.method, patch.method]).toEqual(['GET', 'PATCH']);
		expect(patch.headers['if-match']).toMatch(/^"[0-9A-F]{16}"$/);
		// With message-level encryption the update went encrypted (Token Management takes MLE).
		expect(patch.decryptedBody !== undefined).toBe(name.includes('MLE'));

		const listed = await ok({ resource: 'customerPaymentInstrument', operation: 'getMany', customerId, returnAll: true });
		expect(listed.map((item) => item.id)).toEqual([instrumentId, second.id]);
		await ok({ resource: 'customerPaymentInstrument', operation: 'setDefault', customerId, paymentInstrumentId: second.id });
		expect((await ok({ resource: 'customer', operation: 'get', customerId }))[0].defaultPaymentInstrument).toEqual({ id: second.id });
		expect(await ok({ resource: 'customerPaymentInstrument', operation: 'delete', customerId, paymentInstrumentId: instrumentId })).toEqual([{ deleted: true, id: instrumentId }]);
		expect(await ok({ resource: 'customer', operation: 'delete', customerId })).toEqual([{ deleted: true, id: customerId }]);
		const gone = await run({ resource: 'customer', operation: 'get', customerId });
		expect(gone.error?.message).toMatch(/^Cybersource answered HTTP 404 notFound: Customer not found/);
	});

	it('Save the Card: a zero-amount authorization stores the card and a new customer; then a merchant-initiated repeat charge by that customer', async () => {
		const [saved] = await ok({
			...authorizeWith({ paymentSource: 'card', cardNumber: TEST_CARDS.mastercard, ...expiry, saveCard: true, amount: '0' }),
			storedCredential: { initiator: 'customer', credentialStoredOnFile: true, storedCredentialUsed: false },
		});
		expect(lastBody().processingInformation).toEqual({
			capture: false,
			authorizationOptions: { initiator: { type: 'customer', credentialStoredOnFile: true, storedCredentialUsed: false } },
			actionList: ['TOKEN_CREATE'],
			actionTokenTypes: ['customer', 'paymentInstrument'],
		});
		const tokens = saved.tokenInformation as { customer: { id: string }; paymentInstrument: { id: string }; instrumentIdentifier: { id: string } };
		expect(tokens.customer.id).toMatch(/^[0-9A-F]{32}$/);
		expect(JSON.stringify(saved)).not.toContain(TEST_CARDS.mastercard);
		const networkId = (saved.processorInformation as IDataObject).networkTransactionId as string;

		const [repeat] = await ok(
			authorizeWith(
				{ paymentSource: 'customer', customerId: tokens.customer.id },
				{ storedCredential: { commerceIndicator: 'recurring', initiator: 'merchant', storedCredentialUsed: true, previousTransactionId: networkId } },
			),
		);
		expect(repeat.status).toBe('AUTHORIZED');
		expect(lastBody().processingInformation).toEqual({
			capture: false,
			commerceIndicator: 'recurring',
			authorizationOptions: { initiator: { type: 'merchant', storedCredentialUsed: true, merchantInitiatedTransaction: { previousTransactionId: networkId } } },
		});
		// A second card saved to the same customer.
		const [added] = await ok(authorizeWith({ paymentSource: 'card', cardNumber: TEST_CARDS.visa, ...expiry, saveCard: true, saveToCustomerId: tokens.customer.id }));
		expect((added.tokenInformation as IDataObject).customer).toBeUndefined();
		const cards = await ok({ resource: 'customerPaymentInstrument', operation: 'getMany', customerId: tokens.customer.id, returnAll: true });
		expect(cards).toHaveLength(2);
	});

	it('pays with an instrument identifier and a transient token; credits a stored card; raises an authorization', async () => {
		const identifier = await identifierOf();
		const [byIdentifier] = await ok(authorizeWith({ paymentSource: 'instrumentIdentifier', instrumentIdentifierId: identifier, ...expiry }));
		expect(byIdentifier.status).toBe('AUTHORIZED');
		expect(lastBody().paymentInformation).toEqual({ instrumentIdentifier: { id: identifier }, card: expiry });
		const transient = sandbox.issueTransientToken({ number: TEST_CARDS.visa, ...expiry });
		const [byTransient] = await ok(authorizeWith({ paymentSource: 'transientToken', transientToken: transient }));
		expect(byTransient.status).toBe('AUTHORIZED');
		expect(lastBody().tokenInformation).toEqual({ transientTokenJwt: transient });
		expect(lastBody().paymentInformation).toBeUndefined();

		const { customerId } = await customerWithCard();
		const [credited] = await ok({ resource: 'payment', operation: 'credit', amount: '3.00', currency: 'USD', paymentSource: 'customer', customerId });
		expect(credited.status).toBe('PENDING');

		const [raised] = await ok({ resource: 'payment', operation: 'incrementalAuthorization', paymentId: byIdentifier.id, amount: '5.50', currency: 'USD' });
		expect(raised).toMatchObject({ id: byIdentifier.id, status: 'AUTHORIZED', orderInformation: { amountDetails: { authorizedAmount: '30.50' } } });
		// The raised amount can be captured.
		const [captured] = await ok({ resource: 'payment', operation: 'capture', paymentId: byIdentifier.id, amount: '30.50', currency: 'USD' });
		expect(captured.status).toBe('PENDING');
	});
});

describe('Token Management answers explained', () => {
	beforeEach(() => {
		credential = cybersourceCredential(sandbox);
	});

	it('a stale ETag: 412, the error says the token changed and how to go on', async () => {
		const { customerId } = await customerWithCard();
		const stale = await run({ resource: 'customer', operation: 'update', customerId, etag: '"0000000000000000"', updateFields: { email: 'new@example.com' } });
		expect(stale.error?.message).toMatch(/^Cybersource answered HTTP 412 conflict: .*changed since its ETag was read.*leave ETag empty/);
	});

	it('deleting the default card while the customer has others: 409, explained; an instrument identifier in use: 409', async () => {
		const { customerId, instrumentId, identifierId } = await customerWithCard();
		await ok({ resource: 'customerPaymentInstrument', operation: 'create', customerId, instrumentIdentifierId: await identifierOf(TEST_CARDS.amex), ...expiry });
		const refused = await run({ resource: 'customerPaymentInstrument', operation: 'delete', customerId, paymentInstrumentId: instrumentId });
		expect(refused.error?.message).toMatch(/^Cybersource answered HTTP 409 conflict: .*customers default.*set another default first/);
		const inUse = await run({ resource: 'instrumentIdentifier', operation: 'delete', instrumentIdentifierId: identifierId });
		expect(inUse.error?.message).toMatch(/^Cybersource answered HTTP 409 instrumentIdentifierDeletionError/);
	});

	it("another customer's card: 424, explained", async () => {
		const first = await customerWithCard();
		const second = await customerWithCard(TEST_CARDS.discover);
		const crossed = await run({ resource: 'customerPaymentInstrument', operation: 'get', customerId: second.customerId, paymentInstrumentId: first.instrumentId });
		expect(crossed.error?.message).toMatch(/^Cybersource answered HTTP 424 notFound: .*check the IDs/);
	});

	it('the same card number gets the same instrument identifier; its number comes back masked only', async () => {
		const [first] = await ok({ resource: 'instrumentIdentifier', operation: 'create', cardNumber: TEST_CARDS.visa });
		const [again] = await ok({ resource: 'instrumentIdentifier', operation: 'create', cardNumber: '4111 1111 1111 1111' });
		expect(again.id).toBe(first.id);
		expect(first.card).toEqual({ number: '411111XXXXXX1111' });
		const [updated] = await ok({ resource: 'instrumentIdentifier', operation: 'update', instrumentIdentifierId: first.id, previousTransactionId: '123456789012345' });
		expect(updated.processingInformation).toEqual({ authorizationOptions: { initiator: { merchantInitiatedTransaction: { previousTransactionId: '123456789012345' } } } });
		const { customerId } = await customerWithCard();
		const instruments = await ok({ resource: 'instrumentIdentifier', operation: 'getPaymentInstruments', instrumentIdentifierId: first.id, returnAll: true });
		expect(instruments).toHaveLength(1);
		expect(instruments[0]._links).toMatchObject({ customer: { href: `/tms/v2/customers/${customerId}` } });
	});

	it('Get Many pages through the limit of 100: every address once, in order, the fewest requests', async () => {
		const [customer] = await ok({ resource: 'customer', operation: 'create' });
		const items = Array.from({ length: 130 }, (_, index) => ({ street: `${index} Main St` }));
		await ok({ resource: 'customerShippingAddress', operation: 'create', customerId: customer.id, shipTo: { address1: '={{ $json.street }}', country: 'US' } }, items);
		sandbox.resetStats();
		const all = await ok({ resource: 'customerShippingAddress', operation: 'getMany', customerId: customer.id, returnAll: true });
		expect(all.map((address) => (address.shipTo as IDataObject).address1)).toEqual(items.map((item) => item.street));
		expect(sandbox.apiRequests().map((request) => request.query)).toEqual(['offset=0&limit=100', 'offset=100&limit=100']);
		sandbox.resetStats();
		const some = await ok({ resource: 'customerShippingAddress', operation: 'getMany', customerId: customer.id, returnAll: false, limit: 120 });
		expect(some).toHaveLength(120);
		expect(sandbox.apiRequests().map((request) => request.query)).toEqual(['offset=0&limit=100', 'offset=100&limit=20']);
		expect(await ok({ resource: 'customerShippingAddress', operation: 'getMany', customerId: customer.id, limit: 3 })).toHaveLength(3);
	});
});

describe('bad input is refused before any request, naming the field; card data never repeated', () => {
	beforeEach(() => {
		credential = cybersourceCredential(sandbox);
	});

	it.each<[string, INodeParameters, RegExp]>([
		['a card number as Customer ID', authorizeWith({ paymentSource: 'customer', customerId: TEST_CARDS.visa }), /^Customer ID: looks like a card number, not a token ID/],
		['a card number as Payment Instrument ID', { resource: 'paymentInstrument', operation: 'get', paymentInstrumentId: TEST_CARDS.mastercard }, /^Payment Instrument ID: looks like a card number/],
		['an ID with a slash', { resource: 'customer', operation: 'get', customerId: 'ABC/../x' }, /^Customer ID: is not a Token Management ID/],
		['an empty Customer ID', { resource: 'customerPaymentInstrument', operation: 'getMany', customerId: '={{ "" }}' }, /^Customer ID: is empty/],
		['a transient token that is no JWT', authorizeWith({ paymentSource: 'transientToken', transientToken: 'not-a-token' }), /^Transient Token: is not a transient token/],
		['an instrument identifier without expiry', authorizeWith({ paymentSource: 'instrumentIdentifier', instrumentIdentifierId: '7010000000016241111', expirationMonth: '={{ "" }}', expirationYear: FUTURE_YEAR }), /^Expiration Month: "" is not a month/],
		['a zero amount without Save the Card', authorizeWith({ paymentSource: 'customer', customerId: 'AB695DA801DD1BB6E05341588E0A3BDC', amount: '0' }), /^Amount: "0" is not a positive decimal amount/],
		['a customer update with nothing to change', { resource: 'customer', operation: 'update', customerId: 'AB695DA801DD1BB6E05341588E0A3BDC', updateFields: { email: '' } }, /^Nothing to update: add a field to change the customer/],
		['an email that is none', { resource: 'customer', operation: 'create', email: 'ada at example' }, /^Email: "ada at example" is not an email address/],
		['a shipping address without fields', { resource: 'customerShippingAddress', operation: 'create', customerId: 'AB695DA801DD1BB6E05341588E0A3BDC', shipTo: {} }, /^Shipping Address: is empty/],
		['an incremental authorization without amount', { resource: 'payment', operation: 'incrementalAuthorization', paymentId: '7000000000000000001', amount: '={{ "" }}', currency: 'USD' }, /^Amount: "" is not a positive decimal amount/],
	])('%s', async (_case, parameters, message) => {
		const { error } = await run(parameters);
		expect(error?.message).toMatch(message);
		// The node's parameters (what the user typed) travel with n8n's error; the message and description never repeat them.
		expect(`${error?.message} ${error?.description ?? ''}`).not.toMatch(new RegExp(`${TEST_CARDS.visa}|${TEST_CARDS.mastercard}`));
		expect(sandbox.stats().apiRequests).toBe(0);
	});

	it('a charge whose answer was lost: the error item carries its Merchant Transaction ID and how to cancel it', async () => {
		const { customerId } = await customerWithCard();
		sandbox.dropNextApiAnswers(1);
		const result = await runCybersource(credentialsHelper([credential]), [
			cybersourceNode('Charge', authorizeWith({ paymentSource: 'customer', customerId, capture: true, merchantTransactionId: 'SUB-7-20261206' }), credential, { continueOnFail: true }),
		]);
		expect(result.output('Charge')[0]).toMatchObject({ merchantTransactionId: 'SUB-7-20261206', cancelWith: 'Timeout Void', error: expect.stringMatching(/may have been processed/) });
		const [voided] = await ok({ resource: 'payment', operation: 'timeoutVoid', merchantTransactionId: 'SUB-7-20261206' });
		expect(voided.status).toBe('VOIDED');
		// A declined card is an answer, not an error: no such fields.
		const declined = await runCybersource(credentialsHelper([credential]), [cybersourceNode('Charge', authorizeWith({ paymentSource: 'card', cardNumber: TEST_CARDS.declined, ...expiry }), credential, { continueOnFail: true })]);
		expect(declined.output('Charge')[0]).not.toHaveProperty('cancelWith');
	});

	it("On Error 'continue (using error output)': failed items go to the error output with their input, answered ones (declines too) to the success output", async () => {
		const { customerId } = await customerWithCard();
		sandbox.dropNextApiAnswers(1, 1); // the second item's answer is lost
		const node = cybersourceNode('Charge', authorizeWith({ paymentSource: 'customer', customerId: '={{ $json.customer }}', amount: '={{ $json.amount }}', merchantTransactionId: '={{ $json.order }}' }), credential, {
			onError: 'continueErrorOutput',
		});
		const result = await runCybersource(credentialsHelper([credential]), [node], [
			{ order: 'O-1', customer: customerId, amount: '10.00' },
			{ order: 'O-2', customer: customerId, amount: '11.00' },
			{ order: 'O-3', customer: customerId, amount: '1,00' },
		]);
		const [success, failed] = result.run.data.resultData.runData.Charge[0].data!.main as Array<Array<{ json: IDataObject }>>;
		expect(success.map((item) => item.json.status)).toEqual(['AUTHORIZED']);
		const details = (item: { json: IDataObject }) => (item.json.details ?? {}) as IDataObject;
		expect(failed.map((item) => [item.json.order, details(item).merchantTransactionId ?? null, details(item).cancelWith ?? null])).toEqual([
			['O-2', 'O-2', 'Timeout Reversal'],
			['O-3', null, null],
		]);
		expect(failed[1].json.error).toMatch(/^Amount: "1,00" is not a positive decimal amount/);
	});

	it('a saved Authorize node without Payment Source still pays with its card number', async () => {
		const [paid] = await ok({ resource: 'payment', operation: 'authorize', amount: '9.00', currency: 'USD', cardNumber: TEST_CARDS.visa, ...expiry });
		expect(paid.status).toBe('AUTHORIZED');
		expect(lastBody().paymentInformation).toEqual({ card: { number: TEST_CARDS.visa, ...expiry } });
	});
});
