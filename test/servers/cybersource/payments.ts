import { randomUUID } from 'node:crypto';

import { FieldCheck, invalidFields, notFound, rejected, serverError, submitTimeUtc, type ApiResult } from './http';
import { expired, readCard, readExpiry, summarize, type Card, type CardSummary } from './cards';
import type { TokenVault } from './tms';
import { TEST_AMOUNTS, TEST_CARDS } from './testValues';

/**
 * Payments (`/pts/v2/...`) and transaction search/details (`/tss/v2/...`) of the sandbox (DESIGN §4).
 * State lives in memory per sandbox and per merchant: a token for merchant A never sees merchant
 * B's transactions. Card numbers are never stored or echoed: only the BIN (first 6) and the last 4
 * digits, as Cybersource shows them in transaction details.
 *
 * Follow-on rules (reason codes are Cybersource's):
 *  - capture: only an AUTHORIZED / PARTIAL_AUTHORIZED authorization; declined or pending review
 *    -> MISSING_AUTH; reversed -> AUTH_ALREADY_REVERSED; voided sale -> TRANSACTION_ALREADY_REVERSED_OR_SETTLED;
 *    total captures above the authorized amount -> EXCEEDS_AUTH_AMOUNT.
 *  - refund: at most what was captured and not yet refunded (of the payment or of the capture)
 *    -> EXCEEDS_AUTH_AMOUNT.
 *  - reversal: an approved authorization with nothing captured; twice -> AUTH_ALREADY_REVERSED;
 *    after a capture -> TRANSACTION_ALREADY_REVERSED_OR_SETTLED; declined -> MISSING_AUTH.
 *  - void: a capture, refund, credit or sale (`capture: true`) once; an authorization only -> NOT_VOIDABLE
 *    (reverse it instead); a capture with refunds -> NOT_VOIDABLE; already voided -> NOT_VOIDABLE.
 *  - merchant transaction ID (`clientReferenceInformation.transactionId`, 1 to 30 characters) on
 *    authorizations, captures, refunds and credits: a second request with an ID used before is
 *    refused with DUPLICATE_REQUEST and changes nothing. `POST /pts/v2/reversals` reverses the
 *    authorization sent with an ID (the full authorized amount, else INVALID_DATA), `POST /pts/v2/voids`
 *    voids the sale, capture, refund or credit sent with it (an authorization is reversed); an ID
 *    nothing was sent with -> 404. Cybersource asks merchants to wait 60 seconds first; what it does
 *    with an earlier request is not documented, so the sandbox does not refuse one.
 *  - amounts: decimal strings (`"10.00"`), at most 12 integer and 3 decimal digits; a number is INVALID_DATA.
 */

type Kind = 'payment' | 'capture' | 'refund' | 'reversal' | 'void' | 'credit';

/** URL path segment of each kind (`/pts/v2/captures/{id}`). */
const SEGMENT: Record<Kind, string> = {
	payment: 'payments',
	capture: 'captures',
	refund: 'refunds',
	reversal: 'reversals',
	void: 'voids',
	credit: 'credits',
};
/** Cybersource's application (service) name of each kind, as transaction details report it. */
const APPLICATION: Record<Kind, string> = {
	payment: 'ics_auth',
	capture: 'ics_bill',
	refund: 'ics_credit',
	reversal: 'ics_auth_reversal',
	void: 'ics_void',
	credit: 'ics_credit',
};

interface Decline {
	reason: string;
	message: string;
	responseCode: string;
	reasonCode: string;
	rFlag: string;
}

interface Transaction {
	id: string;
	kind: Kind;
	merchantId: string;
	/** Creation order, for sorting. */
	seq: number;
	submitTimeUtc: string;
	status: string;
	code: string | undefined;
	currency: string;
	/** The amount as the request sent it (for follow-ons: the amount they moved). */
	amount: string;
	milli: number;
	authorizedAmount?: string;
	authorizedMilli: number;
	capturedMilli: number;
	refundedMilli: number;
	reversed: boolean;
	voided: boolean;
	isSale: boolean;
	parentId: string | undefined;
	/** For a refund made on a capture: that capture. */
	captureId: string | undefined;
	rootId: string;
	children: string[];
	card: CardSummary | undefined;
	reconciliationId: string;
	approvalCode: string | undefined;
	decline: Decline | undefined;
	/** The merchant transaction ID it was sent with. */
	transactionId: string | undefined;
}

/** One transaction as reports show it. */
export interface ReportRow {
	requestId: string;
	submitTimeUtc: string;
	merchantReferenceCode: string;
	application: string;
	status: string;
	amount: string;
	currency: string;
	cardSuffix: string;
	kind: string;
	sale: boolean;
}

export interface PaymentsStats {
	transactions: number;
}

const AMOUNT_PATTERN = /^\d{1,12}(\.\d{1,3})?$/;
const CURRENCY_PATTERN = /^[A-Za-z]{3}$/;
const CODE_PATTERN = /^[\s\S]{1,50}$/;
const TRANSACTION_ID_PATTERN = /^[\s\S]{1,30}$/;
/** Cybersource's search page size limit. */
const MAX_SEARCH_LIMIT = 2500;

const DECLINES: Record<string, Decline> = {
	[TEST_CARDS.declined]: {
		reason: 'PROCESSOR_DECLINED',
		message: 'Decline - General decline of the card. No other information was provided by the issuing bank.',
		responseCode: '05',
		reasonCode: '233',
		rFlag: 'DCARDREFUSED',
	},
	[TEST_CARDS.insufficientFunds]: {
		reason: 'INSUFFICIENT_FUND',
		message: 'Decline - Insufficient funds in the account.',
		responseCode: '51',
		reasonCode: '204',
		rFlag: 'DCARDREFUSED',
	},
};
const EXPIRED: Decline = { reason: 'EXPIRED_CARD', message: 'Decline - Expired card.', responseCode: '54', reasonCode: '202', rFlag: 'DCARDEXPIRED' };

export class PaymentsService {
	private readonly byId = new Map<string, Transaction>();
	private readonly byMerchant = new Map<string, Transaction[]>();
	private readonly byCode = new Map<string, Transaction[]>();
	private readonly byTransactionId = new Map<string, Transaction>();
	private seq = 0;

	constructor(
		private readonly now: () => number,
		private readonly vault: TokenVault,
	) {}

	reset(): void {
		this.byId.clear();
		this.byMerchant.clear();
		this.byCode.clear();
		this.byTransactionId.clear();
	}

	/** Merchant transaction IDs are unique for 180 days: this is the day after. */
	forgetTransactionIds(): void {
		this.byTransactionId.clear();
	}

	/** Every stored transaction moves `ms` into the past (yesterday's payments for a daily report). */
	age(ms: number): void {
		for (const transaction of this.byId.values()) transaction.submitTimeUtc = submitTimeUtc(Date.parse(transaction.submitTimeUtc) - ms);
	}

	/** What a report sees of a merchant's transactions submitted in [fromMs, toMs): one row each. */
	reportRows(merchantId: string, fromMs: number, toMs: number): ReportRow[] {
		return (this.byMerchant.get(merchantId) ?? [])
			.filter((transaction) => {
				const at = Date.parse(transaction.submitTimeUtc);
				return at >= fromMs && at < toMs;
			})
			.map((transaction) => ({
				requestId: transaction.id,
				submitTimeUtc: transaction.submitTimeUtc,
				merchantReferenceCode: transaction.code ?? '',
				application: this.applications(transaction).map((application) => application.name).join(','),
				status: transaction.status,
				amount: transaction.amount,
				currency: transaction.currency,
				cardSuffix: transaction.card?.suffix ?? '',
				kind: transaction.kind,
				sale: transaction.isSale,
			}));
	}

	count(): number {
		return this.byId.size;
	}

	/** How many transactions of each kind carry each client reference code (duplicates show as counts above 1). */
	countsByReference(): Record<string, Record<string, number>> {
		const counts: Record<string, Record<string, number>> = {};
		for (const transaction of this.byId.values()) {
			if (transaction.code === undefined) continue;
			const byKind = (counts[transaction.kind] ??= {});
			byKind[transaction.code] = (byKind[transaction.code] ?? 0) + 1;
		}
		return counts;
	}

	// ---- POST /pts/v2/payments and /pts/v2/credits ----------------------------------------------

	authorize(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body);
		const order = readAmount(check, 'orderInformation.amountDetails', true);
		const card = this.paymentCard(check, merchantId);
		const code = check.optionalString('clientReferenceInformation.code', CODE_PATTERN);
		const capture = check.optionalBoolean('processingInformation.capture') ?? false;
		const transactionId = check.optionalString('clientReferenceInformation.transactionId', TRANSACTION_ID_PATTERN);
		const tokenCreate = readTokenCreate(check);
		readStoredCredential(check);
		const now = this.now();
		if (!check.ok || !order || !card) return invalidFields(check.problems, now);
		if (this.usedTransactionId(merchantId, transactionId)) return duplicate(now);

		if (order.amount === TEST_AMOUNTS.serverError) return serverError(now);
		const decline = expired(card, now) ? EXPIRED : DECLINES[card.number];
		let status = 'AUTHORIZED';
		let authorized = order.amount;
		if (decline) status = 'DECLINED';
		else if (order.amount === TEST_AMOUNTS.pendingReview) status = 'AUTHORIZED_PENDING_REVIEW';
		else if (order.amount === TEST_AMOUNTS.partialAuthorization) {
			status = 'PARTIAL_AUTHORIZED';
			authorized = TEST_AMOUNTS.partialAuthorizedAmount;
		}
		const approved = status === 'AUTHORIZED' || status === 'PARTIAL_AUTHORIZED';
		const authorizedMilli = approved ? toMilli(authorized) : 0;

		const payment = this.store(merchantId, 'payment', status, code, order.currency, order.amount, undefined, {
			authorizedAmount: approved ? authorized : undefined,
			authorizedMilli,
			// A sale (`capture: true`) captures what was authorized in the same request.
			capturedMilli: capture && approved ? authorizedMilli : 0,
			isSale: capture && approved,
			card: summarize(card),
			approvalCode: approved ? String(100000 + (this.seq % 900000)) : undefined,
			decline,
			transactionId,
		});
		const answer = this.paymentResponse(payment);
		if (tokenCreate && approved) {
			const fields = body as { orderInformation?: { billTo?: unknown; shipTo?: unknown }; tokenInformation?: { paymentInstrument?: { default?: unknown } } };
			answer.tokenInformation = this.vault.createTokens(merchantId, card, {
				types: tokenCreate,
				customerId: check.optionalString('paymentInformation.customer.id'),
				billTo: fields.orderInformation?.billTo,
				shipTo: fields.orderInformation?.shipTo,
				makeDefault: fields.tokenInformation?.paymentInstrument?.default === true,
			});
		}
		return { status: 201, body: answer };
	}

	/**
	 * The card a payment or credit uses: `paymentInformation.card` (a number), or a token: a
	 * customer (its default instrument, or `paymentInformation.paymentInstrument.id`), a payment
	 * instrument, an instrument identifier (with the card's expiry), a transient token
	 * (`tokenInformation.transientTokenJwt`). A token that names nothing is INVALID_DATA on its field.
	 */
	private paymentCard(check: FieldCheck, merchantId: string): Card | undefined {
		const transient = check.optionalString('tokenInformation.transientTokenJwt', /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/);
		if (check.value('tokenInformation.transientTokenJwt') !== undefined) {
			const card = transient === undefined ? undefined : this.vault.transientCard(merchantId, transient);
			if (card === undefined && transient !== undefined) check.invalid('tokenInformation.transientTokenJwt');
			return card;
		}
		const customerId = check.optionalString('paymentInformation.customer.id');
		const paymentInstrumentId = check.optionalString('paymentInformation.paymentInstrument.id');
		const instrumentIdentifierId = check.optionalString('paymentInformation.instrumentIdentifier.id');
		const byToken = customerId !== undefined || paymentInstrumentId !== undefined || instrumentIdentifierId !== undefined;
		// A customer with a new card to save (TOKEN_CREATE) pays with the card.
		if (!byToken || check.value('paymentInformation.card.number') !== undefined) return readCard(check);
		const expiry = customerId === undefined && paymentInstrumentId === undefined ? readExpiry(check, 'paymentInformation.card') : undefined;
		if (!check.ok) return undefined;
		const card = this.vault.cardOf(merchantId, { customerId, paymentInstrumentId, instrumentIdentifierId, expiry });
		if ('invalid' in card) {
			check.invalid(card.invalid);
			return undefined;
		}
		return card;
	}

	/**
	 * Incremental authorization (`PATCH /pts/v2/payments/{id}`): raises an approved, uncaptured
	 * authorization by `orderInformation.amountDetails.additionalAmount`; the answer keeps the
	 * payment's id and gives the new authorized total.
	 */
	incrementalAuthorize(merchantId: string, paymentId: string, body: unknown): ApiResult {
		const payment = this.find(merchantId, paymentId, 'payment');
		if (!payment) return this.notFound('payment', paymentId);
		const check = new FieldCheck(body);
		const additional = check.requiredString('orderInformation.amountDetails.additionalAmount', AMOUNT_PATTERN);
		const currency = check.requiredString('orderInformation.amountDetails.currency', CURRENCY_PATTERN);
		check.optionalString('clientReferenceInformation.code', CODE_PATTERN);
		readStoredCredential(check);
		const now = this.now();
		if (!check.ok || additional === undefined || currency === undefined) return invalidFields(check.problems, now);
		if (currency.toUpperCase() !== payment.currency) return invalidFields([{ field: 'orderInformation.amountDetails.currency', reason: 'INVALID_DATA' }], now);
		if (payment.authorizedMilli === 0) return rejected('MISSING_AUTH', 'Declined - There is no approved authorization to increase.', now);
		if (payment.reversed || payment.voided || payment.capturedMilli > 0) {
			return rejected('TRANSACTION_ALREADY_REVERSED_OR_SETTLED', 'Declined - The authorization has been captured or reversed and cannot be increased.', now);
		}
		if (toMilli(additional) === 0) return rejected('INVALID_AMOUNT', 'Declined - The additional amount must be greater than zero.', now);
		payment.authorizedMilli += toMilli(additional);
		payment.authorizedAmount = fromMilli(payment.authorizedMilli);
		return {
			status: 201,
			body: {
				...this.head(payment),
				status: 'AUTHORIZED',
				orderInformation: { amountDetails: { authorizedAmount: payment.authorizedAmount, currency: payment.currency } },
				processorInformation: { approvalCode: payment.approvalCode, responseCode: '00' },
				_links: { self: link(payment) },
			},
		};
	}

	/** Standalone credit (`POST /pts/v2/credits`): money to a card without a prior payment. */
	credit(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body);
		const order = readAmount(check, 'orderInformation.amountDetails', true);
		const card = this.paymentCard(check, merchantId);
		const code = check.optionalString('clientReferenceInformation.code', CODE_PATTERN);
		const transactionId = check.optionalString('clientReferenceInformation.transactionId', TRANSACTION_ID_PATTERN);
		if (!check.ok || !order || !card) return invalidFields(check.problems, this.now());
		if (this.usedTransactionId(merchantId, transactionId)) return duplicate(this.now());
		const credit = this.store(merchantId, 'credit', 'PENDING', code, order.currency, order.amount, undefined, { card: summarize(card), transactionId });
		return {
			status: 201,
			body: {
				...this.head(credit),
				creditAmountDetails: { creditAmount: credit.amount, currency: credit.currency },
				paymentInformation: { card: { type: credit.card?.type } },
				_links: { self: link(credit), void: link(credit, 'voids', 'POST') },
			},
		};
	}

	// ---- follow-ons ----------------------------------------------------------------------------

	capture(merchantId: string, paymentId: string, body: unknown): ApiResult {
		const payment = this.find(merchantId, paymentId, 'payment');
		if (!payment) return this.notFound('payment', paymentId);
		const check = new FieldCheck(body);
		const requested = readAmount(check, 'orderInformation.amountDetails', true);
		const code = check.optionalString('clientReferenceInformation.code', CODE_PATTERN);
		const transactionId = check.optionalString('clientReferenceInformation.transactionId', TRANSACTION_ID_PATTERN);
		const now = this.now();
		if (!check.ok || !requested) return invalidFields(check.problems, now);
		if (this.usedTransactionId(merchantId, transactionId)) return duplicate(now);
		if (requested.currency !== payment.currency) return invalidFields([{ field: 'orderInformation.amountDetails.currency', reason: 'INVALID_DATA' }], now);
		if (payment.status === 'DECLINED') return rejected('MISSING_AUTH', 'Declined - The authorization was declined: there is nothing to capture.', now);
		if (payment.status === 'AUTHORIZED_PENDING_REVIEW') return rejected('MISSING_AUTH', 'Declined - The authorization is pending review and cannot be captured until it is accepted.', now);
		if (payment.reversed) return rejected('AUTH_ALREADY_REVERSED', 'Declined - The authorization has already been reversed.', now);
		if (payment.voided) return rejected('TRANSACTION_ALREADY_REVERSED_OR_SETTLED', 'Declined - The payment has already been voided.', now);
		if (requested.milli === 0) return rejected('INVALID_AMOUNT', 'Declined - The capture amount must be greater than zero.', now);
		if (payment.capturedMilli + requested.milli > payment.authorizedMilli) {
			return rejected('EXCEEDS_AUTH_AMOUNT', 'Declined - The requested amount exceeds the originally authorized amount.', now);
		}
		payment.capturedMilli += requested.milli;
		const capture = this.store(merchantId, 'capture', 'PENDING', code, payment.currency, requested.amount, payment, { transactionId });
		return {
			status: 201,
			body: {
				...this.head(capture),
				orderInformation: { amountDetails: { totalAmount: capture.amount, currency: capture.currency } },
				_links: { self: link(capture), refund: link(capture, 'refunds', 'POST'), void: link(capture, 'voids', 'POST') },
			},
		};
	}

	/** `POST /pts/v2/payments/{id}/refunds` (`via` payment) or `/pts/v2/captures/{id}/refunds` (`via` capture). */
	refund(merchantId: string, via: 'payment' | 'capture', id: string, body: unknown): ApiResult {
		const target = this.find(merchantId, id, via);
		if (!target) return this.notFound(via, id);
		const payment = via === 'payment' ? target : this.byId.get(target.parentId ?? '');
		if (!payment) return this.notFound('payment', target.parentId ?? '');
		const check = new FieldCheck(body);
		const requested = readAmount(check, 'orderInformation.amountDetails', true);
		const code = check.optionalString('clientReferenceInformation.code', CODE_PATTERN);
		const transactionId = check.optionalString('clientReferenceInformation.transactionId', TRANSACTION_ID_PATTERN);
		const now = this.now();
		if (!check.ok || !requested) return invalidFields(check.problems, now);
		if (this.usedTransactionId(merchantId, transactionId)) return duplicate(now);
		if (requested.currency !== payment.currency) return invalidFields([{ field: 'orderInformation.amountDetails.currency', reason: 'INVALID_DATA' }], now);
		if (target.voided) return rejected('TRANSACTION_ALREADY_REVERSED_OR_SETTLED', `Declined - The ${via} has been voided: there is nothing to refund.`, now);
		if (requested.milli === 0) return rejected('INVALID_AMOUNT', 'Declined - The refund amount must be greater than zero.', now);
		const refundable = via === 'payment' ? payment.capturedMilli - payment.refundedMilli : target.milli - target.refundedMilli;
		if (requested.milli > refundable) {
			return rejected('EXCEEDS_AUTH_AMOUNT', `Declined - The refund amount exceeds the captured amount not yet refunded (${fromMilli(Math.max(refundable, 0))}).`, now);
		}
		payment.refundedMilli += requested.milli;
		if (via === 'capture') target.refundedMilli += requested.milli;
		const refund = this.store(merchantId, 'refund', 'PENDING', code, payment.currency, requested.amount, target, {
			captureId: via === 'capture' ? target.id : undefined,
			transactionId,
		});
		return {
			status: 201,
			body: {
				...this.head(refund),
				refundAmountDetails: { refundAmount: refund.amount, currency: refund.currency },
				orderInformation: { amountDetails: { currency: refund.currency } },
				_links: { self: link(refund), void: link(refund, 'voids', 'POST') },
			},
		};
	}

	reverse(merchantId: string, paymentId: string, body: unknown): ApiResult {
		const payment = this.find(merchantId, paymentId, 'payment');
		if (!payment) return this.notFound('payment', paymentId);
		const check = new FieldCheck(body);
		const requested = readAmount(check, 'reversalInformation.amountDetails', false);
		const code = check.optionalString('clientReferenceInformation.code', CODE_PATTERN);
		check.optionalString('reversalInformation.reason');
		const now = this.now();
		if (!check.ok || !requested) return invalidFields(check.problems, now);
		if (requested.currency !== undefined && requested.currency !== payment.currency) {
			return invalidFields([{ field: 'reversalInformation.amountDetails.currency', reason: 'INVALID_DATA' }], now);
		}
		if (payment.reversed) return rejected('AUTH_ALREADY_REVERSED', 'Declined - The authorization has already been reversed.', now);
		if (payment.authorizedMilli === 0) return rejected('MISSING_AUTH', 'Declined - There is no approved authorization to reverse.', now);
		if (payment.capturedMilli > 0 || payment.voided) {
			return rejected('TRANSACTION_ALREADY_REVERSED_OR_SETTLED', 'Declined - The authorization has been captured; refund or void the capture instead.', now);
		}
		if (requested.milli > payment.authorizedMilli) {
			return rejected('EXCEEDS_AUTH_AMOUNT', 'Declined - The reversal amount exceeds the authorized amount.', now);
		}
		payment.reversed = true;
		const reversal = this.store(merchantId, 'reversal', 'REVERSED', code, payment.currency, requested.amount, payment);
		return {
			status: 201,
			body: {
				...this.head(reversal),
				reversalAmountDetails: { reversedAmount: reversal.amount, currency: reversal.currency },
				processorInformation: { responseCode: '00' },
				_links: { self: link(reversal) },
			},
		};
	}

	/** `POST /pts/v2/{payments|captures|refunds|credits}/{id}/voids`. */
	voidTransaction(merchantId: string, segment: string, id: string, body: unknown): ApiResult {
		const kind = (Object.keys(SEGMENT) as Kind[]).find((candidate) => SEGMENT[candidate] === segment);
		const target = kind && this.find(merchantId, id, kind);
		if (!kind || !target) return this.notFound(kind ?? segment, id);
		const check = new FieldCheck(body ?? {});
		const code = check.optionalString('clientReferenceInformation.code', CODE_PATTERN);
		const now = this.now();
		if (!check.ok) return invalidFields(check.problems, now);
		if (target.voided) return rejected('NOT_VOIDABLE', `Declined - The ${kind} has already been voided.`, now);

		let amount = target.amount;
		if (kind === 'payment') {
			if (!target.isSale) return rejected('NOT_VOIDABLE', 'Declined - An authorization cannot be voided; reverse it (POST /pts/v2/payments/{id}/reversals).', now);
			if (target.refundedMilli > 0) return rejected('NOT_VOIDABLE', 'Declined - The sale has refunds; void the refunds first.', now);
			amount = target.authorizedAmount ?? target.amount;
			target.capturedMilli = 0;
		} else if (kind === 'capture') {
			if (target.refundedMilli > 0) return rejected('NOT_VOIDABLE', 'Declined - The capture has refunds; void the refunds first.', now);
			this.byId.get(target.parentId ?? '')!.capturedMilli -= target.milli;
		} else if (kind === 'refund') {
			const parent = this.byId.get(target.parentId ?? '')!;
			const payment = parent.kind === 'payment' ? parent : this.byId.get(parent.parentId ?? '')!;
			payment.refundedMilli -= target.milli;
			if (target.captureId) this.byId.get(target.captureId)!.refundedMilli -= target.milli;
		}
		target.voided = true;
		const voided = this.store(merchantId, 'void', 'VOIDED', code, target.currency, amount, target);
		return {
			status: 201,
			body: {
				...this.head(voided),
				voidAmountDetails: { voidAmount: voided.amount, currency: voided.currency },
				_links: { self: link(voided) },
			},
		};
	}

	// ---- by merchant transaction ID: POST /pts/v2/reversals and /pts/v2/voids -----------------

	/** Timeout reversal: the authorization sent with the ID, for its full authorized amount. */
	timeoutReversal(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body);
		const transactionId = check.requiredString('clientReferenceInformation.transactionId', TRANSACTION_ID_PATTERN);
		const requested = readAmount(check, 'reversalInformation.amountDetails', false);
		const currency = check.optionalString('orderInformation.amountDetails.currency', CURRENCY_PATTERN);
		check.optionalString('reversalInformation.reason');
		const now = this.now();
		if (!check.ok || !requested || transactionId === undefined) return invalidFields(check.problems, now);
		const payment = this.byTransactionId.get(codeKey(merchantId, transactionId));
		if (!payment || payment.kind !== 'payment') return notFound(`No authorization was sent with merchant transaction ID ${transactionId}`, now);
		if (payment.authorizedMilli > 0 && requested.milli !== payment.authorizedMilli) {
			return invalidFields([{ field: 'reversalInformation.amountDetails.totalAmount', reason: 'INVALID_DATA' }], now);
		}
		const given = requested.currency ?? currency;
		return this.reverse(merchantId, payment.id, {
			reversalInformation: { amountDetails: { totalAmount: requested.amount, ...(given ? { currency: given } : {}) } },
		});
	}

	/** Timeout void: the sale, capture, refund or credit sent with the ID; an authorization is reversed. */
	timeoutVoid(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body);
		const transactionId = check.requiredString('clientReferenceInformation.transactionId', TRANSACTION_ID_PATTERN);
		const now = this.now();
		if (!check.ok || transactionId === undefined) return invalidFields(check.problems, now);
		const target = this.byTransactionId.get(codeKey(merchantId, transactionId));
		if (!target) return notFound(`Nothing was sent with merchant transaction ID ${transactionId}`, now);
		if (target.kind === 'payment' && !target.isSale) {
			return this.reverse(merchantId, target.id, { reversalInformation: { amountDetails: { totalAmount: target.authorizedAmount ?? target.amount } } });
		}
		return this.voidTransaction(merchantId, SEGMENT[target.kind], target.id, {});
	}

	// ---- GET /tss/v2/transactions/{id} and POST /tss/v2/searches -------------------------------

	transaction(merchantId: string, id: string): ApiResult {
		const transaction = this.find(merchantId, id);
		if (!transaction) return this.notFound('transaction', id);
		return { status: 200, body: this.details(transaction) };
	}

	/**
	 * Transaction search. Query language: terms joined by `AND`; supported fields
	 * `clientReferenceInformation.code`, `id`, `rootId`, `reconciliationId` and
	 * `applicationInformation.applications.rFlag` (SOK for success, else the decline's flag);
	 * `submitTimeUtc:[from TO to}` ranges of ISO times (without a zone: UTC; the search's `timezone`
	 * is not applied) with `[`/`]` inclusive and `{`/`}` exclusive bounds, `*` open, `NOW...`
	 * accepted and not applied. Sort: `submitTimeUtc` or `id`, `asc|desc`.
	 */
	search(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body);
		check.onlyKeys('', ['save', 'name', 'timezone', 'query', 'offset', 'limit', 'sort']);
		const query = check.requiredString('query');
		const name = check.optionalString('name');
		const timezone = check.optionalString('timezone');
		const save = check.optionalBoolean('save') ?? false;
		const sort = check.optionalString('sort', /^(submitTimeUtc|id):(asc|desc)$/) ?? 'submitTimeUtc:desc';
		const offset = integer(check, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
		const limit = integer(check, 'limit', 1, MAX_SEARCH_LIMIT, 20);
		const now = this.now();
		const parsed = query === undefined ? undefined : parseQuery(query);
		if (query !== undefined && !parsed) check.invalid('query');
		if (!check.ok || !parsed) return invalidFields(check.problems, now);
		const filters = parsed.equals;

		let candidates: Transaction[];
		const id = filters.get('id');
		const code = filters.get('clientReferenceInformation.code');
		if (id !== undefined) {
			const found = this.find(merchantId, id);
			candidates = found ? [found] : [];
		} else if (code !== undefined) candidates = this.byCode.get(codeKey(merchantId, code)) ?? [];
		else candidates = this.byMerchant.get(merchantId) ?? [];
		const rootId = filters.get('rootId');
		const reconciliationId = filters.get('reconciliationId');
		const rFlag = filters.get('applicationInformation.applications.rFlag');
		const inRange = (transaction: Transaction) => {
			const at = Date.parse(transaction.submitTimeUtc);
			const { from, to } = parsed;
			return (from === undefined || at > from.ms || (from.inclusive && at === from.ms)) && (to === undefined || at < to.ms || (to.inclusive && at === to.ms));
		};
		let matches = candidates.filter(
			(transaction) =>
				(code === undefined || transaction.code === code) &&
				(rootId === undefined || transaction.rootId === rootId) &&
				(reconciliationId === undefined || transaction.reconciliationId === reconciliationId) &&
				(rFlag === undefined || (transaction.decline ? transaction.decline.rFlag : 'SOK') === rFlag) &&
				inRange(transaction),
		);
		if (sort.endsWith(':desc')) matches = matches.reverse();
		const page = matches.slice(offset, offset + limit);
		const searchId = randomUUID();
		return {
			status: 201,
			body: {
				searchId,
				id: searchId,
				save,
				name,
				timezone,
				query,
				offset,
				limit,
				sort,
				count: page.length,
				totalCount: matches.length,
				submitTimeUtc: submitTimeUtc(now),
				_embedded: { transactionSummaries: page.map((transaction) => this.summary(transaction)) },
				_links: { self: { href: `/tss/v2/searches/${searchId}`, method: 'GET' } },
			},
		};
	}

	// ---- storage and response building ----------------------------------------------------------

	private find(merchantId: string, id: string, kind?: Kind): Transaction | undefined {
		const transaction = this.byId.get(id);
		if (!transaction || transaction.merchantId !== merchantId || (kind && transaction.kind !== kind)) return undefined;
		return transaction;
	}

	private usedTransactionId(merchantId: string, transactionId: string | undefined): boolean {
		return transactionId !== undefined && this.byTransactionId.has(codeKey(merchantId, transactionId));
	}

	private notFound(what: string, id: string): ApiResult {
		return notFound(`The requested ${what} ${id} does not exist`, this.now());
	}

	private store(
		merchantId: string,
		kind: Kind,
		status: string,
		code: string | undefined,
		currency: string,
		amount: string,
		parent: Transaction | undefined,
		extra: Partial<Transaction> = {},
	): Transaction {
		const now = this.now();
		const seq = ++this.seq;
		// 22 digits like Cybersource's ids: milliseconds (13) + sequence (9).
		const id = `${now}${String(seq % 1e9).padStart(9, '0')}`;
		const transaction: Transaction = {
			id,
			kind,
			merchantId,
			seq,
			submitTimeUtc: submitTimeUtc(now),
			status,
			code,
			currency: currency.toUpperCase(),
			amount,
			milli: toMilli(amount),
			authorizedMilli: 0,
			capturedMilli: 0,
			refundedMilli: 0,
			reversed: false,
			voided: false,
			isSale: false,
			parentId: parent?.id,
			captureId: undefined,
			rootId: parent?.rootId ?? id,
			children: [],
			card: parent?.card,
			reconciliationId: String(seq).padStart(16, '0'),
			approvalCode: undefined,
			decline: undefined,
			transactionId: undefined,
			...extra,
		};
		this.byId.set(id, transaction);
		if (transaction.transactionId !== undefined) this.byTransactionId.set(codeKey(merchantId, transaction.transactionId), transaction);
		parent?.children.push(id);
		let list = this.byMerchant.get(merchantId);
		if (!list) this.byMerchant.set(merchantId, (list = []));
		list.push(transaction);
		if (code !== undefined) {
			const key = codeKey(merchantId, code);
			let sameCode = this.byCode.get(key);
			if (!sameCode) this.byCode.set(key, (sameCode = []));
			sameCode.push(transaction);
		}
		return transaction;
	}

	private head(transaction: Transaction): Record<string, unknown> {
		const head: Record<string, unknown> = {
			id: transaction.id,
			submitTimeUtc: transaction.submitTimeUtc,
			status: transaction.status,
			reconciliationId: transaction.reconciliationId,
		};
		if (transaction.code !== undefined || transaction.transactionId !== undefined) {
			head.clientReferenceInformation = { code: transaction.code, transactionId: transaction.transactionId };
		}
		return head;
	}

	private paymentResponse(payment: Transaction): Record<string, unknown> {
		const type = payment.card?.type;
		const body: Record<string, unknown> = {
			...this.head(payment),
			paymentAccountInformation: { card: { type } },
			paymentInformation: { card: { type, suffix: payment.card?.suffix }, tokenizedCard: { type } },
		};
		if (payment.decline) {
			body.errorInformation = { reason: payment.decline.reason, message: payment.decline.message };
			body.processorInformation = { responseCode: payment.decline.responseCode };
			body._links = { self: link(payment) };
			return body;
		}
		if (payment.status === 'AUTHORIZED_PENDING_REVIEW') {
			body.errorInformation = { reason: 'DECISION_PROFILE_REVIEW', message: 'Decision is REVIEW.' };
		}
		body.orderInformation = {
			amountDetails: {
				...(payment.status === 'PARTIAL_AUTHORIZED' ? { totalAmount: payment.amount } : {}),
				authorizedAmount: payment.authorizedAmount ?? payment.amount,
				currency: payment.currency,
			},
		};
		body.processorInformation = {
			approvalCode: payment.approvalCode,
			responseCode: '00',
			transactionId: payment.reconciliationId,
			networkTransactionId: payment.reconciliationId,
		};
		body._links = payment.isSale
			? { self: link(payment), refund: link(payment, 'refunds', 'POST'), void: link(payment, 'voids', 'POST') }
			: { self: link(payment), capture: link(payment, 'captures', 'POST'), authReversal: link(payment, 'reversals', 'POST') };
		return body;
	}

	private applications(transaction: Transaction): Array<Record<string, unknown>> {
		const ok = !transaction.decline;
		const application = (name: string) => ({
			name,
			reasonCode: ok ? (transaction.status === 'AUTHORIZED_PENDING_REVIEW' ? '480' : '100') : transaction.decline!.reasonCode,
			rCode: ok ? '1' : '0',
			rFlag: ok ? 'SOK' : transaction.decline!.rFlag,
			reconciliationId: transaction.reconciliationId,
			rMessage: ok ? 'Request was processed successfully.' : transaction.decline!.message,
		});
		const list = [application(APPLICATION[transaction.kind])];
		if (transaction.isSale) list.push(application('ics_bill'));
		return list;
	}

	private details(transaction: Transaction): Record<string, unknown> {
		const [first] = this.applications(transaction);
		return {
			id: transaction.id,
			rootId: transaction.rootId,
			reconciliationId: transaction.reconciliationId,
			merchantId: transaction.merchantId,
			submitTimeUtc: transaction.submitTimeUtc,
			applicationInformation: {
				status: transaction.status,
				reasonCode: first.reasonCode,
				rCode: first.rCode,
				rFlag: first.rFlag,
				applications: this.applications(transaction),
			},
			clientReferenceInformation: transaction.code === undefined ? undefined : { code: transaction.code },
			orderInformation: {
				amountDetails: {
					totalAmount: transaction.amount,
					currency: transaction.currency,
					...(transaction.kind === 'payment' && transaction.authorizedAmount ? { authorizedAmount: transaction.authorizedAmount } : {}),
				},
			},
			paymentInformation: transaction.card ? { card: { ...transaction.card } } : undefined,
			processorInformation: {
				approvalCode: transaction.approvalCode,
				responseCode: transaction.decline ? transaction.decline.responseCode : '00',
			},
			_links: {
				self: { href: `/tss/v2/transactions/${transaction.id}`, method: 'GET' },
				relatedTransactions: [transaction.parentId, ...transaction.children]
					.filter((id): id is string => id !== undefined)
					.map((id) => ({ href: `/tss/v2/transactions/${id}`, method: 'GET' })),
			},
		};
	}

	private summary(transaction: Transaction): Record<string, unknown> {
		return {
			id: transaction.id,
			submitTimeUtc: transaction.submitTimeUtc,
			merchantId: transaction.merchantId,
			applicationInformation: { status: transaction.status, applications: this.applications(transaction) },
			clientReferenceInformation: transaction.code === undefined ? undefined : { code: transaction.code },
			orderInformation: { amountDetails: { totalAmount: transaction.amount, currency: transaction.currency } },
			paymentInformation: transaction.card ? { card: { suffix: transaction.card.suffix, type: transaction.card.type } } : undefined,
			_links: { transactionDetail: { href: `/tss/v2/transactions/${transaction.id}`, method: 'GET' } },
		};
	}
}

// ---- field readers ---------------------------------------------------------------------------

interface Amount {
	amount: string;
	milli: number;
	currency: string;
}

function readAmount(check: FieldCheck, path: string, currencyRequired: true): Amount | undefined;
function readAmount(check: FieldCheck, path: string, currencyRequired: false): (Omit<Amount, 'currency'> & { currency?: string }) | undefined;
function readAmount(check: FieldCheck, path: string, currencyRequired: boolean): (Omit<Amount, 'currency'> & { currency?: string }) | undefined {
	const amount = check.requiredString(`${path}.totalAmount`, AMOUNT_PATTERN);
	const currency = currencyRequired
		? check.requiredString(`${path}.currency`, CURRENCY_PATTERN)
		: check.optionalString(`${path}.currency`, CURRENCY_PATTERN);
	if (amount === undefined || (currencyRequired && currency === undefined)) return undefined;
	return { amount, milli: toMilli(amount), currency: currency?.toUpperCase() };
}

const TOKEN_TYPES = ['customer', 'paymentInstrument', 'instrumentIdentifier', 'shippingAddress'];

/** `actionList` with TOKEN_CREATE: the `actionTokenTypes` to create (required then), else undefined. */
function readTokenCreate(check: FieldCheck): string[] | undefined {
	const actions = check.value('processingInformation.actionList');
	if (actions === undefined) return undefined;
	if (!Array.isArray(actions) || actions.some((action) => typeof action !== 'string')) {
		check.invalid('processingInformation.actionList');
		return undefined;
	}
	if (!actions.includes('TOKEN_CREATE')) return undefined;
	const types = check.value('processingInformation.actionTokenTypes');
	if (types === undefined) check.missing('processingInformation.actionTokenTypes');
	else if (!Array.isArray(types) || types.length === 0 || types.some((type) => !TOKEN_TYPES.includes(type as string))) check.invalid('processingInformation.actionTokenTypes');
	return Array.isArray(types) ? (types as string[]) : undefined;
}

/** The stored-credential fields of repeat charges (research §1.1 MIT samples): their types and values. */
function readStoredCredential(check: FieldCheck): void {
	const base = 'processingInformation.authorizationOptions.initiator';
	check.optionalString('processingInformation.commerceIndicator', /^[a-z_]{1,20}$/);
	check.optionalString(`${base}.type`, /^(customer|merchant)$/);
	check.optionalBoolean(`${base}.credentialStoredOnFile`);
	check.optionalBoolean(`${base}.storedCredentialUsed`);
	check.optionalString(`${base}.merchantInitiatedTransaction.previousTransactionId`, /^[A-Za-z0-9]{1,32}$/);
	check.optionalString(`${base}.merchantInitiatedTransaction.reason`, /^\d{1,2}$/);
}

function integer(check: FieldCheck, path: string, min: number, max: number, fallback: number): number {
	const value = check.value(path);
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		check.invalid(path);
		return fallback;
	}
	return value;
}

/** `a:b AND c:"d e"` -> Map; undefined when a term is not understood (OR, unknown field, syntax). */
interface SearchQuery {
	/** field -> value: id, rootId, clientReferenceInformation.code, reconciliationId, applicationInformation.applications.rFlag. */
	equals: Map<string, string>;
	/** submitTimeUtc range in epoch ms (undefined: open); `NOW...` bounds are accepted and not applied. */
	from?: { ms: number; inclusive: boolean };
	to?: { ms: number; inclusive: boolean };
}

const SEARCH_FIELDS = new Set(['id', 'rootId', 'clientReferenceInformation.code', 'reconciliationId', 'applicationInformation.applications.rFlag']);

/** `a:b AND c:"d e" AND submitTimeUtc:[x TO y}`; undefined when a term is not understood (OR, unknown field, syntax). */
function parseQuery(query: string): SearchQuery | undefined {
	const parsed: SearchQuery = { equals: new Map<string, string>() };
	for (const term of query.trim().split(/\s+AND\s+/)) {
		const match = /^([A-Za-z][A-Za-z0-9_.]*):(.+)$/.exec(term.trim());
		if (!match) return undefined;
		const [, field, raw] = match;
		if (field === 'submitTimeUtc') {
			const range = /^([[{])(\S+) TO (\S+)([\]}])$/.exec(raw);
			if (!range) return undefined;
			const bound = (text: string, inclusive: boolean) => {
				if (text === '*' || text.startsWith('NOW')) return undefined;
				const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`);
				return Number.isNaN(ms) ? null : { ms, inclusive };
			};
			const from = bound(range[2], range[1] === '[');
			const to = bound(range[3], range[4] === ']');
			if (from === null || to === null) return undefined;
			parsed.from = from;
			parsed.to = to;
			continue;
		}
		if (!SEARCH_FIELDS.has(field)) return undefined;
		// A value is one word or a quoted phrase; anything else (OR, NOT, ranges) is not supported.
		if (!/^("[^"]*"|\S+)$/.test(raw)) return undefined;
		parsed.equals.set(field, raw.startsWith('"') ? raw.slice(1, -1) : raw);
	}
	return parsed;
}

// ---- money and cards -------------------------------------------------------------------------

/** Decimal string -> integer thousandths (12 integer digits keep this below 2^53). */
function toMilli(amount: string): number {
	const [whole, fraction = ''] = amount.split('.');
	return Number(whole) * 1000 + Number(fraction.padEnd(3, '0'));
}

function fromMilli(milli: number): string {
	const whole = Math.floor(milli / 1000);
	const fraction = String(milli % 1000).padStart(3, '0');
	return `${whole}.${fraction.slice(0, 2)}${fraction[2] === '0' ? '' : fraction[2]}`;
}

function link(transaction: Transaction, action?: string, method = 'GET'): { href: string; method: string } {
	const href = `/pts/v2/${SEGMENT[transaction.kind]}/${transaction.id}`;
	return { href: action ? `${href}/${action}` : href, method };
}

/** Cybersource's answer to a merchant transaction ID used before (documented for Visa Platform Connect). */
function duplicate(nowMs: number): ApiResult {
	return rejected('DUPLICATE_REQUEST', 'Declined - The transaction identifier sent with this request has already been used.', nowMs);
}

function codeKey(merchantId: string, code: string): string {
	return `${merchantId}\u0000${code}`;
}
