import { randomUUID } from 'node:crypto';

import { FieldCheck, submitTimeUtc, type ApiResult, type FieldProblem } from './http';
import type { PaymentsService, ReportRow } from './payments';

/**
 * Reporting (`/reporting/v3/...`) of the sandbox, as research §1.4 and Cybersource's SDK docs
 * (ReportsApi, ReportDownloadsApi, ReportSubscriptionsApi, PaymentBatchSummariesApi,
 * PurchaseAndRefundDetailsApi, Chargeback*Api) describe it. Reports are made from the sandbox's
 * own transactions.
 *
 *  - `POST /reporting/v3/reports`: an on-demand report (201, no body). It is QUEUED, then
 *    COMPLETED `reportDelayMs` later (a test control; default 0: at once).
 *  - `GET /reporting/v3/reports?startTime&endTime&timeQueryType=reportTimeFrame|executedTime[&reportName…]`:
 *    `{reportSearchResults: […]}`; none found -> 404 "Report not found or there are no available
 *    transactions" (as Cybersource documents it); a missing required parameter -> 400.
 *  - `GET /reporting/v3/reports/{id}`; `GET /reporting/v3/report-downloads?reportDate&reportName`:
 *    the file, CSV for `Accept: text/csv`, else XML. An on-demand report is found by its name
 *    and the date its time frame ends; a subscribed report (daily) by its name, for the day
 *    before `reportDate` ("a report from midnight to midnight on 2020-03-09 has reportDate
 *    2020-03-10"); otherwise 404.
 *  - `GET|PUT /reporting/v3/report-subscriptions`, `GET|DELETE …/{reportName}`.
 *  - `GET /reporting/v3/payment-batch-summaries?startTime&endTime`: sales and credits per currency.
 *  - `GET /reporting/v3/purchase-refund-details?startTime&endTime[&offset&limit]` (limit 1-2000,
 *    default 2000): `requestDetails`, `settlements`, `authorizations` of one page.
 *  - `GET /reporting/v3/chargeback-details|chargeback-summaries?startTime&endTime`: the chargebacks
 *    a test filed (`fileChargeback`).
 * Errors: `{submitTimeUtc, reason, message, details: [{field, reason}]}` (Reporting's 400 shape).
 */

export const REPORT_DEFINITIONS = [
	'TransactionRequestClass',
	'PaymentBatchDetailClass',
	'ExceptionDetailClass',
	'ProcessorSettlementDetailClass',
	'ProcessorEventsDetailClass',
	'FundingDetailClass',
	'AgingDetailClass',
	'ChargebackAndRetrievalDetailClass',
	'DepositDetailClass',
	'FeeDetailClass',
];

const MIME_TYPES = ['application/xml', 'text/csv'];
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const MAX_DETAILS_LIMIT = 2000;

interface Report {
	reportId: string;
	merchantId: string;
	reportName: string;
	reportDefinitionName: string;
	reportMimeType: string;
	reportFields: string[];
	timezone: string;
	startMs: number;
	endMs: number;
	queuedMs: number;
}

interface Subscription {
	merchantId: string;
	reportName: string;
	reportDefinitionName: string;
	reportMimeType: string;
	reportFrequency: string;
	reportFields: string[];
	timezone: string;
	startTime: string;
}

interface Chargeback {
	merchantId: string;
	requestId: string;
	amount: string;
	currency: string;
	reasonCode: string;
	filedMs: number;
}

function problem(status: number, reason: string, message: string, details: FieldProblem[] = [], nowMs: number): ApiResult {
	return { status, body: { submitTimeUtc: submitTimeUtc(nowMs), reason, message, ...(details.length > 0 ? { details } : {}) } };
}

export class ReportingService {
	private readonly reports = new Map<string, Report>();
	private readonly subscriptions = new Map<string, Subscription>();
	private chargebacks: Chargeback[] = [];
	reportDelayMs = 0;

	constructor(
		private readonly now: () => number,
		private readonly payments: PaymentsService,
	) {}

	reset(): void {
		this.reports.clear();
		this.subscriptions.clear();
		this.chargebacks = [];
		this.reportDelayMs = 0;
	}

	fileChargeback(merchantId: string, requestId: string, amount: string, currency: string, reasonCode: string): void {
		this.chargebacks.push({ merchantId, requestId, amount, currency, reasonCode, filedMs: this.now() });
	}

	// ---- on-demand reports ----------------------------------------------------------------------

	create(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body ?? {});
		check.onlyKeys('', ['organizationId', 'reportDefinitionName', 'reportFields', 'reportMimeType', 'reportName', 'timezone', 'reportStartTime', 'reportEndTime', 'reportFilters', 'reportPreferences', 'groupName']);
		const definition = check.requiredString('reportDefinitionName');
		if (definition !== undefined && !REPORT_DEFINITIONS.includes(definition)) check.invalid('reportDefinitionName');
		const mime = check.requiredString('reportMimeType');
		if (mime !== undefined && !MIME_TYPES.includes(mime)) check.invalid('reportMimeType');
		const name = check.requiredString('reportName', /^[A-Za-z0-9 _-]{1,128}$/);
		const timezone = check.optionalString('timezone') ?? 'GMT';
		const start = check.requiredString('reportStartTime', TIME);
		const end = check.requiredString('reportEndTime', TIME);
		const fields = check.value('reportFields');
		if (!Array.isArray(fields) || fields.length === 0 || fields.some((field) => typeof field !== 'string' || field === '')) check.invalid('reportFields');
		const now = this.now();
		if (!check.ok || !definition || !mime || !name || !start || !end) return problem(400, 'INVALID_REQUEST', 'Invalid request', check.problems, now);
		const startMs = Date.parse(start);
		const endMs = Date.parse(end);
		if (!(endMs > startMs)) return problem(400, 'INVALID_REQUEST', 'reportEndTime must be after reportStartTime', [{ field: 'reportEndTime', reason: 'INVALID_DATA' }], now);
		const reportId = randomUUID();
		this.reports.set(reportId, { reportId, merchantId, reportName: name, reportDefinitionName: definition, reportMimeType: mime, reportFields: fields as string[], timezone, startMs, endMs, queuedMs: now });
		return { status: 201 };
	}

	list(merchantId: string, query: string): ApiResult {
		const params = new URLSearchParams(query);
		const now = this.now();
		const missing = ['startTime', 'endTime', 'timeQueryType'].filter((name) => !params.get(name));
		if (missing.length > 0) return problem(400, 'INVALID_REQUEST', 'Missing required parameters', missing.map((field) => ({ field, reason: 'MISSING_FIELD' })), now);
		const from = Date.parse(params.get('startTime')!);
		const to = Date.parse(params.get('endTime')!);
		const type = params.get('timeQueryType');
		if (Number.isNaN(from) || Number.isNaN(to) || (type !== 'reportTimeFrame' && type !== 'executedTime')) {
			return problem(400, 'INVALID_REQUEST', 'Invalid parameter values', [{ field: Number.isNaN(from) ? 'startTime' : Number.isNaN(to) ? 'endTime' : 'timeQueryType', reason: 'INVALID_DATA' }], now);
		}
		const results = [...this.reports.values()]
			.filter((report) => report.merchantId === merchantId)
			.filter((report) => (type === 'executedTime' ? report.queuedMs >= from && report.queuedMs <= to : report.startMs >= from && report.endMs <= to))
			.filter((report) => !params.get('reportName') || report.reportName === params.get('reportName'))
			.filter((report) => !params.get('reportMimeType') || report.reportMimeType === params.get('reportMimeType'))
			.filter((report) => !params.get('reportStatus') || this.status(report) === params.get('reportStatus'))
			.map((report) => this.summary(report));
		if (results.length === 0) return problem(404, 'NOT_FOUND', 'Report not found or there are no available transactions', [], now);
		return { status: 200, body: { reportSearchResults: results } };
	}

	get(merchantId: string, id: string): ApiResult {
		const report = this.reports.get(id);
		if (!report || report.merchantId !== merchantId) return problem(404, 'NOT_FOUND', `Report ${id} not found`, [], this.now());
		return {
			status: 200,
			body: {
				...this.summary(report),
				reportDefinitionName: report.reportDefinitionName,
				reportFields: report.reportFields,
				timezone: report.timezone,
				reportFilters: {},
				reportPreferences: { signedAmounts: true, fieldNameConvention: 'SOAPI' },
			},
		};
	}

	download(merchantId: string, query: string, accept: string | undefined): ApiResult {
		const params = new URLSearchParams(query);
		const now = this.now();
		const reportDate = params.get('reportDate') ?? '';
		const reportName = params.get('reportName') ?? '';
		const problems: FieldProblem[] = [];
		if (!DATE.test(reportDate)) problems.push({ field: 'reportDate', reason: reportDate === '' ? 'MISSING_FIELD' : 'INVALID_DATA' });
		if (reportName === '') problems.push({ field: 'reportName', reason: 'MISSING_FIELD' });
		if (problems.length > 0) return problem(400, 'INVALID_REQUEST', 'Invalid request', problems, now);
		const format = accept?.includes('text/csv') ? 'csv' : 'xml';
		const onDemand = [...this.reports.values()].find(
			(report) => report.merchantId === merchantId && report.reportName === reportName && new Date(report.endMs).toISOString().slice(0, 10) === reportDate && this.status(report) === 'COMPLETED',
		);
		const subscription = this.subscriptions.get(`${merchantId}\u0000${reportName}`);
		const dayEnd = Date.parse(`${reportDate}T00:00:00Z`);
		const window = onDemand ? { from: onDemand.startMs, to: onDemand.endMs } : subscription ? { from: dayEnd - DAY_MS, to: dayEnd } : undefined;
		if (window === undefined) return problem(404, 'NOT_FOUND', `No report ${reportName} for ${reportDate}`, [], now);
		const rows = this.payments.reportRows(merchantId, window.from, window.to);
		const file = format === 'csv' ? csv(reportName, rows) : xml(reportName, reportDate, rows);
		return { status: 200, file: { contentType: format === 'csv' ? 'text/csv' : 'application/xml', text: file } };
	}

	// ---- subscriptions --------------------------------------------------------------------------

	subscriptionsOf(merchantId: string): ApiResult {
		return { status: 200, body: { subscriptions: [...this.subscriptions.values()].filter((subscription) => subscription.merchantId === merchantId).map((subscription) => this.subscriptionBody(subscription)) } };
	}

	subscription(merchantId: string, name: string): ApiResult {
		const subscription = this.subscriptions.get(`${merchantId}\u0000${name}`);
		return subscription ? { status: 200, body: this.subscriptionBody(subscription) } : problem(404, 'NOT_FOUND', `No subscription ${name}`, [], this.now());
	}

	subscribe(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body ?? {});
		const definition = check.requiredString('reportDefinitionName');
		if (definition !== undefined && !REPORT_DEFINITIONS.includes(definition)) check.invalid('reportDefinitionName');
		const mime = check.requiredString('reportMimeType');
		if (mime !== undefined && !MIME_TYPES.includes(mime)) check.invalid('reportMimeType');
		const frequency = check.requiredString('reportFrequency', /^(DAILY|WEEKLY|MONTHLY|USER_DEFINED)$/);
		const name = check.requiredString('reportName', /^[A-Za-z0-9 _-]{1,128}$/);
		const timezone = check.optionalString('timezone') ?? 'GMT';
		const startTime = check.optionalString('startTime', /^\d{4}$/) ?? '0000';
		const fields = check.value('reportFields');
		if (!Array.isArray(fields) || fields.some((field) => typeof field !== 'string')) check.invalid('reportFields');
		if (!check.ok || !definition || !mime || !frequency || !name) return problem(400, 'INVALID_REQUEST', 'Invalid request', check.problems, this.now());
		this.subscriptions.set(`${merchantId}\u0000${name}`, { merchantId, reportName: name, reportDefinitionName: definition, reportMimeType: mime, reportFrequency: frequency, reportFields: fields as string[], timezone, startTime });
		return { status: 200 };
	}

	unsubscribe(merchantId: string, name: string): ApiResult {
		return this.subscriptions.delete(`${merchantId}\u0000${name}`) ? { status: 200 } : problem(404, 'NOT_FOUND', `No subscription ${name}`, [], this.now());
	}

	// ---- data endpoints -------------------------------------------------------------------------

	paymentBatchSummaries(merchantId: string, query: string): ApiResult {
		const window = this.window(query);
		if ('result' in window) return window.result;
		const byCurrency = new Map<string, { salesCount: number; salesMilli: number; creditCount: number; creditMilli: number }>();
		for (const row of this.payments.reportRows(merchantId, window.from, window.to)) {
			const sale = row.kind === 'capture' || (row.kind === 'payment' && row.sale);
			const credit = row.kind === 'refund' || row.kind === 'credit';
			if (!sale && !credit) continue;
			const entry = byCurrency.get(row.currency) ?? { salesCount: 0, salesMilli: 0, creditCount: 0, creditMilli: 0 };
			if (sale) {
				entry.salesCount++;
				entry.salesMilli += milli(row.amount);
			} else {
				entry.creditCount++;
				entry.creditMilli += milli(row.amount);
			}
			byCurrency.set(row.currency, entry);
		}
		return {
			status: 200,
			body: {
				...windowTimes(window),
				paymentBatchSummaries: [...byCurrency].map(([currencyCode, entry]) => ({
					currencyCode,
					paymentSubTypeDescription: 'Card',
					...windowTimes(window),
					salesCount: entry.salesCount,
					salesAmount: (entry.salesMilli / 1000).toFixed(2),
					creditCount: entry.creditCount,
					creditAmount: (entry.creditMilli / 1000).toFixed(2),
					merchantId,
				})),
			},
		};
	}

	purchaseRefundDetails(merchantId: string, query: string): ApiResult {
		const window = this.window(query);
		if ('result' in window) return window.result;
		const params = new URLSearchParams(query);
		const offset = params.has('offset') ? Number(params.get('offset')) : 0;
		const limit = params.has('limit') ? Number(params.get('limit')) : MAX_DETAILS_LIMIT;
		if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > MAX_DETAILS_LIMIT) {
			return problem(400, 'INVALID_REQUEST', 'Invalid parameter values', [{ field: !Number.isInteger(offset) || offset < 0 ? 'offset' : 'limit', reason: 'INVALID_DATA' }], this.now());
		}
		const rows = this.payments
			.reportRows(merchantId, window.from, window.to)
			.filter((row) => row.kind === 'capture' || row.kind === 'refund' || row.kind === 'credit' || (row.kind === 'payment' && row.sale));
		const page = rows.slice(offset, offset + limit);
		return {
			status: 200,
			body: {
				offset,
				limit,
				pageResults: page.length,
				requestDetails: page.map((row) => ({ requestId: row.requestId, merchantId, merchantReferenceNumber: row.merchantReferenceCode, requestDate: row.submitTimeUtc, applicationName: row.application })),
				settlements: page.map((row) => ({ requestId: row.requestId, transactionType: row.kind === 'refund' || row.kind === 'credit' ? 'Refund' : 'Purchase', amount: row.amount, currencyCode: row.currency, paymentMethod: 'Card', accountSuffix: row.cardSuffix })),
				authorizations: page.filter((row) => row.kind === 'payment').map((row) => ({ requestId: row.requestId, transactionReferenceNumber: row.requestId, authorizationAmount: row.amount, authorizationCurrency: row.currency })),
			},
		};
	}

	chargebackDetails(merchantId: string, query: string): ApiResult {
		const window = this.window(query);
		if ('result' in window) return window.result;
		const found = this.chargebacksIn(merchantId, window);
		return {
			status: 200,
			body: {
				...windowTimes(window),
				chargebackDetails: found.map((chargeback) => ({
					requestId: chargeback.requestId,
					reasonCode: chargeback.reasonCode,
					chargebackAmount: chargeback.amount,
					chargebackCurrency: chargeback.currency,
					chargebackTime: new Date(chargeback.filedMs).toISOString(),
					merchantId,
				})),
			},
		};
	}

	chargebackSummaries(merchantId: string, query: string): ApiResult {
		const window = this.window(query);
		if ('result' in window) return window.result;
		const found = this.chargebacksIn(merchantId, window);
		return {
			status: 200,
			body: {
				...windowTimes(window),
				chargebackSummaries: found.length === 0 ? [] : [{ time: new Date(window.from).toISOString(), chargebackCount: found.length, retrievalCount: 0 }],
			},
		};
	}

	// ---- helpers ------------------------------------------------------------------------------

	private chargebacksIn(merchantId: string, window: { from: number; to: number }): Chargeback[] {
		return this.chargebacks.filter((chargeback) => chargeback.merchantId === merchantId && chargeback.filedMs >= window.from && chargeback.filedMs < window.to);
	}

	private window(query: string): { from: number; to: number } | { result: ApiResult } {
		const params = new URLSearchParams(query);
		const problems: FieldProblem[] = [];
		const read = (name: string) => {
			const value = params.get(name) ?? '';
			if (value === '') problems.push({ field: name, reason: 'MISSING_FIELD' });
			else if (!TIME.test(value)) problems.push({ field: name, reason: 'INVALID_DATA' });
			return Date.parse(value);
		};
		const from = read('startTime');
		const to = read('endTime');
		if (problems.length > 0) return { result: problem(400, 'INVALID_REQUEST', 'Invalid request', problems, this.now()) };
		return { from, to };
	}

	private status(report: Report): string {
		return this.now() - report.queuedMs >= this.reportDelayMs ? 'COMPLETED' : 'QUEUED';
	}

	private summary(report: Report): Record<string, unknown> {
		const status = this.status(report);
		return {
			reportId: report.reportId,
			reportDefinitionId: String(REPORT_DEFINITIONS.indexOf(report.reportDefinitionName) + 200),
			reportName: report.reportName,
			reportMimeType: report.reportMimeType,
			reportFrequency: 'ADHOC',
			status,
			reportStatus: status,
			reportStartTime: new Date(report.startMs).toISOString(),
			reportEndTime: new Date(report.endMs).toISOString(),
			queuedTime: new Date(report.queuedMs).toISOString(),
			...(status === 'COMPLETED' ? { reportCompletedTime: new Date(report.queuedMs + this.reportDelayMs).toISOString() } : {}),
		};
	}

	private subscriptionBody(subscription: Subscription): Record<string, unknown> {
		const { merchantId, ...fields } = subscription;
		return { organizationId: merchantId, ...fields };
	}
}

/** A window's bounds as the reporting answers give them. */
function windowTimes(window: { from: number; to: number }): { startTime: string; endTime: string } {
	return { startTime: new Date(window.from).toISOString(), endTime: new Date(window.to).toISOString() };
}

function milli(amount: string): number {
	return Math.round(Number(amount) * 1000);
}

const COLUMNS: Array<keyof ReportRow> = ['requestId', 'submitTimeUtc', 'merchantReferenceCode', 'application', 'status', 'amount', 'currency', 'cardSuffix'];

function csv(reportName: string, rows: ReportRow[]): string {
	const cell = (value: unknown) => {
		const text = String(value);
		return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
	};
	return [`${reportName} Report`, COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((column) => cell(row[column])).join(','))].join('\n') + '\n';
}

function xml(reportName: string, reportDate: string, rows: ReportRow[]): string {
	const escape = (value: unknown) => String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	const body = rows.map((row) => `  <Request ${COLUMNS.map((column) => `${column}="${escape(row[column])}"`).join(' ')}/>`).join('\n');
	return `<?xml version="1.0" encoding="utf-8"?>\n<Report Name="${escape(reportName)}" ReportDate="${reportDate}">\n${body}${body ? '\n' : ''}</Report>\n`;
}
