/**
 * One error type for everything that can go wrong while obtaining a token, so that callers
 * (credentials, nodes) can map it to n8n's errors in one place.
 *
 * Messages say what happened and what to check. They never contain a secret, a token or an
 * Authorization header: every message built from a server's answer passes through `redact`.
 */
export type OAuth2ErrorKind =
	/** The user's input is unusable; no request was sent. `field` names the field. */
	| 'configuration'
	/** The token endpoint answered with an OAuth error (`error`, RFC 6749 §5.2). */
	| 'oauth'
	/** The token endpoint answered an HTTP error without an OAuth error body. */
	| 'http'
	/** The token endpoint answered 2xx, but not with a usable token response (RFC 6749 §5.1). */
	| 'invalid_response'
	/** No answer: connection refused, DNS, TLS. */
	| 'network'
	/** No answer within the time limit. */
	| 'timeout';

export interface OAuth2ErrorDetails {
	field?: string;
	httpStatus?: number;
	oauthError?: string;
	errorDescription?: string;
	errorUri?: string;
}

export class OAuth2Error extends Error {
	readonly kind: OAuth2ErrorKind;
	/** Display name of the field at fault (configuration errors). */
	readonly field?: string;
	/**
	 * HTTP status of the token endpoint's answer, when there was one. Not named `status`: n8n's
	 * NodeApiError would then replace the message with a generic one for that status.
	 */
	readonly httpStatus?: number;
	/** The `error` code of an OAuth error response. */
	readonly oauthError?: string;
	readonly errorDescription?: string;
	readonly errorUri?: string;

	constructor(kind: OAuth2ErrorKind, message: string, details: OAuth2ErrorDetails = {}) {
		super(message);
		this.name = 'OAuth2Error';
		this.kind = kind;
		this.field = details.field;
		this.httpStatus = details.httpStatus;
		this.oauthError = details.oauthError;
		this.errorDescription = details.errorDescription;
		this.errorUri = details.errorUri;
	}
}

/** A configuration error: the message starts with the field's display name. */
export function fieldError(field: string, problem: string): OAuth2Error {
	return new OAuth2Error('configuration', `${field}: ${problem}`, { field });
}

const MIN_REDACTABLE_LENGTH = 4;

/**
 * Replaces every occurrence of each secret (and its URL-encoded form) with `[redacted]`.
 * Secrets shorter than 4 characters are skipped: redacting "a" would shred a message and a
 * secret that short protects nothing anyway.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
	let result = text;
	for (const secret of secrets) {
		if (secret === undefined || secret.length < MIN_REDACTABLE_LENGTH) continue;
		for (const form of new Set([secret, encodeURIComponent(secret), formEncode(secret)])) {
			result = result.split(form).join('[redacted]');
		}
	}
	return result;
}

/** application/x-www-form-urlencoded serialization of one value (WHATWG URL standard). */
export function formEncode(value: string): string {
	return new URLSearchParams([['', value]]).toString().slice(1);
}
