import { fieldError } from '../oauth2/errors';

/**
 * Transaction Search's query (`POST /tss/v2/searches`) from the node's filter fields, joined with
 * the user's own query by AND (research §4.1; Cybersource's "Filtering by Query Parameter": fields
 * as `object.field:value`, operators AND and OR, `submitTimeUtc:[from TO to}` ranges as in its
 * sample). n8n-free; errors name the field.
 */
export interface SearchFilters {
	clientReferenceCode?: string;
	reconciliationId?: string;
	merchantCustomerId?: string;
	/** Dates as n8n's date picker gives them, or ISO 8601 with a zone. */
	submittedAfter?: string;
	submittedBefore?: string;
	/** Only transactions whose services succeeded (reply flag SOK). */
	successfulOnly?: boolean;
}

/** A value as one term: bare when it is one plain word, else quoted (no quotes or backslashes inside). */
function term(field: string, value: string, name: string): string {
	const text = value.trim();
	if (/["\\]/.test(text)) throw fieldError(name, 'may not contain quotes or backslashes.');
	return /^[A-Za-z0-9._:@-]+$/.test(text) ? `${field}:${text}` : `${field}:"${text}"`;
}

/** A date bound: ISO 8601 as given (without a zone it is read in the search's time zone), or `*`. */
function bound(value: string | undefined, name: string): string {
	const text = (value ?? '').trim();
	if (text === '') return '*';
	if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/.test(text) || Number.isNaN(Date.parse(text))) {
		throw fieldError(name, `"${text.slice(0, 40)}" is not a date such as 2026-12-01 or 2026-12-01T08:00:00.`);
	}
	// With a zone: in UTC, as Cybersource writes times. Without: as given (the search's time zone applies).
	if (/(Z|[+-]\d{2}:\d{2})$/.test(text)) return `${new Date(text).toISOString().slice(0, 19)}Z`;
	return text.length === 10 ? `${text}T00:00:00` : text.slice(0, 19);
}

export function searchQuery(query: string, filters: SearchFilters): string {
	const terms: string[] = [];
	const own = query.trim();
	if (own !== '') terms.push(/\sOR\s/.test(own) && filtersGiven(filters) ? `(${own})` : own);
	if (filters.clientReferenceCode?.trim()) terms.push(term('clientReferenceInformation.code', filters.clientReferenceCode, 'Client Reference Code'));
	if (filters.reconciliationId?.trim()) terms.push(term('reconciliationId', filters.reconciliationId, 'Reconciliation ID'));
	if (filters.merchantCustomerId?.trim()) terms.push(term('buyerInformation.merchantCustomerId', filters.merchantCustomerId, 'Merchant Customer ID'));
	if (filters.submittedAfter?.trim() || filters.submittedBefore?.trim()) {
		// From inclusive, to exclusive, as in Cybersource's sample.
		terms.push(`submitTimeUtc:[${bound(filters.submittedAfter, 'Submitted After')} TO ${bound(filters.submittedBefore, 'Submitted Before')}}`);
	}
	if (filters.successfulOnly === true) terms.push('applicationInformation.applications.rFlag:SOK');
	if (terms.length === 0) throw fieldError('Query', 'is empty and no filter is set; enter a query or add a filter such as Client Reference Code.');
	return terms.join(' AND ');
}

function filtersGiven(filters: SearchFilters): boolean {
	return Object.values(filters).some((value) => (typeof value === 'string' ? value.trim() !== '' : value === true));
}
