import { ANSWER_CUT_OFF } from './http';

/**
 * What became of a request that got no answer, read from error codes along the `cause` chain
 * (n8n wraps the HTTP library's error) and, when no code says it, n8n's own wording. Never the
 * library's message text beyond that, nor its config: they may carry the request.
 *
 * - `not-connected`: no connection was made (refused, unknown host, TLS handshake): nothing was sent;
 * - `timed-out`: no answer in time; the request may have been received;
 * - `cut-off`: an answer began and the connection closed mid-answer;
 * - `closed`: the connection closed with no answer (a reset after sending, or an unknown failure).
 * Only `not-connected` means the server cannot have acted on the request.
 */
export type NetworkFailure = { kind: 'not-connected' | 'timed-out' | 'cut-off' | 'closed'; code?: string };

const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPROTO']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_CANCELED', 'UND_ERR_CONNECT_TIMEOUT']);
const CUT_OFF_CODES = new Set([ANSWER_CUT_OFF, 'ERR_BAD_RESPONSE', 'ERR_STREAM_PREMATURE_CLOSE']);
/** TLS certificate codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID, ...): the handshake failed. */
const CERTIFICATE_CODE = /CERT/;
/** n8n's own sentences for a request without a code (its NodeApiError replaces the message of common codes). */
const NOT_CONNECTED_WORDING = /refused the connection|DNS server/i;
const TIMEOUT_WORDING = /timed out|timeout|aborted/i;

/** The first error code along the `cause` chain; n8n's NodeApiError carries it as `httpCode`. */
export function errorCodeOf(error: unknown, depth = 0): string | undefined {
	if (typeof error !== 'object' || error === null || depth > 5) return undefined;
	const record = error as { code?: unknown; httpCode?: unknown; cause?: unknown };
	if (typeof record.code === 'string') return record.code;
	if (typeof record.httpCode === 'string' && /^[A-Z][A-Z0-9_]+$/.test(record.httpCode)) return record.httpCode;
	return errorCodeOf(record.cause, depth + 1);
}

export function classifyNetworkFailure(error: unknown): NetworkFailure {
	const code = errorCodeOf(error);
	if (code !== undefined) {
		if (NOT_CONNECTED_CODES.has(code) || CERTIFICATE_CODE.test(code)) return { kind: 'not-connected', code };
		if (TIMEOUT_CODES.has(code)) return { kind: 'timed-out', code };
		if (CUT_OFF_CODES.has(code)) return { kind: 'cut-off', code };
	}
	const record = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; httpCode?: unknown };
	const wording = [record.message, record.httpCode].filter((value) => typeof value === 'string').join(' ');
	if (NOT_CONNECTED_WORDING.test(wording)) return { kind: 'not-connected', code };
	if (TIMEOUT_WORDING.test(wording)) return { kind: 'timed-out', code };
	return { kind: 'closed', code };
}
