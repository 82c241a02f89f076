import { fieldError } from '../oauth2/errors';
import { utcTime } from './times';

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
	/** Dates as n8n's date picker gives them (read in the workflow's time zone), or ISO 8601 with a zone. */
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

/** A date bound in UTC, or `*` when empty; a time without a zone is read in `timeZone`. */
function bound(value: string | undefined, name: string, timeZone: string): string {
	const text = (value ?? '').trim();
	return text === '' ? '*' : utcTime(text, name, timeZone);
}

export function searchQuery(query: string, filters: SearchFilters, timeZone: string): string {
	const terms: string[] = [];
	const own = query.trim();
	if (own !== '') terms.push(/\sOR\s/.test(own) && filtersGiven(filters) ? `(${own})` : own);
	if (filters.clientReferenceCode?.trim()) terms.push(term('clientReferenceInformation.code', filters.clientReferenceCode, 'Client Reference Code'));
	if (filters.reconciliationId?.trim()) terms.push(term('reconciliationId', filters.reconciliationId, 'Reconciliation ID'));
	if (filters.merchantCustomerId?.trim()) terms.push(term('buyerInformation.merchantCustomerId', filters.merchantCustomerId, 'Merchant Customer ID'));
	if (filters.submittedAfter?.trim() || filters.submittedBefore?.trim()) {
		// From inclusive, to exclusive, as in Cybersource's sample.
		terms.push(`submitTimeUtc:[${bound(filters.submittedAfter, 'Submitted After', timeZone)} TO ${bound(filters.submittedBefore, 'Submitted Before', timeZone)}}`);
	}
	if (filters.successfulOnly === true) terms.push('applicationInformation.applications.rFlag:SOK');
	if (terms.length === 0) throw fieldError('Query', 'is empty and no filter is set; enter a query or add a filter such as Client Reference Code.');
	return terms.join(' AND ');
}

function filtersGiven(filters: SearchFilters): boolean {
	return Object.values(filters).some((value) => (typeof value === 'string' ? value.trim() !== '' : value === true));
}
