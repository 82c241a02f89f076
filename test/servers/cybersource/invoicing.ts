import { FieldCheck, submitTimeUtc, type ApiResult, type FieldProblem } from './http';

/**
 * Invoicing (`/invoicing/v2/invoices`) and Pay by Link (`/ipl/v2/payment-links`) of the sandbox,
 * from research §1.7 and Cybersource's SDK models (InvoicesApi, PaymentLinksApi):
 *
 *  - invoices: create (`sendImmediately` -> SENT, else DRAFT), get, list (`offset` and `limit`
 *    required, optional `status`: `{totalInvoices, invoices}`), update (PUT; not once PAID or
 *    CANCELED), send (`POST …/{id}/delivery`: DRAFT or CREATED -> SENT), publish
 *    (`…/publication`: DRAFT -> CREATED), cancel (`…/cancelation`: not once PAID). `paymentLink`
 *    is given when the invoice is CREATED, SENT, PARTIAL or PAID, on a `.invalid` host.
 *  - payment links: create (`processingInformation.linkType` PURCHASE or DONATION,
 *    `purchaseInformation.purchaseNumber`, `orderInformation.amountDetails.currency`,
 *    `orderInformation.lineItems` each with productName, quantity and unitPrice; PURCHASE needs
 *    `totalAmount`), get, list (`{totalLinks, links}`), update (PATCH: status ACTIVE or INACTIVE,
 *    amounts, line items).
 *  - Test control: `payInvoice` (a customer paid: PAID, or PARTIAL for less than the total).
 * Errors: `{submitTimeUtc, status: "INVALID_REQUEST"|"NOT_FOUND", reason, message, details}`.
 */

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

interface Invoice {
	id: string;
	merchantId: string;
	status: 'DRAFT' | 'CREATED' | 'SENT' | 'PARTIAL' | 'PAID' | 'CANCELED';
	createdDate: string;
	customerInformation: Record<string, unknown>;
	invoiceInformation: Record<string, unknown>;
	orderInformation: Record<string, unknown>;
	paidMilli: number;
}

interface PaymentLink {
	id: string;
	merchantId: string;
	status: 'ACTIVE' | 'INACTIVE';
	createdDate: string;
	processingInformation: Record<string, unknown>;
	purchaseInformation: Record<string, unknown>;
	orderInformation: Record<string, unknown>;
}

export class InvoicingService {
	private readonly invoices = new Map<string, Invoice>();
	private readonly links = new Map<string, PaymentLink>();
	private seq = 0;

	constructor(private readonly now: () => number) {}

	reset(): void {
		this.invoices.clear();
		this.links.clear();
	}

	// ---- invoices -------------------------------------------------------------------------------

	createInvoice(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['customerInformation', 'invoiceInformation', 'orderInformation', 'processingInformation', 'merchantDefinedFieldValues']);
		const fields = this.invoiceFields(check, body);
		if (!check.ok || fields === undefined) return this.invalid(check.problems);
		const sendNow = check.optionalBoolean('invoiceInformation.sendImmediately') ?? false;
		const id = String(100000 + ++this.seq);
		const invoice: Invoice = {
			id,
			merchantId,
			status: sendNow ? 'SENT' : 'DRAFT',
			createdDate: submitTimeUtc(this.now()),
			customerInformation: fields.customerInformation,
			invoiceInformation: { invoiceNumber: `INV-${id}`, ...fields.invoiceInformation },
			orderInformation: fields.orderInformation,
			paidMilli: 0,
		};
		this.invoices.set(id, invoice);
		return { status: 201, body: this.invoiceBody(invoice) };
	}

	getInvoice(merchantId: string, id: string): ApiResult {
		const invoice = this.ownInvoice(merchantId, id);
		return invoice ? { status: 200, body: this.invoiceBody(invoice) } : this.notFound('invoice', id);
	}

	listInvoices(merchantId: string, query: string): ApiResult {
		const page = this.page(query);
		if ('result' in page) return page.result;
		const status = new URLSearchParams(query).get('status');
		const all = [...this.invoices.values()].filter((invoice) => invoice.merchantId === merchantId && (!status || invoice.status === status));
		return {
			status: 200,
			body: {
				_links: { self: { href: `/invoicing/v2/invoices?offset=${page.offset}&limit=${page.limit}`, method: 'GET' } },
				submitTimeUtc: submitTimeUtc(this.now()),
				totalInvoices: all.length,
				invoices: all.slice(page.offset, page.offset + page.limit).map((invoice) => {
					const { _links, ...rest } = this.invoiceBody(invoice);
					return { ...rest, createdDate: invoice.createdDate };
				}),
			},
		};
	}

	updateInvoice(merchantId: string, id: string, body: unknown): ApiResult {
		const invoice = this.ownInvoice(merchantId, id);
		if (!invoice) return this.notFound('invoice', id);
		if (invoice.status === 'PAID' || invoice.status === 'CANCELED') return this.rejected(`The invoice is ${invoice.status} and cannot be changed`);
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['customerInformation', 'invoiceInformation', 'orderInformation', 'processingInformation', 'merchantDefinedFieldValues']);
		const fields = this.invoiceFields(check, body);
		if (!check.ok || fields === undefined) return this.invalid(check.problems);
		invoice.customerInformation = fields.customerInformation;
		invoice.invoiceInformation = { invoiceNumber: invoice.invoiceInformation.invoiceNumber, ...fields.invoiceInformation };
		invoice.orderInformation = fields.orderInformation;
		return { status: 200, body: this.invoiceBody(invoice) };
	}

	sendInvoice(merchantId: string, id: string): ApiResult {
		const invoice = this.ownInvoice(merchantId, id);
		if (!invoice) return this.notFound('invoice', id);
		if (invoice.status === 'PAID' || invoice.status === 'CANCELED') return this.rejected(`The invoice is ${invoice.status} and cannot be sent`);
		if (typeof invoice.customerInformation.email !== 'string') return this.invalid([{ field: 'customerInformation.email', reason: 'MISSING_FIELD' }]);
		if (invoice.status === 'DRAFT' || invoice.status === 'CREATED') invoice.status = 'SENT';
		return { status: 200, body: this.invoiceBody(invoice) };
	}

	publishInvoice(merchantId: string, id: string): ApiResult {
		const invoice = this.ownInvoice(merchantId, id);
		if (!invoice) return this.notFound('invoice', id);
		if (invoice.status !== 'DRAFT') return this.rejected(`Only a DRAFT invoice can be published; this one is ${invoice.status}`);
		invoice.status = 'CREATED';
		return { status: 200, body: this.invoiceBody(invoice) };
	}

	cancelInvoice(merchantId: string, id: string): ApiResult {
		const invoice = this.ownInvoice(merchantId, id);
		if (!invoice) return this.notFound('invoice', id);
		if (invoice.status === 'PAID') return this.rejected('A paid invoice cannot be canceled');
		invoice.status = 'CANCELED';
		return { status: 200, body: this.invoiceBody(invoice) };
	}

	/** A customer paid (part of) the invoice: PARTIAL or PAID. */
	payInvoice(merchantId: string, id: string, amount?: string): Invoice | undefined {
		const invoice = this.ownInvoice(merchantId, id);
		if (!invoice) return undefined;
		const total = milli(String((invoice.orderInformation.amountDetails as Record<string, unknown>).totalAmount));
		invoice.paidMilli += amount === undefined ? total - invoice.paidMilli : milli(amount);
		invoice.status = invoice.paidMilli >= total ? 'PAID' : 'PARTIAL';
		return invoice;
	}

	// ---- payment links ------------------------------------------------------------------------

	createLink(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['processingInformation', 'purchaseInformation', 'orderInformation', 'clientReferenceInformation']);
		const type = check.requiredString('processingInformation.linkType', /^(PURCHASE|DONATION)$/);
		check.requiredString('purchaseInformation.purchaseNumber', /^[\s\S]{1,60}$/);
		this.linkAmounts(check, type === 'PURCHASE');
		if (!check.ok) return this.invalid(check.problems);
		const fields = body as Record<string, Record<string, unknown>>;
		const id = `PL${String(++this.seq).padStart(10, '0')}`;
		const link: PaymentLink = {
			id,
			merchantId,
			status: 'ACTIVE',
			createdDate: submitTimeUtc(this.now()),
			processingInformation: fields.processingInformation,
			purchaseInformation: fields.purchaseInformation,
			orderInformation: fields.orderInformation,
		};
		this.links.set(id, link);
		return { status: 201, body: this.linkBody(link) };
	}

	getLink(merchantId: string, id: string): ApiResult {
		const link = this.ownLink(merchantId, id);
		return link ? { status: 200, body: this.linkBody(link) } : this.notFound('payment link', id);
	}

	listLinks(merchantId: string, query: string): ApiResult {
		const page = this.page(query);
		if ('result' in page) return page.result;
		const status = new URLSearchParams(query).get('status');
		const all = [...this.links.values()].filter((link) => link.merchantId === merchantId && (!status || link.status === status));
		return {
			status: 200,
			body: {
				_links: { self: { href: `/ipl/v2/payment-links?offset=${page.offset}&limit=${page.limit}`, method: 'GET' } },
				submitTimeUtc: submitTimeUtc(this.now()),
				totalLinks: all.length,
				links: all.slice(page.offset, page.offset + page.limit).map((link) => this.linkBody(link)),
			},
		};
	}

	updateLink(merchantId: string, id: string, body: unknown): ApiResult {
		const link = this.ownLink(merchantId, id);
		if (!link) return this.notFound('payment link', id);
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['processingInformation', 'purchaseInformation', 'orderInformation', 'status']);
		const status = check.optionalString('status', /^(ACTIVE|INACTIVE)$/);
		if (check.value('orderInformation') !== undefined) this.linkAmounts(check, link.processingInformation.linkType === 'PURCHASE');
		if (!check.ok) return this.invalid(check.problems);
		const fields = body as Record<string, Record<string, unknown>>;
		if (status !== undefined) link.status = status as PaymentLink['status'];
		if (fields.orderInformation !== undefined) link.orderInformation = fields.orderInformation;
		if (fields.purchaseInformation !== undefined) link.purchaseInformation = { ...link.purchaseInformation, ...fields.purchaseInformation };
		if (fields.processingInformation !== undefined) link.processingInformation = { ...link.processingInformation, ...fields.processingInformation };
		return { status: 200, body: this.linkBody(link) };
	}

	// ---- helpers ------------------------------------------------------------------------------

	private invoiceFields(check: FieldCheck, body: unknown): { customerInformation: Record<string, unknown>; invoiceInformation: Record<string, unknown>; orderInformation: Record<string, unknown> } | undefined {
		check.optionalString('customerInformation.email', EMAIL);
		check.optionalString('customerInformation.name', /^[\s\S]{1,100}$/);
		check.requiredString('invoiceInformation.dueDate', DATE);
		check.optionalString('invoiceInformation.description', /^[\s\S]{0,2000}$/);
		check.optionalString('invoiceInformation.deliveryMode', /^(email|none)$/);
		check.optionalBoolean('invoiceInformation.allowPartialPayments');
		check.requiredString('orderInformation.amountDetails.totalAmount', AMOUNT);
		check.requiredString('orderInformation.amountDetails.currency', CURRENCY);
		const root = (body ?? {}) as Record<string, Record<string, unknown> | undefined>;
		if (!check.ok) return undefined;
		const { sendImmediately: _send, ...invoiceInformation } = root.invoiceInformation ?? {};
		return { customerInformation: root.customerInformation ?? {}, invoiceInformation, orderInformation: root.orderInformation ?? {} };
	}

	private linkAmounts(check: FieldCheck, purchase: boolean): void {
		if (purchase) check.requiredString('orderInformation.amountDetails.totalAmount', AMOUNT);
		else check.optionalString('orderInformation.amountDetails.totalAmount', AMOUNT);
		check.requiredString('orderInformation.amountDetails.currency', CURRENCY);
		const items = check.value('orderInformation.lineItems');
		if (!Array.isArray(items) || items.length === 0) {
			check.missing('orderInformation.lineItems');
			return;
		}
		items.forEach((_, index) => {
			check.requiredString(`orderInformation.lineItems.${index}.productName`);
			check.requiredString(`orderInformation.lineItems.${index}.unitPrice`, AMOUNT);
			const quantity = check.value(`orderInformation.lineItems.${index}.quantity`);
			if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) check.invalid(`orderInformation.lineItems.${index}.quantity`);
		});
	}

	private page(query: string): { offset: number; limit: number } | { result: ApiResult } {
		const params = new URLSearchParams(query);
		const problems: FieldProblem[] = [];
		const read = (name: string, max: number) => {
			const text = params.get(name);
			if (text === null || text === '') {
				problems.push({ field: name, reason: 'MISSING_FIELD' });
				return 0;
			}
			const value = Number(text);
			if (!Number.isInteger(value) || value < (name === 'limit' ? 1 : 0) || value > max) problems.push({ field: name, reason: 'INVALID_DATA' });
			return value;
		};
		const offset = read('offset', Number.MAX_SAFE_INTEGER);
		const limit = read('limit', 1000);
		return problems.length > 0 ? { result: this.invalid(problems) } : { offset, limit };
	}

	private invoiceBody(invoice: Invoice): Record<string, unknown> {
		const linked = invoice.status === 'CREATED' || invoice.status === 'SENT' || invoice.status === 'PARTIAL' || invoice.status === 'PAID';
		return {
			_links: { self: { href: `/invoicing/v2/invoices/${invoice.id}`, method: 'GET' } },
			id: invoice.id,
			submitTimeUtc: submitTimeUtc(this.now()),
			status: invoice.status,
			customerInformation: invoice.customerInformation,
			invoiceInformation: { ...invoice.invoiceInformation, ...(linked ? { paymentLink: `https://pay.sandbox.invalid/invoices/${invoice.id}` } : {}) },
			orderInformation: invoice.orderInformation,
		};
	}

	private linkBody(link: PaymentLink): Record<string, unknown> {
		return {
			_links: { self: { href: `/ipl/v2/payment-links/${link.id}`, method: 'GET' } },
			id: link.id,
			status: link.status,
			processingInformation: link.processingInformation,
			purchaseInformation: { ...link.purchaseInformation, createdDate: link.createdDate, paymentLink: `https://pay.sandbox.invalid/links/${link.id}` },
			orderInformation: link.orderInformation,
		};
	}

	private ownInvoice(merchantId: string, id: string): Invoice | undefined {
		const invoice = this.invoices.get(id);
		return invoice?.merchantId === merchantId ? invoice : undefined;
	}

	private ownLink(merchantId: string, id: string): PaymentLink | undefined {
		const link = this.links.get(id);
		return link?.merchantId === merchantId ? link : undefined;
	}

	private invalid(details: FieldProblem[]): ApiResult {
		const missing = details.some((detail) => detail.reason === 'MISSING_FIELD');
		return { status: 400, body: { submitTimeUtc: submitTimeUtc(this.now()), status: 'INVALID_REQUEST', reason: missing ? 'MISSING_FIELD' : 'INVALID_DATA', message: 'Declined - One or more fields in the request contains invalid data', details } };
	}

	private rejected(message: string): ApiResult {
		return { status: 400, body: { submitTimeUtc: submitTimeUtc(this.now()), status: 'INVALID_REQUEST', reason: 'INVALID_REQUEST', message } };
	}

	private notFound(what: string, id: string): ApiResult {
		return { status: 404, body: { submitTimeUtc: submitTimeUtc(this.now()), status: 'NOT_FOUND', reason: 'NOT_FOUND', message: `The requested ${what} ${id} does not exist` } };
	}
}

function milli(amount: string): number {
	return Math.round(Number(amount) * 1000);
}
