import { createHash, randomBytes } from 'node:crypto';

import { cardType, CARD_TYPE_PATTERN, maskedNumber, MONTH_PATTERN, readCardNumber, YEAR_PATTERN, type Card } from './cards';
import { FieldCheck, isRecord, type ApiResult, type FieldProblem } from './http';

/**
 * Token Management (TMS) of the sandbox, as Cybersource documents it (research §1.2; SDK docs
 * CustomerApi.md, CustomerPaymentInstrumentApi.md, CustomerShippingAddressApi.md,
 * InstrumentIdentifierApi.md, PaymentInstrumentApi.md; TMS pagination page):
 *
 *  - customers `/tms/v2/customers[/{id}]`, their payment instruments and shipping addresses
 *    (`/tms/v2/customers/{id}/payment-instruments|shipping-addresses[/{id}]`), standalone payment
 *    instruments `/tms/v1/paymentinstruments[/{id}]`, instrument identifiers
 *    `/tms/v1/instrumentidentifiers[/{id}]` and their instruments (`…/{id}/paymentinstruments`).
 *  - Every token answer carries an `ETag` header; a PATCH must send it back in `If-Match`:
 *    missing -> 400 missingHeaders, stale -> 412 conflict. Each change makes a new ETag.
 *  - Lists: `offset`, `limit` (default 20, 1 to 100, else 400 invalidParameters naming `limit`),
 *    `{_links{self, first, prev, next, last}, object: "collection", offset, limit, count, total,
 *    _embedded{…}}` and the `X-Total-Count` header; the last page has no `next` link.
 *  - Errors in TMS's shape `{errors: [{type, message, details: [{name, location}]}]}`: 404 notFound
 *    for an id that names nothing of this merchant; 424 notFound for a token that exists but not
 *    where the path or body puts it (another customer's instrument, an unknown instrument
 *    identifier in a new instrument; the sandbox's reading of "Failed Dependency"); 409 conflict
 *    for deleting a customer's default instrument or address while it has others, and
 *    instrumentIdentifierDeletionError for an identifier still used by instruments.
 *  - An instrument identifier is one per card number: creating it again answers 200 with the same
 *    id. Card numbers leave the vault masked (`411111XXXXXX1111`); the vault itself keeps them in
 *    memory, as Cybersource's does, to pay with them.
 *  - Deleting a customer deletes its instruments and addresses.
 */

interface Stored {
	id: string;
	merchantId: string;
	version: number;
	created: number;
}

interface Customer extends Stored {
	buyerInformation?: unknown;
	clientReferenceInformation?: unknown;
	merchantDefinedInformation?: unknown;
	defaultPaymentInstrumentId?: string;
	defaultShippingAddressId?: string;
}

interface PaymentInstrument extends Stored {
	customerId?: string;
	card: { expirationMonth: string; expirationYear: string; type: string };
	billTo?: unknown;
	buyerInformation?: unknown;
	instrumentIdentifierId: string;
}

interface ShippingAddress extends Stored {
	customerId: string;
	shipTo: unknown;
}

interface InstrumentIdentifier extends Stored {
	number: string;
	type: string;
	previousTransactionId?: string;
}

/** A card a payment may use, resolved from a token. */
export type ResolvedCard = Card;

export const MAX_TMS_LIMIT = 100;
const DEFAULT_TMS_LIMIT = 20;

type Problem = { type: string; message: string; details?: Array<{ name: string; location: string }> };

function tmsError(status: number, problem: Problem): ApiResult {
	return { status, body: { errors: [problem] } };
}

function fieldErrors(problems: FieldProblem[]): ApiResult {
	const missing = problems.filter((problem) => problem.reason === 'MISSING_FIELD');
	const type = missing.length > 0 ? 'missingFields' : 'invalidFields';
	const shown = missing.length > 0 ? missing : problems;
	return tmsError(400, {
		type,
		message: missing.length > 0 ? 'Missing Field(s)' : 'Invalid Field(s)',
		details: shown.map((problem) => ({ name: problem.field, location: 'body' })),
	});
}

const notFound = (what: string) => tmsError(404, { type: 'notFound', message: `${what} not found` });

export class TokenVault {
	private readonly customers = new Map<string, Customer>();
	private readonly instruments = new Map<string, PaymentInstrument>();
	private readonly addresses = new Map<string, ShippingAddress>();
	private readonly identifiers = new Map<string, InstrumentIdentifier>();
	private readonly identifierByCard = new Map<string, string>();
	private readonly transientTokens = new Map<string, { merchantId: string; card: Card; expires: number }>();
	private seq = 0;

	constructor(private readonly now: () => number) {}

	reset(): void {
		this.transientTokens.clear();
		this.customers.clear();
		this.instruments.clear();
		this.addresses.clear();
		this.identifiers.clear();
		this.identifierByCard.clear();
	}

	// ---- for payments: tokens to cards, and TOKEN_CREATE ---------------------------------------

	/**
	 * What Microform or Unified Checkout hands the shopper's browser after card entry: a JWT whose
	 * `jti` names the card for 15 minutes (the sandbox does not sign it; Cybersource checks it).
	 */
	issueTransientToken(merchantId: string, card: Card): string {
		const jti = randomBytes(32).toString('hex');
		const now = this.now();
		this.transientTokens.set(jti, { merchantId, card, expires: now + 15 * 60_000 });
		const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const data = { number: maskedNumber(card.number), expirationMonth: card.expirationMonth, expirationYear: card.expirationYear, type: card.type };
		return `${part({ kid: 'sandbox', alg: 'RS256' })}.${part({ jti, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 900, data })}.${randomBytes(32).toString('base64url')}`;
	}

	/** The card of a transient token of this merchant, unexpired. */
	transientCard(merchantId: string, jwt: string): Card | undefined {
		let jti: unknown;
		try {
			jti = (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: unknown }).jti;
		} catch {
			return undefined;
		}
		const token = typeof jti === 'string' ? this.transientTokens.get(jti) : undefined;
		return token && token.merchantId === merchantId && token.expires > this.now() ? token.card : undefined;
	}

	/** The card behind a customer (its default or the given instrument), an instrument, or an identifier. */
	cardOf(merchantId: string, source: { customerId?: string; paymentInstrumentId?: string; instrumentIdentifierId?: string; expiry?: { expirationMonth: string; expirationYear: string } }): ResolvedCard | { invalid: string } {
		let instrument: PaymentInstrument | undefined;
		if (source.customerId !== undefined) {
			const customer = this.own(this.customers, merchantId, source.customerId);
			if (!customer) return { invalid: 'paymentInformation.customer.id' };
			const id = source.paymentInstrumentId ?? customer.defaultPaymentInstrumentId;
			instrument = id === undefined ? undefined : this.own(this.instruments, merchantId, id);
			if (!instrument || instrument.customerId !== customer.id) return { invalid: source.paymentInstrumentId !== undefined ? 'paymentInformation.paymentInstrument.id' : 'paymentInformation.customer.id' };
		} else if (source.paymentInstrumentId !== undefined) {
			instrument = this.own(this.instruments, merchantId, source.paymentInstrumentId);
			if (!instrument) return { invalid: 'paymentInformation.paymentInstrument.id' };
		}
		const identifierId = instrument?.instrumentIdentifierId ?? source.instrumentIdentifierId;
		const identifier = identifierId === undefined ? undefined : this.own(this.identifiers, merchantId, identifierId);
		if (!identifier) return { invalid: 'paymentInformation.instrumentIdentifier.id' };
		const expiry = instrument?.card ?? source.expiry;
		if (expiry === undefined) return { invalid: 'paymentInformation.card.expirationMonth' };
		return { number: identifier.number, type: instrument?.card.type ?? identifier.type, expirationMonth: expiry.expirationMonth, expirationYear: expiry.expirationYear };
	}

	/**
	 * `processingInformation.actionList: ["TOKEN_CREATE"]` on an approved payment: the card's
	 * instrument identifier always (found or new), and the `actionTokenTypes` asked for. An
	 * instrument goes to the given customer or to the one created now, and becomes its default
	 * when it has none (or when `tokenInformation.paymentInstrument.default` is true).
	 */
	createTokens(merchantId: string, card: Card, request: { types: string[]; customerId?: string; billTo?: unknown; shipTo?: unknown; makeDefault: boolean }): Record<string, unknown> {
		const { identifier, created } = this.identifierFor(merchantId, card.number, card.type);
		const answer: Record<string, unknown> = { instrumentidentifierNew: created, instrumentIdentifier: { id: identifier.id, state: 'ACTIVE' } };
		let customer = request.customerId === undefined ? undefined : this.own(this.customers, merchantId, request.customerId);
		if (request.types.includes('customer') && customer === undefined) {
			const email = isRecord(request.billTo) ? request.billTo.email : undefined;
			customer = this.stored(this.customers, merchantId, { buyerInformation: typeof email === 'string' ? { email } : undefined });
			answer.customer = { id: customer.id };
		}
		if (request.types.includes('paymentInstrument')) {
			const instrument = this.stored(this.instruments, merchantId, {
				customerId: customer?.id,
				card: { expirationMonth: card.expirationMonth, expirationYear: card.expirationYear, type: card.type },
				billTo: request.billTo,
				instrumentIdentifierId: identifier.id,
			});
			if (customer && (customer.defaultPaymentInstrumentId === undefined || request.makeDefault)) this.touch(customer).defaultPaymentInstrumentId = instrument.id;
			answer.paymentInstrument = { id: instrument.id };
		}
		if (request.types.includes('shippingAddress') && customer && request.shipTo !== undefined) {
			const address = this.stored(this.addresses, merchantId, { customerId: customer.id, shipTo: request.shipTo });
			if (customer.defaultShippingAddressId === undefined) this.touch(customer).defaultShippingAddressId = address.id;
			answer.shippingAddress = { id: address.id };
		}
		return answer;
	}

	/** A customer with the given id and one stored card, its default (what a shop stored earlier). */
	seedCustomer(merchantId: string, id: string, card: Card): void {
		const { identifier } = this.identifierFor(merchantId, card.number, card.type);
		const customer = this.put(this.customers, { id, merchantId, version: 1, created: this.now() });
		const instrument = this.stored(this.instruments, merchantId, {
			customerId: id,
			card: { expirationMonth: card.expirationMonth, expirationYear: card.expirationYear, type: card.type },
			instrumentIdentifierId: identifier.id,
		});
		customer.defaultPaymentInstrumentId = instrument.id;
	}

	// ---- customers ------------------------------------------------------------------------------

	createCustomer(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['buyerInformation', 'clientReferenceInformation', 'merchantDefinedInformation', 'defaultPaymentInstrument', 'defaultShippingAddress']);
		const fields = this.customerFields(check);
		if (!check.ok) return fieldErrors(check.problems);
		if (fields.defaultPaymentInstrumentId !== undefined || fields.defaultShippingAddressId !== undefined) return fieldErrors([{ field: 'defaultPaymentInstrument.id', reason: 'INVALID_DATA' }]);
		return this.answer(201, this.stored(this.customers, merchantId, fields), (c) => this.customerBody(c));
	}

	getCustomer(merchantId: string, id: string): ApiResult {
		const customer = this.own(this.customers, merchantId, id);
		return customer ? this.answer(200, customer, (c) => this.customerBody(c)) : notFound('Customer');
	}

	updateCustomer(merchantId: string, id: string, body: unknown, ifMatch: string | undefined): ApiResult {
		const customer = this.own(this.customers, merchantId, id);
		if (!customer) return notFound('Customer');
		const stale = this.preconditionFailed(customer, ifMatch);
		if (stale) return stale;
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['buyerInformation', 'clientReferenceInformation', 'merchantDefinedInformation', 'defaultPaymentInstrument', 'defaultShippingAddress']);
		const fields = this.customerFields(check);
		if (!check.ok) return fieldErrors(check.problems);
		const instrument = fields.defaultPaymentInstrumentId === undefined ? undefined : this.own(this.instruments, merchantId, fields.defaultPaymentInstrumentId);
		if (fields.defaultPaymentInstrumentId !== undefined && instrument?.customerId !== customer.id) {
			return tmsError(424, { type: 'notFound', message: 'The payment instrument is not one of this customer\'s', details: [{ name: 'defaultPaymentInstrument.id', location: 'body' }] });
		}
		const address = fields.defaultShippingAddressId === undefined ? undefined : this.own(this.addresses, merchantId, fields.defaultShippingAddressId);
		if (fields.defaultShippingAddressId !== undefined && address?.customerId !== customer.id) {
			return tmsError(424, { type: 'notFound', message: 'The shipping address is not one of this customer\'s', details: [{ name: 'defaultShippingAddress.id', location: 'body' }] });
		}
		const changed = this.touch(customer);
		for (const [key, value] of Object.entries(fields)) if (value !== undefined) (changed as unknown as Record<string, unknown>)[key] = value;
		return this.answer(200, changed, (c) => this.customerBody(c));
	}

	deleteCustomer(merchantId: string, id: string): ApiResult {
		const customer = this.own(this.customers, merchantId, id);
		if (!customer) return notFound('Customer');
		for (const [key, instrument] of this.instruments) if (instrument.customerId === id) this.instruments.delete(key);
		for (const [key, address] of this.addresses) if (address.customerId === id) this.addresses.delete(key);
		this.customers.delete(id);
		return { status: 204 };
	}

	// ---- payment instruments (a customer's, or standalone) --------------------------------------

	createInstrument(merchantId: string, customerId: string | undefined, body: unknown): ApiResult {
		const customer = customerId === undefined ? undefined : this.own(this.customers, merchantId, customerId);
		if (customerId !== undefined && !customer) return notFound('Customer');
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['default', 'card', 'billTo', 'buyerInformation', 'instrumentIdentifier', 'processingInformation', 'merchantInformation']);
		const makeDefault = check.optionalBoolean('default') ?? false;
		const expirationMonth = check.requiredString('card.expirationMonth', MONTH_PATTERN);
		const expirationYear = check.requiredString('card.expirationYear', YEAR_PATTERN);
		const type = check.optionalString('card.type', CARD_TYPE_PATTERN);
		const identifierId = check.requiredString('instrumentIdentifier.id');
		if (!check.ok || !expirationMonth || !expirationYear || identifierId === undefined) return fieldErrors(check.problems);
		const identifier = this.own(this.identifiers, merchantId, identifierId);
		if (!identifier) return tmsError(424, { type: 'notFound', message: 'Instrument Identifier not found', details: [{ name: 'instrumentIdentifier.id', location: 'body' }] });
		const fields = body as Record<string, unknown>;
		const instrument = this.stored(this.instruments, merchantId, {
			customerId,
			card: { expirationMonth, expirationYear, type: type ?? identifier.type },
			billTo: fields.billTo,
			buyerInformation: fields.buyerInformation,
			instrumentIdentifierId: identifier.id,
		});
		if (customer && (customer.defaultPaymentInstrumentId === undefined || makeDefault)) this.touch(customer).defaultPaymentInstrumentId = instrument.id;
		return this.answer(201, instrument, (i) => this.instrumentBody(i));
	}

	getInstrument(merchantId: string, customerId: string | undefined, id: string): ApiResult {
		const found = this.instrumentAt(merchantId, customerId, id);
		return 'result' in found ? found.result : this.answer(200, found.instrument, (i) => this.instrumentBody(i));
	}

	updateInstrument(merchantId: string, customerId: string | undefined, id: string, body: unknown, ifMatch: string | undefined): ApiResult {
		const found = this.instrumentAt(merchantId, customerId, id);
		if ('result' in found) return found.result;
		const stale = this.preconditionFailed(found.instrument, ifMatch);
		if (stale) return stale;
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['default', 'card', 'billTo', 'buyerInformation', 'processingInformation', 'merchantInformation']);
		check.onlyKeys('card', ['expirationMonth', 'expirationYear', 'type']);
		const makeDefault = check.optionalBoolean('default');
		const expirationMonth = check.optionalString('card.expirationMonth', MONTH_PATTERN);
		const expirationYear = check.optionalString('card.expirationYear', YEAR_PATTERN);
		const type = check.optionalString('card.type', CARD_TYPE_PATTERN);
		if (!check.ok) return fieldErrors(check.problems);
		const instrument = this.touch(found.instrument);
		instrument.card = { expirationMonth: expirationMonth ?? instrument.card.expirationMonth, expirationYear: expirationYear ?? instrument.card.expirationYear, type: type ?? instrument.card.type };
		const fields = body as Record<string, unknown>;
		if (fields.billTo !== undefined) instrument.billTo = fields.billTo;
		if (fields.buyerInformation !== undefined) instrument.buyerInformation = fields.buyerInformation;
		const customer = instrument.customerId === undefined ? undefined : this.customers.get(instrument.customerId);
		if (customer && makeDefault === true) this.touch(customer).defaultPaymentInstrumentId = instrument.id;
		return this.answer(200, instrument, (i) => this.instrumentBody(i));
	}

	deleteInstrument(merchantId: string, customerId: string | undefined, id: string): ApiResult {
		const found = this.instrumentAt(merchantId, customerId, id);
		if ('result' in found) return found.result;
		const customer = found.instrument.customerId === undefined ? undefined : this.customers.get(found.instrument.customerId);
		if (customer?.defaultPaymentInstrumentId === id) {
			const others = [...this.instruments.values()].some((other) => other.customerId === customer.id && other.id !== id);
			if (others) return tmsError(409, { type: 'conflict', message: 'Action cannot be performed as the PaymentInstrument is the customers default' });
			this.touch(customer).defaultPaymentInstrumentId = undefined;
		}
		this.instruments.delete(id);
		return { status: 204 };
	}

	listCustomerInstruments(merchantId: string, customerId: string, query: string): ApiResult {
		if (!this.own(this.customers, merchantId, customerId)) return notFound('Customer');
		const all = [...this.instruments.values()].filter((instrument) => instrument.customerId === customerId);
		return this.page(`/tms/v2/customers/${customerId}/payment-instruments`, 'paymentInstruments', all, query, (i) => this.instrumentBody(i));
	}

	listIdentifierInstruments(merchantId: string, identifierId: string, query: string): ApiResult {
		if (!this.own(this.identifiers, merchantId, identifierId)) return notFound('Instrument Identifier');
		const all = [...this.instruments.values()].filter((instrument) => instrument.merchantId === merchantId && instrument.instrumentIdentifierId === identifierId);
		return this.page(`/tms/v1/instrumentidentifiers/${identifierId}/paymentinstruments`, 'paymentInstruments', all, query, (i) => this.instrumentBody(i));
	}

	// ---- shipping addresses ---------------------------------------------------------------------

	createAddress(merchantId: string, customerId: string, body: unknown): ApiResult {
		const customer = this.own(this.customers, merchantId, customerId);
		if (!customer) return notFound('Customer');
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['default', 'shipTo']);
		const makeDefault = check.optionalBoolean('default') ?? false;
		if (!isRecord(check.value('shipTo'))) check.missing('shipTo');
		if (!check.ok) return fieldErrors(check.problems);
		const address = this.stored(this.addresses, merchantId, { customerId, shipTo: (body as Record<string, unknown>).shipTo });
		if (customer.defaultShippingAddressId === undefined || makeDefault) this.touch(customer).defaultShippingAddressId = address.id;
		return this.answer(201, address, (a) => this.addressBody(a));
	}

	getAddress(merchantId: string, customerId: string, id: string): ApiResult {
		const found = this.addressAt(merchantId, customerId, id);
		return 'result' in found ? found.result : this.answer(200, found.address, (a) => this.addressBody(a));
	}

	updateAddress(merchantId: string, customerId: string, id: string, body: unknown, ifMatch: string | undefined): ApiResult {
		const found = this.addressAt(merchantId, customerId, id);
		if ('result' in found) return found.result;
		const stale = this.preconditionFailed(found.address, ifMatch);
		if (stale) return stale;
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['default', 'shipTo']);
		const makeDefault = check.optionalBoolean('default');
		if (check.value('shipTo') !== undefined && !isRecord(check.value('shipTo'))) check.invalid('shipTo');
		if (!check.ok) return fieldErrors(check.problems);
		const address = this.touch(found.address);
		const shipTo = (body as Record<string, unknown>).shipTo;
		if (isRecord(shipTo)) address.shipTo = { ...(address.shipTo as Record<string, unknown>), ...shipTo };
		if (makeDefault === true) this.touch(this.customers.get(customerId)!).defaultShippingAddressId = address.id;
		return this.answer(200, address, (a) => this.addressBody(a));
	}

	deleteAddress(merchantId: string, customerId: string, id: string): ApiResult {
		const found = this.addressAt(merchantId, customerId, id);
		if ('result' in found) return found.result;
		const customer = this.customers.get(customerId)!;
		if (customer.defaultShippingAddressId === id) {
			const others = [...this.addresses.values()].some((other) => other.customerId === customerId && other.id !== id);
			if (others) return tmsError(409, { type: 'conflict', message: 'Action cannot be performed as the ShippingAddress is the customers default' });
			this.touch(customer).defaultShippingAddressId = undefined;
		}
		this.addresses.delete(id);
		return { status: 204 };
	}

	listAddresses(merchantId: string, customerId: string, query: string): ApiResult {
		if (!this.own(this.customers, merchantId, customerId)) return notFound('Customer');
		const all = [...this.addresses.values()].filter((address) => address.customerId === customerId);
		return this.page(`/tms/v2/customers/${customerId}/shipping-addresses`, 'shippingAddresses', all, query, (a) => this.addressBody(a));
	}

	// ---- instrument identifiers -----------------------------------------------------------------

	createIdentifier(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['card', 'type', 'billTo', 'processingInformation']);
		check.onlyKeys('card', ['number', 'expirationMonth', 'expirationYear', 'securityCode']);
		const number = readCardNumber(check, 'card.number');
		if (!check.ok || number === undefined) return fieldErrors(check.problems);
		const type = cardType(number);
		if (type === undefined) return fieldErrors([{ field: 'card.number', reason: 'INVALID_DATA' }]);
		const { identifier, created } = this.identifierFor(merchantId, number, type);
		return this.answer(created ? 201 : 200, identifier, (i) => this.identifierBody(i));
	}

	getIdentifier(merchantId: string, id: string): ApiResult {
		const identifier = this.own(this.identifiers, merchantId, id);
		return identifier ? this.answer(200, identifier, (i) => this.identifierBody(i)) : notFound('Instrument Identifier');
	}

	/** Only the previous transaction ID of merchant-initiated payments may change (the card number never does). */
	updateIdentifier(merchantId: string, id: string, body: unknown, ifMatch: string | undefined): ApiResult {
		const identifier = this.own(this.identifiers, merchantId, id);
		if (!identifier) return notFound('Instrument Identifier');
		const stale = this.preconditionFailed(identifier, ifMatch);
		if (stale) return stale;
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['processingInformation']);
		const path = 'processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction.previousTransactionId';
		const previous = check.requiredString(path, /^[A-Za-z0-9]{1,32}$/);
		if (!check.ok || previous === undefined) {
			if (isRecord(body) && 'card' in body) return tmsError(400, { type: 'unsupportedPaymentMethodModification', message: 'The card number of an instrument identifier cannot be changed' });
			return fieldErrors(check.problems);
		}
		this.touch(identifier).previousTransactionId = previous;
		return this.answer(200, identifier, (i) => this.identifierBody(i));
	}

	deleteIdentifier(merchantId: string, id: string): ApiResult {
		const identifier = this.own(this.identifiers, merchantId, id);
		if (!identifier) return notFound('Instrument Identifier');
		if ([...this.instruments.values()].some((instrument) => instrument.instrumentIdentifierId === id)) {
			return tmsError(409, { type: 'instrumentIdentifierDeletionError', message: 'Action cannot be performed as the InstrumentIdentifier is associated with one or more PaymentInstruments' });
		}
		this.identifiers.delete(id);
		this.identifierByCard.delete(this.cardKey(merchantId, identifier.number));
		return { status: 204 };
	}

	// ---- storage, ETags, pages ------------------------------------------------------------------

	private identifierFor(merchantId: string, number: string, type: string): { identifier: InstrumentIdentifier; created: boolean } {
		const existing = this.identifierByCard.get(this.cardKey(merchantId, number));
		if (existing !== undefined) return { identifier: this.identifiers.get(existing)!, created: false };
		// 19 digits like Cybersource's card identifiers (7010000000016241111): 701, 12 more, the last four.
		const id = `701${String(++this.seq).padStart(12, '0')}${number.slice(-4)}`;
		const identifier = this.put(this.identifiers, { id, merchantId, version: 1, created: this.now(), number, type });
		this.identifierByCard.set(this.cardKey(merchantId, number), id);
		return { identifier, created: true };
	}

	private cardKey(merchantId: string, number: string): string {
		return `${merchantId}\u0000${createHash('sha256').update(number).digest('hex')}`;
	}

	private stored<T extends Stored>(map: Map<string, T>, merchantId: string, fields: Omit<T, keyof Stored>): T {
		this.seq++;
		// 32 upper-case hex digits, like Cybersource's customer and instrument ids.
		return this.put(map, { ...fields, id: randomBytes(16).toString('hex').toUpperCase(), merchantId, version: 1, created: this.now() } as T);
	}

	private put<T extends Stored>(map: Map<string, T>, value: T): T {
		map.set(value.id, value);
		return value;
	}

	private own<T extends Stored>(map: Map<string, T>, merchantId: string, id: string): T | undefined {
		const value = map.get(id);
		return value !== undefined && value.merchantId === merchantId ? value : undefined;
	}

	/** Marks a change: a new ETag. */
	private touch<T extends Stored>(value: T): T {
		value.version++;
		return value;
	}

	private etag(value: Stored): string {
		return `"${createHash('sha1').update(`${value.id}:${value.version}`).digest('hex').slice(0, 16).toUpperCase()}"`;
	}

	private preconditionFailed(value: Stored, ifMatch: string | undefined): ApiResult | undefined {
		if (ifMatch === undefined || ifMatch.trim() === '') {
			return tmsError(400, { type: 'missingHeaders', message: 'Missing header(s)', details: [{ name: 'if-match', location: 'header' }] });
		}
		const unquoted = (tag: string) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
		if (unquoted(ifMatch) !== unquoted(this.etag(value))) {
			return tmsError(412, { type: 'conflict', message: 'The token has changed since it was read (If-Match does not match its ETag)' });
		}
		return undefined;
	}

	private answer<T extends Stored>(status: number, value: T, body: (value: T) => Record<string, unknown>): ApiResult {
		return { status, body: body(value), headers: { ETag: this.etag(value) } };
	}

	private page<T extends Stored>(base: string, key: string, all: T[], query: string, body: (value: T) => Record<string, unknown>): ApiResult {
		const params = new URLSearchParams(query);
		const number = (name: string, fallback: number) => (params.has(name) ? Number(params.get(name)) : fallback);
		const offset = number('offset', 0);
		const limit = number('limit', DEFAULT_TMS_LIMIT);
		const bad = [!Number.isInteger(offset) || offset < 0 ? 'offset' : undefined, !Number.isInteger(limit) || limit < 1 || limit > MAX_TMS_LIMIT ? 'limit' : undefined].filter((name): name is string => name !== undefined);
		if (bad.length > 0) return tmsError(400, { type: 'invalidParameters', message: 'Invalid parameter values', details: bad.map((name) => ({ name, location: 'query' })) });
		const sorted = [...all].sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
		const items = sorted.slice(offset, offset + limit);
		const href = (at: number) => ({ href: `${base}?offset=${at}&limit=${limit}` });
		const last = Math.max(0, Math.floor((sorted.length - 1) / limit) * limit);
		const links: Record<string, unknown> = { self: href(offset), first: href(0), last: href(last) };
		if (offset > 0) links.prev = href(Math.max(0, offset - limit));
		if (offset + limit < sorted.length) links.next = href(offset + limit);
		return {
			status: 200,
			body: { _links: links, object: 'collection', offset, limit, count: items.length, total: sorted.length, _embedded: { [key]: items.map(body) } },
			headers: { 'X-Total-Count': String(sorted.length) },
		};
	}

	private instrumentAt(merchantId: string, customerId: string | undefined, id: string): { instrument: PaymentInstrument } | { result: ApiResult } {
		if (customerId !== undefined && !this.own(this.customers, merchantId, customerId)) return { result: notFound('Customer') };
		const instrument = this.own(this.instruments, merchantId, id);
		if (!instrument) return { result: notFound('Payment Instrument') };
		if (customerId !== undefined && instrument.customerId !== customerId) {
			return { result: tmsError(424, { type: 'notFound', message: 'The payment instrument is not one of this customer\'s' }) };
		}
		return { instrument };
	}

	private addressAt(merchantId: string, customerId: string, id: string): { address: ShippingAddress } | { result: ApiResult } {
		if (!this.own(this.customers, merchantId, customerId)) return { result: notFound('Customer') };
		const address = this.own(this.addresses, merchantId, id);
		if (!address) return { result: notFound('Shipping Address') };
		if (address.customerId !== customerId) return { result: tmsError(424, { type: 'notFound', message: 'The shipping address is not one of this customer\'s' }) };
		return { address };
	}

	private customerFields(check: FieldCheck): Partial<Customer> {
		const object = (path: string) => {
			const value = check.value(path);
			if (value !== undefined && !isRecord(value)) check.invalid(path);
			return value;
		};
		const defined = check.value('merchantDefinedInformation');
		if (defined !== undefined && !Array.isArray(defined)) check.invalid('merchantDefinedInformation');
		check.optionalString('buyerInformation.email', /^[^@\s]+@[^@\s]+$/);
		check.optionalString('buyerInformation.merchantCustomerID', /^[\s\S]{1,100}$/);
		return {
			buyerInformation: object('buyerInformation'),
			clientReferenceInformation: object('clientReferenceInformation'),
			merchantDefinedInformation: defined,
			defaultPaymentInstrumentId: check.optionalString('defaultPaymentInstrument.id'),
			defaultShippingAddressId: check.optionalString('defaultShippingAddress.id'),
		};
	}

	private customerBody(customer: Customer): Record<string, unknown> {
		const self = `/tms/v2/customers/${customer.id}`;
		const instrument = customer.defaultPaymentInstrumentId === undefined ? undefined : this.instruments.get(customer.defaultPaymentInstrumentId);
		const address = customer.defaultShippingAddressId === undefined ? undefined : this.addresses.get(customer.defaultShippingAddressId);
		return {
			_links: { self: { href: self }, paymentInstruments: { href: `${self}/payment-instruments` }, shippingAddress: { href: `${self}/shipping-addresses` } },
			id: customer.id,
			...(customer.buyerInformation !== undefined ? { buyerInformation: customer.buyerInformation } : {}),
			...(customer.clientReferenceInformation !== undefined ? { clientReferenceInformation: customer.clientReferenceInformation } : {}),
			...(customer.merchantDefinedInformation !== undefined ? { merchantDefinedInformation: customer.merchantDefinedInformation } : {}),
			...(instrument ? { defaultPaymentInstrument: { id: instrument.id } } : {}),
			...(address ? { defaultShippingAddress: { id: address.id } } : {}),
			metadata: { creator: customer.merchantId },
			_embedded: {
				...(instrument ? { defaultPaymentInstrument: this.instrumentBody(instrument) } : {}),
				...(address ? { defaultShippingAddress: this.addressBody(address) } : {}),
			},
		};
	}

	private instrumentBody(instrument: PaymentInstrument): Record<string, unknown> {
		const customer = instrument.customerId === undefined ? undefined : this.customers.get(instrument.customerId);
		const identifier = this.identifiers.get(instrument.instrumentIdentifierId);
		const self = customer ? `/tms/v2/customers/${customer.id}/payment-instruments/${instrument.id}` : `/tms/v1/paymentinstruments/${instrument.id}`;
		return {
			_links: { self: { href: self }, ...(customer ? { customer: { href: `/tms/v2/customers/${customer.id}` } } : {}) },
			id: instrument.id,
			object: 'paymentInstrument',
			...(customer ? { default: customer.defaultPaymentInstrumentId === instrument.id } : {}),
			state: 'ACTIVE',
			card: { ...instrument.card },
			...(instrument.buyerInformation !== undefined ? { buyerInformation: instrument.buyerInformation } : {}),
			...(instrument.billTo !== undefined ? { billTo: instrument.billTo } : {}),
			instrumentIdentifier: { id: instrument.instrumentIdentifierId },
			metadata: { creator: instrument.merchantId },
			_embedded: identifier ? { instrumentIdentifier: this.identifierBody(identifier) } : {},
		};
	}

	private addressBody(address: ShippingAddress): Record<string, unknown> {
		const customer = this.customers.get(address.customerId);
		return {
			_links: { self: { href: `/tms/v2/customers/${address.customerId}/shipping-addresses/${address.id}` }, customer: { href: `/tms/v2/customers/${address.customerId}` } },
			id: address.id,
			default: customer?.defaultShippingAddressId === address.id,
			shipTo: address.shipTo,
			metadata: { creator: address.merchantId },
		};
	}

	private identifierBody(identifier: InstrumentIdentifier): Record<string, unknown> {
		return {
			_links: { self: { href: `/tms/v1/instrumentidentifiers/${identifier.id}` }, paymentInstruments: { href: `/tms/v1/instrumentidentifiers/${identifier.id}/paymentinstruments` } },
			id: identifier.id,
			object: 'instrumentIdentifier',
			state: 'ACTIVE',
			card: { number: maskedNumber(identifier.number) },
			...(identifier.previousTransactionId !== undefined
				? { processingInformation: { authorizationOptions: { initiator: { merchantInitiatedTransaction: { previousTransactionId: identifier.previousTransactionId } } } } }
				: {}),
			metadata: { creator: identifier.merchantId },
		};
	}
}
