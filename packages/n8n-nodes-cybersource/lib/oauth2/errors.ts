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
		for (const form of echoedForms(secret)) {
			result = result.split(form).join('[redacted]');
		}
	}
	return result;
}

/**
 * Every form in which a server may echo what it was sent: raw, URL-encoded, form-encoded, as
 * a JSON string (quotes, backslashes and control characters escaped), and as a JSON string with
 * escaped slashes (PHP, some Java encoders), and the last two of the encoded forms as well.
 */
function echoedForms(secret: string): Set<string> {
	const json = JSON.stringify(secret).slice(1, -1);
	const forms = [secret, encodeURIComponent(secret), formEncode(secret), json, json.replace(/\//g, '\\/')];
	// Longest first: a form that contains another is replaced whole.
	return new Set(forms.sort((a, b) => b.length - a.length));
}

/** Most characters of any one piece of a server's text that reaches a message. */
export const MAX_SERVER_TEXT = 300;

/** Server text for a message: one line, at most MAX_SERVER_TEXT characters. */
export function serverText(text: string, max = MAX_SERVER_TEXT): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** application/x-www-form-urlencoded serialization of one value (WHATWG URL standard). */
export function formEncode(value: string): string {
	return new URLSearchParams([['', value]]).toString().slice(1);
}
