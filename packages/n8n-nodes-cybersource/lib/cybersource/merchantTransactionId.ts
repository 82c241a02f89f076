import { createHash, randomUUID } from 'node:crypto';

import { fieldError } from '../oauth2/errors';

/**
 * Cybersource's merchant transaction ID (`clientReferenceInformation.transactionId`): an ID the
 * merchant gives a request that moves money, "unique for 180 days", by which a request that got
 * no answer can be cancelled (timeout reversal of an authorization, timeout void of a capture,
 * refund or credit) and by which Cybersource refuses a second request carrying the same ID
 * (`DUPLICATE_REQUEST`). Field facts: ../shared/research-cybersource-apis.md §4.3.
 */
export const MERCHANT_TRANSACTION_ID_FIELD = 'Merchant Transaction ID';
/** "Data Length: 30" (15 for PIN debit, which this package does not send). */
export const MAX_MERCHANT_TRANSACTION_ID_LENGTH = 30;
const ALLOWED = /^[A-Za-z0-9._:-]+$/;

/** A user's ID, checked before anything is sent. */
export function merchantTransactionId(value: unknown, field = MERCHANT_TRANSACTION_ID_FIELD): string {
	const text = String(value ?? '').trim();
	if (text === '') throw fieldError(field, 'is required.');
	if (text.length > MAX_MERCHANT_TRANSACTION_ID_LENGTH) {
		throw fieldError(field, `is ${text.length} characters long; Cybersource takes at most ${MAX_MERCHANT_TRANSACTION_ID_LENGTH}.`);
	}
	if (!ALLOWED.test(text)) throw fieldError(field, 'may hold only letters, digits and . _ : - (no spaces).');
	return text;
}

/**
 * The ID a request gets when the user gives none: the same for the same n8n instance, workflow,
 * execution, node and item, so that n8n running the same execution again sends the same ID and
 * Cybersource refuses the second payment. Without an execution ID (nothing to be stable for) it
 * is random. 'n8n' and 27 hex digits of SHA-256: 30 characters.
 */
export function derivedMerchantTransactionId(origin: { instanceId: string; workflowId: string; executionId: string; nodeId: string; itemIndex: number }): string {
	if (origin.executionId === '') return `n8n${randomUUID().replace(/-/g, '').slice(0, 27)}`;
	const parts = [origin.instanceId, origin.workflowId, origin.executionId, origin.nodeId, String(origin.itemIndex)];
	return `n8n${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 27)}`;
}

/**
 * Whether an error answer says the merchant transaction ID was used before: Cybersource documents
 * `DUPLICATE_REQUEST` ("The transaction identifier sent with this request has already been
 * used"); a merchant reported `INVALID_DATA` naming the field instead.
 */
export function refusedAsDuplicate(status: number, body: unknown): boolean {
	if (status !== 400 || typeof body !== 'object' || body === null) return false;
	const error = body as { reason?: unknown; details?: unknown };
	if (error.reason === 'DUPLICATE_REQUEST') return true;
	if (error.reason !== 'INVALID_DATA' || !Array.isArray(error.details)) return false;
	return error.details.some((detail) => (detail as { field?: unknown })?.field === 'clientReferenceInformation.transactionId');
}
